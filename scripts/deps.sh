#!/usr/bin/env bash
# Installs the Debian packages Vigie builds and tests with, when any is missing. Idempotent and
# silent when everything is present. Sourced by demo.sh and test.sh.
set -euo pipefail

vigie_packages=(
  build-essential cmake pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libsqlite3-dev libssl-dev libspdlog-dev libfmt-dev
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev
  librpm-dev
  libplist-dev libplist-utils sqlite3
  libcpp-httplib-dev libargon2-dev chromium openssl
  libxlsxwriter-dev python3-openpyxl
  libhivex-dev
  g++-mingw-w64-x86-64-posix wine wine64 libwin-hivex-perl
  # The Windows agent's MSI: wixl builds it, msiinfo reads its tables
  wixl msitools
  # Packaging tests: rpmbuild and rpm, lintian, systemd-analyze, file (CPack reads binaries with it)
  rpm lintian systemd file
  libsystemd-dev faketime
)

vigie_install_packages() {
  local missing=()
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
      missing+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# The fuzz preset's compiler and libFuzzer (docs/fuzzing.md): `scripts/deps.sh --fuzz`, which
# scripts/test.sh uses; the demo does not need them. One apt-get run with the others: an
# `apt-get update` costs seconds of the CI's budget.
if [ "${1:-}" = "--fuzz" ]; then
  vigie_packages+=(clang-14 libclang-rt-14-dev)
fi
vigie_install_packages "${vigie_packages[@]}"

# The dashboard's web assets and browser-test driver come from npm (web/package-lock.json).
command -v npm >/dev/null || vigie_install_packages nodejs npm
vigie_web="$(dirname "${BASH_SOURCE[0]}")/../web"
if [ ! -f "$vigie_web/node_modules/.package-lock.json" ] ||
  [ "$vigie_web/package-lock.json" -nt "$vigie_web/node_modules/.package-lock.json" ]; then
  echo "Installing the dashboard's npm packages (web/package-lock.json)"
  # --ignore-scripts: only the files are needed; the DSFR's install script expects a project
  # generator.
  (cd "$vigie_web" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
fi
