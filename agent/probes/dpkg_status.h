#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::agent {

struct DpkgPackage {
  std::string name;
  std::string version;
  std::string architecture;
  // The third word of the Status field: "installed", "config-files", "half-installed"...
  std::string state;
};

struct DpkgStatus {
  std::vector<DpkgPackage> packages;
  // Lines that are neither a field, a continuation nor a blank separator.
  std::size_t malformed_lines = 0;
  std::size_t first_malformed_line = 0;  // 1-based; 0 when there is none.
};

// Parses dpkg's status database (deb822 paragraphs, as in /var/lib/dpkg/status). Tolerant:
// CRLF line ends, a truncated last paragraph and stray lines are survived and counted.
DpkgStatus ParseDpkgStatus(std::string_view text);

// Whether dpkg considers the package installed (configured or awaiting triggers).
bool IsInstalled(const DpkgPackage& package);

}  // namespace vigie::agent
