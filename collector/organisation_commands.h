#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "collector/store.h"
#include "common/ministries.h"
#include "common/status.h"

namespace vigie::collector {

// One org unit with the hosts of the units it encloses, indexed by VerdictStatus.
struct OrgUnitTotals {
  std::string id;    // '' for the hosts of the ministry placed in no unit.
  std::string name;  // French; for a unit the configuration no longer has, says so.
  int depth = 0;     // 0 for a top-level unit.
  std::array<std::int64_t, 6> hosts_by_verdict{};
  std::int64_t hosts = 0;
};

// The ministry's units in tree order (each parent before its children, siblings by id), rolled
// up from the hosts placed directly in each (`direct`), then the hosts placed in no unit and in
// units the configuration no longer describes.
std::vector<OrgUnitTotals> RollUpOrgUnits(const Ministry& ministry,
                                          const std::vector<UnitCounts>& direct);

// `vigie-collector host move`: finds the host by name or id, checks the unit exists in its
// ministry and moves it. Returns the French text to print.
Result<std::string> MoveHost(Store& store, const MinistryList& ministries, const std::string& name,
                             const std::string& org_unit, const std::string& actor, Timestamp now);

// `vigie-collector org-unit list`: each ministry's tree with hosts by verdict, in French.
Result<std::string> OrgUnitsToText(Store& store, const MinistryList& ministries,
                                   const std::string& only_ministry);

}  // namespace vigie::collector
