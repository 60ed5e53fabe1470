#!/usr/bin/env bash
# Configures (once) and builds the default preset into build/default, incrementally.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/default/CMakeCache.txt ]; then
  cmake --preset default >/dev/null
fi
cmake --build --preset default -j"$(nproc)"
