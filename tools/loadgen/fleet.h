#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "vigie/v1/inventory.pb.h"

namespace vigie::loadgen {

// Realistic reports for simulated agents: every fixture host is scanned once, in-process, with
// the agent's own scanner; each simulated agent then sends its fixture's report under its own
// host identity, with a fresh report id and scan time, and varied versions.
class Fleet {
 public:
  // Scans every fixture host (a directory with host.toml) under `fixtures`.
  static Result<Fleet> FromFixtures(const std::string& fixtures);

  std::size_t templates() const { return templates_.size(); }

  // The workstation simulated agent `agent` stands for; `prefix` keeps runs apart.
  v1::HostIdentity Host(const std::string& prefix, std::size_t agent) const;

  // A new report of simulated agent `agent` (its `sequence`-th): the ministry is left empty, so
  // that the collector gives the agent's.
  Result<v1::InventoryReport> NextReport(const std::string& prefix, std::size_t agent,
                                         std::uint64_t sequence) const;

 private:
  std::vector<v1::InventoryReport> templates_;
};

}  // namespace vigie::loadgen
