#pragma once

#include <string_view>

#include "agent/probe.h"

namespace vigie::agent {

// Installed snaps that the catalogue knows, from the snap files snapd keeps
// (/var/lib/snapd/snaps/<name>_<revision>.snap): they are there on a mounted disk too, where the
// /snap mount points are empty.
class LinuxSnapProbe : public Probe {
 public:
  static constexpr std::string_view kSnapsDirectory = "/var/lib/snapd/snaps";

  std::string_view name() const override { return "linux.snap"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;
};

}  // namespace vigie::agent
