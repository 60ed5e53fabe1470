#include "agent/probes/linux_keyfile.h"

#include <cstdint>

#include "common/text.h"

namespace vigie::agent {
namespace {

// GLib's g_key_file_parse_value_as_string: unknown escapes are kept as written.
std::string UnescapeGKeyFile(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\\' || i + 1 == value.size()) {
      out += value[i];
      continue;
    }
    switch (value[++i]) {
      case 's':
        out += ' ';
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '\\':
        out += '\\';
        break;
      default:
        out += '\\';
        out += value[i];
    }
  }
  return out;
}

// QSettings::iniUnescapedStringList for a single string: quotes group text (keeping commas and
// spaces), backslash escapes as in C plus `\xHHHH` for one UTF-16 unit.
std::string UnescapeQSettings(std::string_view value) {
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '"') {
      quoted = !quoted;
      continue;
    }
    if (c != '\\' || i + 1 == value.size()) {
      out += c;
      continue;
    }
    const char escape = value[++i];
    switch (escape) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\a';
        break;
      case '0':
        out += '\0';
        break;
      case 'x': {
        std::uint32_t code_point = 0;
        std::size_t digits = 0;
        while (digits < 4 && i + 1 < value.size() && HexDigitValue(value[i + 1]) >= 0) {
          code_point = code_point * 16 + static_cast<std::uint32_t>(HexDigitValue(value[++i]));
          ++digits;
        }
        AppendUtf8(code_point, out);
        break;
      }
      default:
        out += escape;  // \\ \" \' \? and a backslash before any other character.
    }
  }
  return out;
}

bool IsComment(std::string_view line, KeyFileDialect dialect) {
  return line.front() == '#' || (dialect == KeyFileDialect::kQSettings && line.front() == ';');
}

}  // namespace

const std::string* KeyFileGroup::Find(std::string_view key) const {
  for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {
    if (entry->first == key) return &entry->second;
  }
  return nullptr;
}

const KeyFileGroup* KeyFile::FindGroup(std::string_view name) const {
  for (const auto& group : groups) {
    if (group.name == name) return &group;
  }
  return nullptr;
}

KeyFile ParseKeyFile(std::string_view text, KeyFileDialect dialect) {
  KeyFile file;
  int line_number = 0;
  auto malformed = [&] {
    if (file.malformed_lines++ == 0) file.first_malformed_line = line_number;
  };
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    const std::string_view line = TrimWhitespace(raw);
    if (line.empty() || IsComment(line, dialect)) continue;
    if (line.find('\0') != std::string_view::npos) {
      malformed();
      continue;
    }
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) {
        malformed();
        continue;
      }
      file.groups.push_back({std::string(line.substr(1, line.size() - 2)), {}});
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string_view::npos || equals == 0 || file.groups.empty()) {
      malformed();
      continue;
    }
    const std::string_view key = TrimWhitespace(line.substr(0, equals));
    const std::string_view value = TrimWhitespace(line.substr(equals + 1));
    file.groups.back().entries.emplace_back(std::string(key), dialect == KeyFileDialect::kGKeyFile
                                                                  ? UnescapeGKeyFile(value)
                                                                  : UnescapeQSettings(value));
  }
  return file;
}

}  // namespace vigie::agent
