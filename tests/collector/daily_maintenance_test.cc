#include "collector/daily_maintenance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "collector/host_evaluator.h"
#include "collector/raw_sql.h"
#include "collector/test_reports.h"
#include "common/enums.h"
#include "common/wire.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using ::testing::HasSubstr;
using testing::ValidReport;

constexpr char kOrganisation[] = R"toml(
[[ministry]]
code = "MA"
name = "Ministère A"
[[ministry.org-unit]]
id = "DG1"
name = "Direction 1"
[[ministry.org-unit]]
id = "DG2"
name = "Direction 2"
[[ministry.org-unit]]
id = "SITE"
name = "Site"
parent = "DG1"
)toml";

Timestamp Day(int month, int day, int hour = 12) {
  return Timestamp{std::chrono::sys_days{std::chrono::year{2026} / month / day} +
                   std::chrono::hours(hour)};
}

class DailyMaintenanceTest : public ::testing::Test {
 protected:
  void SetUp() override { Load(kOrganisation); }

  void Load(const std::string& organisation) {
    auto deployment =
        Deployment::Load(dir_.Write("organisation.toml", organisation), "", /*stale=*/30);
    ASSERT_TRUE(deployment.ok()) << deployment.status().ToString();
    deployment_ = std::move(deployment).value();
    if (!store_) {
      auto store = Store::Open(dir_ / "collector.db");
      ASSERT_TRUE(store.ok());
      store_.emplace(std::move(store).value());
    }
  }

  // A report of `host` whose mail is on Exchange Online, evaluated as on ingest.
  void Report(const std::string& report_id, const std::string& host, Timestamp at,
              const std::string& org_unit = "SITE") {
    InventoryReport report = ValidReport(report_id, host, "MA");
    report.scan_finished = at;
    Evidence mail;
    mail.product = "Outlook";
    mail.service = ServiceCategory::kMail;
    mail.kind = EvidenceKind::kConfigured;
    report.evidence = {mail};
    auto derogations = store_->DerogationsOf("MA");
    ASSERT_TRUE(derogations.ok());
    const Verdict verdict =
        MakeHostEvaluator(deployment_->rules(), Today(at))(report, *derogations, at, org_unit);
    ASSERT_TRUE(
        store_->Ingest(report, ToProto(report).SerializeAsString(), verdict, at, org_unit).ok());
  }

  VerdictStatus VerdictOf(const std::string& host) {
    const auto rows = testing::QueryColumn(
        dir_ / "collector.db", "SELECT verdict FROM hosts WHERE host_key = '" + host + "'");
    return rows.empty() ? VerdictStatus::kUnspecified
                        : static_cast<VerdictStatus>(std::stoi(rows.front()));
  }

  // "day:verdict=hosts" rows of a ministry's (unit "") or unit's trend.
  std::vector<std::string> Trend(const std::string& unit) {
    auto days = store_->Trend("MA", unit, Date{std::chrono::year{2026} / 1 / 1},
                              Date{std::chrono::year{2026} / 12 / 31});
    EXPECT_TRUE(days.ok());
    std::vector<std::string> rows;
    for (const auto& day : *days) {
      for (int v = 0; v < 6; ++v) {
        if (day.hosts_by_verdict[v] > 0) {
          rows.push_back(FormatIsoDate(day.day) + ":" +
                         std::string(EnumName(static_cast<VerdictStatus>(v))) + "=" +
                         std::to_string(day.hosts_by_verdict[v]));
        }
      }
    }
    return rows;
  }

  testing::TempDir dir_;
  std::unique_ptr<const Deployment> deployment_;
  std::optional<Store> store_;
};

TEST_F(DailyMaintenanceTest, DerogationEndingReevaluatesHostsWithoutANewReport) {
  ASSERT_TRUE(store_
                  ->AddDerogation({"MA", ServiceCategory::kMail, "SG", "DEC-1",
                                   Date{std::chrono::year{2026} / 1 / 1},
                                   Date{std::chrono::year{2026} / 6 / 10}, ""},
                                  "alice", Day(6, 1))
                  .ok());
  Report("r1", "h1", Day(6, 9));
  EXPECT_EQ(VerdictOf("h1"), VerdictStatus::kDerogation);

  DailyMaintenance maintenance(*store_, *deployment_, 400);
  ASSERT_TRUE(maintenance.RunIfDue(Day(6, 10)).ok());
  EXPECT_EQ(VerdictOf("h1"), VerdictStatus::kDerogation) << "the last day is still covered";
  ASSERT_TRUE(maintenance.RunIfDue(Day(6, 11, 0)).ok());
  EXPECT_EQ(VerdictOf("h1"), VerdictStatus::kNonCompliant);
  EXPECT_EQ(testing::QueryColumn(dir_ / "collector.db",
                                 "SELECT cause FROM verdict_changes ORDER BY id DESC LIMIT 1"),
            std::vector<std::string>{"daily re-evaluation"});
}

TEST_F(DailyMaintenanceTest, ASilentHostBecomesUnknownUntilItReportsAgain) {
  Report("r1", "h1", Day(6, 1));
  DailyMaintenance maintenance(*store_, *deployment_, 400);
  ASSERT_TRUE(maintenance.RunIfDue(Day(7, 1)).ok());
  EXPECT_EQ(VerdictOf("h1"), VerdictStatus::kNonCompliant) << "30 days: not yet stale";
  ASSERT_TRUE(maintenance.RunIfDue(Day(7, 2)).ok());
  EXPECT_EQ(VerdictOf("h1"), VerdictStatus::kUnknown);
  const auto reasons = testing::QueryColumn(dir_ / "collector.db", "SELECT reasons FROM hosts");
  EXPECT_THAT(reasons.front(), HasSubstr("Aucun rapport depuis le 01/06/2026"));
  Report("r2", "h1", Day(7, 3));
  EXPECT_EQ(VerdictOf("h1"), VerdictStatus::kNonCompliant);
}

TEST_F(DailyMaintenanceTest, SnapshotsAreWrittenOnceADayAndMovesDoNotRewriteThePast) {
  Report("r1", "h1", Day(6, 1));
  Report("r2", "h2", Day(6, 1), "DG2");
  {
    DailyMaintenance maintenance(*store_, *deployment_, 400);
    ASSERT_TRUE(maintenance.RunIfDue(Day(6, 1)).ok());
  }
  // Same day, another collector process: the day's snapshot stays as first written.
  ASSERT_TRUE(store_->MoveHost("h2", "SITE", "alice", Day(6, 1, 13)).ok());
  EXPECT_FALSE(*store_->WriteDailySnapshot(Today(Day(6, 1)), deployment_->ministries()));

  // The unit SITE moves from DG1 to DG2 in the configuration.
  std::string moved = kOrganisation;
  moved.replace(moved.find("parent = \"DG1\""), 14, "parent = \"DG2\"");
  Load(moved);
  DailyMaintenance maintenance(*store_, *deployment_, 400);
  ASSERT_TRUE(maintenance.RunIfDue(Day(6, 2)).ok());

  EXPECT_EQ(Trend(""),
            (std::vector<std::string>{"2026-06-01:NON_COMPLIANT=2", "2026-06-02:NON_COMPLIANT=2"}));
  EXPECT_EQ(Trend("DG1"), (std::vector<std::string>{"2026-06-01:NON_COMPLIANT=1"}));
  EXPECT_EQ(Trend("DG2"),
            (std::vector<std::string>{"2026-06-01:NON_COMPLIANT=1", "2026-06-02:NON_COMPLIANT=2"}));
  EXPECT_EQ(Trend("SITE"),
            (std::vector<std::string>{"2026-06-01:NON_COMPLIANT=1", "2026-06-02:NON_COMPLIANT=2"}));
}

TEST_F(DailyMaintenanceTest, RetentionDeletesOldReportsButNeverAHostsLatest) {
  Report("r1", "h1", Day(1, 1));
  Report("r2", "h1", Day(1, 2));
  Report("r3", "h2", Day(1, 3));
  Report("r4", "h1", Day(6, 1));
  DailyMaintenance maintenance(*store_, *deployment_, /*report_retention_days=*/100);
  ASSERT_TRUE(maintenance.RunIfDue(Day(6, 2)).ok());
  EXPECT_EQ(testing::QueryColumn(dir_ / "collector.db",
                                 "SELECT report_id FROM reports ORDER BY report_id"),
            (std::vector<std::string>{"r3", "r4"}));
}

TEST_F(DailyMaintenanceTest, ArchivedReportsExpireWithTheirFilesButTheNewestOfEachIsKept) {
  auto archive = ReportArchive::Open(dir_ / "collector.db");
  ASSERT_TRUE(archive.ok()) << archive.status().ToString();
  const auto archived = [&](const std::string& ministry, int month, ReportFormat format,
                            const std::string& content = "rapport") {
    const Date last_day =
        std::chrono::floor<std::chrono::days>(Day(month, 1)) - std::chrono::days(1);
    ArchivedReport report;
    report.ministry = ministry;
    report.period = ReportPeriod::kMonthly;
    report.first_day = PeriodStart(last_day, ReportPeriod::kMonthly);
    report.last_day = last_day;
    report.format = format;
    report.path = ArchivedReportPath(dir_ / "rapports", ministry, report.period, last_day, format);
    dir_.Write("rapports/" + std::filesystem::path(report.path).filename().string(), content);
    report.produced_at = Day(month, 1);
    auto id = archive->Record(report);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return report.path;
  };
  const std::string january = archived("MA", 2, ReportFormat::kCsv);
  const std::string february = archived("MA", 3, ReportFormat::kCsv);
  const std::string june = archived("MA", 6, ReportFormat::kCsv);
  const std::string old_interministerial = archived("", 2, ReportFormat::kHtml);
  const std::string lone_xlsx = archived("MA", 2, ReportFormat::kXlsx);
  std::filesystem::remove(february);  // Deleted by hand: its row goes without an error.

  DailyMaintenance maintenance(*store_, *deployment_, 400);
  maintenance.ExpireArchivedReports(*archive, /*keep_days=*/60);
  ASSERT_TRUE(maintenance.RunIfDue(Day(6, 2)).ok());
  auto left = archive->List(std::nullopt);
  ASSERT_TRUE(left.ok());
  std::vector<std::string> paths;
  for (const auto& report : *left) paths.push_back(report.path);
  // January and February are older than 60 days; the newest of each ministry, period and format
  // stays, however old, so that its schedule does not produce it again.
  EXPECT_THAT(paths, ::testing::UnorderedElementsAre(june, old_interministerial, lone_xlsx));
  EXPECT_FALSE(std::filesystem::exists(january));
  EXPECT_TRUE(std::filesystem::exists(june));
}

TEST_F(DailyMaintenanceTest, AnArchivedFileThatCannotBeDeletedKeepsItsRow) {
  auto archive = ReportArchive::Open(dir_ / "collector.db");
  ASSERT_TRUE(archive.ok());
  ArchivedReport report;
  report.ministry = "MA";
  report.period = ReportPeriod::kDaily;
  report.first_day = report.last_day = Date{std::chrono::year{2026} / 1 / 1};
  report.format = ReportFormat::kCsv;
  report.produced_at = Day(1, 2);
  report.path = dir_.Write("stuck/old.csv", "rapport");
  ASSERT_TRUE(archive->Record(report).ok());
  report.path = dir_.Write("new.csv", "rapport");
  report.last_day = Date{std::chrono::year{2026} / 1 / 2};
  ASSERT_TRUE(archive->Record(report).ok());
  // A directory where the file was: remove() fails with something other than "no such file".
  std::filesystem::remove(dir_ / "stuck/old.csv");
  dir_.Write("stuck/old.csv/inside", "x");
  auto expired = archive->Expire(Day(6, 1));
  ASSERT_FALSE(expired.ok());
  EXPECT_THAT(expired.status().message(), HasSubstr("cannot delete expired report"));
  EXPECT_EQ(archive->List("MA")->size(), 2u);
}

}  // namespace
}  // namespace vigie::collector
