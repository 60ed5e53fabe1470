#!/usr/bin/env bash
# Agent footprint benchmark (issue #7), compared in the same run with Debian's
# fusioninventory-agent on this machine. Not a pass/fail test: it prints Markdown rows for
# docs/benchmarks.md. Needs root (fusioninventory reads hardware data) and a default build; it
# builds the .deb packages with cpack for their sizes.
#   scripts/bench-footprint.sh [runs]      (default 5; medians)
# Measures:
#   - idle service RSS: `vigie-agent run` between scans (after its first scan, made in a child
#     process, and the delivery, made by vigie-agent-uplink), sampled from /proc/PID/status (VmRSS,
#     RssAnon, RssFile), its proportional share of shared pages (Pss, /proc/PID/smaps_rollup)
#     and its threads, after it has settled; and fusioninventory-agent as a
#     daemon waiting for its first target;
#   - per scan: CPU time (user + system), wall time and peak RSS (/usr/bin/time) of
#     `vigie-agent scan --format json` of this machine and of `fusioninventory-inventory`;
#   - installed size of each package (Installed-Size of the .deb) and of fusioninventory-agent.
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/deps.sh
vigie_install_packages fusioninventory-agent time

runs="${1:-5}"
build=build/default
agent="$build/agent/vigie-agent"
collector="$build/collector/vigie-collector"
[ -x "$agent" ] && [ -x "$collector" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

median() { sort -g | sed -n "$(((runs / 2) + 1))p"; }

# per_scan <label> <command...>: median CPU s, wall s and peak KiB over the runs.
per_scan() {
  local label="$1" cpu=() wall=() rss=() i u s e m
  shift
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%U %S %e %M' -o "$work/time" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    read -r u s e m <"$work/time"
    cpu+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
    wall+=("$e")
    rss+=("$m")
  done
  printf '| %s | %s | %s | %s |\n' "$label" "$(printf '%s\n' "${cpu[@]}" | median)" \
    "$(printf '%s\n' "${wall[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | median)"
}

# idle <label> <pid>: RSS of a settled process, and its threads; the process's mappings by
# resident size go to $work/<pid>.maps for the breakdown printed at the end.
idle() {
  local label="$1" pid="$2"
  sleep "${IDLE_SETTLE_SECONDS:-10}"
  kill -0 "$pid" 2>/dev/null || { echo "$label exited before the measure" >&2; exit 1; }
  local status="/proc/$pid/status"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$label" \
    "$(awk '/^VmRSS:/ {print $2}' "$status")" "$(awk '/^RssAnon:/ {print $2}' "$status")" \
    "$(awk '/^RssFile:/ {print $2}' "$status")" \
    "$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")" "$(awk '/^Threads:/ {print $2}' "$status")"
  # Resident KiB per mapped file (anonymous mappings as [anon], the heap as [heap]).
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anon]" : $6) }
       /^Rss:/ { rss[name] += $2 }
       END { for (n in rss) if (rss[n] > 0) print rss[n], n }' "/proc/$pid/smaps" |
    sort -rn >"$work/$pid.maps"
  idle_pids+=("$pid")
}
idle_pids=()

# A collector on loopback and an enrolled agent state, for the service measure.
"$collector" serve --insecure --grpc-listen 127.0.0.1:0 --database "$work/collector.db" \
  >"$work/collector.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  port="$(sed -n 's/.*gRPC on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/collector.out" | head -1)"
  [ -n "$port" ] && break
  sleep 0.2
done
[ -n "$port" ] || { cat "$work/collector.out" >&2; exit 1; }
token="$("$collector" token create --database "$work/collector.db" --ministry MI --uses 2 |
  grep -o 'vigie-enroll-[A-Za-z0-9_-]*' | head -1)"
"$agent" enroll --insecure --collector "127.0.0.1:$port" --token "$token" \
  --state-dir "$work/agent" >/dev/null
printf 'insecure = true\nstate-dir = "%s"\n' "$work/agent" >"$work/agent.toml"

echo "machine: $(nproc) vCPU, $(lscpu | sed -n 's/^Model name: *//p'), $(free -h | awk '/^Mem:/ {print $2}') RAM, $(. /etc/os-release && echo "$PRETTY_NAME")"
echo "date: $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), runs: $runs (median)"
echo
echo "| idle process | VmRSS (KiB) | RssAnon (KiB) | RssFile (KiB) | Pss (KiB) | threads |"
echo "|---|---|---|---|---|---|"
# The service scans and delivers once at start, then waits for the next period: the measure is
# taken in that wait, after the report was delivered.
"$agent" run --config "$work/agent.toml" --first-scan-delay 0 --scan-period 3600 \
  --log-target stderr >"$work/agent-run.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  grep -q ' delivered' "$work/agent-run.log" && break
  sleep 0.2
done
grep -q ' delivered' "$work/agent-run.log" || { cat "$work/agent-run.log" >&2; exit 1; }
idle "vigie-agent run, between scans (after one scan and delivery)" "$!"
fusioninventory-agent --daemon --no-fork --no-httpd --server http://127.0.0.1:9/ \
  --delaytime 3600 >/dev/null 2>&1 &
pids+=($!)
idle "fusioninventory-agent --daemon, waiting for its first target" "$!"

echo
echo "| per scan | CPU user+sys (s) | wall (s) | peak RSS (KiB) |"
echo "|---|---|---|---|"
per_scan "vigie-agent scan --format json (this machine)" "$agent" scan --format json
per_scan "fusioninventory-inventory (this machine)" fusioninventory-inventory

packages="$work/packages"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$packages" >/dev/null
echo
echo "| package | Installed-Size (KiB) | .deb (KiB) |"
echo "|---|---|---|"
for deb in "$packages"/vigie-agent_*.deb "$packages"/vigie-collector_*.deb; do
  printf '| %s | %s | %s |\n' "$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Installed-Size)" \
    "$(($(stat -c %s "$deb") / 1024))"
done
printf '| fusioninventory-agent %s (without its %s Perl and tool dependencies) | %s | |\n' \
  "$(dpkg-query -W -f '${Version}' fusioninventory-agent)" \
  "$(dpkg-query -W -f '${Depends}' fusioninventory-agent | tr ',' '\n' | grep -c .)" \
  "$(dpkg-query -W -f '${Installed-Size}' fusioninventory-agent)"

echo
echo "Where the idle agent's resident memory is (KiB per mapping, largest first):"
echo
echo "| KiB | mapping |"
echo "|---|---|"
head -12 "$work/${idle_pids[0]}.maps" | awk '{ printf "| %s | %s |\n", $1, $2 }'
