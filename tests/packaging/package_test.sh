#!/usr/bin/env bash
# Tests of the Linux packages with the real tools (docs/deployment.md, "Tests").
#   package_test.sh STEP BUILD_DIR WORK_DIR SOURCE_DIR VERSION
# build:    cpack writes vigie-agent and vigie-collector as .deb and .rpm into WORK_DIR/v1;
#           dpkg-deb repacks the agent .deb with a higher version (VERSION.1) into WORK_DIR/v2.
# contents: what each package holds, its dependencies, conffiles and maintainer scripts
#           (dpkg-deb -c/-I/-f, rpm -qp --list/--configfiles/--requires/--scripts, sh -n).
# lintian:  lintian on both .deb, with the overrides the packages ship.
# install:  a throwaway root (an overlay of this machine's / in a private mount namespace, so
#           dpkg and the maintainer scripts really run and nothing reaches the real system):
#           the collector package, started as its user with a test PKI; the agent package
#           enrolled by its postinst from environment variables (a wrong token first), the
#           installed agent reporting over TLS on loopback; upgrade to VERSION.1 keeping state
#           and a local edit; remove; purge; a preseeded agent.toml; purge of the collector.
# Exit 77 (skipped) when a step needs what this machine lacks (root, overlay mounts).
set -euo pipefail

step="$1"
build="$2"
work="$3"
source_dir="$4"
version="$5"
upgrade_version="$version.1"
arch="$(dpkg --print-architecture)"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_contains <text> <needle> <what>
expect_contains() {
  grep -qF -- "$2" <<<"$1" || fail "$3: no « $2 » in:
$1"
}

# The maintainer scripts' messages, indented, for the test's log.
show() {
  sed 's/^/    /' <<<"$1"
}

expect_absent() {
  if grep -qF -- "$2" <<<"$1"; then fail "$3: unexpected « $2 » in:
$1"; fi
}

collector_pid=""
agent_deb="$work/v1/vigie-agent_${version}_$arch.deb"
collector_deb="$work/v1/vigie-collector_${version}_$arch.deb"
agent_deb_v2="$work/v2/vigie-agent_${upgrade_version}_$arch.deb"

step_build() {
  rm -rf "$work"
  mkdir -p "$work"
  # Most of cpack's time is dpkg-shlibdeps waiting on dpkg-query, once per .deb: the three runs
  # (each .deb, both .rpm) go side by side, each in its own directory.
  local run pids=() names=(deb-agent deb-collector rpm)
  cpack --config "$build/CPackConfig.cmake" -G DEB -D CPACK_COMPONENTS_ALL=agent \
    -B "$work/deb-agent" >"$work/cpack-deb-agent.log" 2>&1 &
  pids+=($!)
  cpack --config "$build/CPackConfig.cmake" -G DEB -D CPACK_COMPONENTS_ALL=collector \
    -B "$work/deb-collector" >"$work/cpack-deb-collector.log" 2>&1 &
  pids+=($!)
  cpack --config "$build/CPackConfig.cmake" -G RPM -B "$work/rpm" >"$work/cpack-rpm.log" 2>&1 &
  pids+=($!)
  for run in 0 1 2; do
    wait "${pids[$run]}" || { cat "$work/cpack-${names[$run]}.log"; fail "cpack ${names[$run]}"; }
  done
  mkdir -p "$work/v1"
  mv "$work"/deb-*/*.deb "$work"/rpm/*.rpm "$work/v1/"
  rm -rf "$work"/deb-* "$work/rpm"
  # The upgrade: the same package with a higher version, repacked by dpkg-deb (a second cpack
  # would cost as much as the first; what the upgrade test needs is only a newer version).
  mkdir -p "$work/v2"
  dpkg-deb -R "$agent_deb" "$work/v2/tree"
  sed -i "s/^Version: .*/Version: $upgrade_version/" "$work/v2/tree/DEBIAN/control"
  dpkg-deb --root-owner-group -Zgzip -z1 -b "$work/v2/tree" "$agent_deb_v2" >/dev/null ||
    fail "dpkg-deb (upgrade version)"
  rm -rf "$work/v2/tree"
  for package in "$agent_deb" "$collector_deb" "$agent_deb_v2"; do
    [ -f "$package" ] || fail "cpack did not write $package: $(ls "$work"/v*)"
  done
  ls "$work"/v1/*.rpm >/dev/null || fail "cpack wrote no .rpm"
}

step_contents() {
  local list info
  list="$(dpkg-deb -c "$agent_deb")"
  for path in ./usr/bin/vigie-agent ./usr/lib/vigie/vigie-agent-uplink ./etc/vigie/agent.toml \
    ./lib/systemd/system/vigie-agent.service ./usr/share/doc/vigie-agent/copyright ./usr/share/lintian/overrides/vigie-agent; do
    expect_contains "$list" "$path" "vigie-agent.deb contents"
  done
  expect_absent "$list" vigie-collector "vigie-agent.deb contents"
  # It may hold the enrollment token and the pseudonym key.
  expect_contains "$(grep -F ./etc/vigie/agent.toml <<<"$list")" "-rw-r----- root/root" \
    "vigie-agent.deb: agent.toml 0640 root:root"
  dpkg-deb --fsys-tarfile "$agent_deb" | tar -xO ./usr/share/doc/vigie-agent/copyright \
    >"$work/copyright"
  expect_contains "$(cat "$work/copyright")" "License: EUPL-1.2" "vigie-agent copyright"
  expect_contains "$(cat "$work/copyright")" " EUROPEAN UNION PUBLIC LICENCE v. 1.2" \
    "vigie-agent copyright (full text)"
  expect_contains "$(dpkg-deb -f "$agent_deb_v2" Version)" "$upgrade_version" "upgrade package"
  cmp -s <(dpkg-deb -c "$agent_deb" | awk '$6 != "./" {print $1, $2, $6}') \
    <(dpkg-deb -c "$agent_deb_v2" | awk '$6 != "./" {print $1, $2, $6}') ||
    fail "the upgrade package's files differ from the first one's"
  expect_absent "$list" ./var/lib "vigie-agent.deb contents (state is made by postinst)"
  info="$(dpkg-deb -I "$agent_deb")"
  for field in "Package: vigie-agent" "Version: $version" postinst prerm postrm conffiles; do
    expect_contains "$info" "$field" "vigie-agent.deb control"
  done
  expect_contains "$(dpkg-deb -f "$agent_deb" Depends)" "libgrpc++" "vigie-agent Depends (shlibdeps)"
  expect_contains "$(dpkg-deb --info "$agent_deb" conffiles)" /etc/vigie/agent.toml "vigie-agent conffiles"
  expect_contains "$(dpkg-deb --info "$agent_deb" postinst)" "VIGIE_ENROLL_TOKEN" "vigie-agent postinst"

  list="$(dpkg-deb -c "$collector_deb")"
  for path in ./usr/bin/vigie-collector ./etc/vigie/collector.toml \
    ./lib/systemd/system/vigie-collector.service ./usr/share/vigie/web/index.html \
    ./usr/share/vigie/examples/organisation.example.toml ./usr/share/vigie/examples/doctrine.toml \
    ./usr/share/doc/vigie-collector/copyright; do
    expect_contains "$list" "$path" "vigie-collector.deb contents"
  done
  expect_absent "$list" vigie-agent "vigie-collector.deb contents"
  local depends
  depends="$(dpkg-deb -f "$collector_deb" Depends)"
  expect_contains "$depends" passwd "vigie-collector Depends"
  expect_contains "$depends" libsqlite3 "vigie-collector Depends (shlibdeps)"
  expect_contains "$(dpkg-deb --info "$collector_deb" conffiles)" /etc/vigie/collector.toml \
    "vigie-collector conffiles"

  for script in postinst prerm postrm; do
    for package in "$agent_deb" "$collector_deb"; do
      dpkg-deb --info "$package" "$script" >"$work/$script.sh"
      sh -n "$work/$script.sh" || fail "$(basename "$package") $script: shell syntax"
    done
  done

  local rpm_agent rpm_collector scripts
  rpm_agent="$(ls "$work"/v1/vigie-agent-*.rpm)"
  rpm_collector="$(ls "$work"/v1/vigie-collector-*.rpm)"
  list="$(rpm -qp --list "$rpm_agent" 2>/dev/null)"
  for path in /usr/bin/vigie-agent /usr/lib/vigie/vigie-agent-uplink /etc/vigie/agent.toml \
    /lib/systemd/system/vigie-agent.service; do
    expect_contains "$list" "$path" "vigie-agent.rpm contents"
  done
  expect_absent "$list" "/usr/lib/.build-id" "vigie-agent.rpm contents"
  expect_contains "$(rpm -qp --configfiles "$rpm_agent" 2>/dev/null)" /etc/vigie/agent.toml \
    "vigie-agent.rpm config files"
  expect_contains "$(rpm -qp --dump "$rpm_agent" 2>/dev/null | grep '^/etc/vigie/agent.toml ')" \
    " 0100640 root root " "vigie-agent.rpm: agent.toml 0640 root:root"
  expect_contains "$(rpm -qp --queryformat '%{LICENSE}' "$rpm_agent" 2>/dev/null)" EUPL-1.2 \
    "vigie-agent.rpm licence"
  expect_contains "$(rpm -qp --requires "$rpm_agent" 2>/dev/null)" "libgrpc++" \
    "vigie-agent.rpm requires (autoreq)"
  scripts="$(rpm -qp --scripts "$rpm_agent" 2>/dev/null)"
  for scriptlet in "postinstall scriptlet" "preuninstall scriptlet" "postuninstall scriptlet" \
    vigie_agent_configure vigie_agent_stop; do
    expect_contains "$scripts" "$scriptlet" "vigie-agent.rpm scripts"
  done
  list="$(rpm -qp --list "$rpm_collector" 2>/dev/null)"
  for path in /usr/bin/vigie-collector /etc/vigie/collector.toml /usr/share/vigie/web/index.html; do
    expect_contains "$list" "$path" "vigie-collector.rpm contents"
  done
  expect_contains "$(rpm -qp --requires "$rpm_collector" 2>/dev/null)" shadow-utils \
    "vigie-collector.rpm requires"
  expect_contains "$(rpm -qp --scripts "$rpm_collector" 2>/dev/null)" vigie_collector_user \
    "vigie-collector.rpm scripts"
  for script in "$build"/packaging/*/rpm-*; do
    sh -n "$script" || fail "$script: shell syntax"
  done

  # The units as the packages install them, checked by systemd itself beside this machine's
  # units (the targets they name).
  local root="$work/units-root"
  rm -rf "$root"
  mkdir -p "$root/lib/systemd"
  cp -a /lib/systemd/system "$root/lib/systemd/"
  dpkg-deb -x "$agent_deb" "$root"
  dpkg-deb -x "$collector_deb" "$root"
  systemd-analyze verify --root="$root" /lib/systemd/system/vigie-agent.service \
    /lib/systemd/system/vigie-collector.service >"$work/verify.log" 2>&1 ||
    { cat "$work/verify.log"; fail "systemd-analyze verify"; }
  # Unknown keys and bad values are only warnings to systemd: any output fails.
  [ ! -s "$work/verify.log" ] || { cat "$work/verify.log"; fail "systemd-analyze verify warnings"; }
  echo "contents, control, scripts and units: ok"
}

step_lintian() {
  command -v lintian >/dev/null || fail "lintian is missing (scripts/deps.sh installs it)"
  lintian --fail-on error,warning --info "$agent_deb" "$collector_deb" >"$work/lintian.log" 2>&1 ||
    { cat "$work/lintian.log"; fail "lintian"; }
  cat "$work/lintian.log"
}

step_install() {
  [ "$(id -u)" -eq 0 ] || { echo "skipped: installing packages needs root"; exit 77; }
  if [ -z "${VIGIE_IN_NAMESPACE:-}" ]; then
    exec unshare --mount --propagation private env VIGIE_IN_NAMESPACE=1 "$0" "$@"
  fi
  local root="$work/root" scratch="$work/install"
  rm -rf "$scratch" "$root"
  mkdir -p "$scratch/upper" "$scratch/overlay-work" "$root"
  if ! mount -t overlay overlay \
    -o "lowerdir=/,upperdir=$scratch/upper,workdir=$scratch/overlay-work" "$root" 2>"$scratch/mount.log"; then
    echo "skipped: no overlay mount here: $(cat "$scratch/mount.log")"
    exit 77
  fi
  mount --rbind /dev "$root/dev"
  mount -t proc proc "$root/proc"
  install_test "$root" "$scratch"
}

install_test() {
  local root="$1" scratch="$2" out
  in_root() { chroot "$root" "$@"; }
  as_collector() { chroot --userspec=vigie-collector:vigie-collector "$root" "$@"; }
  # Hosts of a ministry in the installed collector's summary.
  hosts_of() {
    as_collector /usr/bin/vigie-collector summary --config /etc/vigie/collector.toml --format json |
      python3 -c 'import json, sys
print(sum(m["hosts"] for m in json.load(sys.stdin)["ministries"] if m["code"] == sys.argv[1]))' "$1"
  }
  trap '[ -z "$collector_pid" ] || kill "$collector_pid" 2>/dev/null || true' EXIT
  mkdir -p "$root/tmp/vigie-test"
  cp "$agent_deb" "$collector_deb" "$agent_deb_v2" "$root/tmp/vigie-test/"
  local packages=/tmp/vigie-test
  local agent_v1="$packages/$(basename "$agent_deb")"
  local agent_v2="$packages/$(basename "$agent_deb_v2")"

  # A test PKI: the collector's certificate names the loopback address agents dial.
  local pki="$root/tmp/vigie-test/pki"
  mkdir -p "$pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=Vigie test CA" -keyout "$pki/ca.key" -out "$pki/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=collector.test" -keyout "$pki/collector.key" -out "$pki/collector.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\n' >"$pki/san.ext"
  openssl x509 -req -in "$pki/collector.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
    -CAcreateserial -days 2 -extfile "$pki/san.ext" -out "$pki/collector.pem" 2>/dev/null

  echo "== collector package: system user, state directory, not started without a certificate"
  out="$(in_root dpkg -i "$packages/$(basename "$collector_deb")" 2>&1)" || fail "dpkg -i vigie-collector: $out"
  show "$out"
  expect_contains "$out" "service activé mais pas démarré" "collector postinst without certificate"
  in_root getent passwd vigie-collector >/dev/null || fail "no vigie-collector user"
  [ "$(in_root stat -c '%a %U' /var/lib/vigie-collector)" = "700 vigie-collector" ] ||
    fail "/var/lib/vigie-collector: $(in_root stat -c '%a %U' /var/lib/vigie-collector)"
  [ -L "$root/etc/systemd/system/multi-user.target.wants/vigie-collector.service" ] ||
    fail "vigie-collector.service not enabled"

  # Configured as a DSI would: certificate and key readable by the service's group; a port of
  # the test's own (0: any free port) so that nothing else on the machine is disturbed.
  in_root install -m 0644 /tmp/vigie-test/pki/collector.pem /etc/vigie/tls/collector.pem 2>/dev/null ||
    { in_root install -d -m 0755 /etc/vigie/tls &&
      in_root install -m 0644 /tmp/vigie-test/pki/collector.pem /etc/vigie/tls/collector.pem; }
  in_root install -m 0640 -g vigie-collector /tmp/vigie-test/pki/collector.key /etc/vigie/tls/collector.key
  sed -i 's|^grpc-listen = .*|grpc-listen = "127.0.0.1:0"|' "$root/etc/vigie/collector.toml"
  as_collector /usr/bin/vigie-collector serve --config /etc/vigie/collector.toml \
    >"$scratch/collector.out" 2>"$scratch/collector.err" &
  collector_pid=$!
  local port="" i
  for ((i = 0; i < 100; i++)); do
    port="$(sed -n 's/.*gRPC on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$scratch/collector.out")"
    [ -n "$port" ] && break
    kill -0 "$collector_pid" 2>/dev/null || fail "installed collector exited: $(cat "$scratch/collector.err")"
    sleep 0.2
  done
  [ -n "$port" ] || fail "installed collector did not start: $(cat "$scratch/collector.err")"
  [ -f "$root/var/lib/vigie-collector/collector.db" ] || fail "no database in /var/lib/vigie-collector"
  local token
  token="$(as_collector /usr/bin/vigie-collector token create --config /etc/vigie/collector.toml \
    --ministry MI --uses 5 | grep -o 'vigie-enroll-[A-Za-z0-9_-]*' | head -1)"
  [ -n "$token" ] || fail "no enrollment token"

  echo "== agent package: a wrong token leaves it unconfigured with the reason"
  local env=(VIGIE_COLLECTOR="127.0.0.1:$port" VIGIE_CA_FILE=/tmp/vigie-test/pki/ca.pem)
  if out="$(in_root env "${env[@]}" VIGIE_ENROLL_TOKEN=vigie-enroll-not-a-token dpkg -i "$agent_v1" 2>&1)"; then
    fail "dpkg -i with a wrong token succeeded: $out"
  fi
  show "$out"
  expect_contains "$out" "l'enrôlement a échoué" "postinst with a wrong token"
  expect_contains "$out" "vigie-agent: error:" "postinst with a wrong token (agent's reason)"
  expect_contains "$(in_root dpkg-query -W -f='${Status}' vigie-agent)" half-configured "package state"
  [ ! -e "$root/var/lib/vigie-agent/identity.toml" ] || fail "identity written by a failed enrollment"

  echo "== agent package: configured again with the right token enrolls"
  out="$(in_root env "${env[@]}" VIGIE_ENROLL_TOKEN="$token" dpkg --configure vigie-agent 2>&1)" ||
    fail "dpkg --configure vigie-agent: $out"
  show "$out"
  expect_contains "$out" "enrôlé auprès de 127.0.0.1:$port pour MI" "postinst enrollment"
  expect_contains "$out" "systemd n'est pas actif" "postinst without systemd"
  expect_absent "$out" "$token" "postinst output"
  [ "$(in_root stat -c '%a' /var/lib/vigie-agent)" = 700 ] || fail "/var/lib/vigie-agent not 0700"
  [ "$(in_root stat -c '%a' /var/lib/vigie-agent/identity.toml)" = 600 ] || fail "identity.toml not 0600"
  cmp -s "$root/etc/vigie/tls/ca.pem" "$pki/ca.pem" || fail "VIGIE_CA_FILE not installed as /etc/vigie/tls/ca.pem"
  cmp -s "$root/etc/vigie/agent.toml" "$source_dir/installers/config/agent.toml" ||
    fail "postinst changed the conffile /etc/vigie/agent.toml"
  [ "$(in_root stat -c '%a %U:%G' /etc/vigie/agent.toml)" = "640 root:root" ] ||
    fail "/etc/vigie/agent.toml: $(in_root stat -c '%a %U:%G' /etc/vigie/agent.toml)"
  if grep -rqF "$token" "$root/etc/vigie" "$root/var/lib/vigie-agent"; then fail "token written to disk"; fi
  [ -L "$root/etc/systemd/system/multi-user.target.wants/vigie-agent.service" ] ||
    fail "vigie-agent.service not enabled"
  in_root systemd-analyze verify /lib/systemd/system/vigie-agent.service \
    /lib/systemd/system/vigie-collector.service || fail "systemd-analyze verify in the installed root"

  echo "== the installed agent maps no gRPC nor TLS library; its uplink does"
  expect_absent "$(in_root ldd /usr/bin/vigie-agent)" "libgrpc" "ldd /usr/bin/vigie-agent"
  expect_absent "$(in_root ldd /usr/bin/vigie-agent)" "libssl" "ldd /usr/bin/vigie-agent"
  expect_contains "$(in_root ldd /usr/lib/vigie/vigie-agent-uplink)" "libgrpc" \
    "ldd /usr/lib/vigie/vigie-agent-uplink"

  echo "== the installed agent reports to the installed collector over TLS"
  out="$(in_root /usr/bin/vigie-agent run --once --config /etc/vigie/agent.toml 2>&1)" ||
    fail "installed agent run --once: $out"
  expect_contains "$out" "envoyé à 127.0.0.1:$port" "installed agent report"
  [ "$(hosts_of MI)" = 1 ] || fail "collector summary after the first report: $(hosts_of MI) hosts for MI"

  echo "== upgrade to $upgrade_version keeps state and a local edit of the configuration"
  sed -i 's/^timeout = 30$/timeout = 45/' "$root/etc/vigie/agent.toml"
  local identity_before
  identity_before="$(sha256sum <"$root/var/lib/vigie-agent/identity.toml")"
  out="$(in_root dpkg -i "$agent_v2" 2>&1)" || fail "upgrade: $out"
  expect_contains "$(in_root dpkg-query -W -f='${Version} ${Status}' vigie-agent)" \
    "$upgrade_version install ok installed" "version after upgrade"
  grep -q '^timeout = 45$' "$root/etc/vigie/agent.toml" || fail "upgrade lost the local edit"
  [ "$(sha256sum <"$root/var/lib/vigie-agent/identity.toml")" = "$identity_before" ] ||
    fail "upgrade changed the identity"
  out="$(in_root /usr/bin/vigie-agent run --once --config /etc/vigie/agent.toml 2>&1)" ||
    fail "agent run after upgrade: $out"

  echo "== remove keeps configuration and state; purge removes them"
  out="$(in_root dpkg -r vigie-agent 2>&1)" || fail "dpkg -r: $out"
  [ ! -e "$root/usr/bin/vigie-agent" ] || fail "binary left after remove"
  [ -f "$root/etc/vigie/agent.toml" ] && [ -f "$root/var/lib/vigie-agent/identity.toml" ] ||
    fail "remove lost configuration or state"
  out="$(in_root dpkg -P vigie-agent 2>&1)" || fail "dpkg -P: $out"
  for gone in /etc/vigie/agent.toml /var/lib/vigie-agent /etc/vigie/tls/ca.pem \
    /etc/systemd/system/multi-user.target.wants/vigie-agent.service; do
    [ ! -e "$root$gone" ] && [ ! -L "$root$gone" ] || fail "purge left $gone"
  done

  echo "== a preseeded agent.toml is kept and enrolls"
  local token2
  token2="$(as_collector /usr/bin/vigie-collector token create --config /etc/vigie/collector.toml \
    --ministry MI --uses 1 | grep -o 'vigie-enroll-[A-Za-z0-9_-]*' | head -1)"
  cat >"$root/etc/vigie/agent.toml" <<PRESEED
collector = "127.0.0.1:$port"
ca = "/tmp/vigie-test/pki/ca.pem"
token = "$token2"
log-level = "info"
PRESEED
  chmod 0644 "$root/etc/vigie/agent.toml"
  cp "$root/etc/vigie/agent.toml" "$scratch/preseed.toml"
  out="$(in_root dpkg --force-confdef --force-confold -i "$agent_v1" 2>&1)" ||
    fail "install over a preseeded agent.toml: $out"
  show "$out"
  expect_contains "$out" "enrôlé auprès de 127.0.0.1:$port pour MI" "enrollment from the preseeded file"
  expect_contains "$out" "n'est plus lisible par tous" "postinst on a world-readable preseed"
  [ "$(in_root stat -c '%a' /etc/vigie/agent.toml)" = 640 ] ||
    fail "preseeded agent.toml left $(in_root stat -c '%a' /etc/vigie/agent.toml)"
  cmp -s "$root/etc/vigie/agent.toml" "$scratch/preseed.toml" || fail "the preseeded agent.toml was replaced"
  [ -f "$root/etc/vigie/agent.toml.dpkg-dist" ] || fail "no agent.toml.dpkg-dist beside the preseeded file"
  out="$(in_root /usr/bin/vigie-agent run --once --config /etc/vigie/agent.toml 2>&1)" ||
    fail "agent run after a preseeded install: $out"
  [ "$(hosts_of MI)" = 1 ] || fail "re-enrolling the same machine: $(hosts_of MI) hosts for MI"

  echo "== collector purge removes its state, keeps its user"
  kill "$collector_pid"
  wait "$collector_pid" || true
  collector_pid=""
  out="$(in_root dpkg -P vigie-collector 2>&1)" || fail "dpkg -P vigie-collector: $out"
  [ ! -e "$root/var/lib/vigie-collector" ] || fail "purge left /var/lib/vigie-collector"
  [ ! -e "$root/etc/vigie/collector.toml" ] || fail "purge left /etc/vigie/collector.toml"
  in_root getent passwd vigie-collector >/dev/null || fail "purge removed the vigie-collector user"
  echo "install, enrollment, report, upgrade, remove, purge, preseed: ok"
}

case "$step" in
  build) step_build ;;
  contents) step_contents ;;
  lintian) step_lintian ;;
  install) step_install "$@" ;;
  *) fail "unknown step $step" ;;
esac
