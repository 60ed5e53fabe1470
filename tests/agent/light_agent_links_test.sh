#!/usr/bin/env bash
# vigie-agent (the command and the service) must not map gRPC, protobuf or libssl: they stay in
# vigie-agent-uplink, which it runs for each enrollment and delivery (docs/architecture.md,
# "Agent processes"). ldd lists the libraries loaded at start-up, indirect ones included.
#   light_agent_links_test.sh AGENT UPLINK
set -euo pipefail
agent="$1"
uplink="$2"
libraries="$(ldd "$agent")"
if grep -E 'libgrpc|libprotobuf|libssl|libabsl|libgpr|libupb' <<<"$libraries"; then
  echo "FAIL: $agent loads the libraries above (they belong to vigie-agent-uplink)" >&2
  exit 1
fi
# The check above means something only if the uplink does load them.
grep -q libgrpc++ <<<"$(ldd "$uplink")" || { echo "FAIL: $uplink does not load libgrpc++" >&2; exit 1; }
echo "vigie-agent loads $(grep -c '=>' <<<"$libraries") libraries, none of gRPC, protobuf or libssl"
