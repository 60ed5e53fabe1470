#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

struct DirectoryEntry {
  std::string name;
  bool is_directory = false;
};

// What the machine says about itself, before any probe runs.
struct MachineFacts {
  OsFamily os_family = OsFamily::kUnspecified;
  std::string hostname;
  std::string architecture;
};

// The only way probes touch the operating system: a live machine, or a fixture host that stands
// for one (see docs/architecture.md). Paths are the machine's own absolute paths,
// "/var/lib/dpkg/status" or "C:\Users\alice\AppData", whatever backend serves them.
class SystemView {
 public:
  virtual ~SystemView() = default;

  virtual const MachineFacts& machine() const = 0;

  // The whole content of a regular file. Refuses files larger than `max_bytes` (a probe states
  // what size is sane for what it reads) and anything that is not a regular file.
  // NOT_FOUND when the file does not exist, so probes can tell "absent" from "unreadable".
  virtual Result<std::string> ReadFile(std::string_view path, std::size_t max_bytes) const = 0;

  // The entries of a directory, "." and ".." excluded, in no particular order.
  virtual Result<std::vector<DirectoryEntry>> ListDirectory(std::string_view path) const = 0;
};

}  // namespace vigie::agent
