#include "agent/probes/linux_snap_probe.h"

#include <set>
#include <string>

#include "common/catalogue.h"

namespace vigie::agent {

Status LinuxSnapProbe::Run(const SystemView& system, ScanFacts& facts) const {
  auto entries = system.ListDirectory(kSnapsDirectory);
  if (!entries.ok()) {
    if (entries.status().code() == StatusCode::kNotFound) return Status::Ok();
    return entries.status();
  }
  // Several revisions of one snap are kept for rollback: one product. Sorted for stable output.
  std::set<std::string> names;
  for (const auto& entry : *entries) {
    const std::string_view file = entry.name;
    if (entry.is_directory || !file.ends_with(".snap")) continue;
    const auto underscore = file.rfind('_');
    if (underscore == std::string_view::npos || underscore == 0) continue;
    names.emplace(file.substr(0, underscore));
  }
  for (const auto& snap : names) {
    const PackageSignature* signature = FindSnap(snap);
    if (signature == nullptr) continue;
    Evidence evidence;
    evidence.product = signature->product;
    evidence.service = signature->service;
    evidence.kind = EvidenceKind::kInstalled;
    evidence.source = name();
    evidence.sovereign_alternative = signature->sovereign_alternative;
    facts.evidence.push_back(std::move(evidence));
  }
  return Status::Ok();
}

}  // namespace vigie::agent
