#pragma once

#include <string_view>

#include "agent/probe.h"
#include "agent/user_pseudonyms.h"
#include "common/model.h"

namespace vigie::agent {

// Use of Microsoft 365 web services, from the browsers' history of every user: Chromium-family
// `History` databases (Chrome, Chromium, Edge, Brave, Vivaldi; every profile directory) and
// Firefox `places.sqlite` (every profile of profiles.ini), at each browser's usual place for the
// OS (shared/reference/detection-signals.md §10). Each database is read from a private copy
// (HistorySnapshot), so browsers may keep running.
//
// Only counters leave: per user pseudonym, per service (ClassifyUrl in m365_hosts.h) and tenant,
// USED evidence whose count is the number of visits within the `days` days before `now` and whose
// last_seen is the day (00:00 UTC) of the latest one. No URL, title, path or host below the
// service level is kept; probe errors name the browser, the profile and the user's pseudonym,
// never a path in the user's home. Off by default: ProbeOptions::browser_history.
class BrowserHistoryProbe : public Probe {
 public:
  static constexpr int kMinDays = 1;
  static constexpr int kMaxDays = 365;

  BrowserHistoryProbe(OsFamily os, UserPseudonyms pseudonyms, int days, Timestamp now)
      : os_(os), pseudonyms_(std::move(pseudonyms)), days_(days), now_(now) {}

  std::string_view name() const override { return "any.browser_history"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  OsFamily os_;
  UserPseudonyms pseudonyms_;
  int days_;
  Timestamp now_;
};

}  // namespace vigie::agent
