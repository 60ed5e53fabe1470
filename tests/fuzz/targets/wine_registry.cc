// One of a Wine prefix's hive files (system.reg, user.reg, userdef.reg).

#include "agent/registry/wine_registry.h"

#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/registry_walk.h"

VIGIE_FUZZ_TARGET(wine_registry) {
  vigie::agent::registry::RegistrySnapshot snapshot;
  if (vigie::agent::registry::ParseWineRegistry(data, "system.reg", "HKEY_LOCAL_MACHINE", snapshot)
          .ok()) {
    vigie::fuzz::WalkRegistry(snapshot);
  }
}
