#pragma once

#include <string>
#include <vector>

#include "collector/store.h"
#include "common/ministries.h"

namespace vigie::collector {

// Per-ministry host counts by verdict, as a French table for people.
std::string SummaryToText(const std::vector<MinistryCounts>& counts,
                          const MinistryList& ministries);

// The same for machines: {"ministries": [{"code", "name", "hosts", "verdicts": {"COMPLIANT": n,
// ...}}], "total": {...}}, verdicts keyed by their enum names, every verdict present.
std::string SummaryToJson(const std::vector<MinistryCounts>& counts,
                          const MinistryList& ministries);

}  // namespace vigie::collector
