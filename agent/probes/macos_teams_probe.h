#pragma once

#include <string_view>

#include "agent/probe.h"
#include "agent/user_pseudonyms.h"

namespace vigie::agent {

// Microsoft Teams for Mac (shared/reference/detection-signals.md §4.3): the new Teams
// (bundle id com.microsoft.teams2, "Microsoft Teams") and classic Teams (com.microsoft.teams,
// "Microsoft Teams classic") applications as INSTALLED COLLABORATION evidence with their version,
// told apart by the bundle id of their Info.plist rather than by the bundle's name, which both
// have used; and per user, classic Teams signed in: its desktop-config.json
// (~/Library/Application Support/Microsoft/Teams/) names the tenant (userTid) and whether the
// user logged out. New Teams keeps its account in the keychain and in files this version does not
// read: installed, it makes the host to review, not non-compliant.
class MacosTeamsProbe : public Probe {
 public:
  static constexpr std::string_view kNewTeams = "Microsoft Teams";
  static constexpr std::string_view kClassicTeams = "Microsoft Teams classic";

  explicit MacosTeamsProbe(UserPseudonyms pseudonyms) : pseudonyms_(std::move(pseudonyms)) {}

  std::string_view name() const override { return "macos.teams"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

}  // namespace vigie::agent
