#include "common/dates.h"

#include <fmt/format.h>

#include <charconv>

namespace vigie {
namespace {

bool ParseNumber(std::string_view text, int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<Date> ParseIsoDate(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseNumber(text.substr(0, 4), year) || !ParseNumber(text.substr(5, 2), month) ||
      !ParseNumber(text.substr(8, 2), day)) {
    return InvalidArgument("'" + std::string(text) + "' is not a date in the form YYYY-MM-DD");
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return InvalidArgument("'" + std::string(text) + "' is not a calendar date");
  return Date{date};
}

std::string FormatIsoDate(Date date) {
  const std::chrono::year_month_day day{date};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()),
                     static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
}

std::string FormatFrenchDate(Date date) {
  const std::chrono::year_month_day day{date};
  return fmt::format("{:02}/{:02}/{:04}", static_cast<unsigned>(day.day()),
                     static_cast<unsigned>(day.month()), static_cast<int>(day.year()));
}

}  // namespace vigie
