#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts a collector on a SQLite database in
# .state/, has an agent scan this machine and report to it, and prints the per-ministry summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh >/dev/null

bin=build/default
state=.state
ministry=${VIGIE_DEMO_MINISTRY:-SPM}
mkdir -p "$state"

collector_out=$state/collector.out
"$bin/collector/vigie-collector" serve --insecure --grpc-listen 127.0.0.1:0 \
  --database "$state/collector.db" --log-file "$state/collector.log" >"$collector_out" &
collector_pid=$!
trap 'kill "$collector_pid" 2>/dev/null || true; wait "$collector_pid" 2>/dev/null || true' EXIT

address=""
for _ in $(seq 1 100); do
  address=$(sed -n 's/.*gRPC on \([^,]*\),.*/\1/p' "$collector_out")
  [ -n "$address" ] && break
  kill -0 "$collector_pid" 2>/dev/null || { echo "the collector did not start; see $state/collector.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "the collector did not start in time; see $state/collector.log" >&2; exit 1; }
echo "Collecteur démarré sur $address (base $state/collector.db)"

"$bin/agent/vigie-agent" run --once --insecure --collector "$address" --ministry "$ministry"
echo
"$bin/collector/vigie-collector" summary --database "$state/collector.db"
echo "Pour relire ce résumé (ou --format json) :"
echo "  $bin/collector/vigie-collector summary --database $state/collector.db"
