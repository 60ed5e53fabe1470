#include "agent/probes/macos_office_probe.h"

#include <optional>
#include <string>
#include <vector>

#include "agent/probes/m365_hosts.h"
#include "agent/probes/macos_files.h"
#include "agent/probes/user_homes.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kOfficeGroupContainer = "Library/Group Containers/UBF8T346G9.Office";
// Sign-in (Microsoft 365) activations; community-sourced names (reference §8.2, §14.13).
constexpr std::string_view kSubscriptionFiles[] = {"com.microsoft.Office365V2.plist",
                                                   "com.microsoft.Office365.plist"};
// Retail (Home & Student, Home & Business) activation cache.
constexpr std::string_view kRetailFile =
    "com.microsoft.e0E2OUQxNUY1LTAxOUQtNDQwNS04QkJELTAxQTI5M0JBOTk4O.plist";

struct UserLicences {
  bool subscription = false;
  bool retail = false;
};

// What licences one user's Office group container holds. Unreadable items are recorded as errors
// and count as absent.
UserLicences ReadUserLicences(const SystemView& system, const UserHome& user,
                              std::string_view probe, ScanFacts& facts) {
  UserLicences licences;
  const std::string container = JoinUserPath(OsFamily::kMacos, user.path, kOfficeGroupContainer);
  const auto exists = [&](const std::string& path) {
    auto found = PathExists(system, path);
    if (found.ok()) return *found;
    facts.errors.push_back({std::string(probe), UserScopedReason(user, found.status().message())});
    return false;
  };
  for (const std::string_view file : kSubscriptionFiles) {
    if (exists(container + "/" + std::string(file))) licences.subscription = true;
  }
  if (auto licences_folder = system.ListDirectory(container + "/Licenses"); licences_folder.ok()) {
    if (!licences_folder->empty()) licences.subscription = true;
  } else if (licences_folder.status().code() != StatusCode::kNotFound) {
    facts.errors.push_back(
        {std::string(probe), UserScopedReason(user, licences_folder.status().message())});
  }
  licences.retail = exists(container + "/" + std::string(kRetailFile));
  return licences;
}

// The cloud identity Office is tied to for one user, from the com.microsoft.office preference
// domain (reference §8.2): TenantIDKey is the tenant Office signed in to; without it,
// OfficeActivationEmailAddress is the account an administrator told Office to activate with, of
// which only the domain is kept. A value of the wrong shape is an error and counts as absent.
std::optional<Evidence> ReadUserIdentity(const SystemView& system, const UserHome& user,
                                         std::string_view probe, ScanFacts& facts) {
  const std::string path =
      JoinUserPath(OsFamily::kMacos, user.path, MacosOfficeProbe::kIdentityPreferences);
  auto preferences = ReadPlistFile(system, path);
  if (!preferences.ok()) {
    if (preferences.status().code() != StatusCode::kNotFound) {
      facts.errors.push_back(
          {std::string(probe), UserScopedReason(user, preferences.status().message())});
    }
    return std::nullopt;
  }
  Evidence evidence;
  evidence.product = MacosOfficeProbe::kIdentityProduct;
  evidence.service = ServiceCategory::kCloudIdentity;
  evidence.source = probe;
  evidence.user_pseudonym = user.pseudonym;
  if (preferences->Find("TenantIDKey") != nullptr) {
    const std::string tenant =
        AsciiLowercase(TrimWhitespace(preferences->StringAt("TenantIDKey").value_or("")));
    if (IsTenantId(tenant)) {
      evidence.kind = EvidenceKind::kSignedIn;
      evidence.tenant = tenant;
      return evidence;
    }
    facts.errors.push_back(
        {std::string(probe), UserScopedReason(user, path + ": TenantIDKey is not a tenant id")});
  }
  if (preferences->Find("OfficeActivationEmailAddress") != nullptr) {
    std::string tenant =
        TenantOfAddress(preferences->StringAt("OfficeActivationEmailAddress").value_or(""));
    if (!tenant.empty()) {
      evidence.kind = EvidenceKind::kConfigured;
      evidence.tenant = std::move(tenant);
      return evidence;
    }
    facts.errors.push_back(
        {std::string(probe),
         UserScopedReason(user, path + ": OfficeActivationEmailAddress is not an e-mail address")});
  }
  return std::nullopt;
}

}  // namespace

Status MacosOfficeProbe::Run(const SystemView& system, ScanFacts& facts) const {
  std::vector<OfficeInstall> installs;
  for (const MacOfficeApplication& application : MacOfficeApplications()) {
    auto version = BundleVersion(system, application.bundle);
    if (!version.ok()) {
      facts.errors.push_back({std::string(name()), version.status().message()});
      continue;
    }
    if (!*version) continue;
    OfficeInstall install;
    install.product_id = application.product_id;
    install.version = **version;
    install.technology = kTechnology;
    installs.push_back(std::move(install));
  }
  if (installs.empty()) return Status::Ok();

  // The installs are reported even when the users' licences cannot be read: the error then says
  // the licence model may be incomplete.
  auto users = ListUserHomes(system, OsFamily::kMacos, pseudonyms_);
  if (!users.ok()) facts.errors.push_back({std::string(name()), users.status().message()});
  bool subscription = false;
  bool perpetual = false;
  for (const UserHome& user : users.ok() ? *users : std::vector<UserHome>()) {
    const UserLicences licences = ReadUserLicences(system, user, name(), facts);
    perpetual = perpetual || licences.retail;
    if (licences.subscription) {
      subscription = true;
      Evidence evidence;
      evidence.product = kSubscriptionProduct;
      evidence.service = ServiceCategory::kCloudLicensing;
      evidence.kind = EvidenceKind::kSignedIn;
      evidence.source = name();
      evidence.user_pseudonym = user.pseudonym;
      facts.evidence.push_back(std::move(evidence));
    }
    if (auto identity = ReadUserIdentity(system, user, name(), facts)) {
      facts.evidence.push_back(std::move(*identity));
    }
  }
  auto volume = PathExists(system, kVolumeLicenceFile);
  if (volume.ok()) {
    perpetual = perpetual || *volume;
  } else {
    facts.errors.push_back({std::string(name()), volume.status().message()});
  }

  const LicenseModel model = subscription ? LicenseModel::kSubscription
                             : perpetual  ? LicenseModel::kPerpetual
                                          : LicenseModel::kUnspecified;
  for (auto& install : installs) {
    install.license_model = model;
    facts.office_installs.push_back(std::move(install));
  }
  return Status::Ok();
}

}  // namespace vigie::agent
