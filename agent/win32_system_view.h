#pragma once

#include <memory>
#include <string>

#include "agent/system_view.h"

namespace vigie::agent {

// SystemView of the Windows machine this process runs on, through the Win32 API (MinGW build,
// and the production MSVC build). Paths are drive-absolute ("C:\Users\alice\AppData\..."); any
// other form is refused, so that a probe's POSIX path (/etc/machine-id) cannot resolve against
// the current drive. Registry keys are opened in the 64-bit view (KEY_WOW64_64KEY) whatever
// this build's bitness: a key reads as regedit shows and exports it, the 32-bit view of
// HKLM\SOFTWARE being the explicit "HKLM\SOFTWARE\WOW6432Node" path, exactly as in the .reg
// exports of the fixture backend. Win32 error codes become Status here and nowhere else.
class Win32SystemView : public SystemView {
 public:
  // Host name and processor architecture of this machine.
  static Result<std::unique_ptr<Win32SystemView>> Live();

  const MachineFacts& machine() const override { return machine_; }
  Result<std::string> ReadFile(std::string_view path, std::size_t max_bytes) const override;
  Result<std::vector<DirectoryEntry>> ListDirectory(std::string_view path) const override;
  Result<std::vector<std::string>> ListRegistrySubkeys(std::string_view key) const override;
  Result<registry::Value> ReadRegistryValue(std::string_view key,
                                            std::string_view name) const override;
  // HKEY_USERS\<sid> when loaded; else <profile_path>\NTUSER.DAT through RegLoadAppKey
  // (KEY_READ): a private, read-only load that no other process sees, unloaded when the returned
  // hive is destroyed. Needs no privilege, unlike RegLoadKey.
  Result<std::unique_ptr<UserHive>> OpenUserHive(std::string_view sid,
                                                 std::string_view profile_path) const override;

 private:
  explicit Win32SystemView(MachineFacts machine) : machine_(std::move(machine)) {}

  MachineFacts machine_;
};

}  // namespace vigie::agent
