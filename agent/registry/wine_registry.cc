#include "agent/registry/wine_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "agent/registry/syntax.h"
#include "agent/registry/text_encoding.h"

// The format as Wine's server/registry.c writes it (save_subkeys, dump_value) and reads it
// (load_keys, load_value), with dump_strW/parse_strW for escapes:
//
//   WINE REGISTRY Version 2
//   ;; All keys relative to \\Machine
//
//   #arch=win64
//
//   [Software\\Microsoft\\Office\\16.0] 1700000000
//   #time=1d9a1b2c3d4e5f6
//   "Name"="caf\xe9"
//   "Path"=str(2):"%ProgramFiles%\\Office"
//   "List"=str(7):"a\0b\0"
//   "Count"=dword:0000001f
//   "Blob"=hex(b):00,01,02,03,04,05,06,07
//
// Key paths are escaped strings (separators "\\", '[' and ']' escaped) relative to the hive's
// root, followed by a modification time. Strings are escaped, not wrapped: characters above 127
// as \x plus up to 4 hex digits (UTF-16 code units), controls as C escapes or octal, and the
// terminating NUL left implicit. Hex lists wrap like regedit's, after a trailing backslash. '#'
// lines carry key options (#time, #class, #link) and file options (#arch) that change nothing a
// probe reads.

namespace vigie::agent::registry {
namespace {

using internal::Dialect;
using internal::LineError;
using internal::LineReader;

constexpr std::string_view kHeader = "WINE REGISTRY Version 2";

// "[escaped\\path] 1700000000": the key's full path below `root`.
Result<std::string> ParseKeyLine(std::string_view line, std::string_view root,
                                 const LineReader& reader) {
  const std::optional<internal::QuotedText> name =
      internal::ParseQuoted(line.substr(1), ']', Dialect::kWine);
  if (!name) return reader.Error("key line without a closing ']'");
  const std::string_view modified = internal::Trim(line.substr(1 + name->end));
  if (!std::all_of(modified.begin(), modified.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return reader.Error("unexpected text after the key's ']': expected a modification time");
  }
  const std::string relative = internal::Utf16ToUtf8(name->units);
  Result<std::string> path = NormalizeKeyPath(fmt::format("{}\\{}", root, relative));
  if (!path.ok()) return reader.Error(path.status().message());
  return path;
}

Status Parse(std::string_view bytes, std::string_view source, std::string_view root_key,
             RegistrySnapshot& into) {
  const Result<std::string> root = NormalizeKeyPath(root_key);
  if (!root.ok()) return root.status().Annotate(fmt::format("{}: root key", source));
  // Wine escapes everything beyond ASCII; UTF-8 is accepted for hand-written fixtures.
  VIGIE_RETURN_IF_ERROR(internal::CheckUtf8(bytes, source));
  LineReader reader(bytes, source);
  if (!reader.Next() || reader.line() != kHeader) {
    return LineError(
        source, 1, fmt::format("not a Wine registry file: the first line must be \"{}\"", kHeader));
  }

  std::vector<Edit> edits;
  std::string key;
  while (reader.Next()) {
    const std::string_view line = internal::Trim(reader.line());
    if (line.empty() || line.starts_with(';') || line.starts_with('#')) continue;
    if (line.starts_with('[')) {
      Result<std::string> path = ParseKeyLine(line, *root, reader);
      if (!path.ok()) return path.status();
      key = std::move(path).value();
      edits.push_back({.kind = Edit::Kind::kCreateKey, .key_path = key, .value = {}});
    } else if (line.starts_with('"') || line.starts_with('@')) {
      if (key.empty()) {
        return reader.Error("value line outside a key: a [key] line must precede it");
      }
      Result<internal::ValueLine> parsed = internal::ParseValueLine(line, Dialect::kWine, reader);
      if (!parsed.ok()) return parsed.status();
      edits.push_back(
          {.kind = Edit::Kind::kSetValue, .key_path = key, .value = std::move(parsed->value)});
    } else {
      return reader.Error(
          "unrecognised line: expected [key], \"name\"=, @=, # option or ; comment");
    }
  }
  return into.Apply(std::move(edits));
}

}  // namespace

Status ParseWineRegistry(std::string_view bytes, std::string_view source_name,
                         std::string_view root_key, RegistrySnapshot& into) {
  try {
    return Parse(bytes, source_name, root_key, into);
  } catch (const std::exception& error) {
    // Only allocation failures can get here; exceptions never leave this module.
    return Internal(fmt::format("{}: {}", source_name, error.what()));
  }
}

}  // namespace vigie::agent::registry
