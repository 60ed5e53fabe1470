#include "agent/probes/linux_prefs_js.h"

#include <cctype>
#include <cstdint>
#include <optional>

#include "common/text.h"

namespace vigie::agent {
namespace {

// A cursor over one statement; every Read* returns nullopt/false without consuming on mismatch.
class Statement {
 public:
  explicit Statement(std::string_view text) : text_(text) {}

  void SkipSpaces() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Consume(std::string_view token) {
    SkipSpaces();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  bool AtEnd() {
    SkipSpaces();
    return pos_ == text_.size();
  }

  // A JavaScript string literal, single- or double-quoted, with its escapes decoded.
  std::optional<std::string> ReadString() {
    SkipSpaces();
    if (pos_ == text_.size() || (text_[pos_] != '"' && text_[pos_] != '\'')) return std::nullopt;
    const char quote = text_[pos_++];
    std::string out;
    std::uint32_t high_surrogate = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == quote) return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ == text_.size()) return std::nullopt;
      const char escape = text_[pos_++];
      switch (escape) {
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'x':
        case 'u': {
          auto unit = ReadHex(escape == 'x' ? 2 : 4);
          if (!unit) return std::nullopt;
          if (*unit >= 0xd800 && *unit < 0xdc00) {
            high_surrogate = *unit;
            continue;
          }
          if (*unit >= 0xdc00 && *unit < 0xe000 && high_surrogate != 0) {
            AppendUtf8(0x10000 + ((high_surrogate - 0xd800) << 10) + (*unit - 0xdc00), out);
          } else {
            AppendUtf8(*unit, out);
          }
          break;
        }
        default:
          out += escape;  // \\ \" \' and any other character stands for itself.
      }
      high_surrogate = 0;
    }
    return std::nullopt;
  }

  // true, false or a decimal integer, as text.
  std::optional<std::string> ReadLiteral() {
    SkipSpaces();
    for (const std::string_view word : {"true", "false"}) {
      if (Consume(word)) return std::string(word);
    }
    const std::size_t start = pos_;
    if (pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) ++pos_;
    const std::size_t digits = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    if (pos_ == digits) {
      pos_ = start;
      return std::nullopt;
    }
    std::string number(text_.substr(start, pos_ - start));
    if (number.front() == '+') number.erase(0, 1);
    return number;
  }

 private:
  std::optional<std::uint32_t> ReadHex(int count) {
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i) {
      if (pos_ == text_.size() || HexDigitValue(text_[pos_]) < 0) return std::nullopt;
      value = value * 16 + static_cast<std::uint32_t>(HexDigitValue(text_[pos_++]));
    }
    return value;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// One `user_pref(name, value);` (also `pref` and `sticky_pref`, which prefs.js may hold when a
// user copied lines from another file): the name and value, or nullopt.
std::optional<std::pair<std::string, std::string>> ParseStatement(std::string_view line) {
  Statement statement(line);
  if (!statement.Consume("user_pref") && !statement.Consume("sticky_pref") &&
      !statement.Consume("pref")) {
    return std::nullopt;
  }
  if (!statement.Consume("(")) return std::nullopt;
  auto name = statement.ReadString();
  if (!name || !statement.Consume(",")) return std::nullopt;
  auto value = statement.ReadString();
  if (!value) value = statement.ReadLiteral();
  if (!value || !statement.Consume(")") || !statement.Consume(";") || !statement.AtEnd()) {
    return std::nullopt;
  }
  return std::make_pair(std::move(*name), std::move(*value));
}

}  // namespace

const std::string* PrefsJs::Find(std::string_view name) const {
  const auto found = values.find(name);
  return found == values.end() ? nullptr : &found->second;
}

PrefsJs ParsePrefsJs(std::string_view text) {
  PrefsJs prefs;
  int line_number = 0;
  bool in_block_comment = false;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = TrimWhitespace(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (in_block_comment) {
      const auto close = line.find("*/");
      if (close == std::string_view::npos) continue;
      in_block_comment = false;
      line = TrimWhitespace(line.substr(close + 2));
    }
    if (line.starts_with("/*")) {
      const auto close = line.find("*/", 2);
      if (close == std::string_view::npos) {
        in_block_comment = true;
        continue;
      }
      line = TrimWhitespace(line.substr(close + 2));
    }
    if (line.empty() || line.starts_with("//") || line.starts_with("#")) continue;
    auto statement = ParseStatement(line);
    if (!statement) {
      if (prefs.malformed_lines++ == 0) prefs.first_malformed_line = line_number;
      continue;
    }
    prefs.values.insert_or_assign(std::move(statement->first), std::move(statement->second));
  }
  return prefs;
}

}  // namespace vigie::agent
