// Times the dashboard's API over a generated fleet: the real HTTP server on loopback, answering
// an admin's and a ministry account's API tokens, each route `runs` times (p50, p95, max).
// Usage: dashboard_benchmark [--hosts N] [--database PATH] [--runs R] (docs/benchmarks.md). The
// database is reused when it already holds the hosts; the organisation it was generated with
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

int Run(std::int64_t hosts, const std::string& database, int runs) {
  std::vector<std::string> sites;
  const std::string organisation_file = database + ".organisation.toml";
  std::ofstream(organisation_file) << Organisation(sites);
  auto organisation = MinistryList::Load(organisation_file);
  if (!organisation.ok()) return Fail(organisation.status());
  const Timestamp now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  {
    auto store = Store::Open(database);
    if (!store.ok()) return Fail(store.status());
    if (!bench::GenerateFleet(*store, hosts, now, sites)) return 1;
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
      {"host list, ministry + OS (counted)", "/api/v1/hosts?ministry=MI&os=LINUX", &*admin},
      {"host list, page 100", "/api/v1/hosts?ministry=MI&page=100", &*admin},
      {"host detail", "/api/v1/hosts/host-4242", &*admin},
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
  app.add_option("--hosts", hosts, "Hosts in the database")->capture_default_str();
  app.add_option("--database", database, "Database file (created or reused)")
      ->capture_default_str();
  app.add_option("--runs", runs, "Timed requests per route")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return vigie::collector::Run(hosts, database, runs);
}
