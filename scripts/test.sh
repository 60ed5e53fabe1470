#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --fuzz
scripts/build.sh
ctest --preset default
# The Windows agent, cross-built with MinGW-w64 and tested under Wine (docs/windows.md).
if [ ! -f build/mingw/CMakeCache.txt ]; then
  cmake --preset mingw >/dev/null
fi
cmake --build --preset mingw -j"$(nproc)"
ctest --preset mingw
# The libFuzzer targets under ASan and UBSan, each fuzzed a few seconds from the fixtures' seeds
# (docs/fuzzing.md); the report_ingest seeds are the default build's scans of the fixture hosts.
if [ ! -f build/fuzz-ci/CMakeCache.txt ]; then
  cmake --preset fuzz-ci >/dev/null
fi
cmake --build --preset fuzz-ci -j"$(nproc)"
ctest --preset fuzz-ci
