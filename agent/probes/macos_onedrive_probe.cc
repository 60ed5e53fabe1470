#include "agent/probes/macos_onedrive_probe.h"

#include <set>
#include <string>
#include <utility>

#include "agent/probes/m365_hosts.h"
#include "agent/probes/macos_files.h"
#include "agent/probes/user_homes.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kApplication = "/Applications/OneDrive.app";

// Where the sync client keeps its preferences, per edition (reference §3.5).
constexpr std::string_view kPreferenceFiles[] = {
    "Library/Preferences/com.microsoft.OneDrive.plist",
    "Library/Containers/com.microsoft.OneDrive-mac/Data/Library/Preferences/"
    "com.microsoft.OneDrive-mac.plist",
    "Library/Group Containers/UBF8T346G9.OneDriveStandaloneSuite/Library/Preferences/"
    "UBF8T346G9.OneDriveStandaloneSuite.plist",
};

bool IsBusinessAccount(std::string_view key) {
  constexpr std::string_view kPrefix = "Business";
  if (key.size() <= kPrefix.size() || key.substr(0, kPrefix.size()) != kPrefix) return false;
  for (const char c : key.substr(kPrefix.size())) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The tenant of a work account: its tenant id, else the SharePoint name of its hosts. Empty
// when neither is there (the account is still counted: an unknown tenant is judged as the
// ministry's own).
std::string BusinessTenant(const plist::Value& account) {
  if (auto id = account.StringAt("ConfiguredTenantId")) {
    const std::string tenant = AsciiLowercase(TrimWhitespace(*id));
    if (IsTenantId(tenant)) return tenant;
  }
  for (const std::string_view key :
       {"SPOResourceId", "ServiceEndpointUri", "TeamSiteSPOResourceId"}) {
    const auto url = account.StringAt(key);
    if (!url) continue;
    const auto host = HttpHost(*url);
    if (!host) continue;
    if (auto tenant = SharePointTenant(*host)) return *tenant;
  }
  return {};
}

}  // namespace

Status MacosOneDriveProbe::Run(const SystemView& system, ScanFacts& facts) const {
  auto version = BundleVersion(system, kApplication);
  if (!version.ok()) {
    facts.errors.push_back({std::string(name()), version.status().message()});
  } else if (*version) {
    Evidence evidence;
    evidence.product = kProduct;
    evidence.service = ServiceCategory::kPersonalDrive;
    evidence.kind = EvidenceKind::kInstalled;
    evidence.source = name();
    evidence.version = **version;
    facts.evidence.push_back(std::move(evidence));
  }

  auto users = ListUserHomes(system, OsFamily::kMacos, pseudonyms_);
  if (!users.ok()) return users.status();
  for (const UserHome& user : *users) {
    // One account listed by two editions' preferences is one account.
    std::set<std::string> tenants;
    for (const std::string_view file : kPreferenceFiles) {
      auto preferences = ReadPlistFile(system, JoinUserPath(OsFamily::kMacos, user.path, file));
      if (!preferences.ok()) {
        if (preferences.status().code() != StatusCode::kNotFound) {
          facts.errors.push_back(
              {std::string(name()), UserScopedReason(user, preferences.status().message())});
        }
        continue;
      }
      const plist::Dictionary* entries = preferences->AsDictionary();
      if (!entries) continue;
      for (const auto& [key, account] : *entries) {
        const plist::Dictionary* fields = account.AsDictionary();
        if (!fields || fields->empty()) continue;
        if (key == "Personal") {
          tenants.insert(std::string(kConsumerTenant));
        } else if (IsBusinessAccount(key)) {
          tenants.insert(BusinessTenant(account));
        }
      }
    }
    for (const std::string& tenant : tenants) {
      Evidence evidence;
      evidence.product = kProduct;
      evidence.service = ServiceCategory::kPersonalDrive;
      evidence.kind = EvidenceKind::kSignedIn;
      evidence.tenant = tenant;
      evidence.source = name();
      evidence.user_pseudonym = user.pseudonym;
      facts.evidence.push_back(std::move(evidence));
    }
  }
  return Status::Ok();
}

}  // namespace vigie::agent
