#pragma once

#include <string_view>

#include "agent/probe.h"

namespace vigie::agent {

// Flatpak applications of the system installation (/var/lib/flatpak) that the catalogue knows.
// Per-user installations (~/.local/share/flatpak) are read home by home by
// LinuxUserConfigProbe, under the same source name.
class LinuxFlatpakProbe : public Probe {
 public:
  static constexpr std::string_view kSystemApps = "/var/lib/flatpak/app";

  std::string_view name() const override { return "linux.flatpak"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;
};

// The catalogue's applications installed in the Flatpak installation whose "app" directory is
// `apps`, as INSTALLED evidence with `pseudonym` (empty for the system installation). An
// application counts once its "current" deployment exists: uninstalling removes it.
Status ReadFlatpakApps(const SystemView& system, const std::string& apps,
                       const std::string& pseudonym, ScanFacts& facts);

}  // namespace vigie::agent
