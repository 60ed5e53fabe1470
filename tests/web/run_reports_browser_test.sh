#!/usr/bin/env bash
# Browser test of the compliance reports: the « Rapports » page and a download for a ministry
# account (only its ministry's reports), then the HTML report printed to A4 in headless Debian
# Chromium with the network blocked (tests/web/reports_browser_test.mjs). Exits 77 (skipped)
# when Chromium or the npm packages are missing.
# Usage: run_reports_browser_test.sh COLLECTOR AGENT FIXTURES_DIR WEB_ROOT WEB_SOURCE_DIR OUT_DIR
set -euo pipefail
collector=$1 agent=$2 fixtures=$3 web_root=$4 web_source=$5 out=$6
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

db="$work/c.db"
password='mot de passe du test'
echo "$password" | "$collector" user add --database "$db" --name dsi-mi --role ministry --ministry MI >/dev/null
"$collector" serve --insecure --grpc-listen 127.0.0.1:0 --database "$db" \
  --log-file "$work/collector.log" >"$work/grpc" &
collector_pid=$!
for _ in $(seq 1 100); do
  grep -q "gRPC on" "$work/grpc" 2>/dev/null && break
  sleep 0.1
done
grpc=$(sed -n 's/.*gRPC on \([^,]*\),.*/\1/p' "$work/grpc")
[ -n "$grpc" ] || { echo "collector did not start"; cat "$work/collector.log"; exit 1; }
send() {
  local token
  token=$("$collector" token create --database "$db" --ministry "$1" --uses 1 --expires 1 |
    grep '^vigie-enroll-')
  "$agent" run --once --insecure --collector "$grpc" --state-dir "$work/agent-$(basename "$2")" \
    --token "$token" --root "$2" >/dev/null
}
send MI "$fixtures/hosts/linux-teams-onedrive"
send MI "$fixtures/hosts/linux-libreoffice"
send MEFSIN "$fixtures/hosts/linux-goa-m365"
kill "$collector_pid"
wait "$collector_pid" || true
collector_pid=""

# The archive: the MI reports in every format, another ministry's and the interministerial one.
archive="$work/rapports"
mkdir -p "$archive"
for format in xlsx csv html; do
  "$collector" report run --database "$db" --ministry MI --format "$format" --archive \
    --report-archive-directory "$archive" --period daily >/dev/null
done
"$collector" report run --database "$db" --ministry MEFSIN --format html --archive \
  --report-archive-directory "$archive" --period daily >/dev/null
"$collector" report run --database "$db" --all --format html --archive \
  --report-archive-directory "$archive" --period daily >/dev/null

"$collector" serve --insecure --grpc-listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
  --database "$db" --web-root "$web_root" --log-file "$work/collector.log" >"$work/out" &
collector_pid=$!
for _ in $(seq 1 100); do
  grep -q "dashboard on" "$work/out" 2>/dev/null && break
  sleep 0.1
done
url=$(sed -n 's/.*dashboard on \(.*\)$/\1/p' "$work/out")
[ -n "$url" ] || { echo "collector did not start"; cat "$work/collector.log"; exit 1; }

rm -rf "$out"
mkdir -p "$out"
html=$(ls "$archive"/vigie-MI-daily-*.html)
NODE_PATH="$web_source/node_modules" timeout 110 node "$(dirname "$0")/reports_browser_test.mjs" \
  "$url" dsi-mi "$password" "$html" "$out" "$work/profile" \
  "$web_source/node_modules/playwright-core/index.mjs"
