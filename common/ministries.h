#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/config_file.h"
#include "common/doctrine/engine.h"
#include "common/status.h"

namespace vigie {

// A direction, service or site of a ministry. Units form a tree through `parent`.
struct OrgUnit {
  std::string id;      // Unique within its ministry; what tokens and host moves refer to.
  std::string name;    // French name, as printed.
  std::string parent;  // Id of the enclosing unit; empty for a top-level unit.
};

struct Ministry {
  std::string code;     // e.g. "MEFSIN"; what agents and tokens refer to.
  std::string name;     // French name, as printed in summaries and reports.
  std::string tutelle;  // For an opérateur (a public body), the code of its ministry of tutelle.
  std::vector<OrgUnit> org_units;

  bool is_operator() const { return !tutelle.empty(); }
  const OrgUnit* FindOrgUnit(std::string_view id) const;
  // `id` and the ids of the units that enclose it, innermost first; empty for an unknown id.
  std::vector<std::string> LineageOf(std::string_view id) const;
};

// The organisation a deployment knows, from a TOML file (docs/organisation.md):
//   [[ministry]] tables with `code`, `name`, optional `tutelle` (an opérateur), their
//   [[ministry.org-unit]] tables (`id`, `name`, optional `parent`) and [[ministry.tenant]]
//   tables (`id`, optional `offer`, default "microsoft-365");
//   [[tenant]] tables for tenants every ministry may use (`id`, `offer`).
// Codes are unique and 2 to 32 characters among A-Z, 0-9, '_' and '-'; unit ids are unique
// within their ministry, 1 to 64 characters among letters, digits, '.', '_' and '-'; parents
// exist and form no cycle; a ministry of tutelle is itself a ministry, not an opérateur.
class MinistryList {
 public:
  // The list that ships with Vigie (common/data/ministries.toml).
  static const MinistryList& BuiltIn();
  static Result<MinistryList> Load(const std::string& path);
  static Result<MinistryList> Parse(std::string_view text, std::string source);

  const Ministry* Find(std::string_view code) const;
  const std::vector<Ministry>& all() const { return ministries_; }
  // Every declared tenant; `ministry` is empty for those every ministry may use.
  const std::vector<doctrine::KnownTenant>& tenants() const { return tenants_; }

  // Refuses a tenant whose offer `policy` does not define, naming it.
  Status CheckOffers(const doctrine::Policy& policy) const;

 private:
  static Result<MinistryList> FromFile(const Result<ConfigFile>& file);

  std::vector<Ministry> ministries_;
  std::vector<doctrine::KnownTenant> tenants_;
};

// Whether `code` has the shape of a ministry code; says nothing of whether it is known.
bool IsWellFormedMinistryCode(std::string_view code);
// Whether `id` has the shape of an org-unit id.
bool IsWellFormedOrgUnitId(std::string_view id);

}  // namespace vigie
