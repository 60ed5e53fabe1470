# Shared start-up of the browser tests (sourced by run_browser_test.sh and
# run_reports_browser_test.sh): the skip checks, a work directory removed on exit, a real
# `vigie-collector serve` on loopback ports, and fixture hosts sent by the real agent.
# Expects $collector, $agent, $web_root and $web_source to be set by the sourcing script.

[ -x /usr/bin/chromium ] || { echo "chromium is not installed (scripts/deps.sh)"; exit 77; }
[ -d "$web_source/node_modules/playwright-core" ] || { echo "npm packages missing (scripts/deps.sh)"; exit 77; }
[ -f "$web_root/dsfr/dsfr.min.css" ] || { echo "web assets not built with the DSFR"; exit 77; }

work=$(mktemp -d)
collector_pid=""
cleanup() {
  [ -n "$collector_pid" ] && kill "$collector_pid" 2>/dev/null && wait "$collector_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# start_collector DB [--http]: serve over DB on free loopback ports; sets $grpc (and $url).
start_collector() {
  local db=$1 http=()
  [ "${2:-}" = --http ] && http=(--http-listen 127.0.0.1:0 --web-root "$web_root")
  : >"$work/out"
  "$collector" serve --insecure --grpc-listen 127.0.0.1:0 "${http[@]}" --database "$db" \
    --log-file "$work/collector.log" >"$work/out" &
  collector_pid=$!
  local ready="gRPC on"
  [ ${#http[@]} -gt 0 ] && ready="dashboard on"
  for _ in $(seq 1 100); do
    grep -q "$ready" "$work/out" 2>/dev/null && break
    sleep 0.1
  done
  grpc=$(sed -n 's/.*gRPC on \([^,]*\),.*/\1/p' "$work/out")
  url=$(sed -n 's/.*dashboard on \(.*\)$/\1/p' "$work/out")
  if [ -z "$grpc" ] || { [ ${#http[@]} -gt 0 ] && [ -z "$url" ]; }; then
    echo "collector did not start"
    cat "$work/collector.log"
    exit 1
  fi
}

stop_collector() {
  kill "$collector_pid"
  wait "$collector_pid" || true
  collector_pid=""
}

# send DB MINISTRY HOST_DIR: the fixture is its own agent, enrolled with a one-use token of its
# ministry, then reporting once to the running collector.
send() {
  local token
  token=$("$collector" token create --database "$1" --ministry "$2" --uses 1 --expires 1 |
    grep '^vigie-enroll-')
  "$agent" run --once --insecure --collector "$grpc" --state-dir "$work/agent-$(basename "$3")" \
    --token "$token" --root "$3" >/dev/null
}
