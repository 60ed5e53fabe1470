#include "common/doctrine/policy.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "common/config_file.h"
#include "common/enums.h"
#include "common/text.h"

namespace vigie {
namespace embedded {
std::string_view DefaultDoctrine();
}  // namespace embedded

namespace doctrine {
namespace {

// The [[name]] tables of a file, or an error when `name` is something else.
Result<const toml::array*> Tables(const ConfigFile& file, std::string_view name) {
  const toml::node* node = file.table().get(name);
  if (!node) return InvalidArgument(file.source() + ": no [[" + std::string(name) + "]] table");
  const toml::array* array = node->as_array();
  if (!array || !array->is_array_of_tables()) {
    return file.ErrorAt(*node, name, "must be written as [[" + std::string(name) + "]] tables");
  }
  return array;
}

Status CheckTableKeys(const ConfigFile& file, const toml::table& table, std::string_view prefix,
                      std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : table) {
    if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
      return file.ErrorAt(value, std::string(prefix) + "." + std::string(key.str()), "unknown key");
    }
  }
  return Status::Ok();
}

Result<std::string> RequiredString(const ConfigFile& file, const toml::node& table_node,
                                   const toml::table& table, std::string_view prefix,
                                   std::string_view key) {
  const std::string name = std::string(prefix) + "." + std::string(key);
  const toml::node* node = table.get(key);
  if (!node) return file.ErrorAt(table_node, name, "missing");
  if (!node->is_string() || node->as_string()->get().empty()) {
    return file.ErrorAt(*node, name, "must be a non-empty string");
  }
  return node->as_string()->get();
}

}  // namespace

Result<Policy> Policy::Parse(std::string_view text, std::string source) {
  return FromFile(ConfigFile::Parse(text, std::move(source)));
}

Result<Policy> Policy::Load(const std::string& path) { return FromFile(ConfigFile::Load(path)); }

Result<Policy> Policy::FromFile(const Result<ConfigFile>& file) {
  if (!file.ok()) return file.status();
  static constexpr std::string_view kKeys[] = {"version", "service", "offer", "consumer-tenants"};
  VIGIE_RETURN_IF_ERROR(file->CheckKeys(kKeys));

  Policy policy;
  auto version = file->GetString("version");
  if (!version.ok()) return version.status();
  if (!*version || (*version)->empty()) {
    return InvalidArgument(file->source() + ": version: missing");
  }
  policy.version_ = **version;

  auto services = Tables(*file, "service");
  if (!services.ok()) return services.status();
  for (const toml::node& node : **services) {
    const toml::table& table = *node.as_table();
    VIGIE_RETURN_IF_ERROR(
        CheckTableKeys(*file, table, "service", {"category", "derogable", "rule"}));
    auto category_name = RequiredString(*file, node, table, "service", "category");
    if (!category_name.ok()) return category_name.status();
    const auto category = ParseEnumName<ServiceCategory>(*category_name);
    if (!category || !IsOnlineService(*category)) {
      return file->ErrorAt(node, "service.category",
                           "'" + *category_name +
                               "' is not a service category (MAIL, PERSONAL_DRIVE, DOCUMENTS, "
                               "COLLABORATION, INSTANT_MESSAGING, CONFERENCING)");
    }
    if (policy.services_.count(*category)) {
      return file->ErrorAt(node, "service.category", "duplicate category " + *category_name);
    }
    const toml::node* derogable = table.get("derogable");
    if (!derogable || !derogable->is_boolean()) {
      return file->ErrorAt(derogable ? *derogable : node, "service.derogable",
                           "must be true or false");
    }
    if (derogable->as_boolean()->get() && !IsDerogable(*category)) {
      return file->ErrorAt(*derogable, "service.derogable",
                           *category_name +
                               " cannot be derogable: the DINUM note of 15 September 2021 allows "
                               "derogations only for mail and the personal drive");
    }
    auto rule = RequiredString(*file, node, table, "service", "rule");
    if (!rule.ok()) return rule.status();
    policy.services_[*category] = {*category, derogable->as_boolean()->get(), *rule};
  }
  for (auto category : kAllServiceCategories) {
    if (IsOnlineService(category) && !policy.services_.count(category)) {
      return InvalidArgument(file->source() + ": service: no [[service]] for category " +
                             std::string(EnumName(category)));
    }
  }

  auto offers = Tables(*file, "offer");
  if (!offers.ok()) return offers.status();
  for (const toml::node& node : **offers) {
    const toml::table& table = *node.as_table();
    VIGIE_RETURN_IF_ERROR(CheckTableKeys(*file, table, "offer", {"id", "name", "qualified-from"}));
    Offer offer;
    auto id = RequiredString(*file, node, table, "offer", "id");
    if (!id.ok()) return id.status();
    offer.id = *id;
    if (policy.FindOffer(offer.id)) {
      return file->ErrorAt(node, "offer.id", "duplicate offer " + offer.id);
    }
    auto name = RequiredString(*file, node, table, "offer", "name");
    if (!name.ok()) return name.status();
    offer.name = *name;
    if (const toml::node* from = table.get("qualified-from")) {
      if (!from->is_date()) {
        return file->ErrorAt(*from, "offer.qualified-from", "must be a date, e.g. 2026-06-30");
      }
      const toml::date date = from->as_date()->get();
      const std::chrono::year_month_day day{
          std::chrono::year{date.year}, std::chrono::month{date.month}, std::chrono::day{date.day}};
      if (!day.ok()) return file->ErrorAt(*from, "offer.qualified-from", "not a calendar date");
      offer.qualified_from = Date{day};
    }
    policy.offers_.push_back(std::move(offer));
  }

  if (const toml::node* node = file->table().get("consumer-tenants")) {
    const toml::array* array = node->as_array();
    if (!array || !array->is_homogeneous(toml::node_type::string)) {
      return file->ErrorAt(*node, "consumer-tenants", "must be a list of strings");
    }
    for (const toml::node& tenant : *array) {
      policy.consumer_tenants_.push_back(AsciiLowercase(tenant.as_string()->get()));
    }
  }
  return policy;
}

const Policy& Policy::BuiltIn() {
  static const Policy policy = [] {
    auto parsed = Parse(embedded::DefaultDoctrine(), "<built-in doctrine>");
    if (!parsed.ok()) {
      // The file is part of the build and tested: this is a packaging defect.
      std::fprintf(stderr, "fatal: %s\n", parsed.status().ToString().c_str());
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return policy;
}

const ServiceRule& Policy::Rule(ServiceCategory category) const {
  static const ServiceRule kNotAService{};
  const auto found = services_.find(category);
  return found == services_.end() ? kNotAService : found->second;
}

const Offer* Policy::FindOffer(std::string_view id) const {
  for (const auto& offer : offers_) {
    if (offer.id == id) return &offer;
  }
  return nullptr;
}

bool Policy::IsConsumerTenant(std::string_view tenant) const {
  const std::string key = AsciiLowercase(tenant);
  return std::find(consumer_tenants_.begin(), consumer_tenants_.end(), key) !=
         consumer_tenants_.end();
}

}  // namespace doctrine
}  // namespace vigie
