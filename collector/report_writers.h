#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "collector/report.h"
#include "common/status.h"

namespace vigie::collector {

enum class ReportFormat { kXlsx, kCsv, kHtml };

// "xlsx", "csv" or "html".
Result<ReportFormat> ParseReportFormat(std::string_view text);
std::string_view FileExtension(ReportFormat format);

// For French Excel: UTF-8 with a byte-order mark, ';' between fields, dates as dd/mm/yyyy,
// decimal commas; each section is a block headed by its title, separated by an empty line. Rows
// are written as they come (the hosts sheet is streamed from the store).
Status WriteCsv(const ComplianceReport& report, std::FILE* out);
// One self-contained page (no external request), printable on A4. A streamed section (the hosts)
// is not printed: its `not_printed_text` says where to find it.
std::string ReportToHtml(const ComplianceReport& report);

// Writes the report to `path` through a temporary file in the same directory, renamed over `path`
// once complete: a failure leaves neither a partial report nor the temporary file behind.
Status WriteReport(const ComplianceReport& report, ReportFormat format, const std::string& path);

}  // namespace vigie::collector
