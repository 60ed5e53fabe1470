#include "collector/report_cron.h"

#include <charconv>
#include <vector>

namespace vigie::collector {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

Timestamp LastSundayAt1Utc(std::chrono::year year, std::chrono::month month) {
  return Timestamp(std::chrono::sys_days(year / month / std::chrono::Sunday[std::chrono::last])) +
         hours(1);
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::optional<int> Number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

struct Field {
  const char* name;
  int min;
  int max;
};

// Sets in `bits` the values `text` names; the error names the field, in French.
template <std::size_t N>
Status ParseField(std::string_view text, const Field& field, std::bitset<N>& bits) {
  const auto bad = [&](const std::string& why) {
    return InvalidArgument(std::string(field.name) + " « " + std::string(text) + " » : " + why);
  };
  const std::string range =
      "attendu *, un nombre de " + std::to_string(field.min) + " à " + std::to_string(field.max) +
      ", un intervalle a-b, un pas */n ou a-b/n, ou une liste séparée par des virgules";
  for (std::string_view item : Split(text, ',')) {
    const auto slash = Split(item, '/');
    if (slash.size() > 2) return bad(range);
    int step = 1;
    if (slash.size() == 2) {
      const auto parsed = Number(slash[1]);
      if (!parsed || *parsed < 1) return bad("le pas doit être un nombre positif");
      step = *parsed;
    }
    int from = field.min;
    int to = field.max;
    if (slash[0] != "*") {
      const auto dash = Split(slash[0], '-');
      const auto low = Number(dash[0]);
      const auto high = dash.size() == 2 ? Number(dash[1]) : low;
      if (dash.size() > 2 || !low || !high) return bad(range);
      if (*low < field.min || *high > field.max || *low > *high) {
        return bad("hors de " + std::to_string(field.min) + " à " + std::to_string(field.max));
      }
      from = *low;
      // "5/15" in cron means from 5 to the end, every 15.
      to = dash.size() == 1 && slash.size() == 2 ? field.max : *high;
    }
    for (int value = from; value <= to; value += step) bits.set(static_cast<std::size_t>(value));
  }
  return Status::Ok();
}

}  // namespace

std::chrono::hours ParisUtcOffset(Timestamp now) {
  const std::chrono::year year = std::chrono::year_month_day(std::chrono::floor<days>(now)).year();
  return now >= LastSundayAt1Utc(year, std::chrono::March) &&
                 now < LastSundayAt1Utc(year, std::chrono::October)
             ? hours(2)
             : hours(1);
}

Result<CronExpression> CronExpression::Parse(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  if (fields.size() != 5) {
    return InvalidArgument(
        "attendu 5 champs « minute heure jour-du-mois mois jour-de-la-semaine » (heure de "
        "Paris), par exemple « 0 7 * * 1 » ; trouvé " +
        std::to_string(fields.size()));
  }
  CronExpression cron;
  cron.text_ = std::string(text);
  VIGIE_RETURN_IF_ERROR(ParseField(fields[0], {"minute", 0, 59}, cron.minutes_));
  VIGIE_RETURN_IF_ERROR(ParseField(fields[1], {"heure", 0, 23}, cron.hours_));
  VIGIE_RETURN_IF_ERROR(ParseField(fields[2], {"jour du mois", 1, 31}, cron.days_of_month_));
  VIGIE_RETURN_IF_ERROR(ParseField(fields[3], {"mois", 1, 12}, cron.months_));
  std::bitset<8> week;
  VIGIE_RETURN_IF_ERROR(ParseField(fields[4], {"jour de la semaine", 0, 7}, week));
  for (std::size_t day = 0; day < 7; ++day) cron.days_of_week_[day] = week[day];
  if (week[7]) cron.days_of_week_.set(0);
  // As in cron, a day field starting with '*' does not restrict the day.
  cron.day_of_month_restricted_ = fields[2].front() != '*';
  cron.day_of_week_restricted_ = fields[4].front() != '*';
  return cron;
}

bool CronExpression::MatchesLocal(std::chrono::sys_days day, int hour, int minute) const {
  if (!minutes_[static_cast<std::size_t>(minute)] || !hours_[static_cast<std::size_t>(hour)]) {
    return false;
  }
  const std::chrono::year_month_day ymd(day);
  if (!months_[static_cast<unsigned>(ymd.month())]) return false;
  const bool month_day = days_of_month_[static_cast<unsigned>(ymd.day())];
  const bool week_day = days_of_week_[std::chrono::weekday(day).c_encoding()];
  if (day_of_month_restricted_ && day_of_week_restricted_) return month_day || week_day;
  return month_day && week_day;
}

bool CronExpression::Fires(Timestamp minute) const {
  const std::chrono::year year =
      std::chrono::year_month_day(std::chrono::floor<days>(minute)).year();
  const Timestamp summer = LastSundayAt1Utc(year, std::chrono::March);
  const Timestamp winter = LastSundayAt1Utc(year, std::chrono::October);
  // 02:00 to 02:59 (winter time) again after the clocks went back: already fired in summer time.
  if (minute >= winter && minute < winter + hours(1)) return false;
  const Timestamp local = minute + ParisUtcOffset(minute);
  const auto day = std::chrono::floor<days>(local);
  const std::chrono::hh_mm_ss time(local - day);
  const int hour = static_cast<int>(time.hours().count());
  const int minute_of_hour = static_cast<int>(time.minutes().count());
  if (MatchesLocal(day, hour, minute_of_hour)) return true;
  // 03:00 summer time, just after the skipped hour: what would have fired in it fires now.
  if (minute == summer) {
    for (int skipped = 0; skipped < 60; ++skipped) {
      if (MatchesLocal(day, 2, skipped)) return true;
    }
  }
  return false;
}

std::optional<Timestamp> CronExpression::LatestAtOrBefore(Timestamp now,
                                                          std::chrono::minutes horizon) const {
  const Timestamp start = std::chrono::floor<minutes>(now);
  for (Timestamp minute = start; minute >= start - horizon; minute -= minutes(1)) {
    if (Fires(minute)) return minute;
  }
  return std::nullopt;
}

std::optional<Timestamp> CronExpression::NextAfter(Timestamp now,
                                                   std::chrono::minutes horizon) const {
  const Timestamp start = std::chrono::floor<minutes>(now) + minutes(1);
  for (Timestamp minute = start; minute <= start + horizon; minute += minutes(1)) {
    if (Fires(minute)) return minute;
  }
  return std::nullopt;
}

}  // namespace vigie::collector
