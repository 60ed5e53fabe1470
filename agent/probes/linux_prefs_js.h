#pragma once

#include <map>
#include <string>
#include <string_view>

namespace vigie::agent {

// A Mozilla preferences file (Thunderbird's prefs.js): one `user_pref("name", value);` statement
// per line, the value a JavaScript string, a boolean or an integer.
struct PrefsJs {
  // Values as text: strings unescaped, booleans "true"/"false", integers in decimal. A later
  // statement for the same name overrides an earlier one, as in Mozilla's parser.
  std::map<std::string, std::string, std::less<>> values;
  // Lines that are not a complete statement (a truncated file): skipped and counted.
  int malformed_lines = 0;
  int first_malformed_line = 0;  // 1-based; 0 when none.

  // nullptr when absent.
  const std::string* Find(std::string_view name) const;
};

PrefsJs ParsePrefsJs(std::string_view text);

}  // namespace vigie::agent
