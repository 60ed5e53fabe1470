#!/usr/bin/env bash
# The ingest benchmark (docs/benchmarks.md, "Ingest"), in one run on this machine:
#   1. the null unary gRPC call rate: vigie-loadgen against `vigie-loadgen null-server` (an
#      AgentService that does nothing), same reports, same client, same concurrency;
#   2. the collector's sustained ingest rate, flat out, with its acknowledgement latency;
#   3. the ingest latency at half the null-call rate (the issue's target load);
#   4. crash safety: KILLS (default 20) SIGKILLs and restarts of the collector under load, then
#      every acknowledged report stored exactly once and none undelivered.
# Usage: bench/ingest.sh [SECONDS] [KILLS]   (build the default preset first)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
kills="${2:-20}"
agents=1000
concurrency=64
build=build/default
loadgen="$build/tools/loadgen/vigie-loadgen"
collector="$build/collector/vigie-collector"
work="$(mktemp -d /tmp/vigie-bench-ingest.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
field() { python3 -c "import json,sys; d=json.load(open('$1')); print(eval('d' + sys.argv[1]))" "$2"; }

start_collector() {
  "$collector" serve --insecure --grpc-listen "127.0.0.1:$1" --database "$work/collector.db" \
    --log-level warn >"$work/collector.out" 2>>"$work/collector.err" &
  collector_pid=$!
  pids+=("$collector_pid")
  for _ in $(seq 100); do grep -q "gRPC on" "$work/collector.out" 2>/dev/null && return; sleep 0.1; done
  echo "collector did not start: $(cat "$work/collector.err")" >&2
  exit 1
}

echo "machine: $(nproc) CPU, $(lscpu | sed -n 's/^Model name: *//p'), $(free -h | awk '/Mem:/{print $2}') RAM"
echo "date: $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"

null_port=$(port)
"$loadgen" null-server --listen "127.0.0.1:$null_port" >"$work/null.out" &
pids+=($!)
sleep 1
"$loadgen" --collector "127.0.0.1:$null_port" --insecure --agents "$agents" \
  --duration "$seconds" --concurrency "$concurrency" --format json >"$work/null.json"
null_rate=$(field "$work/null.json" "['reports_per_second']")

ingest_port=$(port)
start_collector "$ingest_port"
token=$("$collector" token create --database "$work/collector.db" --ministry MI |
  grep -o 'vigie-enroll-[A-Za-z0-9_-]*')
"$loadgen" --collector "127.0.0.1:$ingest_port" --insecure --token "$token" --agents "$agents" \
  --duration "$seconds" --concurrency "$concurrency" --format json >"$work/ingest.json"
half=$(python3 -c "print(round($null_rate / 2))")
"$loadgen" --collector "127.0.0.1:$ingest_port" --insecure --token "$token" --agents "$agents" \
  --duration "$seconds" --concurrency "$concurrency" --rate "$half" --format json >"$work/half.json"
peak=$(awk '/VmHWM/{print $2}' "/proc/$collector_pid/status")
kill -TERM "$collector_pid"; wait "$collector_pid" || true

echo
echo "| what | result |"
echo "|---|---|"
echo "| null unary call rate (${agents} agents, concurrency ${concurrency}, ${seconds} s) | $(field "$work/null.json" "['reports_per_second']") calls/s, p50 $(field "$work/null.json" "['latency_ms']['p50']") ms, p99 $(field "$work/null.json" "['latency_ms']['p99']") ms |"
echo "| collector ingest, flat out | $(field "$work/ingest.json" "['reports_per_second']") reports/s, p50 $(field "$work/ingest.json" "['latency_ms']['p50']") ms, p99 $(field "$work/ingest.json" "['latency_ms']['p99']") ms, errors $(field "$work/ingest.json" "['errors']") |"
echo "| collector ingest at half the null rate (${half}/s) | $(field "$work/half.json" "['reports_per_second']") reports/s, p50 $(field "$work/half.json" "['latency_ms']['p50']") ms, p99 $(field "$work/half.json" "['latency_ms']['p99']") ms |"
echo "| collector peak RSS (VmHWM) | ${peak} KiB |"

[ "$kills" -gt 0 ] || exit 0
rm -f "$work"/collector.db*
crash_port=$(port)
start_collector "$crash_port"
token=$("$collector" token create --database "$work/collector.db" --ministry MI |
  grep -o 'vigie-enroll-[A-Za-z0-9_-]*')
"$loadgen" --collector "127.0.0.1:$crash_port" --insecure --token "$token" --agents 200 \
  --duration $((kills * 2)) --concurrency 32 --drain-timeout 120 --format json \
  --acked-file "$work/acked.txt" >"$work/crash.json" &
loadgen_pid=$!
for _ in $(seq "$kills"); do
  sleep 1.5
  kill -KILL "$collector_pid"; wait "$collector_pid" 2>/dev/null || true
  : >"$work/collector.out"
  start_collector "$crash_port"
done
wait "$loadgen_pid" || true
kill -TERM "$collector_pid"; wait "$collector_pid" || true
stored=$(sqlite3 "$work/collector.db" "SELECT count(*) FROM reports")
distinct=$(sort -u "$work/acked.txt" | wc -l)
missing=$(sort -u "$work/acked.txt" | python3 -c "
import sqlite3, sys
db = sqlite3.connect('$work/collector.db')
print(sum(1 for line in sys.stdin if not db.execute('SELECT 1 FROM reports WHERE report_id = ?', (line.strip(),)).fetchone()))")
echo "| crash safety: ${kills} SIGKILLs in $((kills * 2)) s of load | acknowledged $(wc -l <"$work/acked.txt") (distinct ${distinct}), stored ${stored}, acknowledged but missing ${missing}, undelivered $(field "$work/crash.json" "['undelivered']"), integrity $(sqlite3 "$work/collector.db" "PRAGMA integrity_check") |"
