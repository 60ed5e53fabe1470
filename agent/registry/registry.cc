#include "agent/registry/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>
#include <utility>

#include "agent/registry/text_encoding.h"

namespace vigie::agent::registry {
namespace {

struct RootName {
  std::string_view abbreviation;
  std::string_view full;
};

constexpr std::array<RootName, 5> kRoots = {{
    {"HKLM", "HKEY_LOCAL_MACHINE"},
    {"HKCU", "HKEY_CURRENT_USER"},
    {"HKU", "HKEY_USERS"},
    {"HKCR", "HKEY_CLASSES_ROOT"},
    {"HKCC", "HKEY_CURRENT_CONFIG"},
}};

char FoldChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Fold(std::string_view text) {
  std::string folded(text);
  std::transform(folded.begin(), folded.end(), folded.begin(), FoldChar);
  return folded;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return FoldChar(x) == FoldChar(y);
         });
}

Status WrongType(ValueType type, std::string_view wanted) {
  return FailedPrecondition(fmt::format("value is {}, not {}", ValueTypeName(type), wanted));
}

Status WrongSize(ValueType type, std::size_t size, std::size_t expected) {
  return DataLoss(
      fmt::format("{} value has {} bytes instead of {}", ValueTypeName(type), size, expected));
}

// Little-endian, as Windows stores numbers.
std::uint64_t ReadLittleEndian(std::span<const std::uint8_t> bytes) {
  std::uint64_t number = 0;
  for (std::size_t i = bytes.size(); i > 0; --i) number = (number << 8) | bytes[i - 1];
  return number;
}

std::u16string UnitsOf(const Value& value) { return internal::Utf16FromLeBytes(value.data); }

std::string_view LastComponent(std::string_view path) {
  const std::size_t separator = path.rfind('\\');
  return separator == std::string_view::npos ? path : path.substr(separator + 1);
}

}  // namespace

std::string ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kNone:
      return "REG_NONE";
    case ValueType::kSz:
      return "REG_SZ";
    case ValueType::kExpandSz:
      return "REG_EXPAND_SZ";
    case ValueType::kBinary:
      return "REG_BINARY";
    case ValueType::kDword:
      return "REG_DWORD";
    case ValueType::kDwordBigEndian:
      return "REG_DWORD_BIG_ENDIAN";
    case ValueType::kLink:
      return "REG_LINK";
    case ValueType::kMultiSz:
      return "REG_MULTI_SZ";
    case ValueType::kResourceList:
      return "REG_RESOURCE_LIST";
    case ValueType::kFullResourceDescriptor:
      return "REG_FULL_RESOURCE_DESCRIPTOR";
    case ValueType::kResourceRequirementsList:
      return "REG_RESOURCE_REQUIREMENTS_LIST";
    case ValueType::kQword:
      return "REG_QWORD";
  }
  return fmt::format("type {:#x}", static_cast<std::uint32_t>(type));
}

Result<std::string> Value::AsString() const {
  if (type != ValueType::kSz && type != ValueType::kExpandSz && type != ValueType::kLink) {
    return WrongType(type, "a string");
  }
  std::u16string units = UnitsOf(*this);
  units.resize(std::min(units.find(u'\0'), units.size()));
  return internal::Utf16ToUtf8(units);
}

Result<std::uint32_t> Value::AsDword() const {
  if (type != ValueType::kDword && type != ValueType::kDwordBigEndian) {
    return WrongType(type, "a DWORD");
  }
  if (data.size() != 4) return WrongSize(type, data.size(), 4);
  std::array<std::uint8_t, 4> bytes;
  std::copy(data.begin(), data.end(), bytes.begin());
  if (type == ValueType::kDwordBigEndian) std::reverse(bytes.begin(), bytes.end());
  return static_cast<std::uint32_t>(ReadLittleEndian(bytes));
}

Result<std::uint64_t> Value::AsQword() const {
  if (type != ValueType::kQword) return WrongType(type, "a QWORD");
  if (data.size() != 8) return WrongSize(type, data.size(), 8);
  return ReadLittleEndian(data);
}

Result<std::vector<std::string>> Value::AsMultiString() const {
  if (type != ValueType::kMultiSz) return WrongType(type, "a multi-string");
  const std::u16string units = UnitsOf(*this);
  std::vector<std::string> strings;
  std::size_t start = 0;
  while (start < units.size()) {
    const std::size_t end = std::min(units.find(u'\0', start), units.size());
    if (end == start) break;
    strings.push_back(internal::Utf16ToUtf8(std::u16string_view(units).substr(start, end - start)));
    start = end + 1;
  }
  return strings;
}

const Value* Key::FindValue(std::string_view name) const {
  const auto found = std::find_if(values.begin(), values.end(), [&](const Value& value) {
    return EqualsIgnoreCase(value.name, name);
  });
  return found == values.end() ? nullptr : &*found;
}

Result<std::string> NormalizeKeyPath(std::string_view path) {
  std::vector<std::string_view> components;
  while (!path.empty()) {
    const std::size_t separator = std::min(path.find('\\'), path.size());
    if (separator > 0) components.push_back(path.substr(0, separator));
    path.remove_prefix(std::min(separator + 1, path.size()));
  }
  if (components.empty()) return InvalidArgument("empty key path");
  const auto root = std::find_if(kRoots.begin(), kRoots.end(), [&](const RootName& name) {
    return EqualsIgnoreCase(components[0], name.abbreviation) ||
           EqualsIgnoreCase(components[0], name.full);
  });
  if (root == kRoots.end()) {
    return InvalidArgument(
        "unknown root key: expected HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_USERS, "
        "HKEY_CLASSES_ROOT or HKEY_CURRENT_CONFIG");
  }
  std::string normalized(root->full);
  for (std::size_t i = 1; i < components.size(); ++i) {
    normalized += '\\';
    normalized += components[i];
  }
  return normalized;
}

const Key* RegistrySnapshot::FindKey(std::string_view path) const {
  const Result<std::string> normalized = NormalizeKeyPath(path);
  if (!normalized.ok()) return nullptr;
  const auto found = keys_.find(Fold(*normalized));
  return found == keys_.end() ? nullptr : &found->second;
}

const Value* RegistrySnapshot::FindValue(std::string_view key_path,
                                         std::string_view value_name) const {
  const Key* key = FindKey(key_path);
  return key == nullptr ? nullptr : key->FindValue(value_name);
}

std::vector<std::string> RegistrySnapshot::ListSubkeys(std::string_view path) const {
  std::vector<std::string> names;
  const Result<std::string> normalized = NormalizeKeyPath(path);
  if (!normalized.ok()) return names;
  const std::string prefix = Fold(*normalized) + '\\';
  for (auto it = keys_.lower_bound(prefix); it != keys_.end() && it->first.starts_with(prefix);
       ++it) {
    // Parents are always present (CreateKey makes them), so direct children are enough.
    if (it->first.find('\\', prefix.size()) == std::string::npos) {
      names.emplace_back(LastComponent(it->second.path));
    }
  }
  return names;
}

Status RegistrySnapshot::Apply(std::vector<Edit> edits) {
  for (Edit& edit : edits) {
    Result<std::string> normalized = NormalizeKeyPath(edit.key_path);
    if (!normalized.ok()) return normalized.status();
    edit.key_path = std::move(normalized).value();
  }
  for (Edit& edit : edits) {
    switch (edit.kind) {
      case Edit::Kind::kCreateKey:
        CreateKey(edit.key_path);
        break;
      case Edit::Kind::kDeleteKey:
        DeleteKey(edit.key_path);
        break;
      case Edit::Kind::kSetValue: {
        Key& key = CreateKey(edit.key_path);
        auto existing = std::find_if(key.values.begin(), key.values.end(), [&](const Value& v) {
          return EqualsIgnoreCase(v.name, edit.value.name);
        });
        if (existing == key.values.end()) {
          key.values.push_back(std::move(edit.value));
        } else {
          // Windows keeps the name's first spelling when a value is overwritten.
          existing->type = edit.value.type;
          existing->data = std::move(edit.value.data);
        }
        break;
      }
      case Edit::Kind::kDeleteValue: {
        const auto key = keys_.find(Fold(edit.key_path));
        if (key == keys_.end()) break;
        std::erase_if(key->second.values,
                      [&](const Value& v) { return EqualsIgnoreCase(v.name, edit.value.name); });
        break;
      }
    }
  }
  return Status::Ok();
}

Key& RegistrySnapshot::CreateKey(const std::string& path) {
  std::size_t end = 0;
  Key* key = nullptr;
  do {
    end = std::min(path.find('\\', end + 1), path.size());
    const std::string_view prefix = std::string_view(path).substr(0, end);
    auto [it, inserted] = keys_.try_emplace(Fold(prefix));
    if (inserted) it->second.path = prefix;
    key = &it->second;
  } while (end < path.size());
  return *key;
}

void RegistrySnapshot::DeleteKey(const std::string& path) {
  const std::string folded = Fold(path);
  keys_.erase(folded);
  const std::string prefix = folded + '\\';
  auto it = keys_.lower_bound(prefix);
  while (it != keys_.end() && it->first.starts_with(prefix)) it = keys_.erase(it);
}

}  // namespace vigie::agent::registry
