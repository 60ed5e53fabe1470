// A TOML configuration file (agent.toml, collector.toml), read the way every command reads its
// settings: known keys checked, each value asked as a string, an integer and a boolean.

#include "common/config_file.h"

#include <array>
#include <string_view>

#include "tests/fuzz/fuzz_target.h"

VIGIE_FUZZ_TARGET(config_file) {
  const auto file = vigie::ConfigFile::Parse(data, "fuzz.toml");
  if (!file.ok()) return;
  constexpr std::array<std::string_view, 3> kKnown = {"database", "grpc-listen", "collector"};
  (void)file->CheckKeys(kKnown);
  for (const auto& [key, node] : file->table()) {
    (void)file->GetString(key.str());
    (void)file->GetInteger(key.str());
    (void)file->GetBool(key.str());
    (void)file->ErrorAt(node, key.str(), "fuzz");
  }
}
