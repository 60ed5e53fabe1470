#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>

#include "agent/probes/windows_probes.h"
#include "agent/probes/windows_users.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kLicensingNext =
    "Software\\Microsoft\\Office\\16.0\\Common\\Licensing\\LicensingNext";
constexpr std::string_view kLicenseFiles = "AppData\\Local\\Microsoft\\Office\\Licenses";
// The value a product has under LicensingNext when it is activated by the modern method (§1.5).
constexpr std::uint32_t kModernActivation = 2;

// The products LicensingNext is read for: the subscription ids of Microsoft's list (§1.2) and the
// year-less retail ids of Visio and Project, which name their subscription plans when licensed
// this way (perpetual 2016 retail is activated by product key). The key's value names are these
// ids in lower case; a hive read names values, it does not list them.
constexpr std::string_view kProducts[] = {
    "O365ProPlusRetail",  "O365ProPlusEEANoTeamsRetail",
    "O365BusinessRetail", "O365BusinessEEANoTeamsRetail",
    "O365HomePremRetail", "O365SmallBusPremRetail",
    "O365EduCloudRetail", "O365AppsBasicRetail",
    "VisioProRetail",     "VisioStdRetail",
    "ProjectProRetail",   "ProjectStdRetail",
};

}  // namespace

Status WindowsOfficeLicensingProbe::Run(const SystemView& system, ScanFacts& facts) const {
  return ForEachUserHive(
      system, pseudonyms_, name(), facts, [&](const WindowsUser& user, const UserHive& hive) {
        const auto add = [&](std::string_view product) {
          Evidence evidence;
          evidence.product = product;
          evidence.service = ServiceCategory::kCloudLicensing;
          evidence.kind = EvidenceKind::kSignedIn;
          evidence.source = name();
          evidence.user_pseudonym = user.pseudonym;
          facts.evidence.push_back(std::move(evidence));
        };
        bool licensed = false;
        for (const std::string_view product : kProducts) {
          auto value = OptionalDword(hive.ReadValue(kLicensingNext, AsciiLowercase(product)));
          if (!value.ok()) return value.status().Annotate(std::string(kLicensingNext));
          if (*value == kModernActivation) {
            add(product);
            licensed = true;
          }
        }
        if (licensed) return Status::Ok();
        // Licence files without the registry entries (a profile copied from another machine, a
        // cleaned registry): a modern licence of a product Vigie cannot name.
        const std::string folder = user.profile_path + "\\" + std::string(kLicenseFiles);
        auto numbered = system.ListDirectory(folder);
        if (!numbered.ok()) {
          return numbered.status().code() == StatusCode::kNotFound ? Status::Ok()
                                                                   : numbered.status();
        }
        for (const auto& entry : *numbered) {
          if (!entry.is_directory) continue;
          auto files = system.ListDirectory(folder + "\\" + entry.name);
          if (!files.ok()) return files.status();
          if (std::any_of(files->begin(), files->end(),
                          [](const DirectoryEntry& file) { return !file.is_directory; })) {
            add("Office");
            break;
          }
        }
        return Status::Ok();
      });
}

}  // namespace vigie::agent
