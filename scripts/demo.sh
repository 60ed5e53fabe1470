#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts a collector on a SQLite database in
# .state/, has an agent scan this machine and report to it, prints the per-ministry summary and
# the dashboard's address with a demo account (kept open until Enter when run from a terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh >/dev/null

bin=build/default
state=.state
ministry=${VIGIE_DEMO_MINISTRY:-SPM}
mkdir -p "$state"

# A demo account on loopback only: its password is printed below.
demo_password=demo-vigie-2026
if ! "$bin/collector/vigie-collector" user list --database "$state/collector.db" 2>/dev/null | grep -q '^demo'; then
  echo "$demo_password" | "$bin/collector/vigie-collector" user add --database "$state/collector.db" \
    --name demo --role admin >/dev/null
fi

collector_out=$state/collector.out
"$bin/collector/vigie-collector" serve --insecure --grpc-listen 127.0.0.1:0 \
  --http-listen "127.0.0.1:${VIGIE_DEMO_HTTP_PORT:-0}" --web-root "$bin/web" \
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

# The agent enrolls once with a token made for the ministry, then reports with its own secret.
agent_state=$state/agent-$ministry
token_args=()
if [ ! -f "$agent_state/identity.toml" ]; then
  token=$("$bin/collector/vigie-collector" token create --database "$state/collector.db" \
    --ministry "$ministry" --uses 1 --expires 1 | grep '^vigie-enroll-')
  token_args=(--token "$token")
fi
"$bin/agent/vigie-agent" run --once --insecure --collector "$address" --state-dir "$agent_state" \
  "${token_args[@]}"
echo
"$bin/collector/vigie-collector" summary --database "$state/collector.db"
echo "Pour relire ce résumé (ou --format json) :"
echo "  $bin/collector/vigie-collector summary --database $state/collector.db"
dashboard=$(sed -n 's/.*dashboard on \(.*\)$/\1/p' "$collector_out")
echo
echo "Tableau de bord : $dashboard/ (compte demo, mot de passe $demo_password)"
if [ -t 0 ]; then
  read -r -p "Entrée pour arrêter le collecteur… " _
fi
