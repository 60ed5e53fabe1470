#!/usr/bin/env bash
# Scan cost benchmark (issue #3): wall time and peak RSS of `vigie-agent scan` on this machine and
# on the largest fixture host, measured in the same run as Debian's fusioninventory-agent
# (`fusioninventory-inventory`) inventorying this machine. Target: at most 1/20 of its wall time
# and 1/5 of its peak memory. Not a pass/fail test: it prints a Markdown table for
# docs/benchmarks.md. Needs root (fusioninventory reads hardware data) and a default build.
#   scripts/bench-scan.sh [runs]     (default 5 runs of each; the median is reported)
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/deps.sh
vigie_install_packages fusioninventory-agent time

runs="${1:-5}"
agent=build/default/agent/vigie-agent
[ -x "$agent" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }

# The largest fixture host by bytes on disk.
largest="$(du -s tests/fixtures/hosts/*/ | sort -n | tail -1 | cut -f2)"
largest="${largest%/}"

# measure <label> <command...>: runs the command `runs` times, prints "label|wall s|peak KiB"
# with the medians.
measure() {
  local label="$1"
  shift
  local walls=() rss=() i out
  out="$(mktemp)"
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>&1 || {
      echo "failed: $*" >&2
      cat "$out" >&2
      rm -f "$out"
      exit 1
    }
    read -r wall peak <"$out"
    walls+=("$wall")
    rss+=("$peak")
  done
  rm -f "$out"
  local median=$((runs / 2))
  printf '%s|%s|%s\n' "$label" \
    "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$((median + 1))p")" \
    "$(printf '%s\n' "${rss[@]}" | sort -n | sed -n "$((median + 1))p")"
}

results=(
  "$(measure "vigie-agent scan (this machine)" "$agent" scan --format json)"
  "$(measure "vigie-agent scan --root $largest" "$agent" scan --root "$largest" --format json)"
  "$(measure "fusioninventory-inventory (this machine)" fusioninventory-inventory)"
)

IFS='|' read -r _ fusion_wall fusion_rss <<<"${results[2]}"
echo "machine: $(nproc) vCPU, $(lscpu | sed -n 's/^Model name: *//p'), $(free -h | awk '/^Mem:/ {print $2}') RAM, $(. /etc/os-release && echo "$PRETTY_NAME")"
echo "date: $(date -u +%Y-%m-%d), runs: $runs (median)"
echo
echo "| what | wall time (s) | peak RSS (KiB) | share of fusioninventory's time | share of its memory |"
echo "|---|---|---|---|---|"
for line in "${results[@]}"; do
  IFS='|' read -r label wall peak <<<"$line"
  printf '| %s | %s | %s | 1/%s | 1/%s |\n' "$label" "$wall" "$peak" \
    "$(awk -v f="$fusion_wall" -v w="$wall" 'BEGIN { printf (w > 0 ? "%.0f" : "inf"), (w > 0 ? f / w : 0) }')" \
    "$(awk -v f="$fusion_rss" -v p="$peak" 'BEGIN { printf "%.1f", f / p }')"
done
