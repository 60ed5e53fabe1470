#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace vigie {

// `text` without leading and trailing spaces, tabs, carriage returns and line feeds.
inline std::string_view TrimWhitespace(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  const auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

// `text` with ASCII letters lowercased: tenant domains and ids compare without case.
inline std::string AsciiLowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace vigie
