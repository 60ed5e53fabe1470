#include "collector/demo_fleet.h"

#include <gtest/gtest.h>

#include <set>

#include "collector/raw_sql.h"
#include "collector/summary.h"
#include "collector/test_reports.h"
#include "common/report_json.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using testing::At;
using testing::QueryColumn;
using testing::TempDir;

const std::string kDemoOrganisation =
    std::string(VIGIE_FIXTURES_DIR) + "/../../scripts/demo-organisation.toml";

Evidence Used(ServiceCategory service, std::string tenant) {
  Evidence evidence;
  evidence.product = "m365";
  evidence.service = service;
  evidence.kind = EvidenceKind::kUsed;
  evidence.tenant = std::move(tenant);
  evidence.source = "test";
  evidence.count = 3;
  return evidence;
}

// Scan outputs as vigie-agent writes them (ReportToJson), one of each kind of host.
void WriteTemplates(const TempDir& dir) {
  InventoryReport clean = testing::ValidReport("r1", "h1", "");
  clean.evidence.clear();
  InventoryReport teams = testing::ValidReport("r2", "h2", "");
  teams.evidence = {Used(ServiceCategory::kCollaboration, "contoso.onmicrosoft.com")};
  InventoryReport mail = testing::ValidReport("r3", "h3", "");
  mail.evidence = {Used(ServiceCategory::kMail, "contoso.onmicrosoft.com")};
  InventoryReport subscription = testing::ValidReport("r4", "h4", "");
  subscription.host.os_family = OsFamily::kWindows;
  subscription.evidence.clear();
  OfficeInstall office;
  office.product_id = "O365ProPlusRetail";
  office.version = "16.0.17928.20156";
  office.license_model = LicenseModel::kSubscription;
  office.technology = "ClickToRun";
  subscription.office_installs.push_back(office);
  int i = 0;
  for (const InventoryReport& report : {clean, teams, mail, subscription}) {
    dir.Write("scans/" + std::to_string(++i) + ".json", ReportToJson(report, true));
  }
}

class DemoFleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteTemplates(dir_);
    auto deployment = Deployment::Load(kDemoOrganisation, "", 30);
    ASSERT_TRUE(deployment.ok()) << deployment.status().message();
    deployment_ = std::move(deployment).value();
    auto store = Store::Open(dir_ / "fleet.db");
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::make_unique<Store>(std::move(store).value());
  }

  Result<DemoFleetOutcome> Generate(std::int64_t hosts, int weeks) {
    auto templates = LoadScanOutputs(dir_ / "scans");
    if (!templates.ok()) return templates.status();
    DemoFleetOptions options;
    options.hosts = hosts;
    options.weeks = weeks;
    return GenerateDemoFleet(*store_, *deployment_, *templates, options, now_);
  }

  std::int64_t Count(const std::string& sql) {
    return std::stoll(QueryColumn(dir_ / "fleet.db", sql).at(0));
  }

  TempDir dir_;
  std::unique_ptr<const Deployment> deployment_;
  std::unique_ptr<Store> store_;
  Timestamp now_ = At(testing::kNowSeconds);
};

TEST_F(DemoFleetTest, WritesHostsReportsAndHistoryOverTheWeeks) {
  auto outcome = Generate(600, 6);
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  EXPECT_EQ(outcome->hosts, 600);
  EXPECT_EQ(outcome->snapshot_days, 42);
  EXPECT_EQ(outcome->derogations, 3);
  EXPECT_GT(outcome->stale_hosts, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM hosts"), 600);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM reports"), outcome->reports);
  // Each host reports every few days: several reports per host over six weeks.
  EXPECT_GT(outcome->reports, 600 * 3);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT day) FROM daily_snapshots"), 42);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT hostname) FROM hosts"), 600);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM derogations"), 3);

  // Every ministry of the organisation has hosts, spread over its org units.
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT ministry) FROM hosts"), 7);
  EXPECT_GE(Count("SELECT COUNT(DISTINCT org_unit) FROM hosts WHERE ministry = 'MI'"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM hosts WHERE org_unit = ''"), 0);

  // Silent hosts are stale today, and UNKNOWN; the others reported within the last days.
  const auto stale_before = testing::kNowSeconds - 30 * 86400;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM hosts WHERE last_seen < " + std::to_string(stale_before)),
            outcome->stale_hosts);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM hosts WHERE last_seen < " + std::to_string(stale_before) +
                  " AND verdict != " + std::to_string(static_cast<int>(VerdictStatus::kUnknown))),
            0);
  // The history holds changes after the first reports: migrations, derogations that start and
  // expire, hosts that fall silent.
  EXPECT_GT(Count("SELECT COUNT(*) FROM verdict_changes WHERE cause LIKE 'derogation%'"), 0);
  EXPECT_GT(Count("SELECT COUNT(*) FROM verdict_changes WHERE cause = 'daily re-evaluation'"), 0);
  EXPECT_GT(Count("SELECT COUNT(*) FROM (SELECT host_key FROM verdict_changes GROUP BY host_key "
                  "HAVING COUNT(DISTINCT verdict) > 1)"),
            0);
  // Every kind of verdict is present today.
  EXPECT_GE(Count("SELECT COUNT(DISTINCT verdict) FROM hosts"), 4);
  // Tenants became the hosts' ministries' own.
  EXPECT_GT(Count("SELECT COUNT(*) FROM host_facts WHERE key IN ('interieur.onmicrosoft.com', "
                  "'finances.onmicrosoft.com', 'culturegouv.onmicrosoft.com')"),
            0);

  // The summary reads it like any fleet.
  auto summary = BuildSummary(*store_, deployment_->rules(), now_, {});
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  std::int64_t total = 0;
  for (const auto& ministry : summary->ministries) total += ministry.hosts;
  EXPECT_EQ(total, 600);
}

TEST_F(DemoFleetTest, SameSeedSameFleet) {
  ASSERT_TRUE(Generate(50, 1).ok());
  TempDir other;
  auto store = Store::Open(other / "fleet.db");
  ASSERT_TRUE(store.ok());
  auto templates = LoadScanOutputs(dir_ / "scans");
  ASSERT_TRUE(templates.ok());
  DemoFleetOptions options;
  options.hosts = 50;
  options.weeks = 1;
  ASSERT_TRUE(GenerateDemoFleet(*store, *deployment_, *templates, options, now_).ok());
  const std::string names = "SELECT hostname || verdict FROM hosts ORDER BY hostname";
  EXPECT_EQ(QueryColumn(dir_ / "fleet.db", names), QueryColumn(other / "fleet.db", names));
}

TEST_F(DemoFleetTest, RefusesADatabaseThatHoldsHosts) {
  ASSERT_TRUE(Generate(10, 1).ok());
  auto again = Generate(10, 1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("already holds 10 host(s)"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM hosts"), 10);
}

TEST_F(DemoFleetTest, NamesTheFileThatIsNotAScanOutput) {
  dir_.Write("scans/5.json", "{\"officeInstalls\": 3}");
  auto templates = LoadScanOutputs(dir_ / "scans");
  ASSERT_FALSE(templates.ok());
  EXPECT_EQ(templates.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(templates.status().message().find("5.json: not a scan output"), std::string::npos);
}

TEST_F(DemoFleetTest, ExplainsAnEmptyDirectory) {
  auto templates = LoadScanOutputs(dir_ / "nothing");
  ASSERT_FALSE(templates.ok());
  std::filesystem::create_directories(dir_ / "empty");
  templates = LoadScanOutputs(dir_ / "empty");
  ASSERT_FALSE(templates.ok());
  EXPECT_NE(templates.status().message().find("vigie-agent scan --root HOST --format json"),
            std::string::npos);
}

TEST_F(DemoFleetTest, RefusesAnInvalidTemplateBeforeWritingAnything) {
  InventoryReport bad = testing::ValidReport("r9", "h9", "");
  bad.host.hostname = std::string(5000, 'x');
  dir_.Write("scans/9.json", ReportToJson(bad, false));
  auto outcome = Generate(10, 1);
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.status().message().find("host template 5"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM hosts"), 0);
}

}  // namespace
}  // namespace vigie::collector
