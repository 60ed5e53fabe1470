#pragma once

#include <string_view>

#include "agent/probe.h"

namespace vigie::agent {

// Office installed by Click-to-Run (Microsoft 365 Apps, Office 2019, 2021, 2024 and LTSC), read
// from its configuration key (shared/reference/detection-signals.md §1.1): one OfficeInstall per
// product release id, with the licence model the catalogue gives the id, and CLOUD_LICENSING
// evidence for each subscription product. MSI Office does not write this key.
class OfficeC2rProbe : public Probe {
 public:
  static constexpr std::string_view kConfigurationKey =
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration";
  // The reference finds the key in the native view only, but cannot rule out a 32-bit copy.
  static constexpr std::string_view kWow64ConfigurationKey =
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Office\\ClickToRun\\Configuration";
  static constexpr std::string_view kTechnology = "ClickToRun";

  std::string_view name() const override { return "windows.office_c2r"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;
};

}  // namespace vigie::agent
