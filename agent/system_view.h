#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "agent/registry/registry.h"
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

  // The Windows registry. Keys are full paths with the root spelled out or abbreviated,
  // "HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Office" or "HKLM\...", matched case-insensitively.
  // NOT_FOUND when the key (or the value) does not exist; FAILED_PRECONDITION on a machine that
  // has no registry (Linux, macOS); any other error means the registry could not be read, and a
  // probe must report it rather than conclude that the key is absent.
  //
  // Names of the direct subkeys of `key`, sorted case-insensitively.
  virtual Result<std::vector<std::string>> ListRegistrySubkeys(std::string_view key) const = 0;
  // Value `name` of `key`; "" names the key's default value.
  virtual Result<registry::Value> ReadRegistryValue(std::string_view key,
                                                    std::string_view name) const = 0;
};

}  // namespace vigie::agent
