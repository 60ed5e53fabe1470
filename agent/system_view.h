#pragma once

#include <cstddef>
#include <memory>
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

// One user's registry hive: what HKEY_CURRENT_USER is while that user is logged on. Keys are
// paths relative to the hive's root ("Software\Microsoft\OneDrive"), with the same contract as
// the machine registry reads of SystemView (NOT_FOUND for an absent key or value, any other error
// for a hive that cannot be read there).
class UserHive {
 public:
  virtual ~UserHive() = default;
  // Names of the direct subkeys of `key` ("" is the hive's root), sorted case-insensitively.
  virtual Result<std::vector<std::string>> ListSubkeys(std::string_view key) const = 0;
  // Value `name` of `key`; "" names the key's default value.
  virtual Result<registry::Value> ReadValue(std::string_view key, std::string_view name) const = 0;
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

  // The registry hive of the user whose security identifier is `sid` and whose profile directory
  // is `profile_path` ("C:\Users\alice"): HKEY_USERS\<sid> when that hive is loaded (the user is
  // logged on), else `<profile_path>\NTUSER.DAT` opened read-only for as long as the returned
  // object lives (on Win32, RegLoadAppKey with KEY_READ; the last handle closed unloads it).
  // NOT_FOUND when the user has neither; FAILED_PRECONDITION on a machine with no registry; any
  // other error (a truncated or corrupt NTUSER.DAT, a file locked by another process) says why
  // this user's registry cannot be read.
  // The default is for backends of machines without a registry.
  virtual Result<std::unique_ptr<UserHive>> OpenUserHive(std::string_view sid,
                                                         std::string_view profile_path) const {
    static_cast<void>(sid);
    static_cast<void>(profile_path);
    return FailedPrecondition("this machine has no Windows registry");
  }
};

}  // namespace vigie::agent
