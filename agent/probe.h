#pragma once

#include <string_view>
#include <vector>

#include "agent/system_view.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

// What probes add to a report.
struct ScanFacts {
  std::vector<OfficeInstall> office_installs;
  std::vector<Evidence> evidence;
  // Per-item failures (one unreadable profile, one corrupt file): the probe goes on.
  std::vector<ProbeError> errors;
};

// One detection signal. A probe reads only through SystemView and returns plain facts, so the
// same code runs on every platform build and against fixture hosts.
class Probe {
 public:
  virtual ~Probe() = default;

  // Stable name, "<platform>.<signal>", e.g. "linux.dpkg"; used as Evidence.source.
  virtual std::string_view name() const = 0;

  // Appends what it finds to `facts`. A non-OK status means the probe as a whole could not run;
  // the scanner records it as a probe error and the scan goes on.
  virtual Status Run(const SystemView& system, ScanFacts& facts) const = 0;
};

}  // namespace vigie::agent
