#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "collector/store.h"
#include "common/ministries.h"

namespace vigie::collector {

// Everything `vigie-collector summary` says about one ministry.
struct MinistrySummary {
  std::string code;
  std::string name;
  std::int64_t hosts = 0;
  std::array<std::int64_t, 6> hosts_by_verdict{};  // Indexed by VerdictStatus.
  std::array<std::int64_t, 9> hosts_by_service{};  // Indexed by ServiceCategory: in use.
  // (license model, product id) -> hosts, most frequent first.
  std::vector<std::pair<std::pair<LicenseModel, std::string>, std::int64_t>> office_installs;
  std::vector<std::pair<std::string, std::int64_t>> tenants;
  std::vector<std::pair<std::string, std::int64_t>> sovereign_alternatives;
  std::int64_t stale_hosts = 0;
  std::vector<DerogationRecord> derogations_expiring;
};

struct FleetSummary {
  Date today;
  int stale_after_days = 0;
  int expiring_within_days = 0;
  std::vector<MinistrySummary> ministries;  // Those with hosts, by code.
};

struct SummaryOptions {
  int stale_after_days = 30;      // A host silent this long counts as stale.
  int expiring_within_days = 60;  // Derogations ending this soon are listed.
};

Result<FleetSummary> BuildSummary(Store& store, const MinistryList& ministries, Timestamp now,
                                  const SummaryOptions& options);

// In French, for people.
std::string SummaryToText(const FleetSummary& summary);
// For machines: {"date", "ministries": [{"code", "name", "hosts", "verdicts": {"COMPLIANT": n...},
// "servicesInUse": {"MAIL": n...}, "officeInstalls", "tenants", "sovereignAlternatives",
// "staleHosts", "derogationsExpiring"}], "total": {"hosts", "verdicts"}}; every verdict and
// service category is present.
std::string SummaryToJson(const FleetSummary& summary);

}  // namespace vigie::collector
