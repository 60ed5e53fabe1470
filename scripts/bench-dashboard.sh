#!/usr/bin/env bash
# Times the dashboard over a generated fleet (docs/benchmarks.md): the JSON API route by route
# (tests/benchmarks/dashboard_benchmark), then the overview page in headless Chromium through a
# real `vigie-collector serve` over the same database. Usage: scripts/bench-dashboard.sh [HOSTS]
# [RUNS]; the database (VIGIE_BENCH_DATABASE, default /tmp/vigie-dashboard-HOSTS.db) is generated
# once and reused. Never run by the CI: one million hosts take many minutes to generate.
set -euo pipefail
cd "$(dirname "$0")/.."
hosts=${1:-1000000}
runs=${2:-20}
database=${VIGIE_BENCH_DATABASE:-/tmp/vigie-dashboard-$hosts.db}
bin=build/default

"$bin/tests/dashboard_benchmark" --hosts "$hosts" --database "$database" --runs 50

work=$(mktemp -d)
"$bin/collector/vigie-collector" serve --insecure --grpc-listen 127.0.0.1:0 \
  --http-listen 127.0.0.1:0 --web-root "$bin/web" --database "$database" \
  --ministries-file "$database.organisation.toml" --log-file "$work/collector.log" >"$work/out" &
collector=$!
trap 'kill "$collector" 2>/dev/null || true; wait "$collector" 2>/dev/null || true; rm -rf "$work"' EXIT
# The start-up maintenance re-evaluates every host: measure once it is done, not during it.
for _ in $(seq 1 1200); do
  grep -q "daily maintenance for" "$work/collector.log" 2>/dev/null && break
  kill -0 "$collector" 2>/dev/null || { cat "$work/collector.log" >&2; exit 1; }
  sleep 0.5
done
url=$(sed -n 's/.*dashboard on \(.*\)$/\1/p' "$work/out")
node tests/web/overview_benchmark.mjs "$url" bench-admin 'benchmark password' "$runs" \
  "$work/profile" "$PWD/web/node_modules/playwright-core/index.mjs"
