#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/probe.h"
#include "agent/probes/linux_user_files.h"
#include "agent/user_pseudonyms.h"

namespace vigie::agent {

// Every per-user signal of a Linux host, read home by home so that one unreadable home is one
// error: the OneDrive client's configuration, GNOME Online Accounts, Evolution sources,
// Thunderbird profiles, the Nextcloud client, per-user Flatpak apps and Office in Wine prefixes
// (plus CrossOver's system-wide bottles). Evidence names the signal it comes from as its source
// ("linux.goa", "linux.thunderbird"...) and carries the user's pseudonym.
class LinuxUserConfigProbe : public Probe {
 public:
  static constexpr std::string_view kPasswdPath = "/etc/passwd";
  static constexpr std::string_view kHomesPath = "/home";

  explicit LinuxUserConfigProbe(std::string pseudonym_key)
      : pseudonyms_(std::move(pseudonym_key)) {}

  std::string_view name() const override { return "linux.user_config"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

// The homes of the human accounts of `system`: /etc/passwd entries with a uid from 1000 (the
// Debian and Fedora range for people) and every directory under /home (directory-service
// accounts are not in /etc/passwd), sorted by path, one per path. A missing /etc/passwd is no
// error; an unreadable one is returned.
Result<std::vector<LinuxHome>> ListLinuxHomes(const SystemView& system);

}  // namespace vigie::agent
