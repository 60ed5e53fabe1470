// Generates (or reuses) a collector database whose N hosts all belong to one ministry, then times
// one compliance report of that ministry, hosts sheet included, and prints the process's peak
// resident memory. Usage: report_benchmark [--hosts N] [--ministry CODE] [--database PATH]
// [--format xlsx|csv|html] [--out PATH] [--fresh] (docs/benchmarks.md). Run it once to generate,
// then again on the same database: the second run's peak memory is the report's alone.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "collector/report.h"
#include "collector/report_writers.h"
#include "fleet_generator.h"

namespace vigie::collector {
namespace {

int Fail(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return 1;
}

int Run(std::int64_t hosts, const std::string& ministry, const std::string& database,
        const std::string& format_name, const std::string& out, bool fresh) {
  if (fresh) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((database + suffix).c_str());
  }
  auto format = ParseReportFormat(format_name);
  if (!format.ok()) return Fail(format.status());
  auto store = Store::Open(database);
  if (!store.ok()) return Fail(store.status());
  const Timestamp now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto existing = store->CountHostsByMinistry();
  if (!existing.ok()) return Fail(existing.status());
  std::int64_t present = 0;
  for (const auto& counts : *existing) present += counts.hosts;
  // The fleet generator's hosts, all in one ministry: the report's hosts sheet is as long as the
  // ministry.
  std::mt19937 random(42);
  for (std::int64_t i = present; i < hosts; ++i) {
    const InventoryReport generated = bench::MakeReport(i, ministry, random, now);
    auto outcome = store->Ingest(generated, ToProto(generated).SerializeAsString(),
                                 {VerdictStatus::kCompliant, {}}, *generated.scan_finished);
    if (!outcome.ok()) return Fail(outcome.status());
  }
  auto key = store->DeploymentKey("report-host-names");
  if (!key.ok()) return Fail(key.status());
  const auto start = std::chrono::steady_clock::now();
  ReportRequest request;
  request.ministry = ministry;
  request.last_day = Today(now);
  request.host_name_key = *key;
  auto report = BuildComplianceReport(*store, JudgingRules{}, now, request);
  if (!report.ok()) return Fail(report.status());
  if (Status written = WriteReport(*report, *format, out); !written.ok()) return Fail(written);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("%s report of %s (%lld hosts): %.1f s, %.1f MiB, peak RSS %.0f MiB\n",
              format_name.c_str(), ministry.c_str(), static_cast<long long>(hosts), seconds,
              static_cast<double>(std::filesystem::file_size(out)) / (1024 * 1024),
              static_cast<double>(usage.ru_maxrss) / 1024);
  return 0;
}

}  // namespace
}  // namespace vigie::collector

int main(int argc, char** argv) {
  CLI::App app{"Times a compliance report of one large ministry", "report_benchmark"};
  std::int64_t hosts = 1'000'000;
  std::string ministry = "MI";
  std::string database = "report-benchmark.db";
  std::string format = "xlsx";
  std::string out = "report-benchmark.xlsx";
  bool fresh = false;
  app.add_option("--hosts", hosts, "Hosts of the ministry in the database")->capture_default_str();
  app.add_option("--ministry", ministry, "Built-in ministry code")->capture_default_str();
  app.add_option("--database", database, "Database file (created or reused)")
      ->capture_default_str();
  app.add_option("--format", format, "xlsx, csv or html")->capture_default_str();
  app.add_option("--out", out, "Report file written")->capture_default_str();
  app.add_flag("--fresh", fresh, "Delete the database first");
  CLI11_PARSE(app, argc, argv);
  return vigie::collector::Run(hosts, ministry, database, format, out, fresh);
}
