#pragma once

#include <string_view>

#include "agent/probe.h"
#include "agent/user_pseudonyms.h"

namespace vigie::agent {

// Outlook for Mac with a mail profile, per user (shared/reference/detection-signals.md §5.3): a
// profile folder under ~/Library/Group Containers/UBF8T346G9.Office/Outlook/Outlook 15 Profiles/
// holding its Data/Outlook.sqlite database. Its accounts and servers are only in that database,
// whose schema is undocumented, so whether they are on Exchange Online is not read: a configured
// Outlook is MAIL INSTALLED evidence, which keeps the Mac from COMPLIANT (to review) and says
// which component was not judged, instead of making every Mac UNKNOWN.
class MacosOutlookProbe : public Probe {
 public:
  static constexpr std::string_view kProduct = "Outlook pour Mac (comptes non lus)";

  explicit MacosOutlookProbe(UserPseudonyms pseudonyms) : pseudonyms_(std::move(pseudonyms)) {}

  std::string_view name() const override { return "macos.outlook"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

}  // namespace vigie::agent
