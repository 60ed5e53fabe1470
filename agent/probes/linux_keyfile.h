#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigie::agent {

// The INI-like files of Linux desktops: GLib key files (GNOME Online Accounts, Evolution sources)
// and Qt's QSettings INI files (Nextcloud client). Both are groups of `key=value` lines; they
// differ in comments and in how values escape characters.
enum class KeyFileDialect {
  // GKeyFile: `#` comments; `\s \n \t \r \\` escapes; values unquoted.
  kGKeyFile,
  // QSettings: `;` and `#` comments; values may be double-quoted; `\xHHHH` escapes as well.
  kQSettings,
};

struct KeyFileGroup {
  std::string name;
  std::vector<std::pair<std::string, std::string>> entries;  // In file order, values unescaped.

  // The value of the last `key` line of the group (a later line overrides an earlier one, as in
  // GLib and Qt); nullptr when absent. Keys compare exactly.
  const std::string* Find(std::string_view key) const;
};

struct KeyFile {
  std::vector<KeyFileGroup> groups;  // In file order; a repeated group name is one more group.
  // Lines that are neither a group header, a `key=value` entry, a comment nor blank (a truncated
  // or corrupt file), and entries before any group: skipped and counted, the rest is still read.
  int malformed_lines = 0;
  int first_malformed_line = 0;  // 1-based; 0 when none.

  const KeyFileGroup* FindGroup(std::string_view name) const;
};

KeyFile ParseKeyFile(std::string_view text, KeyFileDialect dialect);

}  // namespace vigie::agent
