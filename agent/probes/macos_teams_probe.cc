#include "agent/probes/macos_teams_probe.h"

#include <set>
#include <string>
#include <utility>

#include "agent/probes/m365_hosts.h"
#include "agent/probes/macos_files.h"
#include "agent/probes/teams_settings.h"
#include "agent/probes/user_homes.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

// Names the application has had: "Microsoft Teams (work or school)" was the new Teams' name
// while both clients coexisted.
constexpr std::string_view kBundles[] = {
    "/Applications/Microsoft Teams.app",
    "/Applications/Microsoft Teams (work or school).app",
    "/Applications/Microsoft Teams classic.app",
};
constexpr std::string_view kClassicConfiguration =
    "Library/Application Support/Microsoft/Teams/desktop-config.json";
constexpr std::size_t kMaxConfigurationBytes = 4 * 1024 * 1024;

}  // namespace

Status MacosTeamsProbe::Run(const SystemView& system, ScanFacts& facts) const {
  std::set<std::string_view> installed;
  for (const std::string_view bundle : kBundles) {
    auto info = ReadPlistFile(system, std::string(bundle) + "/Contents/Info.plist");
    if (!info.ok()) {
      if (info.status().code() != StatusCode::kNotFound) {
        facts.errors.push_back({std::string(name()), info.status().message()});
      }
      continue;
    }
    const std::string identifier =
        AsciiLowercase(info->StringAt("CFBundleIdentifier").value_or(""));
    const std::string_view product =
        identifier == "com.microsoft.teams" ? kClassicTeams : kNewTeams;
    if (!installed.insert(product).second) continue;
    Evidence evidence;
    evidence.product = product;
    evidence.service = ServiceCategory::kCollaboration;
    evidence.kind = EvidenceKind::kInstalled;
    evidence.source = name();
    evidence.version = info->StringAt("CFBundleShortVersionString").value_or("");
    facts.evidence.push_back(std::move(evidence));
  }

  auto users = ListUserHomes(system, OsFamily::kMacos, pseudonyms_);
  if (!users.ok()) return users.status();
  for (const UserHome& user : *users) {
    const std::string path = JoinUserPath(OsFamily::kMacos, user.path, kClassicConfiguration);
    auto text = system.ReadFile(path, kMaxConfigurationBytes);
    if (!text.ok()) {
      if (text.status().code() != StatusCode::kNotFound) {
        facts.errors.push_back(
            {std::string(name()), UserScopedReason(user, text.status().message())});
      }
      continue;
    }
    auto tenant = ClassicTeamsTenant(*text);
    if (!tenant.ok()) {
      facts.errors.push_back(
          {std::string(name()), UserScopedReason(user, path + ": " + tenant.status().message())});
      continue;
    }
    if (tenant->empty()) continue;
    Evidence evidence;
    evidence.product = kClassicTeams;
    evidence.service = ServiceCategory::kCollaboration;
    evidence.kind = EvidenceKind::kSignedIn;
    evidence.tenant = *tenant;
    evidence.source = name();
    evidence.user_pseudonym = user.pseudonym;
    facts.evidence.push_back(std::move(evidence));
  }
  return Status::Ok();
}

}  // namespace vigie::agent
