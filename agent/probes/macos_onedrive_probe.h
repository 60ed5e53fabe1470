#pragma once

#include <string_view>

#include "agent/probe.h"
#include "agent/user_pseudonyms.h"

namespace vigie::agent {

// OneDrive for Mac (shared/reference/detection-signals.md §3.5): the application (INSTALLED
// PERSONAL_DRIVE with its version) and, per user, the accounts in its preferences
// (~/Library/Preferences/com.microsoft.OneDrive.plist, the App Store edition's container and the
// standalone suite's group container). The sync client keeps there one dictionary per account,
// named as in the Windows registry (§3.1): "Personal" for a Microsoft personal account, and
// "Business1", "Business2"... for work accounts, with ConfiguredTenantId and the SharePoint
// hosts. Each account is SIGNED_IN PERSONAL_DRIVE evidence: Business with the tenant id (or, when
// the preferences lack it, "<name>.sharepoint.com" from the SharePoint host), Personal with the
// consumer tenant.
class MacosOneDriveProbe : public Probe {
 public:
  static constexpr std::string_view kProduct = "OneDrive";

  explicit MacosOneDriveProbe(UserPseudonyms pseudonyms) : pseudonyms_(std::move(pseudonyms)) {}

  std::string_view name() const override { return "macos.onedrive"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

}  // namespace vigie::agent
