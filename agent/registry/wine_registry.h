#pragma once

#include <string_view>

#include "agent/registry/registry.h"
#include "common/status.h"

namespace vigie::agent::registry {

// Reads one of the hive files of a Wine prefix into `into`, its keys placed under `root_key`:
// system.reg under "HKEY_LOCAL_MACHINE", user.reg under "HKEY_CURRENT_USER", userdef.reg under
// "HKEY_USERS\.Default".
//
// A malformed file gives InvalidArgument "source_name:line: what is wrong" and changes nothing.
Status ParseWineRegistry(std::string_view bytes, std::string_view source_name,
                         std::string_view root_key, RegistrySnapshot& into);

}  // namespace vigie::agent::registry
