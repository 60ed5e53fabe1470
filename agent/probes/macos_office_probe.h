#pragma once

#include <string_view>

#include "agent/probe.h"
#include "agent/user_pseudonyms.h"

namespace vigie::agent {

// Office for Mac (shared/reference/detection-signals.md §8): one OfficeInstall per application
// bundle in /Applications (Word, Excel, PowerPoint, Outlook, OneNote) with its Info.plist
// version, and the licence model of the machine's Office:
// - SUBSCRIPTION when any user activated Microsoft 365 (the licence files in
//   ~/Library/Group Containers/UBF8T346G9.Office: com.microsoft.Office365V2.plist, the older
//   com.microsoft.Office365.plist, or the Licenses/ folder), with CLOUD_LICENSING SIGNED_IN
//   evidence per such user: one subscription activation makes the install cloud-licensed
//   whatever else is there;
// - else PERPETUAL for a volume licence
// (/Library/Preferences/com.microsoft.office.licensingV2.plist,
//   LTSC 2021/2024 for Mac) or a retail activation (the e0E2OUQx... licence cache);
// - else unspecified (Office not activated yet);
// and per user, the cloud identity Office is tied to
// (~/Library/Preferences/com.microsoft.office.plist): CLOUD_IDENTITY SIGNED_IN with the tenant id
// of TenantIDKey, else CONFIGURED with the domain of OfficeActivationEmailAddress. TenantIDKey is
// community-sourced (reference §8.2): its absence proves nothing.
class MacosOfficeProbe : public Probe {
 public:
  static constexpr std::string_view kVolumeLicenceFile =
      "/Library/Preferences/com.microsoft.office.licensingV2.plist";
  static constexpr std::string_view kTechnology = "MacAppBundle";
  static constexpr std::string_view kSubscriptionProduct = "Microsoft 365 for Mac";
  static constexpr std::string_view kIdentityProduct = "Office for Mac";
  static constexpr std::string_view kIdentityPreferences =
      "Library/Preferences/com.microsoft.office.plist";

  explicit MacosOfficeProbe(UserPseudonyms pseudonyms) : pseudonyms_(std::move(pseudonyms)) {}

  std::string_view name() const override { return "macos.office"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

}  // namespace vigie::agent
