#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "collector/host_evaluator.h"
#include "collector/organisation_commands.h"
#include "collector/store.h"
#include "common/ministries.h"

namespace vigie::collector {

struct TenantCount {
  std::string tenant;
  doctrine::TenantClass tenant_class = doctrine::TenantClass::kUnknown;
  std::int64_t hosts = 0;
};

// Everything `vigie-collector summary` says about one ministry (or opérateur).
struct MinistrySummary {
  std::string code;
  std::string name;
  std::string tutelle;  // The ministry of tutelle of an opérateur.
  std::int64_t hosts = 0;
  std::array<std::int64_t, 6> hosts_by_verdict{};  // Indexed by VerdictStatus.
  std::array<std::int64_t, 9> hosts_by_service{};  // Indexed by ServiceCategory: in use.
  // (license model, product id) -> hosts, most frequent first.
  std::vector<std::pair<std::pair<LicenseModel, std::string>, std::int64_t>> office_installs;
  std::vector<TenantCount> tenants;  // Most frequent first.
  std::vector<std::pair<std::string, std::int64_t>> sovereign_alternatives;
  std::int64_t stale_hosts = 0;
  std::vector<DerogationRecord> derogations_expiring;
  std::vector<OrgUnitTotals> org_units;  // Tree order (RollUpOrgUnits); empty without units.
};

struct FleetSummary {
  Date today;
  int stale_after_days = 0;
  int expiring_within_days = 0;
  std::vector<MinistrySummary> ministries;  // Those with hosts, by code.
};

struct SummaryOptions {
  std::string ministry;           // Only this ministry; empty: all.
  int stale_after_days = 30;      // A host silent this long counts as stale.
  int expiring_within_days = 60;  // Derogations ending this soon are listed.
};

// NOT_FOUND when `options.ministry` is not a ministry of `rules`.
Result<FleetSummary> BuildSummary(Store& store, const JudgingRules& rules, Timestamp now,
                                  const SummaryOptions& options);

// The units with non-compliant hosts, the highest share first, at most `limit` of them.
std::vector<OrgUnitTotals> LeastCompliantUnits(const std::vector<OrgUnitTotals>& units,
                                               std::size_t limit);

// In French, for people.
std::string SummaryToText(const FleetSummary& summary);
// For machines: {"date", "ministries": [{"code", "name", "hosts", "verdicts": {"COMPLIANT": n...},
// "servicesInUse": {"MAIL": n...}, "officeInstalls", "tenants": [{"tenant", "class", "hosts"}],
// "sovereignAlternatives", "staleHosts", "derogationsExpiring", "orgUnits": [{"id", "name",
// "depth", "hosts", "verdicts"}], "tutelle" for an opérateur}], "total": {"hosts", "verdicts"}};
// every verdict and service category is present.
std::string SummaryToJson(const FleetSummary& summary);

}  // namespace vigie::collector
