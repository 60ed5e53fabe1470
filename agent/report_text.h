#pragma once

#include <string>

#include "common/model.h"

namespace vigie::agent {

// The report as a DSI technician reads it on the workstation, in French.
std::string ReportToText(const InventoryReport& report);

// `scan --explain`: each finding and what it means under the default doctrine (no derogation, no
// declared tenant: the collector may judge the same host differently), then the verdict and why.
std::string ExplainReport(const InventoryReport& report);

}  // namespace vigie::agent
