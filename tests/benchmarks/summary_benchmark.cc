// Generates a collector database of N hosts spread over the built-in ministries, then times the
// all-ministries summary. Usage: summary_benchmark [--hosts N] [--database PATH] [--runs R]
// (docs/benchmarks.md). The database is reused when it already holds the hosts.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "collector/summary.h"
#include "common/ministries.h"
#include "common/wire.h"

namespace vigie::collector {
namespace {

using Clock = std::chrono::steady_clock;

Evidence MakeEvidence(std::string product, ServiceCategory service, EvidenceKind kind,
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
InventoryReport MakeReport(std::int64_t index, const std::string& ministry, std::mt19937& random,
                           Timestamp now) {
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

int Run(std::int64_t hosts, const std::string& database, int runs) {
  const MinistryList& ministries = MinistryList::BuiltIn();
  auto store = Store::Open(database);
  if (!store.ok()) {
    std::fprintf(stderr, "error: %s\n", store.status().message().c_str());
    return 1;
  }
  const Timestamp now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto existing = store->CountHostsByMinistry();
  std::int64_t present = 0;
  for (const auto& counts : *existing) present += counts.hosts;
  if (present < hosts) {
    std::mt19937 random(42);
    const auto start = Clock::now();
    for (std::int64_t i = present; i < hosts; ++i) {
      const auto& ministry = ministries.all()[i % ministries.all().size()].code;
      const InventoryReport report = MakeReport(i, ministry, random, now);
      auto outcome = store->Ingest(report, ToProto(report).SerializeAsString(),
                                   {VerdictStatus::kCompliant, {}}, *report.scan_finished);
      if (!outcome.ok()) {
        std::fprintf(stderr, "error: %s\n", outcome.status().message().c_str());
        return 1;
      }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("generated %lld hosts in %.1f s (%.0f reports/s, one transaction each)\n",
                static_cast<long long>(hosts - present), seconds, (hosts - present) / seconds);
  }
  std::vector<double> millis;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    auto summary = BuildSummary(*store, JudgingRules{}, now, {});
    if (!summary.ok()) {
      std::fprintf(stderr, "error: %s\n", summary.status().message().c_str());
      return 1;
    }
    const std::string json = SummaryToJson(*summary);
    millis.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(millis.begin(), millis.end());
  std::printf("summary of %lld hosts, %d runs: p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
              static_cast<long long>(std::max(hosts, present)), runs, millis[millis.size() / 2],
              millis[millis.size() * 95 / 100], millis.back());
  return 0;
}

}  // namespace
}  // namespace vigie::collector

int main(int argc, char** argv) {
  CLI::App app{"Times the all-ministries summary over a generated database", "summary_benchmark"};
  std::int64_t hosts = 1'000'000;
  std::string database = "summary-benchmark.db";
  int runs = 50;
  app.add_option("--hosts", hosts, "Hosts in the database")->capture_default_str();
  app.add_option("--database", database, "Database file (created or reused)")
      ->capture_default_str();
  app.add_option("--runs", runs, "Timed summaries")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return vigie::collector::Run(hosts, database, runs);
}
