#!/usr/bin/env bash
# The main job: installs what is missing, builds, fills a SQLite database in .state/ with a
# simulated fleet (5,000 hosts made from the fixture hosts' scans, 8 weeks of history), starts a
# collector on it, has an agent scan this machine and report to it, prints the per-ministry
# summary and the dashboard's address with a demo account (kept open until Enter when run from a
# terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh >/dev/null

bin=build/default
state=.state
ministry=${VIGIE_DEMO_MINISTRY:-SPM}
database=$state/demo.db
organisation=scripts/demo-organisation.toml
mkdir -p "$state"

# The simulated fleet, once: each fixture host scanned offline by the real agent is a template
# that the collector copies into hosts of the demo organisation's ministries and org units.
if [ ! -f "$database" ]; then
  scans=$state/demo-scans
  rm -rf "$scans"
  mkdir -p "$scans"
  for host in tests/fixtures/hosts/*/; do
    name=$(basename "$host")
    "$bin/agent/vigie-agent" scan --root "$host" --format json >"$scans/$name.json" 2>/dev/null ||
      rm -f "$scans/$name.json"
  done
  # Written aside and renamed once complete, so that a failed run leaves no half-made fleet.
  rm -f "$database.new" "$database.new-wal" "$database.new-shm"
  "$bin/collector/vigie-collector" demo-fleet --database "$database.new" --ministries-file "$organisation" \
    --scans "$scans" --hosts "${VIGIE_DEMO_HOSTS:-5000}" --weeks 8
  mv "$database.new" "$database"
fi

# A demo account on loopback only: its password is printed below.
demo_password=demo-vigie-2026
if ! "$bin/collector/vigie-collector" user list --database "$database" 2>/dev/null | grep -q '^demo'; then
  echo "$demo_password" | "$bin/collector/vigie-collector" user add --database "$database" \
    --name demo --role admin >/dev/null
fi

collector_out=$state/collector.out
"$bin/collector/vigie-collector" serve --insecure --ministries-file "$organisation" --grpc-listen 127.0.0.1:0 \
  --http-listen "127.0.0.1:${VIGIE_DEMO_HTTP_PORT:-0}" --web-root "$bin/web" \
  --database "$database" --log-file "$state/collector.log" >"$collector_out" &
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
echo "Collecteur démarré sur $address (base $database)"

# The agent enrolls once with a token made for the ministry, then reports with its own secret.
agent_state=$state/agent-$ministry
token_args=()
if [ ! -f "$agent_state/identity.toml" ]; then
  token=$("$bin/collector/vigie-collector" token create --database "$database" \
    --ministries-file "$organisation" \
    --ministry "$ministry" --uses 1 --expires 1 | grep '^vigie-enroll-')
  token_args=(--token "$token")
fi
"$bin/agent/vigie-agent" run --once --insecure --collector "$address" --state-dir "$agent_state" \
  "${token_args[@]}"
echo
"$bin/collector/vigie-collector" summary --database "$database" --ministries-file "$organisation"
echo "Pour relire ce résumé (ou --format json) :"
echo "  $bin/collector/vigie-collector summary --database $database --ministries-file $organisation"
dashboard=$(sed -n 's/.*dashboard on \(.*\)$/\1/p' "$collector_out")
echo
echo "Tableau de bord : $dashboard/ (compte demo, mot de passe $demo_password)"
if [ -t 0 ]; then
  read -r -p "Entrée pour arrêter le collecteur… " _
fi
