#include "agent/registry/reg_file.h"

#include <fmt/format.h>

#include <exception>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "agent/registry/syntax.h"
#include "agent/registry/text_encoding.h"

namespace vigie::agent::registry {
namespace {

using internal::Dialect;
using internal::LineError;
using internal::LineReader;

constexpr std::string_view kVersion5Header = "Windows Registry Editor Version 5.00";
constexpr std::string_view kVersion4Header = "REGEDIT4";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The file as UTF-8 text, whatever encoding regedit (or a person) wrote it in.
Result<std::string> DecodeText(std::string_view bytes, std::string_view source) {
  if (bytes.starts_with(kUtf16LeBom)) {
    const std::string_view body = bytes.substr(kUtf16LeBom.size());
    std::string text = internal::Utf16ToUtf8(internal::Utf16FromLeBytes(
        std::span(reinterpret_cast<const std::uint8_t*>(body.data()), body.size())));
    if (body.size() % 2 != 0) {
      return LineError(source, internal::LineOf(text, text.size()),
                       "UTF-16 text with an odd number of bytes (truncated file?)");
    }
    return text;
  }
  if (bytes.starts_with(kUtf16BeBom)) {
    return LineError(source, 1, "UTF-16BE text: regedit reads UTF-16LE, UTF-8 or ANSI");
  }
  if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  // The header is ASCII, so a NUL second byte means UTF-16 that lost its byte order mark.
  if (bytes.size() >= 2 && bytes[1] == '\0') {
    return LineError(source, 1, "UTF-16 text without a byte order mark");
  }
  if (bytes.starts_with(kVersion4Header)) {
    return internal::Utf16ToUtf8(internal::Windows1252ToUtf16(bytes));
  }
  VIGIE_RETURN_IF_ERROR(internal::CheckUtf8(bytes, source));
  return std::string(bytes);
}

// "[KEY]" opens a key, creating it; "[-KEY]" deletes it. Returns the opened key ("" after a
// deletion, so that values cannot follow it).
Result<std::string> ParseKeyLine(std::string_view line, const LineReader& reader,
                                 std::vector<Edit>& edits) {
  // Regedit does not escape ']' in key names: the last one closes the line.
  const std::size_t close = line.rfind(']');
  if (close == std::string_view::npos) return reader.Error("key line without a closing ']'");
  if (close + 1 != line.size()) return reader.Error("unexpected text after the key's ']'");
  const bool remove = line.starts_with("[-");
  const std::size_t start = remove ? 2 : 1;
  Result<std::string> path = NormalizeKeyPath(line.substr(start, close - start));
  if (!path.ok()) return reader.Error(path.status().message());
  edits.push_back({.kind = remove ? Edit::Kind::kDeleteKey : Edit::Kind::kCreateKey,
                   .key_path = *path,
                   .value = {}});
  if (remove) return std::string();
  return path;
}

Status Parse(std::string_view bytes, std::string_view source, RegistrySnapshot& into) {
  Result<std::string> text = DecodeText(bytes, source);
  if (!text.ok()) return text.status();
  LineReader reader(*text, source);
  if (!reader.Next()) return LineError(source, 1, "empty file");
  const std::string_view header = internal::Trim(reader.line());
  if (header != kVersion5Header && header != kVersion4Header) {
    return reader.Error(fmt::format("not a .reg file: the first line must be \"{}\" or \"{}\"",
                                    kVersion5Header, kVersion4Header));
  }
  const Dialect dialect = header == kVersion4Header ? Dialect::kRegedit4 : Dialect::kRegedit5;

  std::vector<Edit> edits;
  std::string key;
  while (reader.Next()) {
    const std::string_view line = internal::Trim(reader.line());
    if (line.empty() || line.starts_with(';')) continue;
    if (line.starts_with('[')) {
      Result<std::string> opened = ParseKeyLine(line, reader, edits);
      if (!opened.ok()) return opened.status();
      key = std::move(opened).value();
    } else if (line.starts_with('"') || line.starts_with('@')) {
      if (key.empty()) {
        return reader.Error("value line outside a key: a [key] line must precede it");
      }
      Result<internal::ValueLine> parsed = internal::ParseValueLine(line, dialect, reader);
      if (!parsed.ok()) return parsed.status();
      edits.push_back({.kind = parsed->remove ? Edit::Kind::kDeleteValue : Edit::Kind::kSetValue,
                       .key_path = key,
                       .value = std::move(parsed->value)});
    } else {
      return reader.Error("unrecognised line: expected [key], \"name\"=, @= or a ; comment");
    }
  }
  return into.Apply(std::move(edits));
}

}  // namespace

Status ParseRegFile(std::string_view bytes, std::string_view source_name, RegistrySnapshot& into) {
  try {
    return Parse(bytes, source_name, into);
  } catch (const std::exception& error) {
    // Only allocation failures can get here; exceptions never leave this module.
    return Internal(fmt::format("{}: {}", source_name, error.what()));
  }
}

}  // namespace vigie::agent::registry
