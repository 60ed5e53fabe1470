#!/usr/bin/env bash
# Browser test of the compliance reports: the « Rapports » page and a download for a ministry
# account (only its ministry's reports), then the HTML report printed to A4 in headless Debian
# Chromium with the network blocked (tests/web/reports_browser_test.mjs). Exits 77 (skipped)
# when Chromium or the npm packages are missing.
# Usage: run_reports_browser_test.sh COLLECTOR AGENT FIXTURES_DIR WEB_ROOT WEB_SOURCE_DIR OUT_DIR
set -euo pipefail
collector=$1 agent=$2 fixtures=$3 web_root=$4 web_source=$5 out=$6
source "$(dirname "$0")/collector_harness.sh"

db="$work/c.db"
password='mot de passe du test'
echo "$password" | "$collector" user add --database "$db" --name dsi-mi --role ministry --ministry MI >/dev/null
start_collector "$db"
send "$db" MI "$fixtures/hosts/linux-teams-onedrive"
send "$db" MI "$fixtures/hosts/linux-libreoffice"
send "$db" MEFSIN "$fixtures/hosts/linux-goa-m365"
stop_collector

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

start_collector "$db" --http

rm -rf "$out"
mkdir -p "$out"
html=$(ls "$archive"/vigie-MI-daily-*.html)
NODE_PATH="$web_source/node_modules" timeout 110 node "$(dirname "$0")/reports_browser_test.mjs" \
  "$url" dsi-mi "$password" "$html" "$out" "$work/profile" \
  "$web_source/node_modules/playwright-core/index.mjs"
