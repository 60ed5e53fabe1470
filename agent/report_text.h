#pragma once

#include <string>

#include "common/model.h"

namespace vigie::agent {

// The report as a DSI technician reads it on the workstation, in French.
std::string ReportToText(const InventoryReport& report);

}  // namespace vigie::agent
