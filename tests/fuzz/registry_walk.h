#pragma once

// Reads back everything a parsed registry holds, the way probes do, so that a fuzz target also
// exercises the snapshot and the value decoders on whatever the parser accepted.

#include <string>

#include "agent/registry/registry.h"

namespace vigie::fuzz {

inline void WalkKey(const agent::registry::RegistrySnapshot& snapshot, const std::string& path) {
  if (const agent::registry::Key* key = snapshot.FindKey(path)) {
    for (const auto& value : key->values) {
      (void)value.AsString();
      (void)value.AsDword();
      (void)value.AsQword();
      (void)value.AsMultiString();
      (void)agent::registry::ValueTypeName(value.type);
      (void)snapshot.FindValue(path, value.name);
    }
  }
  for (const std::string& subkey : snapshot.ListSubkeys(path)) {
    WalkKey(snapshot, path + "\\" + subkey);
  }
}

inline void WalkRegistry(const agent::registry::RegistrySnapshot& snapshot) {
  for (const char* root : {"HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_USERS",
                           "HKEY_CLASSES_ROOT", "HKEY_CURRENT_CONFIG"}) {
    WalkKey(snapshot, root);
  }
}

}  // namespace vigie::fuzz
