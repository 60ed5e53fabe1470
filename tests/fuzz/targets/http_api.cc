// The dashboard's HTTP API (collector/http) on raw request bytes, without a socket: cpp-httplib's
// request parsing, then Vigie's routes, authentication, CSRF check, parameters and JSON/CSV
// answers, over a real SQLite database holding a few hosts.
//
// The first input byte says who is asking (modulo 4): nobody, an administrator's API token, a
// ministry account's API token (MI), or an administrator's session cookie with its CSRF token;
// the header is inserted after the request line. The rest is the request as a client sends it.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/host_evaluator.h"
#include "collector/http/dashboard_server.h"
#include "collector/store.h"
#include "collector/users.h"
#include "common/doctrine/engine.h"
#include "common/wire.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using namespace vigie;
using namespace std::chrono;

const Timestamp kNow = sys_days{year{2026} / 11 / 20} + hours{12};
constexpr char kPassword[] = "fuzz-password-long-enough";

InventoryReport HostReport(const std::string& id, const std::string& ministry,
                           ServiceCategory service, const std::string& tenant) {
  InventoryReport report;
  report.report_id = "report-" + id;
  report.agent_version = "0.1.0";
  report.host = {id, "pc-" + id, OsFamily::kWindows, "Windows 11", "23H2", "x86_64"};
  report.ministry = ministry;
  report.scan_started = kNow - minutes{5};
  report.scan_finished = kNow - minutes{4};
  Evidence evidence;
  evidence.product = "teams";
  evidence.service = service;
  evidence.kind = EvidenceKind::kSignedIn;
  evidence.tenant = tenant;
  evidence.source = "fuzz";
  report.evidence.push_back(evidence);
  return report;
}

struct Fixture {
  std::unique_ptr<collector::http::DashboardRequestHandler> handler;
  std::string admin_token;
  std::string ministry_token;
  std::string session_headers;
};

void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "http_api fuzz target: cannot set up: %s\n", what);
    std::abort();
  }
}

// Built once per process: a database in a fresh temporary directory, with hosts of two ministries,
// a derogation, an administrator and a ministry account.
Fixture& TheFixture() {
  static Fixture* fixture = [] {
    static char directory[] = "/tmp/vigie-fuzz-http-XXXXXX";
    Require(mkdtemp(directory) != nullptr, "mkdtemp");
    // Runs when libFuzzer or the replay driver exits normally; a crash leaves the database to look
    // at.
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(directory, ignored);
    });
    const std::string database = std::string(directory) + "/collector.db";
    {
      auto store = collector::Store::Open(database);
      Require(store.ok(), "Store::Open");
      for (const auto& report :
           {HostReport("mi-1", "MI", ServiceCategory::kCollaboration, "mi.onmicrosoft.com"),
            HostReport("mi-2", "MI", ServiceCategory::kMail, ""),
            HostReport("mef-1", "MEFSIN", ServiceCategory::kMail, "mef.onmicrosoft.com")}) {
        Require(store
                    ->Ingest(report, ToProto(report).SerializeAsString(),
                             doctrine::EvaluateDefault(report), kNow)
                    .ok(),
                "Store::Ingest");
      }
      const doctrine::Derogation derogation{"MEFSIN", ServiceCategory::kMail, "SG",
                                            "REF-1",  Date{days{20000}},      Date{days{20800}},
                                            ""};
      Require(store->AddDerogation(derogation, "fuzz", kNow).ok(), "AddDerogation");
    }
    auto* made = new Fixture;
    {
      auto users = collector::UserDirectory::Open(database);
      Require(users.ok(), "UserDirectory::Open");
      Require(users->Add({"admin", collector::Role::kAdmin, "", kNow}, kPassword, kNow).ok(),
              "add admin");
      Require(users->Add({"mi", collector::Role::kMinistry, "MI", kNow}, kPassword, kNow).ok(),
              "add mi");
      auto admin = users->CreateToken("admin", "fuzz", kNow);
      auto ministry = users->CreateToken("mi", "fuzz", kNow);
      Require(admin.ok() && ministry.ok(), "CreateToken");
      made->admin_token = *admin;
      made->ministry_token = *ministry;
    }
    static const collector::JudgingRules rules;
    collector::http::DashboardOptions options;
    options.database = database;
    auto handler =
        collector::http::DashboardRequestHandler::Create(options, rules, [] { return kNow; });
    Require(handler.ok(), "DashboardRequestHandler::Create");
    made->handler = std::move(handler).value();

    const std::string body = std::string(R"({"name":"admin","password":")") + kPassword + "\"}";
    const std::string login = made->handler->Handle(
        "POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
    const auto cookie = login.find("vigie_session=");
    const auto json = login.find("\r\n\r\n");
    Require(cookie != std::string::npos && json != std::string::npos, "login");
    const std::string session = login.substr(cookie, login.find(';', cookie) - cookie);
    const auto answer = nlohmann::json::parse(login.substr(json + 4), nullptr, false);
    Require(answer.is_object() && answer.contains("csrfToken"), "login answer");
    made->session_headers =
        "Cookie: " + session + "\r\nX-CSRF-Token: " + answer["csrfToken"].get<std::string>();
    return made;
  }();
  return *fixture;
}

}  // namespace

#ifdef VIGIE_LIBFUZZER
// The set-up (a database, Argon2 password hashes, a login) is not timed as an input: on a loaded
// machine it took longer than libFuzzer's -timeout, which reported it as a hang of the first input.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TheFixture();
  return 0;
}
#endif

VIGIE_FUZZ_TARGET(http_api) {
  Fixture& fixture = TheFixture();
  if (data.empty()) return;
  std::string header;
  switch (static_cast<unsigned char>(data.front()) % 4) {
    case 1:
      header = "Authorization: Bearer " + fixture.admin_token;
      break;
    case 2:
      header = "Authorization: Bearer " + fixture.ministry_token;
      break;
    case 3:
      header = fixture.session_headers;
      break;
    default:
      break;
  }
  std::string request(data.substr(1));
  if (!header.empty()) {
    const auto end_of_line = request.find('\n');
    if (end_of_line == std::string::npos) {
      request += "\r\n" + header;
    } else {
      request.insert(end_of_line + 1, header + "\r\n");
    }
  }
  (void)fixture.handler->Handle(request);
}
