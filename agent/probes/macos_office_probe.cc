#include "agent/probes/macos_office_probe.h"

#include <string>
#include <vector>

#include "agent/probes/macos_files.h"
#include "agent/probes/user_homes.h"
#include "common/catalogue.h"

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
    if (!licences.subscription) continue;
    subscription = true;
    Evidence evidence;
    evidence.product = kSubscriptionProduct;
    evidence.service = ServiceCategory::kCloudLicensing;
    evidence.kind = EvidenceKind::kSignedIn;
    evidence.source = name();
    evidence.user_pseudonym = user.pseudonym;
    facts.evidence.push_back(std::move(evidence));
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
