#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigie::agent {

// The configuration file of the OneDrive client for Linux (abraunegg/onedrive,
// ~/.config/onedrive/config): its own `key = "value"` lines, read by its config.d, with `#`
// comments and the value double-quoted.
struct OneDriveConfig {
  std::vector<std::pair<std::string, std::string>> entries;  // In file order, quotes removed.
  // Lines that are neither `key = "value"`, a comment nor blank: skipped and counted.
  int malformed_lines = 0;
  int first_malformed_line = 0;  // 1-based; 0 when none.

  // The value of the last line for `key` (the client reads the file in order); empty when absent.
  std::string Get(std::string_view key) const;
};

OneDriveConfig ParseOneDriveConfig(std::string_view text);

}  // namespace vigie::agent
