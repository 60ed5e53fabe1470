#!/usr/bin/env bash
# Makes the Wine prefix the `wine` tests share, once per build directory: wineboot is the slow
# part of running Windows programs under Wine, so a prefix that exists is kept.
set -euo pipefail
prefix=$1
if [ ! -f "$prefix/system.reg" ]; then
  rm -rf "$prefix"
  wineboot --init
  wineserver --wait
fi
