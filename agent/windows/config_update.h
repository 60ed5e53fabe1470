#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace vigie::agent {

// Sets string keys of the agent's TOML configuration at `path`, as the installer does with its
// COLLECTOR, TOKEN and CA_FILE properties: a key's line is replaced where the file has one, else
// the key is added at the end; comments and every other key stay as they are. A file that does
// not exist yet starts as `initial`. An empty value leaves its key alone, so that an upgrade
// run without properties keeps what the first installation wrote. The result must load as an
// agent configuration before it replaces the file (nothing half-written is ever left).
Status UpdateConfigFile(const std::string& path, std::string_view initial,
                        const std::vector<std::pair<std::string, std::string>>& values);

// `text` as a TOML basic string, quotes included (Windows paths keep their backslashes).
std::string TomlString(std::string_view text);

}  // namespace vigie::agent
