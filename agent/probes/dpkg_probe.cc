#include "agent/probes/dpkg_probe.h"

#include <fmt/format.h>

#include "agent/probes/dpkg_status.h"
#include "common/catalogue.h"

namespace vigie::agent {

// Real status files are a few MiB even on crowded desktops.
constexpr std::size_t kMaxStatusBytes = 256 * 1024 * 1024;

Status DpkgProbe::Run(const SystemView& system, ScanFacts& facts) const {
  auto text = system.ReadFile(kStatusPath, kMaxStatusBytes);
  if (!text.ok()) {
    // No dpkg on this machine (an rpm-based distribution): nothing to report, nothing failed.
    if (text.status().code() == StatusCode::kNotFound) return Status::Ok();
    return text.status();
  }
  const DpkgStatus status = ParseDpkgStatus(*text);
  if (status.malformed_lines > 0) {
    facts.errors.push_back(
        {std::string(name()),
         fmt::format("{} is damaged: {} line(s) are not deb822 fields (first at line {}); "
                     "the packages around them were still read",
                     kStatusPath, status.malformed_lines, status.first_malformed_line)});
  }
  for (const auto& package : status.packages) {
    if (!IsInstalled(package)) continue;
    const PackageSignature* signature = FindLinuxPackage(package.name);
    if (!signature) continue;
    Evidence evidence;
    evidence.product = signature->product;
    evidence.service = signature->service;
    evidence.kind = EvidenceKind::kInstalled;
    evidence.source = name();
    evidence.version = package.version;
    evidence.sovereign_alternative = signature->sovereign_alternative;
    facts.evidence.push_back(std::move(evidence));
  }
  return Status::Ok();
}

}  // namespace vigie::agent
