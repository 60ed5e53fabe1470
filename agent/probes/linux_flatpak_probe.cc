#include "agent/probes/linux_flatpak_probe.h"

#include <algorithm>

#include "agent/probes/linux_user_files.h"
#include "common/catalogue.h"

namespace vigie::agent {

Status ReadFlatpakApps(const SystemView& system, const std::string& apps,
                       const std::string& pseudonym, ScanFacts& facts) {
  auto entries = system.ListDirectory(apps);
  if (!entries.ok()) {
    if (entries.status().code() == StatusCode::kNotFound) return Status::Ok();
    return entries.status();
  }
  std::sort(entries->begin(), entries->end(),
            [](const DirectoryEntry& a, const DirectoryEntry& b) { return a.name < b.name; });
  for (const auto& entry : *entries) {
    const PackageSignature* signature = FindFlatpakApp(entry.name);
    if (signature == nullptr) continue;
    auto deployment = system.ListDirectory(apps + "/" + entry.name + "/current");
    if (!deployment.ok()) {
      if (deployment.status().code() == StatusCode::kNotFound) continue;
      return deployment.status();
    }
    Evidence evidence;
    evidence.product = signature->product;
    evidence.service = signature->service;
    evidence.kind = EvidenceKind::kInstalled;
    evidence.source = "linux.flatpak";
    evidence.user_pseudonym = pseudonym;
    evidence.sovereign_alternative = signature->sovereign_alternative;
    facts.evidence.push_back(std::move(evidence));
  }
  return Status::Ok();
}

Status LinuxFlatpakProbe::Run(const SystemView& system, ScanFacts& facts) const {
  return ReadFlatpakApps(system, std::string(kSystemApps), "", facts);
}

void ReadFlatpakUserInstallation(const UserFiles& user) {
  constexpr std::string_view kUserApps = ".local/share/flatpak/app";
  ScanFacts found;
  const Status status =
      ReadFlatpakApps(user.system(), user.PathOf(kUserApps), user.pseudonym(), found);
  if (!status.ok()) user.AddError("linux.flatpak", kUserApps, status.message());
  for (auto& evidence : found.evidence) user.AddEvidence(std::move(evidence));
}

}  // namespace vigie::agent
