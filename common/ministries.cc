#include "common/ministries.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "common/config_file.h"
#include "common/text.h"

namespace vigie {
namespace embedded {
std::string_view DefaultMinistries();
}  // namespace embedded

namespace {

constexpr std::string_view kDefaultTenantOffer = "microsoft-365";

// The string values of `table`'s keys, which must all be among `fields` (a key -> destination
// map); `where` prefixes key names in errors ("ministry.org-unit").
Status ReadStrings(const ConfigFile& file, const toml::table& table, const std::string& where,
                   const std::map<std::string_view, std::string*>& fields,
                   const std::set<std::string_view>& nested = {}) {
  for (const auto& [key, value] : table) {
    const std::string name = where + "." + std::string(key.str());
    if (nested.count(key.str())) continue;
    auto field = fields.find(key.str());
    if (field == fields.end()) return file.ErrorAt(value, name, "unknown key");
    if (!value.is_string()) return file.ErrorAt(value, name, "must be a string");
    *field->second = value.as_string()->get();
  }
  return Status::Ok();
}

// The tables of the array `key` of `table`; none when the key is absent.
Result<std::vector<const toml::table*>> TablesOf(const ConfigFile& file, const toml::table& table,
                                                 std::string_view key, const std::string& name) {
  std::vector<const toml::table*> tables;
  const toml::node* node = table.get(key);
  if (!node) return tables;
  const toml::array* array = node->as_array();
  if (!array || !array->is_array_of_tables()) {
    return file.ErrorAt(*node, name, "must be written as [[" + name + "]] tables");
  }
  for (const toml::node& entry : *array) tables.push_back(entry.as_table());
  return tables;
}

Result<doctrine::KnownTenant> ReadTenant(const ConfigFile& file, const toml::table& table,
                                         const std::string& where, bool with_ministry) {
  doctrine::KnownTenant tenant;
  std::map<std::string_view, std::string*> fields{{"id", &tenant.tenant}, {"offer", &tenant.offer}};
  if (with_ministry) fields.emplace("ministry", &tenant.ministry);
  VIGIE_RETURN_IF_ERROR(ReadStrings(file, table, where, fields));
  tenant.tenant = AsciiLowercase(TrimWhitespace(tenant.tenant));
  if (tenant.tenant.empty()) return file.ErrorAt(table, where + ".id", "missing");
  if (tenant.offer.empty()) tenant.offer = kDefaultTenantOffer;
  return tenant;
}

Status CheckOrgUnitTree(const ConfigFile& file, const Ministry& ministry,
                        const std::vector<const toml::table*>& tables) {
  for (std::size_t i = 0; i < ministry.org_units.size(); ++i) {
    const OrgUnit& unit = ministry.org_units[i];
    const toml::table& where = *tables[i];
    if (!IsWellFormedOrgUnitId(unit.id)) {
      return file.ErrorAt(where, "ministry.org-unit.id",
                          "'" + unit.id +
                              "' is not an org-unit id (1 to 64 letters, digits, '.', "
                              "'_' or '-')");
    }
    if (unit.name.empty()) {
      return file.ErrorAt(where, "ministry.org-unit.name", "missing for " + unit.id);
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (ministry.org_units[j].id == unit.id) {
        return file.ErrorAt(where, "ministry.org-unit.id",
                            "duplicate id " + unit.id + " in " + ministry.code);
      }
    }
  }
  for (std::size_t i = 0; i < ministry.org_units.size(); ++i) {
    const OrgUnit& unit = ministry.org_units[i];
    if (unit.parent.empty()) continue;
    if (!ministry.FindOrgUnit(unit.parent)) {
      return file.ErrorAt(*tables[i], "ministry.org-unit.parent",
                          "no unit " + unit.parent + " in " + ministry.code);
    }
    // A chain longer than the number of units has gone round a cycle.
    std::string current = unit.parent;
    for (std::size_t steps = 0; !current.empty(); ++steps) {
      if (current == unit.id || steps > ministry.org_units.size()) {
        return file.ErrorAt(*tables[i], "ministry.org-unit.parent",
                            "unit " + unit.id + " would enclose itself");
      }
      current = ministry.FindOrgUnit(current)->parent;
    }
  }
  return Status::Ok();
}

Result<Ministry> ReadMinistry(const ConfigFile& file, const toml::table& table,
                              std::vector<doctrine::KnownTenant>& tenants) {
  Ministry ministry;
  VIGIE_RETURN_IF_ERROR(ReadStrings(
      file, table, "ministry",
      {{"code", &ministry.code}, {"name", &ministry.name}, {"tutelle", &ministry.tutelle}},
      {"org-unit", "tenant"}));
  if (!IsWellFormedMinistryCode(ministry.code)) {
    return file.ErrorAt(
        table, "ministry.code",
        "'" + ministry.code +
            "' is not a ministry code (2 to 32 characters among A-Z, 0-9, _ and -)");
  }
  if (ministry.name.empty()) {
    return file.ErrorAt(table, "ministry.name", "missing for " + ministry.code);
  }
  auto units = TablesOf(file, table, "org-unit", "ministry.org-unit");
  if (!units.ok()) return units.status();
  for (const toml::table* unit_table : *units) {
    OrgUnit unit;
    VIGIE_RETURN_IF_ERROR(
        ReadStrings(file, *unit_table, "ministry.org-unit",
                    {{"id", &unit.id}, {"name", &unit.name}, {"parent", &unit.parent}}));
    ministry.org_units.push_back(std::move(unit));
  }
  VIGIE_RETURN_IF_ERROR(CheckOrgUnitTree(file, ministry, *units));
  auto own_tenants = TablesOf(file, table, "tenant", "ministry.tenant");
  if (!own_tenants.ok()) return own_tenants.status();
  for (const toml::table* tenant_table : *own_tenants) {
    auto tenant = ReadTenant(file, *tenant_table, "ministry.tenant", /*with_ministry=*/false);
    if (!tenant.ok()) return tenant.status();
    tenant->ministry = ministry.code;
    tenants.push_back(std::move(tenant).value());
  }
  return ministry;
}

}  // namespace

bool IsWellFormedMinistryCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 32) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

bool IsWellFormedOrgUnitId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) return false;
  }
  return true;
}

const OrgUnit* Ministry::FindOrgUnit(std::string_view id) const {
  for (const auto& unit : org_units) {
    if (unit.id == id) return &unit;
  }
  return nullptr;
}

std::vector<std::string> Ministry::LineageOf(std::string_view id) const {
  std::vector<std::string> lineage;
  for (const OrgUnit* unit = FindOrgUnit(id); unit && lineage.size() <= org_units.size();
       unit = unit->parent.empty() ? nullptr : FindOrgUnit(unit->parent)) {
    lineage.push_back(unit->id);
  }
  return lineage;
}

Result<MinistryList> MinistryList::FromFile(const Result<ConfigFile>& file) {
  if (!file.ok()) return file.status();
  static constexpr std::string_view kKeys[] = {"ministry", "tenant"};
  VIGIE_RETURN_IF_ERROR(file->CheckKeys(kKeys));
  auto tables = TablesOf(*file, file->table(), "ministry", "ministry");
  if (!tables.ok()) return tables.status();
  if (tables->empty()) return InvalidArgument(file->source() + ": no [[ministry]] table");
  MinistryList list;
  for (const toml::table* table : *tables) {
    auto ministry = ReadMinistry(*file, *table, list.tenants_);
    if (!ministry.ok()) return ministry.status();
    if (list.Find(ministry->code)) {
      return file->ErrorAt(*table, "ministry.code", "duplicate code " + ministry->code);
    }
    list.ministries_.push_back(std::move(ministry).value());
  }
  for (std::size_t i = 0; i < list.ministries_.size(); ++i) {
    const Ministry& ministry = list.ministries_[i];
    if (!ministry.is_operator()) continue;
    const Ministry* tutelle = list.Find(ministry.tutelle);
    if (!tutelle) {
      return file->ErrorAt(*(*tables)[i], "ministry.tutelle",
                           "no ministry " + ministry.tutelle + " for " + ministry.code);
    }
    if (tutelle->is_operator()) {
      return file->ErrorAt(*(*tables)[i], "ministry.tutelle",
                           ministry.tutelle + " is itself an opérateur, not a ministry");
    }
  }
  auto shared = TablesOf(*file, file->table(), "tenant", "tenant");
  if (!shared.ok()) return shared.status();
  for (const toml::table* table : *shared) {
    auto tenant = ReadTenant(*file, *table, "tenant", /*with_ministry=*/true);
    if (!tenant.ok()) return tenant.status();
    if (!tenant->ministry.empty() && !list.Find(tenant->ministry)) {
      return file->ErrorAt(*table, "tenant.ministry", "no ministry " + tenant->ministry);
    }
    list.tenants_.push_back(std::move(tenant).value());
  }
  return list;
}

Status MinistryList::CheckOffers(const doctrine::Policy& policy) const {
  for (const auto& tenant : tenants_) {
    if (!policy.FindOffer(tenant.offer)) {
      return InvalidArgument("tenant " + tenant.tenant + " names offer '" + tenant.offer +
                             "', which the doctrine policy does not define");
    }
  }
  return Status::Ok();
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
