#include "agent/windows/live_scan.h"

#include "agent/win32_system_view.h"

namespace vigie::agent {

Result<InventoryReport> ScanThisComputer(const std::string& pseudonym_key,
                                         const ScanRequest& request) {
  auto view = Win32SystemView::Live();
  if (!view.ok()) return view.status();
  ProbeOptions options;
  options.pseudonym_key = pseudonym_key;
  const auto probes = ProbesFor((*view)->machine().os_family, options);
  return Scan(**view, probes, request);
}

}  // namespace vigie::agent
