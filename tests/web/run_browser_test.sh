#!/usr/bin/env bash
# Browser test of the dashboard: a real collector (gRPC + HTTP) on loopback, fixture hosts sent by
# the real agent (one with a hostile host name), then tests/web/browser_test.mjs in headless
# Debian Chromium. Exits 77 (skipped) when Chromium or the npm packages are missing.
# Usage: run_browser_test.sh COLLECTOR AGENT FIXTURES_DIR WEB_ROOT WEB_SOURCE_DIR SCREENSHOT_DIR
set -euo pipefail
collector=$1 agent=$2 fixtures=$3 web_root=$4 web_source=$5 screenshots=$6
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

password='mot de passe du test'
echo "$password" | "$collector" user add --database "$work/c.db" --name dsi --role interministerial >/dev/null
"$collector" serve --insecure --grpc-listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
  --database "$work/c.db" --web-root "$web_root" --log-file "$work/collector.log" >"$work/out" &
collector_pid=$!
for _ in $(seq 1 100); do
  grep -q "dashboard on" "$work/out" 2>/dev/null && break
  sleep 0.1
done
grpc=$(sed -n 's/.*gRPC on \([^,]*\),.*/\1/p' "$work/out")
url=$(sed -n 's/.*dashboard on \(.*\)$/\1/p' "$work/out")
[ -n "$url" ] || { echo "collector did not start"; cat "$work/collector.log"; exit 1; }

# Fixture copies with their own machine id (so their own host id) and hostile host names.
hostile() {
  local name=$1 hostname=$2 machine_id=$3
  cp -r "$fixtures/hosts/linux-teams-onedrive" "$work/$name"
  printf 'os = "linux"\nhostname = %s\n' "$hostname" >"$work/$name/host.toml"
  echo "$machine_id" >"$work/$name/etc/machine-id"
}
hostile script "'<script>window.vigiePwned=1</script>'" 0123456789abcdef0123456789abcdef
hostile image "'\"><img src=x onerror=\"window.vigiePwned=2\">'" fedcba9876543210fedcba9876543210
# Each fixture is its own agent: enrolled with a one-use token of its ministry, then reporting.
send() {
  local token
  token=$("$collector" token create --database "$work/c.db" --ministry "$1" --uses 1 --expires 1 |
    grep '^vigie-enroll-')
  "$agent" run --once --insecure --collector "$grpc" --state-dir "$work/agent-$(basename "$2")" \
    --token "$token" --root "$2" >/dev/null
}
send MI "$fixtures/hosts/linux-teams-onedrive"
send MEFSIN "$fixtures/hosts/linux-libreoffice"
send MEFSIN "$work/script"
send MEFSIN "$work/image"

rm -rf "$screenshots"
mkdir -p "$screenshots"
NODE_PATH="$web_source/node_modules" timeout 110 node "$(dirname "$0")/browser_test.mjs" \
  "$url" dsi "$password" "$screenshots" "$work/profile" "$web_source/node_modules/playwright-core/index.mjs"
