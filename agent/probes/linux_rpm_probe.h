#pragma once

#include <string_view>

#include "agent/probe.h"

namespace vigie::agent {

// Installed rpm packages that matter for the doctrine (same catalogue as dpkg), read with librpm
// from the scanned root's rpm database: sqlite (Fedora 33+, RHEL 9), and the older Berkeley DB
// (read-only) and ndb formats that librpm reads.
//
// librpm opens a database directory, not bytes. So that the probe still reads only through
// SystemView (fixture hosts, mounted disks, and one day other backends), the database files are
// read through it and copied into a private temporary directory that librpm then opens; the copy
// is removed after the scan. It also means librpm never takes a lock on the scanned system's
// database.
class LinuxRpmProbe : public Probe {
 public:
  // Fedora 36+ and openSUSE keep the database in /usr/lib/sysimage/rpm, with /var/lib/rpm a
  // symlink to it on Fedora; older systems have /var/lib/rpm only.
  static constexpr std::string_view kDatabaseDirectories[] = {"/usr/lib/sysimage/rpm",
                                                              "/var/lib/rpm"};

  std::string_view name() const override { return "linux.rpm"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;
};

}  // namespace vigie::agent
