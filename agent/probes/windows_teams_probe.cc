#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "agent/probes/teams_settings.h"
#include "agent/probes/windows_probes.h"
#include "agent/probes/windows_users.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kClassicFolder = "AppData\\Local\\Microsoft\\Teams";
constexpr std::string_view kClassicConfiguration =
    "AppData\\Roaming\\Microsoft\\Teams\\desktop-config.json";
constexpr std::string_view kPackages = "AppData\\Local\\Packages";
constexpr std::string_view kNewTeamsSettings =
    "AppData\\Local\\Publishers\\8wekyb3d8bbwe\\TeamsSharedConfig\\tma_settings.json";
constexpr std::string_view kWindowsApps = "C:\\Program Files\\WindowsApps";
constexpr std::string_view kNewTeamsPackagePrefix = "msteams_";
constexpr std::string_view kPublisherSuffix = "_8wekyb3d8bbwe";
constexpr std::size_t kMaxSettingsBytes = 4 * 1024 * 1024;

bool HasEntry(const std::vector<DirectoryEntry>& entries, std::string_view name) {
  return std::any_of(entries.begin(), entries.end(), [&](const DirectoryEntry& entry) {
    return AsciiLowercase(entry.name) == name;
  });
}

// Whether a package folder name ("MSTeams_8wekyb3d8bbwe" for the user's data,
// "MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe" for the installed package) is the new Teams'.
bool IsNewTeamsPackage(std::string_view folder) {
  const std::string lowered = AsciiLowercase(folder);
  return lowered.starts_with(kNewTeamsPackagePrefix) && lowered.ends_with(kPublisherSuffix);
}

}  // namespace

Status WindowsTeamsProbe::Run(const SystemView& system, ScanFacts& facts) const {
  const auto add = [&](std::string_view product, EvidenceKind kind, std::string tenant,
                       const std::string& pseudonym) {
    Evidence evidence;
    evidence.product = product;
    evidence.service = ServiceCategory::kCollaboration;
    evidence.kind = kind;
    evidence.tenant = std::move(tenant);
    evidence.source = name();
    evidence.user_pseudonym = pseudonym;
    facts.evidence.push_back(std::move(evidence));
  };
  const auto list = [&](const std::string& path) -> Result<std::vector<DirectoryEntry>> {
    auto entries = system.ListDirectory(path);
    if (!entries.ok() && entries.status().code() == StatusCode::kNotFound) {
      return std::vector<DirectoryEntry>();
    }
    return entries;
  };

  // Provisioned for every user of the machine (teamsbootstrapper -p): installed even for users
  // who have not started it yet.
  auto apps = list(std::string(kWindowsApps));
  if (!apps.ok()) {
    facts.errors.push_back({std::string(name()), apps.status().message()});
  } else if (std::any_of(apps->begin(), apps->end(), [](const DirectoryEntry& entry) {
               return entry.is_directory && IsNewTeamsPackage(entry.name);
             })) {
    add(kNewTeams, EvidenceKind::kInstalled, "", "");
  }

  auto users = ListWindowsUsers(system, pseudonyms_, name(), facts);
  if (!users.ok()) return users.status();
  for (const WindowsUser& user : *users) {
    const auto at = [&](std::string_view relative) {
      return user.profile_path + "\\" + std::string(relative);
    };
    const auto fail = [&](const Status& status) {
      facts.errors.push_back(
          {std::string(name()),
           WithoutUserNames(fmt::format("{} (user {})", status.message(), user.pseudonym), user)});
    };

    auto classic = list(at(kClassicFolder));
    if (!classic.ok()) {
      fail(classic.status());
    } else if ((HasEntry(*classic, "current") || HasEntry(*classic, "update.exe")) &&
               !HasEntry(*classic, ".dead")) {
      add(kClassicTeams, EvidenceKind::kInstalled, "", user.pseudonym);
      auto text = system.ReadFile(at(kClassicConfiguration), kMaxSettingsBytes);
      if (text.ok()) {
        auto tenant = ClassicTeamsTenant(*text);
        if (!tenant.ok()) {
          fail(tenant.status().Annotate(at(kClassicConfiguration)));
        } else if (!tenant->empty()) {
          add(kClassicTeams, EvidenceKind::kSignedIn, std::move(*tenant), user.pseudonym);
        }
      } else if (text.status().code() != StatusCode::kNotFound) {
        fail(text.status());
      }
    }

    auto packages = list(at(kPackages));
    if (!packages.ok()) {
      fail(packages.status());
      continue;
    }
    const bool new_teams =
        std::any_of(packages->begin(), packages->end(),
                    [](const DirectoryEntry& entry) { return IsNewTeamsPackage(entry.name); });
    if (new_teams) add(kNewTeams, EvidenceKind::kInstalled, "", user.pseudonym);
    auto text = system.ReadFile(at(kNewTeamsSettings), kMaxSettingsBytes);
    if (!text.ok()) {
      if (text.status().code() != StatusCode::kNotFound) fail(text.status());
      continue;
    }
    auto accounts = NewTeamsAccounts(*text);
    if (!accounts.ok()) {
      fail(accounts.status().Annotate(at(kNewTeamsSettings)));
      continue;
    }
    std::set<std::string> tenants;
    for (auto& account : *accounts) {
      if (tenants.insert(account.tenant).second) {
        add(kNewTeams, EvidenceKind::kSignedIn, std::move(account.tenant), user.pseudonym);
      }
    }
  }
  return Status::Ok();
}

}  // namespace vigie::agent
