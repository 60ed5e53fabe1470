// The input as text, written out the way regedit does (UTF-16LE with a byte order mark) before
// the .reg parser reads it: mutations stay structural (lines, quotes, hex lists) instead of mostly
// breaking the encoding, which the reg_file target already covers.

#include <string>

#include "agent/registry/reg_file.h"
#include "agent/registry/text_encoding.h"
#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/registry_walk.h"

VIGIE_FUZZ_TARGET(reg_file_utf16) {
  namespace internal = vigie::agent::registry::internal;
  const auto units = internal::Utf16ToLeBytes(internal::Utf8ToUtf16(data));
  std::string bytes = "\xFF\xFE";
  bytes.append(units.begin(), units.end());
  vigie::agent::registry::RegistrySnapshot snapshot;
  if (vigie::agent::registry::ParseRegFile(bytes, "fuzz.reg", snapshot).ok()) {
    vigie::fuzz::WalkRegistry(snapshot);
  }
}
