#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
ctest --preset default
# The Windows agent, cross-built with MinGW-w64 and tested under Wine (docs/windows.md).
if [ ! -f build/mingw/CMakeCache.txt ]; then
  cmake --preset mingw >/dev/null
fi
cmake --build --preset mingw -j"$(nproc)"
ctest --preset mingw
