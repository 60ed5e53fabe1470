#pragma once

#include <cstdint>
#include <string>

#include "collector/report.h"
#include "common/status.h"

namespace vigie::collector {

struct XlsxLimits {
  // Excel's limit; a longer table goes on in further sheets. Tests lower it.
  std::uint32_t rows_per_sheet = 1048576;
};

// A workbook with one sheet per section (the first is the summary), numbers and dates as Excel
// numbers and dates. Writes `path` directly: callers go through WriteReport.
Status WriteXlsx(const ComplianceReport& report, const std::string& path,
                 const XlsxLimits& limits = XlsxLimits());

}  // namespace vigie::collector
