#pragma once

// What .reg exports and Wine hive files share: lines, quoted strings, value lines with their
// dword:, hex: and hex(N): data. Internal to vigie_registry.
//
// Error messages name the file and the line but never quote the file's contents: registry data
// holds user names, e-mail addresses and URLs, which must not leave the workstation in a probe
// error (docs/privacy.md).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "agent/registry/registry.h"
#include "common/status.h"

namespace vigie::agent::registry::internal {

// InvalidArgument "source:line: what".
Status LineError(std::string_view source, std::size_t line, std::string_view what);

// The 1-based line of text[offset].
std::size_t LineOf(std::string_view text, std::size_t offset);

// InvalidArgument naming the line of the first invalid UTF-8 sequence, if any.
Status CheckUtf8(std::string_view text, std::string_view source);

std::string_view Trim(std::string_view text);

// Hands out the lines of a text (LF or CRLF ends) with their numbers.
class LineReader {
 public:
  LineReader(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  // Moves to the next line; false at the end of the text.
  bool Next();
  std::string_view line() const { return line_; }
  Status Error(std::string_view what) const { return LineError(source_, number_, what); }

 private:
  std::string_view text_;
  std::string_view source_;
  std::size_t position_ = 0;
  std::size_t number_ = 0;
  std::string_view line_;
};

enum class Dialect {
  kRegedit5,  // "Windows Registry Editor Version 5.00": hex(2)/hex(7) data is UTF-16LE.
  kRegedit4,  // "REGEDIT4": hex(2)/hex(7) data is in the ANSI code page.
  kWine,      // Wine's hive files: C-like escapes, str(N):"..." strings.
};

struct QuotedText {
  std::u16string units;
  std::size_t end = 0;  // Offset just past the terminator.
};

// Reads text up to the first unescaped `terminator` (text starts after the opening delimiter).
// Regedit escapes only \\ and \"; Wine adds \a \b \e \f \n \r \t \v, octal \NNN and \xHHHH
// (UTF-16 code units). Nothing when the terminator is missing.
std::optional<QuotedText> ParseQuoted(std::string_view text, char terminator, Dialect dialect);

struct ValueLine {
  Value value;
  bool remove = false;  // "name"=- in .reg files.
};

// Parses `"name"=data` or `@=data` (the reader's current line, trimmed), reading the continuation
// lines of a wrapped hex list from `reader`.
Result<ValueLine> ParseValueLine(std::string_view line, Dialect dialect, LineReader& reader);

}  // namespace vigie::agent::registry::internal
