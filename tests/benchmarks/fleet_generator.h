// A generated fleet for benchmarks: N varied hosts spread over the built-in ministries (and
// optionally over org units), written through Store::Ingest like real reports.
#pragma once

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "collector/store.h"
#include "common/ministries.h"
#include "common/wire.h"

namespace vigie::collector::bench {

inline Evidence MakeEvidence(std::string product, ServiceCategory service, EvidenceKind kind,
                             std::string tenant = "") {
  Evidence evidence;
  evidence.product = std::move(product);
  evidence.service = service;
  evidence.kind = kind;
  evidence.tenant = std::move(tenant);
  evidence.source = "bench";
  return evidence;
}

// A varied, realistic host: most compliant, some with cloud clients, some using services.
inline InventoryReport MakeReport(std::int64_t index, const std::string& ministry,
                                  std::mt19937& random, Timestamp now) {
  InventoryReport report;
  report.report_id = "bench-" + std::to_string(index);
  report.agent_version = "bench";
  report.host = {"host-" + std::to_string(index),
                 "pc-" + std::to_string(index),
                 index % 10 == 0 ? OsFamily::kLinux : OsFamily::kWindows,
                 "",
                 "",
                 "x86_64"};
  report.ministry = ministry;
  // Agents report daily; about 3 % of hosts have been silent for over a month.
  const std::int64_t age =
      random() % 100 < 3 ? 31 * 86400 + random() % (60 * 86400) : random() % (2 * 86400);
  report.scan_finished = now - std::chrono::seconds(age);
  OfficeInstall office;
  office.technology = "ClickToRun";
  const auto kind = random() % 10;
  if (kind < 6) {
    office.product_id = "ProPlus2021Volume";
    office.license_model = LicenseModel::kPerpetual;
  } else {
    office.product_id = "O365ProPlusRetail";
    office.license_model = LicenseModel::kSubscription;
  }
  report.office_installs.push_back(office);
  const std::string tenant = std::string(ministry) + ".onmicrosoft.com";
  if (kind == 7) {
    report.evidence.push_back(MakeEvidence("onedrive", ServiceCategory::kPersonalDrive,
                                           EvidenceKind::kConfigured, tenant));
  }
  if (kind == 8) {
    report.evidence.push_back(
        MakeEvidence("teams", ServiceCategory::kConferencing, EvidenceKind::kSignedIn, tenant));
  }
  if (kind < 4) {
    Evidence libreoffice =
        MakeEvidence("libreoffice", ServiceCategory::kUnspecified, EvidenceKind::kInstalled);
    libreoffice.sovereign_alternative = true;
    report.evidence.push_back(libreoffice);
  }
  return report;
}

// The org unit of host `index` among `units` (none: '').
inline std::string UnitOf(std::int64_t index, const std::vector<std::string>& units) {
  return units.empty() ? std::string() : units[static_cast<std::size_t>(index) % units.size()];
}

// Adds hosts until the store holds `hosts`; returns false (after printing why) on an error.
inline bool GenerateFleet(Store& store, std::int64_t hosts, Timestamp now,
                          const std::vector<std::string>& units = {}) {
  using Clock = std::chrono::steady_clock;
  const MinistryList& ministries = MinistryList::BuiltIn();
  auto existing = store.CountHostsByMinistry();
  if (!existing.ok()) {
    std::fprintf(stderr, "error: %s\n", existing.status().message().c_str());
    return false;
  }
  std::int64_t present = 0;
  for (const auto& counts : *existing) present += counts.hosts;
  if (present >= hosts) return true;
  std::mt19937 random(42);
  const auto start = Clock::now();
  for (std::int64_t i = present; i < hosts; ++i) {
    const auto& ministry = ministries.all()[i % ministries.all().size()].code;
    const InventoryReport report = MakeReport(i, ministry, random, now);
    auto outcome =
        store.Ingest(report, ToProto(report).SerializeAsString(), {VerdictStatus::kCompliant, {}},
                     *report.scan_finished,
                     UnitOf(i / static_cast<std::int64_t>(ministries.all().size()), units));
    if (!outcome.ok()) {
      std::fprintf(stderr, "error: %s\n", outcome.status().message().c_str());
      return false;
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("generated %lld hosts in %.1f s (%.0f reports/s, one transaction each)\n",
              static_cast<long long>(hosts - present), seconds, (hosts - present) / seconds);
  return true;
}

}  // namespace vigie::collector::bench
