#!/usr/bin/env bash
# Browser test of the dashboard: a real collector (gRPC + HTTP) on loopback, fixture hosts sent by
# the real agent (one with a hostile host name), then tests/web/browser_test.mjs in headless
# Debian Chromium. Exits 77 (skipped) when Chromium or the npm packages are missing.
# Usage: run_browser_test.sh COLLECTOR AGENT FIXTURES_DIR WEB_ROOT WEB_SOURCE_DIR SCREENSHOT_DIR
set -euo pipefail
collector=$1 agent=$2 fixtures=$3 web_root=$4 web_source=$5 screenshots=$6
source "$(dirname "$0")/collector_harness.sh"

password='mot de passe du test'
echo "$password" | "$collector" user add --database "$work/c.db" --name dsi --role interministerial >/dev/null
start_collector "$work/c.db" --http

# Fixture copies with their own machine id (so their own host id) and hostile host names.
hostile() {
  local name=$1 hostname=$2 machine_id=$3
  cp -r "$fixtures/hosts/linux-teams-onedrive" "$work/$name"
  printf 'os = "linux"\nhostname = %s\n' "$hostname" >"$work/$name/host.toml"
  echo "$machine_id" >"$work/$name/etc/machine-id"
}
hostile script "'<script>window.vigiePwned=1</script>'" 0123456789abcdef0123456789abcdef
hostile image "'\"><img src=x onerror=\"window.vigiePwned=2\">'" fedcba9876543210fedcba9876543210
send "$work/c.db" MI "$fixtures/hosts/linux-teams-onedrive"
send "$work/c.db" MEFSIN "$fixtures/hosts/linux-libreoffice"
send "$work/c.db" MEFSIN "$work/script"
send "$work/c.db" MEFSIN "$work/image"

rm -rf "$screenshots"
mkdir -p "$screenshots"
NODE_PATH="$web_source/node_modules" timeout 110 node "$(dirname "$0")/browser_test.mjs" \
  "$url" dsi "$password" "$screenshots" "$work/profile" "$web_source/node_modules/playwright-core/index.mjs"
