// The dashboard's API over a real loopback HTTP server and a real SQLite file.
#include "collector/http/dashboard_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "collector/ingest_metrics.h"
#include "collector/raw_sql.h"
#include "collector/store.h"
#include "collector/test_reports.h"
#include "collector/users.h"
#include "common/crypto.h"
#include "common/wire.h"
#include "prometheus_text.h"
#include "temp_dir.h"

namespace vigie::collector::http {
namespace {

using nlohmann::json;
using ::testing::AllOf;
using testing::At;
using ::testing::HasSubstr;
using testing::kNowSeconds;
using ::testing::Not;

constexpr const char* kPassword = "un mot de passe long";
const std::string kScript = "<script>alert(1)</script>";
const std::string kImage = "\"><img src=x onerror=alert(1)>";
const std::string kLong = "pc-" + std::string(5000, 'x');
const std::string kNotUtf8 = "pc-\xff\xfe-latin1-\xe9t\xe9";
const std::string kFormula = "=HYPERLINK(\"http://evil\")";

class DashboardServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string database = dir_ / "collector.db";
    auto store = Store::Open(database);
    ASSERT_TRUE(store.ok());
    Ingest(*store, "mi-1", "pc-mi-1", "MI", VerdictStatus::kNonCompliant,
           {Use(ServiceCategory::kCollaboration, "mi.onmicrosoft.com")});
    Ingest(*store, "mi-2", "pc-mi-2", "MI", VerdictStatus::kCompliant, {});
    Ingest(*store, "mef-1", kScript, "MEFSIN", VerdictStatus::kNonCompliant,
           {Use(ServiceCategory::kMail, "secret-mef.onmicrosoft.com")});
    Ingest(*store, "mef-2", kImage, "MEFSIN", VerdictStatus::kToReview, {});
    Ingest(*store, "mef-3", kLong, "MEFSIN", VerdictStatus::kCompliant, {});
    Ingest(*store, "mef-4", kNotUtf8, "MEFSIN", VerdictStatus::kCompliant, {});
    Ingest(*store, "mef-5", kFormula, "MEFSIN", VerdictStatus::kCompliant, {});
    doctrine::Derogation derogation{
        "MEFSIN",  ServiceCategory::kMail,         "SG",
        "REF-MEF", Date{std::chrono::days{20000}}, Date{std::chrono::days{20700}},
        ""};
    ASSERT_TRUE(store->AddDerogation(derogation, "op", At(kNowSeconds)).ok());

    auto users = UserDirectory::Open(database);
    ASSERT_TRUE(users.ok());
    AddUser(*users, "admin", Role::kAdmin, "");
    AddUser(*users, "inter", Role::kInterministerial, "");
    AddUser(*users, "mi", Role::kMinistry, "MI");
    auto token = users->CreateToken("mi", "script", At(kNowSeconds));
    ASSERT_TRUE(token.ok());
    mi_token_ = *token;
    auto admin_token = users->CreateToken("admin", "prometheus", At(kNowSeconds));
    ASSERT_TRUE(admin_token.ok());
    admin_token_ = *admin_token;

    ingest_metrics_.Stored(0.002);
    ingest_metrics_.Refused("unauthenticated", 0.0001);
    Restart(JudgingRules(), At(kNowSeconds));
  }

  // A new server over the same database, as after a collector restart.
  void Restart(const JudgingRules& rules, Timestamp now) {
    if (server_) server_->Stop();
    server_.reset();
    DashboardOptions options;
    options.listen = "127.0.0.1:0";
    options.database = dir_ / "collector.db";
    options.ingest_metrics = &ingest_metrics_;
    auto server = DashboardServer::Start(options, rules, [now] { return now; });
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
  }

  static Evidence Use(ServiceCategory service, std::string tenant) {
    Evidence evidence;
    evidence.product = "client";
    evidence.service = service;
    evidence.kind = EvidenceKind::kSignedIn;
    evidence.tenant = std::move(tenant);
    evidence.source = "test";
    return evidence;
  }

  static void Ingest(Store& store, const std::string& key, const std::string& hostname,
                     const std::string& ministry, VerdictStatus status,
                     std::vector<Evidence> evidence) {
    InventoryReport report = testing::ValidReport("report-" + key, key, ministry);
    report.host.hostname = hostname;
    report.evidence = std::move(evidence);
    const Verdict verdict{status, {"raison de " + hostname}};
    report.verdict = verdict;
    ASSERT_TRUE(
        store.Ingest(report, ToProto(report).SerializeAsString(), verdict, At(kNowSeconds)).ok());
  }

  static void AddUser(UserDirectory& users, const std::string& name, Role role,
                      const std::string& ministry) {
    User user;
    user.name = name;
    user.role = role;
    user.ministry = ministry;
    ASSERT_TRUE(users.Add(user, kPassword, At(kNowSeconds)).ok());
  }

  httplib::Client Client() const { return httplib::Client("127.0.0.1", server_->port()); }

  struct Session {
    std::string cookie;
    std::string csrf;
  };

  Session Login(const std::string& name) {
    auto client = Client();
    auto res = client.Post("/api/v1/session", json{{"name", name}, {"password", kPassword}}.dump(),
                           "application/json");
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 200) << res->body;
    const std::string cookie = res->get_header_value("Set-Cookie");
    return {cookie.substr(0, cookie.find(';')), json::parse(res->body)["csrfToken"]};
  }

  httplib::Result Get(const Session& session, const std::string& path) {
    auto client = Client();
    return client.Get(path, {{"Cookie", session.cookie}});
  }

  httplib::Result GetWithToken(const std::string& token, const std::string& path) {
    auto client = Client();
    return client.Get(path, {{"Authorization", "Bearer " + token}});
  }

  static json Body(const httplib::Result& res) {
    EXPECT_TRUE(res);
    return json::parse(res->body);
  }

  testing::TempDir dir_;
  IngestMetrics ingest_metrics_;
  std::unique_ptr<DashboardServer> server_;
  std::string mi_token_;
  std::string admin_token_;
};

const char* const kDataRoutes[] = {
    "/api/v1/session",           "/api/v1/vocabulary", "/api/v1/summary",     "/api/v1/ministries",
    "/api/v1/ministries/MI",     "/api/v1/hosts",      "/api/v1/hosts.csv",   "/api/v1/hosts/mi-1",
    "/api/v1/services",          "/api/v1/tenants",    "/api/v1/derogations", "/metrics",
    "/api/v1/trends?ministry=MI"};

TEST_F(DashboardServerTest, RefusesUnauthenticatedRequests) {
  auto client = Client();
  for (const char* route : kDataRoutes) {
    auto res = client.Get(route);
    ASSERT_TRUE(res) << route;
    EXPECT_EQ(res->status, 401) << route;
    EXPECT_EQ(json::parse(res->body)["error"]["code"], "UNAUTHENTICATED") << route;
    EXPECT_THAT(res->body, Not(HasSubstr("pc-mi"))) << route;
  }
  auto forged = GetWithToken("vigie_" + std::string(64, 'a'), "/api/v1/hosts");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401);
  auto bad_cookie = client.Get("/api/v1/hosts", {{"Cookie", "vigie_session=deadbeef"}});
  ASSERT_TRUE(bad_cookie);
  EXPECT_EQ(bad_cookie->status, 401);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(DashboardServerTest, LoginSetsAStrictHttpOnlyCookie) {
  auto client = Client();
  auto res = client.Post("/api/v1/session", json{{"name", "mi"}, {"password", kPassword}}.dump(),
                         "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(cookie, Not(HasSubstr("Secure")));  // Plain HTTP here; HTTPS adds it.
  const json body = json::parse(res->body);
  EXPECT_EQ(body["role"], "ministry");
  EXPECT_EQ(body["ministry"], "MI");
  EXPECT_EQ(res->get_header_value("Content-Security-Policy").find("script-src 'self'") !=
                std::string::npos,
            true);
}

TEST_F(DashboardServerTest, LoginRefusesWrongPasswordsAndNonJsonBodies) {
  auto client = Client();
  auto wrong = client.Post("/api/v1/session", json{{"name", "mi"}, {"password", "faux"}}.dump(),
                           "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(json::parse(wrong->body)["error"]["code"], "BAD_CREDENTIALS");
  EXPECT_TRUE(wrong->get_header_value("Set-Cookie").empty());
  // What a cross-site HTML form could send.
  auto form = client.Post("/api/v1/session", "name=mi&password=un+mot+de+passe+long",
                          "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  auto garbage = client.Post("/api/v1/session", "{not json", "application/json");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
}

TEST_F(DashboardServerTest, RateLimitsFailedLogins) {
  auto client = Client();
  for (int i = 0; i < 5; ++i) {
    auto res = client.Post("/api/v1/session", json{{"name", "inter"}, {"password", "faux"}}.dump(),
                           "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
  }
  // Even the right password is refused until the window has passed.
  auto res = client.Post("/api/v1/session", json{{"name", "inter"}, {"password", kPassword}}.dump(),
                         "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_FALSE(res->get_header_value("Retry-After").empty());
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "RATE_LIMITED");
}

TEST_F(DashboardServerTest, StateChangingRequestsNeedTheCsrfToken) {
  const Session session = Login("inter");
  auto client = Client();
  auto without = client.Delete("/api/v1/session", {{"Cookie", session.cookie}});
  ASSERT_TRUE(without);
  EXPECT_EQ(without->status, 403);
  EXPECT_EQ(json::parse(without->body)["error"]["code"], "CSRF");
  auto wrong = client.Delete("/api/v1/session",
                             {{"Cookie", session.cookie}, {"X-CSRF-Token", "0" + session.csrf}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(Get(session, "/api/v1/summary")->status, 200);  // Still logged in.

  auto logout = client.Delete("/api/v1/session",
                              {{"Cookie", session.cookie}, {"X-CSRF-Token", session.csrf}});
  ASSERT_TRUE(logout);
  EXPECT_EQ(logout->status, 200);
  EXPECT_THAT(logout->get_header_value("Set-Cookie"), HasSubstr("Max-Age=0"));
  EXPECT_EQ(Get(session, "/api/v1/summary")->status, 401);
}

TEST_F(DashboardServerTest, MinistryAccountNeverSeesAnotherMinistry) {
  const Session session = Login("mi");
  for (const char* route : kDataRoutes) {
    auto res = Get(session, route);
    ASSERT_TRUE(res) << route;
    EXPECT_THAT(res->body, Not(HasSubstr("MEFSIN"))) << route;
    EXPECT_THAT(res->body, Not(HasSubstr("secret-mef"))) << route;
    EXPECT_THAT(res->body, Not(HasSubstr("alert(1)"))) << route;
  }
  const json summary = Body(Get(session, "/api/v1/summary"));
  ASSERT_EQ(summary["ministries"].size(), 1u);
  EXPECT_EQ(summary["ministries"][0]["code"], "MI");
  EXPECT_EQ(summary["total"]["hosts"], 2);
  EXPECT_EQ(Body(Get(session, "/api/v1/ministries"))["ministries"].size(), 1u);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts"))["total"], 2);

  EXPECT_EQ(Get(session, "/api/v1/ministries/MEFSIN")->status, 403);
  EXPECT_EQ(Get(session, "/api/v1/hosts?ministry=MEFSIN")->status, 403);
  EXPECT_EQ(Get(session, "/api/v1/hosts.csv?ministry=MEFSIN")->status, 403);
  EXPECT_EQ(Get(session, "/api/v1/derogations?ministry=MEFSIN")->status, 403);
  EXPECT_EQ(Get(session, "/api/v1/trends?ministry=MEFSIN")->status, 403);
  EXPECT_EQ(Get(session, "/metrics")->status, 403);
  // Another ministry's host looks exactly like a host that does not exist.
  auto other = Get(session, "/api/v1/hosts/mef-1");
  auto missing = Get(session, "/api/v1/hosts/no-such-host");
  EXPECT_EQ(other->status, 404);
  EXPECT_EQ(other->body, missing->body);
  EXPECT_EQ(Get(session, "/api/v1/hosts/mi-1")->status, 200);
}

TEST_F(DashboardServerTest, ApiTokensCarryTheirUsersRole) {
  auto hosts = GetWithToken(mi_token_, "/api/v1/hosts");
  ASSERT_TRUE(hosts);
  EXPECT_EQ(hosts->status, 200);
  EXPECT_EQ(json::parse(hosts->body)["total"], 2);
  EXPECT_EQ(GetWithToken(mi_token_, "/api/v1/hosts/mef-1")->status, 404);
  EXPECT_EQ(GetWithToken(mi_token_, "/api/v1/ministries/MEFSIN")->status, 403);
}

TEST_F(DashboardServerTest, InterministerialAccountSeesEveryMinistry) {
  const Session session = Login("inter");
  const json summary = Body(Get(session, "/api/v1/summary"));
  EXPECT_EQ(summary["ministries"].size(), 2u);
  EXPECT_EQ(summary["total"]["hosts"], 7);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts"))["total"], 7);
  EXPECT_EQ(Get(session, "/api/v1/hosts/mef-1")->status, 200);
  const json tenants = Body(Get(session, "/api/v1/tenants"));
  EXPECT_EQ(tenants["tenants"].size(), 2u);
  const json derogations = Body(Get(session, "/api/v1/derogations"));
  ASSERT_EQ(derogations["derogations"].size(), 1u);
  EXPECT_EQ(derogations["derogations"][0]["reference"], "REF-MEF");
  const json ministry = Body(Get(session, "/api/v1/ministries/MEFSIN"));
  EXPECT_EQ(ministry["hosts"], 5);
  EXPECT_EQ(ministry["verdicts"]["NON_COMPLIANT"], 1);
  EXPECT_EQ(Get(session, "/api/v1/ministries/NOPE")->status, 404);
}

// The start-up and daily re-evaluation of every host runs in the background of `serve`: while it
// judges hosts, the dashboard answers, logs in (a session row is written) and reports are stored.
TEST_F(DashboardServerTest, AnswersWhileHostsAreReevaluated) {
  auto store = Store::Open(dir_ / "collector.db");
  ASSERT_TRUE(store.ok());
  int judged = 0;
  bool answered = false;
  const HostEvaluator evaluate = [&](const InventoryReport&,
                                     const std::vector<doctrine::Derogation>&, Timestamp,
                                     const std::string&) {
    if (judged++ == 0) {
      const Session session = Login("admin");
      EXPECT_EQ(Body(Get(session, "/api/v1/summary"))["total"]["hosts"], 7);
      // mi-2 reports during the pass: its new report's verdict stands.
      InventoryReport report = testing::ValidReport("report-mi-2-again", "mi-2", "MI");
      report.host.hostname = "pc-mi-2";
      const Verdict verdict{VerdictStatus::kNonCompliant, {"nouveau rapport"}};
      EXPECT_TRUE(
          store->Ingest(report, ToProto(report).SerializeAsString(), verdict, At(kNowSeconds + 30))
              .ok());
      answered = !HasFailure();
    }
    return Verdict{VerdictStatus::kCompliant, {"réévalué"}};
  };
  auto changed = store->Reevaluate("MI", evaluate, At(kNowSeconds + 60), "test");
  ASSERT_TRUE(changed.ok()) << changed.status().message();
  EXPECT_TRUE(answered);
  EXPECT_EQ(judged, 2);
  const Session session = Login("inter");
  const json mi = Body(Get(session, "/api/v1/hosts?ministry=MI&sort=hostname"));
  ASSERT_EQ(mi["hosts"].size(), 2u);
  EXPECT_EQ(mi["hosts"][0]["verdict"], "COMPLIANT");
  EXPECT_EQ(mi["hosts"][1]["verdict"], "NON_COMPLIANT");
}

TEST_F(DashboardServerTest, PagesHostsByCursorsBothWays) {
  const Session session = Login("inter");
  const std::string list = "/api/v1/hosts?ministry=MEFSIN&perPage=2&sort=-verdict";
  const json all = Body(Get(session, "/api/v1/hosts?ministry=MEFSIN&perPage=200&sort=-verdict"));
  ASSERT_EQ(all["hosts"].size(), 5u);
  EXPECT_TRUE(all["previous"].is_null());
  EXPECT_TRUE(all["next"].is_null());
  std::vector<std::string> forward;
  std::vector<json> pages = {Body(Get(session, list))};
  EXPECT_TRUE(pages[0]["previous"].is_null());
  while (!pages.back()["next"].is_null()) {
    pages.push_back(Body(Get(session, list + "&after=" + pages.back()["next"].get<std::string>())));
    ASSERT_LE(pages.size(), 3u);
  }
  ASSERT_EQ(pages.size(), 3u);
  for (const json& page : pages) {
    EXPECT_EQ(page["total"], 5);
    for (const json& host : page["hosts"]) forward.push_back(host["id"]);
  }
  std::vector<std::string> expected;
  for (const json& host : all["hosts"]) expected.push_back(host["id"]);
  EXPECT_EQ(forward, expected);
  // Back from the last page gives the same pages, the first one saying nothing precedes it.
  const json middle =
      Body(Get(session, list + "&before=" + pages[2]["previous"].get<std::string>()));
  EXPECT_EQ(middle["hosts"], pages[1]["hosts"]);
  const json first = Body(Get(session, list + "&before=" + middle["previous"].get<std::string>()));
  EXPECT_EQ(first["hosts"], pages[0]["hosts"]);
  EXPECT_TRUE(first["previous"].is_null());
  EXPECT_EQ(first["next"], pages[0]["next"]);
}

TEST_F(DashboardServerTest, RefusesCursorsOfMissingOrHiddenHosts) {
  const Session inter = Login("inter");
  const json mef = Body(Get(inter, "/api/v1/hosts?ministry=MEFSIN&perPage=1"));
  const std::string cursor = mef["next"].get<std::string>();
  // A ministry account cannot place its list after another ministry's host.
  auto hidden = Get(Login("mi"), "/api/v1/hosts?after=" + cursor);
  ASSERT_TRUE(hidden);
  EXPECT_EQ(hidden->status, 400);
  EXPECT_EQ(json::parse(hidden->body)["error"]["code"], "INVALID_ARGUMENT");
  auto gone = Get(inter, "/api/v1/hosts?after=999999");
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 400);
  EXPECT_NE(json::parse(gone->body)["error"]["message"].get<std::string>().find("première page"),
            std::string::npos);
}

TEST_F(DashboardServerTest, FiltersSortsAndPagesHosts) {
  const Session session = Login("inter");
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?verdict=NON_COMPLIANT"))["total"], 2);
  const json collaboration = Body(Get(session, "/api/v1/hosts?service=COLLABORATION"));
  ASSERT_EQ(collaboration["total"], 1);
  EXPECT_EQ(collaboration["hosts"][0]["hostname"], "pc-mi-1");
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?os=WINDOWS"))["total"], 0);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?q=PC-MI"))["total"], 2);
  // From 3 characters, anywhere in the name (a trigram index); shorter, at its start.
  const json anywhere = Body(Get(session, "/api/v1/hosts?q=Mi-1"));
  ASSERT_EQ(anywhere["total"], 1);
  EXPECT_EQ(anywhere["hosts"][0]["hostname"], "pc-mi-1");
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?q=mi"))["total"], 0);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?q=Pc"))["total"], 4);
  // Every character is literal, quotes and FTS syntax included.
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?q=%3Cscript%3E"))["total"], 1);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?q=HYPERLINK(%22"))["total"], 1);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?q=%22%20OR%20pc"))["total"], 0);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?q=mi-*"))["total"], 0);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?q=pc-mi-1&verdict=NON_COMPLIANT"))["total"], 1);
  // Totals from the counters agree with the rows.
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?ministry=MEFSIN&verdict=COMPLIANT"))["total"], 3);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?service=MAIL"))["total"], 1);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?service=MAIL&ministry=MI"))["total"], 0);
  // Totals by system come from their own counters.
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?os=LINUX"))["total"], 7);
  EXPECT_EQ(Body(Get(session, "/api/v1/hosts?os=LINUX&ministry=MI&verdict=COMPLIANT"))["total"], 1);
  for (const char* bad :
       {"/api/v1/hosts?verdict=GREEN", "/api/v1/hosts?sort=colour", "/api/v1/hosts?perPage=1000",
        "/api/v1/hosts?after=abc", "/api/v1/hosts?after=0", "/api/v1/hosts?after=1&before=2",
        "/api/v1/hosts?service=TELEPATHY", "/api/v1/hosts?os=BEOS"}) {
    auto res = Get(session, bad);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad;
    EXPECT_EQ(json::parse(res->body)["error"]["code"], "INVALID_ARGUMENT") << bad;
  }
  auto unknown = Get(session, "/api/v1/nothing-here");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(json::parse(unknown->body)["error"]["code"], "NOT_FOUND");
}

TEST_F(DashboardServerTest, TrendsReadTheDailySnapshots) {
  {
    auto store = Store::Open(dir_ / "collector.db");
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->WriteDailySnapshot(Today(At(kNowSeconds)), MinistryList::BuiltIn()).ok());
  }
  const Session session = Login("mi");
  const json trend = Body(Get(session, "/api/v1/trends?ministry=MI&days=7"));
  ASSERT_EQ(trend["days"].size(), 1u);
  EXPECT_EQ(trend["days"][0]["verdicts"]["NON_COMPLIANT"], 1);
  EXPECT_EQ(trend["days"][0]["verdicts"]["COMPLIANT"], 1);
  EXPECT_EQ(Get(session, "/api/v1/trends")->status, 400);
  EXPECT_EQ(Get(session, "/api/v1/trends?ministry=MI&days=0")->status, 400);
}

TEST_F(DashboardServerTest, HostDetailExplainsTheVerdict) {
  const Session session = Login("mi");
  const json host = Body(Get(session, "/api/v1/hosts/mi-1"));
  EXPECT_EQ(host["verdict"], "NON_COMPLIANT");
  EXPECT_EQ(host["reasons"][0], "raison de pc-mi-1");
  ASSERT_EQ(host["evidence"].size(), 1u);
  EXPECT_EQ(host["evidence"][0]["service"], "COLLABORATION");
  EXPECT_EQ(host["evidence"][0]["tenant"], "mi.onmicrosoft.com");
  EXPECT_EQ(host["history"][0]["cause"], "report");
}

TEST_F(DashboardServerTest, HostileHostNamesComeBackAsData) {
  const Session session = Login("admin");
  const json hosts = Body(Get(session, "/api/v1/hosts?ministry=MEFSIN&perPage=200"));
  std::set<std::string> names;
  for (const auto& host : hosts["hosts"]) names.insert(host["hostname"].get<std::string>());
  EXPECT_TRUE(names.count(kScript));
  EXPECT_TRUE(names.count(kImage));
  EXPECT_TRUE(names.count(kLong));
  EXPECT_TRUE(names.count(kFormula));
  // Invalid UTF-8 is replaced, never passed through nor dropped.
  EXPECT_TRUE(names.count("pc-\xEF\xBF\xBD\xEF\xBF\xBD-latin1-\xEF\xBF\xBDt\xEF\xBF\xBD"));

  auto csv = Get(session, "/api/v1/hosts.csv?ministry=MEFSIN");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_THAT(csv->get_header_value("Content-Disposition"), HasSubstr("attachment"));
  EXPECT_THAT(csv->body, HasSubstr("\"'=HYPERLINK(\"\"http://evil\"\")\""));
  EXPECT_THAT(csv->body, HasSubstr("\"\"\"><img src=x onerror=alert(1)>\""));
  EXPECT_THAT(csv->body, Not(HasSubstr("\xff")));
}

TEST_F(DashboardServerTest, MetricsCountHostsAndRequests) {
  ASSERT_EQ(GetWithToken(admin_token_, "/api/v1/summary")->status, 200);
  auto res = GetWithToken(admin_token_, "/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->body, HasSubstr("vigie_hosts{ministry=\"MI\",verdict=\"NON_COMPLIANT\"} 1"));
  EXPECT_THAT(res->body, HasSubstr("vigie_reports_stored_total 7"));
  EXPECT_THAT(res->body,
              HasSubstr("vigie_http_requests_total{route=\"/api/v1/summary\",code=\"200\"} 1"));
  EXPECT_THAT(res->body, HasSubstr("vigie_http_request_duration_seconds_bucket{route=\"/api/v1/"
                                   "summary\",le=\"+Inf\"} 1"));
  std::string error;
  const auto samples = testing::ParsePrometheusText(res->body, error);
  ASSERT_EQ(error, "") << res->body;
  EXPECT_EQ(samples.at("vigie_ingest_reports_received_total"), 2);
  EXPECT_EQ(samples.at("vigie_ingest_reports_stored_total"), 1);
  EXPECT_EQ(samples.at("vigie_ingest_reports_refused_total{reason=\"unauthenticated\"}"), 1);
  EXPECT_EQ(samples.at("vigie_ingest_duration_seconds_count"), 2);
}

TEST_F(DashboardServerTest, SessionsSurviveARestartAndAreStoredHashed) {
  const Session session = Login("mi");
  Restart(JudgingRules(), At(kNowSeconds + 3600));
  EXPECT_EQ(Get(session, "/api/v1/hosts")->status, 200);
  const std::string id = session.cookie.substr(session.cookie.find('=') + 1);
  const auto stored = testing::QueryColumn(dir_ / "collector.db", "SELECT id_hash FROM sessions");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0], Sha256Hex(id));
  EXPECT_NE(stored[0], id);
  // The CSRF token is the session's, after the restart too.
  auto client = Client();
  auto refused = client.Delete("/api/v1/session", {{"Cookie", session.cookie}});
  EXPECT_EQ(refused->status, 403);
  auto logout = client.Delete("/api/v1/session",
                              {{"Cookie", session.cookie}, {"X-CSRF-Token", session.csrf}});
  EXPECT_EQ(logout->status, 200);
  EXPECT_EQ(Get(session, "/api/v1/hosts")->status, 401);
  Restart(JudgingRules(), At(kNowSeconds + 3600));
  EXPECT_EQ(Get(session, "/api/v1/hosts")->status, 401);
  EXPECT_TRUE(testing::QueryColumn(dir_ / "collector.db", "SELECT id_hash FROM sessions").empty());
}

TEST_F(DashboardServerTest, SessionsExpireAfterEightIdleHours) {
  const Session session = Login("mi");
  Restart(JudgingRules(), At(kNowSeconds + 7 * 3600));
  EXPECT_EQ(Get(session, "/api/v1/hosts")->status, 200);  // Used: the idle time starts again.
  Restart(JudgingRules(), At(kNowSeconds + 14 * 3600));
  EXPECT_EQ(Get(session, "/api/v1/hosts")->status, 200);
  Restart(JudgingRules(), At(kNowSeconds + 23 * 3600));
  EXPECT_EQ(Get(session, "/api/v1/hosts")->status, 401);
}

TEST_F(DashboardServerTest, RemovingAnAccountDeletesItsStoredSessions) {
  Login("mi");
  Login("inter");
  auto users = UserDirectory::Open(dir_ / "collector.db");
  ASSERT_TRUE(users.ok());
  ASSERT_TRUE(users->Remove("mi").ok());
  EXPECT_EQ(testing::QueryColumn(dir_ / "collector.db", "SELECT user_name FROM sessions"),
            std::vector<std::string>{"inter"});
}

TEST_F(DashboardServerTest, OrgUnitFilterIncludesEnclosedUnitsWithinTheCallersScope) {
  auto organisation = MinistryList::Parse(R"toml(
[[ministry]]
code = "MI"
name = "Ministère de l'Intérieur"
[[ministry.org-unit]]
id = "SG"
name = "Secrétariat général"
[[ministry.org-unit]]
id = "DGPN"
name = "Police nationale"
[[ministry.org-unit]]
id = "DGPN.LYON"
name = "Lyon"
parent = "DGPN"
[[ministry]]
code = "MEFSIN"
name = "Ministère de l'Économie"
[[ministry.org-unit]]
id = "DGFIP"
name = "Finances publiques"
)toml",
                                          "organisation.toml");
  ASSERT_TRUE(organisation.ok()) << organisation.status().message();
  {
    auto store = Store::Open(dir_ / "collector.db");
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->MoveHost("mi-1", "DGPN.LYON", "op", At(kNowSeconds)).ok());
    ASSERT_TRUE(store->MoveHost("mi-2", "SG", "op", At(kNowSeconds)).ok());
    ASSERT_TRUE(store->MoveHost("mef-1", "DGFIP", "op", At(kNowSeconds)).ok());
  }
  JudgingRules rules;
  rules.ministries = &*organisation;
  Restart(rules, At(kNowSeconds));

  const Session inter = Login("inter");
  const json dgpn = Body(Get(inter, "/api/v1/hosts?ministry=MI&orgUnit=DGPN"));
  ASSERT_EQ(dgpn["total"], 1);
  EXPECT_EQ(dgpn["hosts"][0]["hostname"], "pc-mi-1");
  EXPECT_EQ(dgpn["hosts"][0]["orgUnit"], "DGPN.LYON");
  EXPECT_EQ(Body(Get(inter, "/api/v1/hosts?ministry=MI&orgUnit=DGPN.LYON"))["total"], 1);
  EXPECT_EQ(Body(Get(inter, "/api/v1/hosts?ministry=MI&orgUnit=SG"))["total"], 1);
  EXPECT_EQ(
      Body(Get(inter, "/api/v1/hosts?ministry=MI&orgUnit=DGPN&verdict=NON_COMPLIANT"))["total"], 1);
  EXPECT_EQ(Body(Get(inter, "/api/v1/hosts?ministry=MI&orgUnit=DGPN&verdict=COMPLIANT"))["total"],
            0);
  EXPECT_EQ(Body(Get(inter, "/api/v1/hosts?ministry=MI&orgUnit=DGPN&q=pc-mi"))["total"], 1);
  auto csv = Get(inter, "/api/v1/hosts.csv?ministry=MI&orgUnit=DGPN");
  EXPECT_THAT(csv->body, HasSubstr("\"pc-mi-1\";\"MI\";\"DGPN.LYON\""));
  EXPECT_THAT(csv->body, Not(HasSubstr("pc-mi-2")));
  auto no_ministry = Get(inter, "/api/v1/hosts?orgUnit=DGPN");
  EXPECT_EQ(no_ministry->status, 400);
  EXPECT_EQ(Get(inter, "/api/v1/hosts?ministry=MI&orgUnit=NOPE")->status, 404);

  // A ministry account filters within its own ministry; another ministry's units do not exist
  // for it, and naming the other ministry is refused.
  const Session mi = Login("mi");
  EXPECT_EQ(Body(Get(mi, "/api/v1/hosts?orgUnit=DGPN"))["total"], 1);
  auto other_unit = Get(mi, "/api/v1/hosts?orgUnit=DGFIP");
  EXPECT_EQ(other_unit->status, 404);
  EXPECT_THAT(other_unit->body, Not(HasSubstr("MEFSIN")));
  EXPECT_EQ(Get(mi, "/api/v1/hosts?ministry=MEFSIN&orgUnit=DGFIP")->status, 403);
  EXPECT_EQ(Get(mi, "/api/v1/hosts.csv?ministry=MEFSIN&orgUnit=DGFIP")->status, 403);
  EXPECT_EQ(Get(mi, "/api/v1/trends?ministry=MEFSIN&orgUnit=DGFIP")->status, 403);
}

TEST_F(DashboardServerTest, RemovedAccountsLoseTheirSessions) {
  const Session session = Login("mi");
  EXPECT_EQ(Get(session, "/api/v1/hosts")->status, 200);
  auto users = UserDirectory::Open(dir_ / "collector.db");
  ASSERT_TRUE(users.ok());
  ASSERT_TRUE(users->Remove("mi").ok());
  EXPECT_EQ(Get(session, "/api/v1/hosts")->status, 401);
  EXPECT_EQ(GetWithToken(mi_token_, "/api/v1/hosts")->status, 401);
}

// HTTPS with a certificate made by the openssl command line: the cookie gets Secure.
TEST(DashboardServerTlsTest, ServesHttpsWithSecureCookies) {
  testing::TempDir dir;
  const std::string database = dir / "collector.db";
  ASSERT_TRUE(Store::Open(database).ok());
  auto users = UserDirectory::Open(database);
  ASSERT_TRUE(users.ok());
  User user;
  user.name = "admin";
  user.role = Role::kAdmin;
  ASSERT_TRUE(users->Add(user, kPassword, At(kNowSeconds)).ok());
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " +
      (dir / "key.pem") + " -out " + (dir / "cert.pem") + " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  DashboardOptions options;
  options.listen = "127.0.0.1:0";
  options.database = database;
  options.tls_cert = dir / "cert.pem";
  options.tls_key = dir / "key.pem";
  auto server = DashboardServer::Start(options, JudgingRules(), [] { return At(kNowSeconds); });
  ASSERT_TRUE(server.ok()) << server.status().message();
  EXPECT_THAT((*server)->url(), ::testing::StartsWith("https://"));
  httplib::SSLClient client("127.0.0.1", (*server)->port());
  client.enable_server_certificate_verification(false);
  auto res = client.Post("/api/v1/session", json{{"name", "admin"}, {"password", kPassword}}.dump(),
                         "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Set-Cookie"), HasSubstr("; Secure"));
  httplib::Client plain("127.0.0.1", (*server)->port());
  EXPECT_FALSE(plain.Get("/healthz"));
}

TEST(DashboardServerStartTest, RefusesBadOptions) {
  testing::TempDir dir;
  const std::string database = dir / "collector.db";
  ASSERT_TRUE(Store::Open(database).ok());
  const auto start = [&](DashboardOptions options) {
    options.database = options.database.empty() ? database : options.database;
    return DashboardServer::Start(options, JudgingRules(), [] { return At(kNowSeconds); }).status();
  };
  DashboardOptions options;
  options.listen = "nonsense";
  EXPECT_THAT(start(options).message(), HasSubstr("is not HOST:PORT"));
  options.listen = "127.0.0.1:0";
  options.tls_cert = dir / "cert.pem";
  EXPECT_THAT(start(options).message(), HasSubstr("give both or neither"));
  options.tls_key = dir / "key.pem";
  EXPECT_THAT(start(options).message(), HasSubstr("cannot load the dashboard's TLS certificate"));
  options.tls_cert.clear();
  options.tls_key.clear();
  options.web_root = dir / "no-web";
  EXPECT_THAT(start(options).message(), HasSubstr("index.html missing"));
  options.web_root.clear();
  options.database = dir / "missing.db";
  EXPECT_FALSE(start(options).ok());
}

// The socket-less handler the API's fuzz target drives answers like the server, from the same
// routes.
TEST(DashboardRequestHandlerTest, AnswersRawRequestsLikeTheServer) {
  testing::TempDir dir;
  const std::string database = dir / "collector.db";
  ASSERT_TRUE(Store::Open(database).ok());
  DashboardOptions options;
  options.database = database;
  const JudgingRules rules;
  auto handler = DashboardRequestHandler::Create(options, rules, [] { return At(kNowSeconds); });
  ASSERT_TRUE(handler.ok()) << handler.status().message();

  EXPECT_THAT((*handler)->Handle("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
              AllOf(HasSubstr("HTTP/1.1 200 OK"), HasSubstr("X-Frame-Options: DENY"),
                    HasSubstr("\r\n\r\nok\n")));
  EXPECT_THAT((*handler)->Handle("GET /api/v1/hosts HTTP/1.1\r\n\r\n"),
              AllOf(HasSubstr("HTTP/1.1 401"), HasSubstr("\"UNAUTHENTICATED\"")));
  EXPECT_THAT((*handler)->Handle("GET /api/v1/nothing HTTP/1.1\r\n\r\n"),
              AllOf(HasSubstr("HTTP/1.1 404"), HasSubstr("\"NOT_FOUND\"")));
  EXPECT_THAT((*handler)->Handle("NOT A REQUEST\r\n\r\n"), HasSubstr("HTTP/1.1 400"));
  EXPECT_EQ((*handler)->Handle(""), "");

  options.database = dir / "missing.db";
  EXPECT_FALSE(
      DashboardRequestHandler::Create(options, rules, [] { return At(kNowSeconds); }).ok());
}

}  // namespace
}  // namespace vigie::collector::http
