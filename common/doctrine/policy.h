#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config_file.h"
#include "common/dates.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::doctrine {

using vigie::Date;

struct ServiceRule {
  ServiceCategory category = ServiceCategory::kUnspecified;
  bool derogable = false;
  std::string rule;  // The doctrine text, in French, quoted in explanations.
};

// A cloud offer and the day it became SecNumCloud-qualified, if it did.
struct Offer {
  std::string id;
  std::string name;
  std::optional<Date> qualified_from;

  bool QualifiedOn(Date date) const { return qualified_from && *qualified_from <= date; }
};

// The doctrine as versioned data (common/data/doctrine.toml, or a deployment's own file).
class Policy {
 public:
  // The policy that ships with Vigie.
  static const Policy& BuiltIn();
  static Result<Policy> Load(const std::string& path);
  static Result<Policy> Parse(std::string_view text, std::string source);

  const std::string& version() const { return version_; }
  const ServiceRule& Rule(ServiceCategory category) const;
  const Offer* FindOffer(std::string_view id) const;
  bool IsConsumerTenant(std::string_view tenant) const;

 private:
  static Result<Policy> FromFile(const Result<ConfigFile>& file);

  std::string version_;
  std::map<ServiceCategory, ServiceRule> services_;
  std::vector<Offer> offers_;
  std::vector<std::string> consumer_tenants_;  // Lowercase.
};

}  // namespace vigie::doctrine
