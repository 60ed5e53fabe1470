#include "agent/probes/macos_outlook_probe.h"

#include <string>
#include <utility>

#include "agent/probes/user_homes.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kProfiles =
    "Library/Group Containers/UBF8T346G9.Office/Outlook/Outlook 15 Profiles";

}  // namespace

Status MacosOutlookProbe::Run(const SystemView& system, ScanFacts& facts) const {
  auto users = ListUserHomes(system, OsFamily::kMacos, pseudonyms_);
  if (!users.ok()) return users.status();
  for (const UserHome& user : *users) {
    const std::string folder = JoinUserPath(OsFamily::kMacos, user.path, kProfiles);
    auto profiles = system.ListDirectory(folder);
    if (!profiles.ok()) {
      if (profiles.status().code() != StatusCode::kNotFound) {
        facts.errors.push_back(
            {std::string(name()), UserScopedReason(user, profiles.status().message())});
      }
      continue;
    }
    bool configured = false;
    for (const auto& profile : *profiles) {
      if (!profile.is_directory) continue;
      auto data = system.ListDirectory(folder + "/" + profile.name + "/Data");
      if (!data.ok()) {
        if (data.status().code() != StatusCode::kNotFound) {
          facts.errors.push_back(
              {std::string(name()), UserScopedReason(user, data.status().message())});
        }
        continue;
      }
      for (const auto& file : *data) {
        if (!file.is_directory && file.name == "Outlook.sqlite") configured = true;
      }
    }
    if (!configured) continue;
    Evidence evidence;
    evidence.product = kProduct;
    evidence.service = ServiceCategory::kMail;
    evidence.kind = EvidenceKind::kInstalled;
    evidence.source = name();
    evidence.user_pseudonym = user.pseudonym;
    facts.evidence.push_back(std::move(evidence));
  }
  return Status::Ok();
}

}  // namespace vigie::agent
