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
#include "fleet_generator.h"

namespace vigie::collector {
namespace {

using Clock = std::chrono::steady_clock;

int Run(std::int64_t hosts, const std::string& database, int runs) {
  auto store = Store::Open(database);
  if (!store.ok()) {
    std::fprintf(stderr, "error: %s\n", store.status().message().c_str());
    return 1;
  }
  const Timestamp now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (!bench::GenerateFleet(*store, hosts, now)) return 1;
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
              static_cast<long long>(hosts), runs, millis[millis.size() / 2],
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
