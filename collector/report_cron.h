#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/model.h"
#include "common/status.h"

namespace vigie::collector {

// Offset of Europe/Paris from UTC at `now`: +1 h, +2 h from the last Sunday of March to the last
// Sunday of October at 01:00 UTC (the EU rule, in force since 1996).
std::chrono::hours ParisUtcOffset(Timestamp now);

// A cron-like expression of five fields, "minute hour day-of-month month day-of-week", in
// Europe/Paris time. Each field is `*`, a number, a range `a-b`, a step `*/n` or `a-b/n`, or a
// comma-separated list of those; days of the week run 0 (Sunday) to 6, 7 being Sunday too. As in
// cron, when both day fields are restricted a day matching either is taken.
// Daylight saving: a time that does not exist (02:00 to 02:59 on the last Sunday of March) fires
// at 03:00, when the clocks have gone forward; a time that occurs twice (the last Sunday of
// October) fires the first time only.
class CronExpression {
 public:
  // The error says which field is wrong and why, in French (for the configuration's readers).
  static Result<CronExpression> Parse(std::string_view text);

  // The latest firing at or before `now`, looking back at most `horizon`; nullopt if none.
  std::optional<Timestamp> LatestAtOrBefore(Timestamp now, std::chrono::minutes horizon) const;
  // The first firing after `now`, looking ahead at most `horizon`; nullopt if none.
  std::optional<Timestamp> NextAfter(Timestamp now, std::chrono::minutes horizon) const;

  const std::string& text() const { return text_; }
  // Whether the day-of-month and day-of-week fields are other than `*` (a schedule without a
  // period takes its period from them).
  bool restricts_day_of_month() const { return day_of_month_restricted_; }
  bool restricts_day_of_week() const { return day_of_week_restricted_; }

 private:
  bool Fires(Timestamp minute) const;
  bool MatchesLocal(std::chrono::sys_days day, int hour, int minute) const;

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;
  std::bitset<13> months_;
  std::bitset<7> days_of_week_;
  bool day_of_month_restricted_ = false;
  bool day_of_week_restricted_ = false;
};

}  // namespace vigie::collector
