// The archived reports in the API: listing and downloads, filtered by what each account may see,
// over a real loopback HTTP server and a real SQLite file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "collector/http/dashboard_server.h"
#include "collector/report_archive.h"
#include "collector/test_reports.h"
#include "collector/users.h"
#include "common/crypto.h"
#include "temp_dir.h"

namespace vigie::collector::http {
namespace {

using nlohmann::json;
using testing::At;
using ::testing::HasSubstr;
using testing::kNowSeconds;

constexpr const char* kPassword = "un mot de passe long";

class ReportsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string database = dir_ / "collector.db";
    auto users = UserDirectory::Open(database);
    ASSERT_TRUE(users.ok());
    for (const auto& [name, role, ministry] :
         {std::tuple{"inter", Role::kInterministerial, ""}, std::tuple{"mi", Role::kMinistry, "MI"},
          std::tuple{"mef", Role::kMinistry, "MEFSIN"}}) {
      User user;
      user.name = name;
      user.role = role;
      user.ministry = ministry;
      ASSERT_TRUE(users->Add(user, kPassword, At(kNowSeconds)).ok());
      // API tokens rather than logins: each login costs an Argon2id hash.
      auto token = users->CreateToken(name, "test", At(kNowSeconds));
      ASSERT_TRUE(token.ok());
      tokens_[name] = *token;
    }
    auto archive = ReportArchive::Open(database);
    ASSERT_TRUE(archive.ok());
    mi_xlsx_ = Archive(*archive, "MI", ReportFormat::kXlsx, "PK\x03\x04 classeur du MI");
    mi_csv_ = Archive(*archive, "MI", ReportFormat::kCsv, "\xEF\xBB\xBFMI;1\r\n");
    mef_html_ = Archive(*archive, "MEFSIN", ReportFormat::kHtml, "<!DOCTYPE html><p>MEFSIN</p>");
    all_html_ = Archive(*archive, "", ReportFormat::kHtml, "<!DOCTYPE html><p>tous</p>");

    DashboardOptions options;
    options.listen = "127.0.0.1:0";
    options.database = database;
    auto server = DashboardServer::Start(options, JudgingRules(), [] { return At(kNowSeconds); });
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
  }

  std::int64_t Archive(ReportArchive& archive, const std::string& ministry, ReportFormat format,
                       const std::string& content) {
    ArchivedReport report;
    report.ministry = ministry;
    report.period = ReportPeriod::kMonthly;
    report.first_day = Date{std::chrono::year{2026} / 10 / 1};
    report.last_day = Date{std::chrono::year{2026} / 10 / 31};
    report.format = format;
    report.path =
        ArchivedReportPath(dir_ / "rapports", ministry, report.period, report.last_day, format);
    dir_.Write("rapports/" + std::filesystem::path(report.path).filename().string(), content);
    report.produced_at = At(kNowSeconds);
    auto id = archive.Record(report);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  httplib::Result Get(const std::string& user, const std::string& path) {
    httplib::Client client("127.0.0.1", server_->port());
    auto login =
        client.Post("/api/v1/session", json{{"name", user}, {"password", kPassword}}.dump(),
                    "application/json");
    EXPECT_TRUE(login && login->status == 200);
    const std::string cookie = login->get_header_value("Set-Cookie");
    return client.Get(path, {{"Cookie", cookie.substr(0, cookie.find(';'))}});
  }

  std::vector<std::int64_t> ListedIds(const std::string& user) {
    auto res = Get(user, "/api/v1/reports");
    EXPECT_TRUE(res && res->status == 200);
    const json body = json::parse(res->body);
    std::vector<std::int64_t> ids;
    for (const auto& report : body["reports"]) ids.push_back(report["id"]);
    return ids;
  }

  static std::string Download(std::int64_t id) {
    return "/api/v1/reports/" + std::to_string(id) + "/download";
  }

  testing::TempDir dir_;
  std::unique_ptr<DashboardServer> server_;
  std::map<std::string, std::string> tokens_;
  std::int64_t mi_xlsx_ = 0, mi_csv_ = 0, mef_html_ = 0, all_html_ = 0;
};

TEST_F(ReportsApiTest, EachAccountListsOnlyWhatItMaySee) {
  EXPECT_THAT(ListedIds("inter"),
              ::testing::UnorderedElementsAre(mi_xlsx_, mi_csv_, mef_html_, all_html_));
  EXPECT_THAT(ListedIds("mi"), ::testing::UnorderedElementsAre(mi_xlsx_, mi_csv_));
  EXPECT_THAT(ListedIds("mef"), ::testing::UnorderedElementsAre(mef_html_));

  const json listed = json::parse(Get("mi", "/api/v1/reports")->body)["reports"];
  const json& xlsx = listed[0]["format"] == "xlsx" ? listed[0] : listed[1];
  EXPECT_EQ(xlsx["scope"], "Ministère de l'Intérieur");
  EXPECT_EQ(xlsx["period"], "monthly");
  EXPECT_EQ(xlsx["periodLabel"], "mensuel");
  EXPECT_EQ(xlsx["firstDay"], "2026-10-01");
  EXPECT_EQ(xlsx["lastDay"], "2026-10-31");
  EXPECT_EQ(xlsx["size"], std::string("PK\x03\x04 classeur du MI").size());
  EXPECT_EQ(xlsx["sha256"], Sha256Hex("PK\x03\x04 classeur du MI"));
  EXPECT_EQ(xlsx["available"], true);
  EXPECT_EQ(xlsx["download"], Download(mi_xlsx_));
  EXPECT_EQ(Get("mi", "/api/v1/reports")->status, 200);
  EXPECT_EQ(httplib::Client("127.0.0.1", server_->port()).Get("/api/v1/reports")->status, 401);
}

TEST_F(ReportsApiTest, DownloadsCarryTheirTypeAndFileName) {
  auto xlsx = Get("mi", Download(mi_xlsx_));
  ASSERT_TRUE(xlsx);
  EXPECT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->body, "PK\x03\x04 classeur du MI");
  EXPECT_EQ(xlsx->get_header_value("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx->get_header_value("Content-Disposition"),
            "attachment; filename=\"vigie-MI-monthly-2026-10-31.xlsx\"");
  auto csv = Get("mi", Download(mi_csv_));
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  auto html = Get("inter", Download(all_html_));
  EXPECT_EQ(html->status, 200);
  EXPECT_EQ(html->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(html->get_header_value("Content-Disposition"),
            "attachment; filename=\"vigie-interministeriel-monthly-2026-10-31.html\"");
}

TEST_F(ReportsApiTest, AnotherMinistrysReportIsNotFoundLikeAMissingOne) {
  for (const auto& path : {Download(mef_html_), Download(all_html_), Download(99999),
                           std::string("/api/v1/reports/abc/download")}) {
    auto res = Get("mi", path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(json::parse(res->body)["error"]["code"], "NOT_FOUND");
    EXPECT_THAT(res->body, ::testing::Not(HasSubstr("MEFSIN")));
  }
  EXPECT_EQ(Get("mef", Download(mi_xlsx_))->status, 404);
  EXPECT_EQ(Get("mef", Download(mef_html_))->status, 200);
}

TEST_F(ReportsApiTest, AFileDeletedOrChangedByHandIsListedAsMissingAndGone) {
  std::filesystem::remove(dir_ / "rapports/vigie-MI-monthly-2026-10-31.csv");
  dir_.Write("rapports/vigie-MI-monthly-2026-10-31.xlsx", "tronqué");
  const json listed = json::parse(Get("mi", "/api/v1/reports")->body);
  for (const auto& report : listed["reports"]) {
    EXPECT_EQ(report["available"], false);
    EXPECT_EQ(report["download"], "");
  }
  for (auto id : {mi_csv_, mi_xlsx_}) {
    auto res = Get("mi", Download(id));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 410);
    EXPECT_THAT(json::parse(res->body)["error"]["message"].get<std::string>(),
                HasSubstr("n'est plus dans l'archive"));
  }
}

}  // namespace
}  // namespace vigie::collector::http
