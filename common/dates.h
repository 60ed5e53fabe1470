#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vigie {

using Date = std::chrono::sys_days;

// "2026-11-23" -> a date; anything else, or a day that does not exist, is refused.
Result<Date> ParseIsoDate(std::string_view text);
// "2026-11-23".
std::string FormatIsoDate(Date date);
// "23/11/2026", as French readers expect.
std::string FormatFrenchDate(Date date);

}  // namespace vigie
