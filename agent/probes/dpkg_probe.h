#pragma once

#include "agent/probe.h"

namespace vigie::agent {

// Installed Debian packages that matter for the doctrine (Teams clients, OneDrive clients,
// Intune, Edge, sovereign alternatives...), read from dpkg's status database.
class DpkgProbe : public Probe {
 public:
  static constexpr std::string_view kStatusPath = "/var/lib/dpkg/status";

  std::string_view name() const override { return "linux.dpkg"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;
};

}  // namespace vigie::agent
