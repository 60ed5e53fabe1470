#!/usr/bin/env bash
# Browser history cost: wall time and peak RSS of `vigie-agent scan --with-browser-history` on a
# generated host whose one user has a Chrome History of N visits (a third of them to Microsoft 365
# services, over 90 days), against the same scan without browser history. Not a pass/fail test:
# it prints Markdown rows for docs/benchmarks.md. Needs a default build and sqlite3.
#   scripts/bench-browser-history.sh [visits] [runs]     (default 200000 visits, 5 runs; median)
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/deps.sh
vigie_install_packages time

visits="${1:-200000}"
runs="${2:-5}"
agent="$PWD/build/default/agent/vigie-agent"
[ -x "$agent" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
printf 'os = "linux"\nhostname = "pc-bench"\n' >"$root/host.toml"
history="$root/home/alice/.config/google-chrome/Default/History"
mkdir -p "$(dirname "$history")"
# One URL per visit, as browsing mostly is; visit times spread over the last 90 days.
sqlite3 "$history" <<SQL
CREATE TABLE urls(id INTEGER PRIMARY KEY AUTOINCREMENT, url LONGVARCHAR, title LONGVARCHAR,
  visit_count INTEGER DEFAULT 0 NOT NULL, last_visit_time INTEGER NOT NULL);
CREATE TABLE visits(id INTEGER PRIMARY KEY AUTOINCREMENT, url INTEGER NOT NULL,
  visit_time INTEGER NOT NULL, transition INTEGER DEFAULT 0 NOT NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $visits)
INSERT INTO urls(url, title, visit_count, last_visit_time)
  SELECT CASE i % 6
    WHEN 0 THEN 'https://outlook.office.com/mail/inbox/id/' || i
    WHEN 1 THEN 'https://contoso.sharepoint.com/sites/team/Shared%20Documents/doc' || i || '.docx'
    ELSE 'https://www.example.org/article/' || i || '?utm_source=bench' END,
    'Page ' || i, 1,
    ((strftime('%s', 'now') - (i * 37 % 7776000)) + 11644473600) * 1000000
  FROM n;
INSERT INTO visits(url, visit_time) SELECT id, last_visit_time FROM urls;
SQL
size_kib=$(( $(stat -c %s "$history") / 1024 ))

measure() {
  local walls=() rss=() i out wall peak
  out="$(mktemp)"
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>&1
    read -r wall peak <"$out"
    walls+=("$wall")
    rss+=("$peak")
  done
  rm -f "$out"
  printf '%s s, %s KiB' "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")" \
    "$(printf '%s\n' "${rss[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")"
}

echo "| $(date -u +%F) | $(nproc) vCPU, $(lscpu | sed -n 's/^Model name: *//p' | head -1) | \`scripts/bench-browser-history.sh $visits $runs\` | scan without browser history | $(measure "$agent" scan --root "$root" --format json) |"
echo "| | | same | \`--with-browser-history --history-days 30\`, History of $visits visits ($size_kib KiB) | $(measure "$agent" scan --root "$root" --format json --with-browser-history --history-days 30) |"
echo "| | | same | \`--with-browser-history --history-days 365\` (every visit in the window) | $(measure "$agent" scan --root "$root" --format json --with-browser-history --history-days 365) |"
