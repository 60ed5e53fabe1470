#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "agent/probe.h"
#include "agent/system_view.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

// What the probes of one scan are allowed and given to do.
struct ProbeOptions {
  // Key of the user pseudonyms (UserPseudonyms): the agent's own secret; fixed in tests so that
  // pseudonyms are reproducible.
  std::string pseudonym_key;
  // Browser history (probe any.browser_history): off unless the deployment enables it, because
  // reading it needs a documented impact assessment (docs/privacy.md).
  bool browser_history = false;
  // Days of history counted, ending at `now`.
  int history_days = 30;
  // The scan's time; nullopt for the system clock. Tests fix it so that windows are reproducible.
  std::optional<Timestamp> now = std::nullopt;
};

// The probes that apply to an operating system, in the order they run.
std::vector<std::unique_ptr<Probe>> ProbesFor(OsFamily os, const ProbeOptions& options);

// The probe error naming the probes a scan skipped because it ran out of time.
inline constexpr char kScanBudgetProbe[] = "scanner.budget";

struct ScanRequest {
  // Ministry code to state in the report (until enrollment assigns it); may be empty.
  std::string ministry;
  // Once a scan has run this long, the probes not started yet are skipped and named in a
  // kScanBudgetProbe error (the running one is not interrupted). Unlimited when zero.
  std::chrono::milliseconds budget{0};
  // Checked between probes: true abandons the scan (the agent is stopping).
  std::function<bool()> cancelled;
};

// Runs every probe against `system` and assembles the report with the default-doctrine verdict.
// A failing probe becomes a probe error and the others still run; only a host that cannot be
// identified, or a cancellation, fails the scan.
Result<InventoryReport> Scan(const SystemView& system,
                             std::span<const std::unique_ptr<Probe>> probes,
                             const ScanRequest& request);

}  // namespace vigie::agent
