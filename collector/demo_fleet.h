#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collector/deployment.h"
#include "collector/store.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::collector {

struct DemoFleetOptions {
  std::int64_t hosts = 5000;
  int weeks = 8;
  std::uint32_t seed = 2026;
};

// What a generated fleet holds, for the command's French summary and for tests.
struct DemoFleetOutcome {
  std::int64_t hosts = 0;
  std::int64_t reports = 0;
  std::int64_t snapshot_days = 0;
  std::int64_t derogations = 0;
  std::int64_t stale_hosts = 0;
};

// The reports of offline scans (`vigie-agent scan --root HOST --format json`), one per `*.json`
// file of `directory`, in file-name order: the demo's host templates. A file that is not such a
// report is refused, naming it.
Result<std::vector<InventoryReport>> LoadScanOutputs(const std::string& directory);

// Writes a simulated fleet into an empty store, through the same calls as live reports
// (Store::Ingest with the deployment's verdicts, derogations, re-evaluations, daily snapshots):
// `options.hosts` hosts spread over the deployment's ministries and org units, each a copy of a
// template with its own name, id, tenant and Office build, reporting every few days over
// `options.weeks` weeks until `now`. Some migrate away from the cloud (or to it) along the way,
// some fall silent (stale), derogations start and expire. Deterministic for a seed.
Result<DemoFleetOutcome> GenerateDemoFleet(Store& store, const Deployment& deployment,
                                           const std::vector<InventoryReport>& templates,
                                           const DemoFleetOptions& options, Timestamp now);

// The command's French summary of what was written.
std::string DemoFleetToText(const DemoFleetOutcome& outcome);

}  // namespace vigie::collector
