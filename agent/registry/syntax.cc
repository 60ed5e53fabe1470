#include "agent/registry/syntax.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "agent/registry/text_encoding.h"

namespace vigie::agent::registry::internal {
namespace {

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// 1 to max_digits hex digits and nothing else.
std::optional<std::uint32_t> ParseHexNumber(std::string_view digits, std::size_t max_digits) {
  if (digits.empty() || digits.size() > max_digits) return std::nullopt;
  std::uint32_t number = 0;
  for (const char c : digits) {
    const int digit = DigitValue(c);
    if (digit < 0) return std::nullopt;
    number = (number << 4) | static_cast<std::uint32_t>(digit);
  }
  return number;
}

// Up to max_digits digits of `base` at text[position] (Wine's \x and octal escapes).
char16_t ReadEscapeDigits(std::string_view text, std::size_t& position, int base,
                          std::size_t max_digits) {
  std::uint32_t number = 0;
  for (std::size_t i = 0; i < max_digits && position < text.size(); ++i, ++position) {
    const int digit = DigitValue(text[position]);
    if (digit < 0 || digit >= base) break;
    number = number * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(digit);
  }
  return static_cast<char16_t>(number);
}

// Wine's escape after a backslash at text[position - 1]; moves past it.
void ReadWineEscape(std::string_view text, std::size_t& position, std::u16string& units) {
  const char c = text[position];
  switch (c) {
    case 'a':
      units += u'\a';
      break;
    case 'b':
      units += u'\b';
      break;
    case 'e':
      units += u'\x1b';
      break;
    case 'f':
      units += u'\f';
      break;
    case 'n':
      units += u'\n';
      break;
    case 'r':
      units += u'\r';
      break;
    case 't':
      units += u'\t';
      break;
    case 'v':
      units += u'\v';
      break;
    case 'x':
      ++position;
      // A bare \x stands for "x" in Wine's reader.
      if (position < text.size() && DigitValue(text[position]) >= 0) {
        units += ReadEscapeDigits(text, position, 16, 4);
      } else {
        units += u'x';
      }
      return;
    default:
      if (c >= '0' && c <= '7') {
        units += ReadEscapeDigits(text, position, 8, 3);
      } else {
        AppendUtf16(NextCodePoint(text, position), units);
      }
      return;
  }
  ++position;
}

bool HoldsText(ValueType type) {
  return type == ValueType::kSz || type == ValueType::kExpandSz || type == ValueType::kLink ||
         type == ValueType::kMultiSz;
}

// After "hex" or "str": ":" gives `plain`, "(N):" gives type N (hex). Returns the type and the
// text after the colon.
std::optional<std::pair<ValueType, std::string_view>> ParseTypeTag(std::string_view text,
                                                                   ValueType plain) {
  if (text.starts_with(':')) return std::pair(plain, text.substr(1));
  const std::size_t close = text.find("):");
  if (!text.starts_with('(') || close == std::string_view::npos) return std::nullopt;
  const std::optional<std::uint32_t> number = ParseHexNumber(text.substr(1, close - 1), 8);
  if (!number) return std::nullopt;
  return std::pair(static_cast<ValueType>(*number), text.substr(close + 2));
}

// `text` starts after the opening quote. The registry stores the terminating NUL too.
Status ParseStringData(std::string_view text, Dialect dialect, const LineReader& reader,
                       std::vector<std::uint8_t>& data) {
  std::optional<QuotedText> quoted = ParseQuoted(text, '"', dialect);
  if (!quoted) return reader.Error("unterminated string");
  if (!Trim(text.substr(quoted->end)).empty()) {
    return reader.Error("unexpected text after the string's closing quote");
  }
  quoted->units += u'\0';
  data = Utf16ToLeBytes(quoted->units);
  return Status::Ok();
}

// Comma-separated bytes; a line ending in a backslash continues on the next one.
Status ParseHexList(std::string_view text, LineReader& reader, std::vector<std::uint8_t>& data) {
  for (;;) {
    text = Trim(text);
    const bool continues = text.ends_with('\\');
    if (continues) text = Trim(text.substr(0, text.size() - 1));
    while (!text.empty()) {
      const std::size_t comma = std::min(text.find(','), text.size());
      const std::string_view item = Trim(text.substr(0, comma));
      const std::optional<std::uint32_t> byte = ParseHexNumber(item, 2);
      if (!byte) {
        return reader.Error(item.empty() ? "empty byte in hex list"
                                         : "bad byte in hex list: expected two hex digits");
      }
      data.push_back(static_cast<std::uint8_t>(*byte));
      text.remove_prefix(std::min(comma + 1, text.size()));
    }
    if (!continues) return Status::Ok();
    if (!reader.Next()) return reader.Error("hex list continues past the end of the file");
    text = reader.line();
  }
}

Status ParseData(std::string_view text, Dialect dialect, LineReader& reader, Value& value) {
  if (text.starts_with('"')) {
    value.type = ValueType::kSz;
    return ParseStringData(text.substr(1), dialect, reader, value.data);
  }
  if (dialect == Dialect::kWine && text.starts_with("str")) {
    const auto tag = ParseTypeTag(text.substr(3), ValueType::kSz);
    if (!tag || !tag->second.starts_with('"')) return reader.Error("malformed str(N): prefix");
    value.type = tag->first;
    return ParseStringData(tag->second.substr(1), dialect, reader, value.data);
  }
  if (text.starts_with("dword:")) {
    const std::optional<std::uint32_t> number = ParseHexNumber(Trim(text.substr(6)), 8);
    if (!number) return reader.Error("bad dword: expected up to 8 hex digits");
    value.type = ValueType::kDword;
    for (int shift = 0; shift < 32; shift += 8) {
      value.data.push_back(static_cast<std::uint8_t>(*number >> shift));
    }
    return Status::Ok();
  }
  if (text.starts_with("hex")) {
    const auto tag = ParseTypeTag(text.substr(3), ValueType::kBinary);
    if (!tag) return reader.Error("malformed hex(N): prefix");
    value.type = tag->first;
    VIGIE_RETURN_IF_ERROR(ParseHexList(tag->second, reader, value.data));
    if (dialect == Dialect::kRegedit4 && HoldsText(value.type)) {
      // Hold the UTF-16LE the registry holds, so accessors need not know the file's version.
      const std::string_view ansi(reinterpret_cast<const char*>(value.data.data()),
                                  value.data.size());
      value.data = Utf16ToLeBytes(Windows1252ToUtf16(ansi));
    }
    return Status::Ok();
  }
  return reader.Error("unrecognised value data: expected \"string\", dword:, hex: or hex(N):");
}

}  // namespace

Status LineError(std::string_view source, std::size_t line, std::string_view what) {
  return InvalidArgument(fmt::format("{}:{}: {}", source, line, what));
}

std::size_t LineOf(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

Status CheckUtf8(std::string_view text, std::string_view source) {
  const std::optional<std::size_t> invalid = FindInvalidUtf8(text);
  if (!invalid) return Status::Ok();
  return LineError(source, LineOf(text, *invalid), "invalid UTF-8");
}

std::string_view Trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool LineReader::Next() {
  if (position_ >= text_.size()) return false;
  const std::size_t end = std::min(text_.find('\n', position_), text_.size());
  line_ = text_.substr(position_, end - position_);
  if (line_.ends_with('\r')) line_.remove_suffix(1);
  position_ = end + 1;
  ++number_;
  return true;
}

std::optional<QuotedText> ParseQuoted(std::string_view text, char terminator, Dialect dialect) {
  QuotedText quoted;
  std::size_t position = 0;
  while (position < text.size()) {
    const char c = text[position];
    if (c == terminator) {
      quoted.end = position + 1;
      return quoted;
    }
    if (c != '\\' || position + 1 == text.size()) {
      AppendUtf16(NextCodePoint(text, position), quoted.units);
      continue;
    }
    ++position;
    if (dialect == Dialect::kWine) {
      ReadWineEscape(text, position, quoted.units);
    } else if (text[position] == '\\' || text[position] == '"') {
      quoted.units += static_cast<char16_t>(text[position++]);
    } else {
      // Regedit writes no other escape; keeping the backslash reads a hand-written C:\Temp as
      // meant.
      quoted.units += u'\\';
    }
  }
  return std::nullopt;
}

Result<ValueLine> ParseValueLine(std::string_view line, Dialect dialect, LineReader& reader) {
  ValueLine parsed;
  std::string_view rest;
  if (line.starts_with('@')) {
    rest = line.substr(1);
  } else {
    const std::optional<QuotedText> name = ParseQuoted(line.substr(1), '"', dialect);
    if (!name) return reader.Error("unterminated value name");
    parsed.value.name = Utf16ToUtf8(name->units);
    rest = line.substr(1 + name->end);
  }
  rest = Trim(rest);
  if (!rest.starts_with('=')) return reader.Error("expected '=' after the value name");
  rest = Trim(rest.substr(1));
  if (rest == "-" && dialect != Dialect::kWine) {
    parsed.remove = true;
    return parsed;
  }
  VIGIE_RETURN_IF_ERROR(ParseData(rest, dialect, reader, parsed.value));
  return parsed;
}

}  // namespace vigie::agent::registry::internal
