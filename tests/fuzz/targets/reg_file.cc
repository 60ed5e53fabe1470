// A regedit export as found in a fixture host or on an offline disk: any encoding (UTF-16LE with
// a byte order mark, UTF-8, REGEDIT4's Windows-1252), read into a snapshot and read back.

#include "agent/registry/reg_file.h"

#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/registry_walk.h"

VIGIE_FUZZ_TARGET(reg_file) {
  vigie::agent::registry::RegistrySnapshot snapshot;
  if (vigie::agent::registry::ParseRegFile(data, "fuzz.reg", snapshot).ok()) {
    vigie::fuzz::WalkRegistry(snapshot);
  }
}
