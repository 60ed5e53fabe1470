#pragma once

#include <string_view>

#include "agent/registry/registry.h"
#include "common/status.h"

namespace vigie::agent::registry {

// Reads a regedit export into `into`, after what it already holds: keys and values are added
// or replaced, [-KEY] lines delete a subtree and "name"=- lines a value.
//
// "Windows Registry Editor Version 5.00" files are read as UTF-16LE with a BOM (what regedit
// writes) or UTF-8 with or without a BOM; "REGEDIT4" files as Windows-1252, their hex(2) and
// hex(7) data converted to the UTF-16LE the registry would hold.
//
// A malformed file gives InvalidArgument "source_name:line: what is wrong" and changes nothing.
Status ParseRegFile(std::string_view bytes, std::string_view source_name, RegistrySnapshot& into);

}  // namespace vigie::agent::registry
