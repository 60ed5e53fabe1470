#pragma once

// Windows registry data as probes read it, independent of where it came from: .reg exports of a
// fixture host or an offline disk, Wine's hive files, later the live Win32 registry.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vigie::agent::registry {

// The Win32 REG_* type numbers. Registry files may carry any other number; it is kept as is
// (static_cast from the number) rather than refused, as Windows itself does.
enum class ValueType : std::uint32_t {
  kNone = 0,
  kSz = 1,
  kExpandSz = 2,
  kBinary = 3,
  kDword = 4,
  kDwordBigEndian = 5,
  kLink = 6,
  kMultiSz = 7,
  kResourceList = 8,
  kFullResourceDescriptor = 9,
  kResourceRequirementsList = 10,
  kQword = 11,
};

// "REG_SZ", "REG_DWORD"... or "type 0x1f" for a number Windows does not define.
std::string ValueTypeName(ValueType type);

struct Value {
  std::string name;  // UTF-8; empty for the key's default value ("@" in .reg files).
  ValueType type = ValueType::kNone;
  // Exactly as the registry stores it, so a probe sees what it would see on Windows: strings are
  // UTF-16LE including their terminating NUL(s).
  std::vector<std::uint8_t> data;

  // REG_SZ, REG_EXPAND_SZ or REG_LINK as UTF-8, up to the first NUL. %VARIABLES% are not expanded.
  Result<std::string> AsString() const;
  // REG_DWORD, or REG_DWORD_BIG_ENDIAN read in its byte order.
  Result<std::uint32_t> AsDword() const;
  Result<std::uint64_t> AsQword() const;
  // REG_MULTI_SZ: the strings before the empty one that ends the list.
  Result<std::vector<std::string>> AsMultiString() const;
};

struct Key {
  // Full path with the root spelled out, in the spelling first seen:
  // "HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Office".
  std::string path;
  std::vector<Value> values;  // In the order they were first set.

  // Case-insensitive, as on Windows. "" is the default value.
  const Value* FindValue(std::string_view name) const;
};

// Spells the root out (HKLM -> HKEY_LOCAL_MACHINE, HKCU, HKU, HKCR, HKCC likewise, any case) and
// drops empty components ("HKLM\\Software\\" -> "HKEY_LOCAL_MACHINE\Software"). InvalidArgument
// for an empty path or an unknown root.
Result<std::string> NormalizeKeyPath(std::string_view path);

// One change a registry file makes. Parsers collect a whole file's edits before applying any, so
// that a malformed file changes nothing.
struct Edit {
  enum class Kind { kCreateKey, kDeleteKey, kSetValue, kDeleteValue };
  Kind kind = Kind::kCreateKey;
  std::string key_path;
  Value value;  // kSetValue: the value to set; kDeleteValue: only its name is used.
};

// A set of keys loaded from one or more files, later files merging into earlier ones.
// Lookups take any path NormalizeKeyPath accepts and fold ASCII case, like Windows; keys keep
// their original spelling for listing.
class RegistrySnapshot {
 public:
  // Null when absent. Keys that exist only because a deeper key does (as after a .reg import)
  // are found too.
  const Key* FindKey(std::string_view path) const;
  const Value* FindValue(std::string_view key_path, std::string_view value_name) const;
  // Names (last path component) of the direct subkeys, sorted case-insensitively.
  std::vector<std::string> ListSubkeys(std::string_view path) const;
  std::size_t key_count() const { return keys_.size(); }

  // Applies the edits in order: creating a key creates its missing parents, deleting a key
  // deletes its subtree. Nothing is applied if a path is invalid.
  Status Apply(std::vector<Edit> edits);

 private:
  Key& CreateKey(const std::string& path);
  void DeleteKey(const std::string& path);

  // By ASCII-lowercased normalized path, so that a subtree is one contiguous range.
  std::map<std::string, Key, std::less<>> keys_;
};

}  // namespace vigie::agent::registry
