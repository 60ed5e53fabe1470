// Times the dashboard's API over a generated fleet: the real HTTP server on loopback, answering
// an admin's and a ministry account's API tokens, each route `runs` times (p50, p95, max).
// Usage: dashboard_benchmark [--hosts N] [--generated G] [--database PATH] [--runs R]
// (docs/benchmarks.md). The first G hosts are generated through Store::Ingest, the others are
// copies of them made in SQL (same counters, triggers included). The database is reused when it
// already holds the hosts; the organisation it was generated with
// (the built-in ministries, each with 4 directions of 3 sites) is written next to it as
// PATH.organisation.toml, for a `vigie-collector serve` over the same fleet.
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "collector/http/dashboard_server.h"
#include "collector/users.h"
#include "fleet_generator.h"

namespace vigie::collector {
namespace {

using Clock = std::chrono::steady_clock;

// 4 directions D1..D4, each with sites D1.S1..D1.S3: hosts sit in the sites.
std::string Organisation(std::vector<std::string>& sites) {
  std::string toml;
  for (int d = 1; d <= 4; ++d) {
    for (int s = 1; s <= 3; ++s)
      sites.push_back("D" + std::to_string(d) + ".S" + std::to_string(s));
  }
  for (const Ministry& ministry : MinistryList::BuiltIn().all()) {
    toml += "[[ministry]]\ncode = \"" + ministry.code + "\"\nname = \"" + ministry.name + "\"\n";
    if (!ministry.tutelle.empty()) toml += "tutelle = \"" + ministry.tutelle + "\"\n";
    for (int d = 1; d <= 4; ++d) {
      const std::string direction = "D" + std::to_string(d);
      toml += "[[ministry.org-unit]]\nid = \"" + direction + "\"\nname = \"Direction " +
              std::to_string(d) + "\"\n";
      for (int s = 1; s <= 3; ++s) {
        toml += "[[ministry.org-unit]]\nid = \"" + direction + ".S" + std::to_string(s) +
                "\"\nname = \"Site " + std::to_string(s) + "\"\nparent = \"" + direction + "\"\n";
      }
    }
  }
  return toml;
}

Result<std::string> TokenFor(UserDirectory& users, const std::string& name, Role role,
                             const std::string& ministry, Timestamp now) {
  auto found = users.Find(name);
  if (!found.ok()) return found.status();
  if (!*found) {
    User user;
    user.name = name;
    user.role = role;
    user.ministry = ministry;
    VIGIE_RETURN_IF_ERROR(users.Add(user, "benchmark password", now));
  }
  return users.CreateToken(name, "benchmark", now);
}

int Fail(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return 1;
}

// Copies the first `base` hosts (their latest report, facts and placement) under new keys and
// names until the database holds `hosts`, in one transaction: the store's triggers keep the
// counters as for ingested hosts, at a fraction of the time of one transaction per report.
Status Replicate(const std::string& database, std::int64_t base, std::int64_t hosts) {
  auto db = sqlite::Database::Open(database, sqlite::Database::Options(), StoreMigrations());
  if (!db.ok()) return db.status();
  std::int64_t report_span = 0;
  {
    auto reports = db->Prepare("SELECT coalesce(max(id), 0) FROM reports");
    if (!reports.ok()) return reports.status();
    if (auto row = reports->Step(); !row.ok()) return row.status();
    report_span = reports->ColumnInt(0);
  }
  std::int64_t present = 0;
  {
    auto hosts_now = db->Prepare("SELECT COUNT(*) FROM hosts");
    if (!hosts_now.ok()) return hosts_now.status();
    if (auto row = hosts_now->Step(); !row.ok()) return row.status();
    present = hosts_now->ColumnInt(0);
  }
  auto transaction = sqlite::Transaction::Begin(*db);
  if (!transaction.ok()) return transaction.status();
  for (std::int64_t copy = present / base; present < hosts; ++copy) {
    const std::int64_t take = std::min(base, hosts - present);
    const std::string k = std::to_string(copy);
    const std::string shift = std::to_string(copy * report_span);
    const std::string limit = std::to_string(take);
    VIGIE_RETURN_IF_ERROR(db->Execute(
        "INSERT INTO reports (id, report_id, host_key, ministry, received_at, scan_finished, "
        "verdict, reasons, payload) SELECT r.id + " +
        shift + ", r.report_id || '-" + k + "', r.host_key || '-" + k +
        "', r.ministry, r.received_at, r.scan_finished, r.verdict, "
        "r.reasons, r.payload FROM reports r JOIN hosts h ON h.latest_report = r.id "
        "WHERE h.id <= " +
        limit));
    VIGIE_RETURN_IF_ERROR(db->Execute(
        "INSERT INTO hosts (host_key, ministry, hostname, os_family, os_name, first_seen, "
        "last_seen, last_scan, latest_report, verdict, reasons, org_unit) SELECT host_key || '-" +
        k + "', ministry, hostname || '-" + k +
        "', os_family, os_name, first_seen, last_seen, "
        "last_scan, latest_report + " +
        shift +
        ", verdict, reasons, org_unit FROM hosts "
        "WHERE id <= " +
        limit));
    VIGIE_RETURN_IF_ERROR(db->Execute(
        "INSERT INTO host_facts (host_key, ministry, kind, key) SELECT f.host_key || '-" + k +
        "', f.ministry, f.kind, f.key FROM host_facts f JOIN hosts h ON h.host_key = f.host_key "
        "WHERE h.id <= " +
        limit));
    present += take;
  }
  return transaction->Commit();
}

int Run(std::int64_t hosts, const std::string& database, int runs, std::int64_t base) {
  std::vector<std::string> sites;
  const std::string organisation_file = database + ".organisation.toml";
  std::ofstream(organisation_file) << Organisation(sites);
  auto organisation = MinistryList::Load(organisation_file);
  if (!organisation.ok()) return Fail(organisation.status());
  const Timestamp now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  {
    auto store = Store::Open(database);
    if (!store.ok()) return Fail(store.status());
    if (!bench::GenerateFleet(*store, std::min(hosts, base), now, sites)) return 1;
  }
  if (hosts > base) {
    const auto start = Clock::now();
    if (Status replicated = Replicate(database, base, hosts); !replicated.ok()) {
      return Fail(replicated);
    }
    std::printf("copied the first %lld hosts up to %lld in %.1f s\n", static_cast<long long>(base),
                static_cast<long long>(hosts),
                std::chrono::duration<double>(Clock::now() - start).count());
  }
  {
    auto store = Store::Open(database);
    if (!store.ok()) return Fail(store.status());
    if (auto written = store->WriteDailySnapshot(Today(now), *organisation); !written.ok()) {
      return Fail(written.status());
    }
  }
  auto users = UserDirectory::Open(database);
  if (!users.ok()) return Fail(users.status());
  auto admin = TokenFor(*users, "bench-admin", Role::kAdmin, "", now);
  if (!admin.ok()) return Fail(admin.status());
  auto ministry = TokenFor(*users, "bench-mi", Role::kMinistry, "MI", now);
  if (!ministry.ok()) return Fail(ministry.status());

  JudgingRules rules;
  rules.ministries = &*organisation;
  http::DashboardOptions options;
  options.listen = "127.0.0.1:0";
  options.database = database;
  auto server = http::DashboardServer::Start(options, rules, [now] { return now; });
  if (!server.ok()) return Fail(server.status());
  httplib::Client client("127.0.0.1", (*server)->port());
  client.set_read_timeout(60, 0);

  struct Route {
    const char* what;
    std::string path;
    const std::string* token;
  };
  const std::vector<Route> routes = {
      {"summary, every ministry (admin)", "/api/v1/summary", &*admin},
      {"summary, one ministry's account", "/api/v1/summary", &*ministry},
      {"ministries", "/api/v1/ministries", &*admin},
      {"one ministry", "/api/v1/ministries/MI", &*admin},
      {"host list, first page, whole fleet", "/api/v1/hosts", &*admin},
      {"host list, one ministry", "/api/v1/hosts?ministry=MI", &*admin},
      {"host list, ministry account", "/api/v1/hosts", &*ministry},
      {"host list, ministry + verdict", "/api/v1/hosts?ministry=MI&verdict=COMPLIANT", &*admin},
      {"host list, org unit (3 sites)", "/api/v1/hosts?ministry=MI&orgUnit=D2", &*admin},
      {"host list, ministry + service", "/api/v1/hosts?ministry=MI&service=CONFERENCING", &*admin},
      {"host list, name prefix", "/api/v1/hosts?q=pc-12345", &*admin},
      {"host list, ministry by last contact", "/api/v1/hosts?ministry=MI&sort=-lastSeen", &*admin},
      {"host list, ministry + OS", "/api/v1/hosts?ministry=MI&os=LINUX", &*admin},
      {"host list, whole fleet + OS", "/api/v1/hosts?os=WINDOWS", &*admin},
      {"host list, ministry + OS + verdict", "/api/v1/hosts?ministry=MI&os=LINUX&verdict=COMPLIANT",
       &*admin},
      // A page in the middle of the fleet, reached by its cursor (a host's row id).
      {"host list, page after a cursor mid-fleet",
       "/api/v1/hosts?after=" + std::to_string(std::max<std::int64_t>(1, hosts / 2)), &*admin},
      {"host detail",
       "/api/v1/hosts/host-" + std::to_string(std::min<std::int64_t>(hosts - 1, 4242)), &*admin},
      {"trend, 90 days", "/api/v1/trends?ministry=MI", &*admin},
  };
  std::printf("| route | request | p50 | p95 | max |\n|---|---|---|---|---|\n");
  for (const Route& route : routes) {
    std::vector<double> millis;
    for (int i = 0; i < runs; ++i) {
      const auto start = Clock::now();
      auto res = client.Get(route.path, {{"Authorization", "Bearer " + *route.token}});
      millis.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (!res || res->status != 200) {
        std::fprintf(stderr, "error: %s answered %d\n", route.path.c_str(), res ? res->status : 0);
        return 1;
      }
    }
    std::sort(millis.begin(), millis.end());
    std::printf("| %s | `%s` | %.2f ms | %.2f ms | %.2f ms |\n", route.what, route.path.c_str(),
                millis[millis.size() / 2], millis[millis.size() * 95 / 100], millis.back());
  }
  return 0;
}

}  // namespace
}  // namespace vigie::collector

int main(int argc, char** argv) {
  CLI::App app{"Times the dashboard's API over a generated database", "dashboard_benchmark"};
  std::int64_t hosts = 1'000'000;
  std::string database = "dashboard-benchmark.db";
  int runs = 50;
  std::int64_t base = 20'000;
  app.add_option("--hosts", hosts, "Hosts in the database")->capture_default_str();
  app.add_option("--generated", base,
                 "Hosts generated through Store::Ingest; the others are copies of them")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}))
      ->capture_default_str();
  app.add_option("--database", database, "Database file (created or reused)")
      ->capture_default_str();
  app.add_option("--runs", runs, "Timed requests per route")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return vigie::collector::Run(hosts, database, runs, base);
}
