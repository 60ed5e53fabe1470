#pragma once

#include <string>

#include "collector/report.h"
#include "common/status.h"

namespace vigie::collector {

// A workbook with one sheet per section (the first is the summary), numbers and dates as Excel
// numbers and dates. Writes `path` directly: callers go through WriteReport.
Status WriteXlsx(const ComplianceReport& report, const std::string& path);

}  // namespace vigie::collector
