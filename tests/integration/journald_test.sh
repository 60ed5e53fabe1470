#!/usr/bin/env bash
# The agent's logging to the journal, read back with journalctl (docs/architecture.md, "The agent
# as a service"):
#   journald_test.sh AGENT_BINARY COLLECTOR_BINARY FIXTURE_HOST
# A real systemd-journald runs in a private mount namespace over a fresh /run (its sockets, the
# volatile journal), so the machine's own journal, if any, is neither used nor disturbed. The
# agent service then logs through sd-journal (`--log-target journald`, a collector that does not
# answer: an error) and as systemd starts it (`auto` with JOURNAL_STREAM set, a real collector:
# started, enrolled and delivered by its uplink process, stopped on SIGTERM); journalctl reads
# the entries back with their identifier, priority and message. Exit 77 (skipped) without root, mount namespaces or systemd-journald.
set -euo pipefail

agent="$1"
collector="$2"
fixture="$3"
journald=/lib/systemd/systemd-journald

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || { echo "skipped: a private journald needs root"; exit 77; }
[ -x "$journald" ] && command -v journalctl >/dev/null ||
  { echo "skipped: no systemd-journald or journalctl (scripts/deps.sh installs systemd)"; exit 77; }
if [ -z "${VIGIE_IN_NAMESPACE:-}" ]; then
  unshare --mount --propagation private true 2>/dev/null ||
    { echo "skipped: no mount namespaces here"; exit 77; }
  exec unshare --mount --propagation private env VIGIE_IN_NAMESPACE=1 "$0" "$@"
fi

scratch="$(mktemp -d)"
journald_pid=""
collector_pid=""
cleanup() {
  [ -z "$collector_pid" ] || kill "$collector_pid" 2>/dev/null || true
  [ -z "$journald_pid" ] || kill "$journald_pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
mount -t tmpfs tmpfs /run
[ ! -d /var/log/journal ] || mount -t tmpfs tmpfs /var/log/journal
"$journald" >"$scratch/journald.log" 2>&1 &
journald_pid=$!
for ((i = 0; i < 100; i++)); do
  [ -S /run/systemd/journal/socket ] && break
  kill -0 "$journald_pid" 2>/dev/null || fail "systemd-journald exited: $(cat "$scratch/journald.log")"
  sleep 0.05
done
[ -S /run/systemd/journal/socket ] || fail "systemd-journald did not open its socket"

entries() {
  journalctl -D /run/log/journal --no-pager -o json SYSLOG_IDENTIFIER=vigie-agent 2>/dev/null || true
}
# wait_for <text>: until a vigie-agent entry holds it (15 s at most: a loaded CI machine).
wait_for() {
  for ((i = 0; i < 150; i++)); do
    grep -qF -- "$1" <<<"$(entries)" && return 0
    sleep 0.1
  done
  fail "no « $1 » in the journal: $(entries); agent's stderr: $(cat "$scratch/err")"
}
# stop <pid>: SIGTERM, as systemd stops the service; it must exit 0.
stop() {
  kill -TERM "$1"
  wait "$1" || fail "the agent exited $? on SIGTERM: $(cat "$scratch/err")"
}
service_args=(run --insecure --state-dir "$scratch/state" --root "$fixture" --first-scan-delay 0
  --scan-period 3600 --retry-initial 1 --retry-max 1)

echo "== --log-target journald: a collector that does not answer is an error"
"$agent" --log-level info "${service_args[@]}" --log-target journald --collector 127.0.0.1:1 \
  --token vigie-enroll-test >"$scratch/out" 2>"$scratch/err" &
pid=$!
wait_for "cannot enroll"
stop "$pid"

echo "== --log-target auto under systemd (JOURNAL_STREAM): the service's and its uplink's info lines"
"$collector" serve --insecure --grpc-listen 127.0.0.1:0 --database "$scratch/collector.db" \
  >"$scratch/collector.out" 2>"$scratch/collector.err" &
collector_pid=$!
port=""
for ((i = 0; i < 100; i++)); do
  port="$(sed -n 's/.*gRPC on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$scratch/collector.out")"
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || fail "the collector did not start: $(cat "$scratch/collector.err")"
token="$("$collector" token create --database "$scratch/collector.db" --ministry MI |
  grep -o 'vigie-enroll-[A-Za-z0-9_-]*' | head -1)"
JOURNAL_STREAM=8:1 "$agent" --log-level info "${service_args[@]}" --log-target auto \
  --collector "127.0.0.1:$port" --token "$token" >"$scratch/out" 2>"$scratch/err" &
pid=$!
wait_for "delivered"
stop "$pid"
wait_for "stopping on SIGTERM"
[ ! -s "$scratch/err" ] || fail "the agent wrote to stderr while logging to the journal: $(cat "$scratch/err")"

python3 - "$(entries)" <<'PY' || fail "journal entries"
import json, sys
entries = [json.loads(line) for line in sys.argv[1].splitlines()]
for entry in entries:
    print(f'  priority {entry["PRIORITY"]}: {entry["MESSAGE"]}')
def priority_of(text):
    return {int(e["PRIORITY"]) for e in entries if text in e["MESSAGE"]}
# spdlog's levels as syslog priorities: error 3, warning 4, info 6.
failures = priority_of("cannot enroll")
assert failures and failures <= {3, 4}, failures
assert priority_of(" started: ") == {6}, priority_of(" started: ")
assert priority_of("enrolled with") == {6}, priority_of("enrolled with")
assert priority_of("delivered") == {6}, priority_of("delivered")
assert priority_of("stopping on SIGTERM") == {6}
# The journal has its own time stamps and levels: the lines carry no prefix.
assert all(not e["MESSAGE"].startswith("[") for e in entries), "prefixed lines"
PY
echo "journald: ok"
