#include "common/ministries.h"

#include <cstdio>
#include <cstdlib>

#include "common/config_file.h"

namespace vigie {
namespace embedded {
std::string_view DefaultMinistries();
}  // namespace embedded

namespace {

Result<std::vector<Ministry>> ReadMinistries(const ConfigFile& file) {
  std::vector<Ministry> out;
  static constexpr std::string_view kKeys[] = {"ministry"};
  VIGIE_RETURN_IF_ERROR(file.CheckKeys(kKeys));
  const toml::node* node = file.table().get("ministry");
  if (!node) return InvalidArgument(file.source() + ": no [[ministry]] table");
  const toml::array* array = node->as_array();
  if (!array || !array->is_array_of_tables()) {
    return file.ErrorAt(*node, "ministry", "must be written as [[ministry]] tables");
  }
  for (const toml::node& entry : *array) {
    const toml::table& table = *entry.as_table();
    Ministry ministry;
    for (const auto& [key, value] : table) {
      std::string* field = key == "code"   ? &ministry.code
                           : key == "name" ? &ministry.name
                                           : nullptr;
      if (!field) return file.ErrorAt(value, "ministry." + std::string(key.str()), "unknown key");
      if (!value.is_string()) {
        return file.ErrorAt(value, "ministry." + std::string(key.str()), "must be a string");
      }
      *field = value.as_string()->get();
    }
    if (!IsWellFormedMinistryCode(ministry.code)) {
      return file.ErrorAt(
          entry, "ministry.code",
          "'" + ministry.code +
              "' is not a ministry code (2 to 32 characters among A-Z, 0-9, _ and -)");
    }
    if (ministry.name.empty()) {
      return file.ErrorAt(entry, "ministry.name", "missing for " + ministry.code);
    }
    for (const auto& known : out) {
      if (known.code == ministry.code) {
        return file.ErrorAt(entry, "ministry.code", "duplicate code " + ministry.code);
      }
    }
    out.push_back(std::move(ministry));
  }
  return out;
}

}  // namespace

bool IsWellFormedMinistryCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 32) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

Result<MinistryList> MinistryList::FromFile(const Result<ConfigFile>& file) {
  if (!file.ok()) return file.status();
  auto ministries = ReadMinistries(*file);
  if (!ministries.ok()) return ministries.status();
  MinistryList list;
  list.ministries_ = std::move(ministries).value();
  return list;
}

Result<MinistryList> MinistryList::Parse(std::string_view text, std::string source) {
  return FromFile(ConfigFile::Parse(text, std::move(source)));
}

Result<MinistryList> MinistryList::Load(const std::string& path) {
  return FromFile(ConfigFile::Load(path));
}

const MinistryList& MinistryList::BuiltIn() {
  static const MinistryList list = [] {
    auto parsed = Parse(embedded::DefaultMinistries(), "<built-in ministries>");
    if (!parsed.ok()) {
      // The file is part of the build and tested: this is a packaging defect.
      std::fprintf(stderr, "fatal: %s\n", parsed.status().ToString().c_str());
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return list;
}

const Ministry* MinistryList::Find(std::string_view code) const {
  for (const auto& ministry : ministries_) {
    if (ministry.code == code) return &ministry;
  }
  return nullptr;
}

}  // namespace vigie
