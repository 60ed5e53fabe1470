#include "collector/report_schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "collector/settings.h"
#include "collector/test_reports.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Date Day(int year, unsigned month, unsigned day) {
  return std::chrono::sys_days(std::chrono::year{year} / month / day);
}

Timestamp Utc(int year, unsigned month, unsigned day, int hour, int minute) {
  return Timestamp(Day(year, month, day)) + hours(hour) + minutes(minute);
}

TEST(ParisDateTest, FollowsWinterAndSummerTime) {
  EXPECT_EQ(ParisDate(Utc(2026, 1, 15, 22, 59)), Day(2026, 1, 15));
  EXPECT_EQ(ParisDate(Utc(2026, 1, 15, 23, 0)), Day(2026, 1, 16));
  EXPECT_EQ(ParisDate(Utc(2026, 7, 15, 21, 59)), Day(2026, 7, 15));
  EXPECT_EQ(ParisDate(Utc(2026, 7, 15, 22, 0)), Day(2026, 7, 16));
  // The night summer time starts (29 March 2026, 01:00 UTC) and the night it ends (25 October).
  EXPECT_EQ(ParisDate(Utc(2026, 3, 28, 23, 30)), Day(2026, 3, 29));
  EXPECT_EQ(ParisDate(Utc(2026, 3, 29, 22, 30)), Day(2026, 3, 30));
  EXPECT_EQ(ParisDate(Utc(2026, 10, 24, 22, 30)), Day(2026, 10, 25));
  EXPECT_EQ(ParisDate(Utc(2026, 10, 25, 22, 30)), Day(2026, 10, 25));
  EXPECT_EQ(ParisDate(Utc(2026, 12, 31, 23, 30)), Day(2027, 1, 1));
}

TEST(LastCompletePeriodEndTest, DayWeekMonth) {
  EXPECT_EQ(LastCompletePeriodEnd(Day(2026, 3, 1), ReportPeriod::kDaily), Day(2026, 2, 28));
  // Weeks run Monday to Sunday: on a Monday the week just ended; on a Sunday it is not over.
  EXPECT_EQ(LastCompletePeriodEnd(Day(2026, 11, 23), ReportPeriod::kWeekly), Day(2026, 11, 22));
  EXPECT_EQ(LastCompletePeriodEnd(Day(2026, 11, 22), ReportPeriod::kWeekly), Day(2026, 11, 15));
  EXPECT_EQ(LastCompletePeriodEnd(Day(2026, 3, 1), ReportPeriod::kMonthly), Day(2026, 2, 28));
  EXPECT_EQ(LastCompletePeriodEnd(Day(2026, 3, 31), ReportPeriod::kMonthly), Day(2026, 2, 28));
}

class ReportSchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_ / "collector.db");
    ASSERT_TRUE(store.ok());
    store_.emplace(std::move(store).value());
    InventoryReport report = testing::ValidReport("r1", "h1", "MI");
    ASSERT_TRUE(
        store_->Ingest(report, "p", {VerdictStatus::kCompliant, {}}, Utc(2026, 3, 20, 9, 0)).ok());
  }

  ReportSchedule Weekly() {
    ReportSchedule schedule;
    schedule.ministry = "MI";
    schedule.period = ReportPeriod::kWeekly;
    schedule.formats = {ReportFormat::kCsv, ReportFormat::kHtml};
    schedule.directory = dir_ / "rapports";
    std::filesystem::create_directories(schedule.directory);
    return schedule;
  }

  testing::TempDir dir_;
  std::optional<Store> store_;
};

TEST_F(ReportSchedulerTest, RunsOncePerPeriodInParisTimeAcrossTheChangeToSummerTime) {
  ReportScheduler scheduler(*store_, JudgingRules{}, {Weekly()}, 30);
  ASSERT_TRUE(scheduler.Check().ok());
  // Sunday 29 March 2026, 23:30 in Paris (CEST, 21:30 UTC): that week is not over; the one
  // before is the latest complete one.
  auto sunday = scheduler.RunDue(Utc(2026, 3, 29, 21, 30));
  ASSERT_TRUE(sunday.ok()) << sunday.status().ToString();
  EXPECT_THAT(*sunday, ElementsAre(dir_ / "rapports/vigie-MI-weekly-2026-03-22.csv",
                                   dir_ / "rapports/vigie-MI-weekly-2026-03-22.html"));
  // Monday 30 March, 00:30 in Paris, still Sunday in UTC: the week of 23 to 29 March is due.
  auto monday = scheduler.RunDue(Utc(2026, 3, 29, 22, 30));
  ASSERT_TRUE(monday.ok()) << monday.status().ToString();
  const std::string csv = dir_ / "rapports/vigie-MI-weekly-2026-03-29.csv";
  EXPECT_THAT(*monday, ElementsAre(csv, dir_ / "rapports/vigie-MI-weekly-2026-03-29.html"));
  // Hourly runs later that week, or a restart, produce nothing again.
  const auto written_at = std::filesystem::last_write_time(csv);
  auto again = scheduler.RunDue(Utc(2026, 4, 2, 10, 0));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(std::filesystem::last_write_time(csv), written_at);
}

TEST_F(ReportSchedulerTest, CatchesUpTheMissedPeriodAtStartUpAndOnlyTheMissingFormats) {
  ReportScheduler scheduler(*store_, JudgingRules{}, {Weekly()}, 30);
  // The HTML of the week exists (written before a crash); the CSV does not.
  const std::string html = dir_ / "rapports/vigie-MI-weekly-2026-03-29.html";
  dir_.Write("rapports/vigie-MI-weekly-2026-03-29.html", "earlier");
  // The collector comes back on Wednesday 1 April.
  auto caught_up = scheduler.RunDue(Utc(2026, 4, 1, 8, 0));
  ASSERT_TRUE(caught_up.ok()) << caught_up.status().ToString();
  EXPECT_THAT(*caught_up, ElementsAre(dir_ / "rapports/vigie-MI-weekly-2026-03-29.csv"));
}

TEST_F(ReportSchedulerTest, OneFailingScheduleDoesNotStopTheOthers) {
  ReportSchedule broken = Weekly();
  broken.directory = dir_ / "absent";
  ReportSchedule daily = Weekly();
  daily.ministry = "";
  daily.period = ReportPeriod::kDaily;
  daily.formats = {ReportFormat::kXlsx};
  ReportScheduler scheduler(*store_, JudgingRules{}, {broken, daily}, 30);
  auto run = scheduler.RunDue(Utc(2026, 4, 1, 8, 0));
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.status().message(), HasSubstr("impossible d'écrire"));
  EXPECT_TRUE(
      std::filesystem::exists(dir_ / "rapports/vigie-interministeriel-daily-2026-03-31.xlsx"));
}

TEST_F(ReportSchedulerTest, UnknownMinistryIsRefusedAtStartUp) {
  ReportSchedule schedule = Weekly();
  schedule.ministry = "NOPE";
  ReportScheduler scheduler(*store_, JudgingRules{}, {schedule}, 30);
  EXPECT_EQ(scheduler.Check().message(), "[[report]] : ministère inconnu « NOPE »");
}

TEST(LoadReportSchedulesTest, ReadsReportTablesNextToTheServeSettings) {
  testing::TempDir dir;
  const std::string path = dir.Write("collector.toml", R"(
database = "/tmp/x.db"

[[report]]
ministry = "MI"
period = "monthly"
formats = ["xlsx", "html"]
directory = "/var/lib/vigie/rapports"

[[report]]
ministry = "all"
period = "weekly"
formats = ["csv"]
directory = "/var/lib/vigie/rapports"
)");
  ServeSettings settings;
  ASSERT_TRUE(LoadServeSettings(path, settings).ok());
  auto schedules = LoadReportSchedules(path);
  ASSERT_TRUE(schedules.ok()) << schedules.status().ToString();
  ASSERT_EQ(schedules->size(), 2u);
  EXPECT_EQ((*schedules)[0].ministry, "MI");
  EXPECT_EQ((*schedules)[0].period, ReportPeriod::kMonthly);
  EXPECT_THAT((*schedules)[0].formats, ElementsAre(ReportFormat::kXlsx, ReportFormat::kHtml));
  EXPECT_EQ((*schedules)[1].ministry, "");
  EXPECT_TRUE(LoadReportSchedules("")->empty());
}

TEST(LoadReportSchedulesTest, ErrorsNameFileLineAndKey) {
  testing::TempDir dir;
  const auto error = [&](const std::string& text) {
    const std::string path = dir.Write("collector.toml", text);
    auto schedules = LoadReportSchedules(path);
    EXPECT_FALSE(schedules.ok());
    return schedules.status().message();
  };
  EXPECT_THAT(error("[[report]]\nministry = \"MI\"\nperiod = \"hourly\"\nformats = [\"csv\"]\n"
                    "directory = \"/d\"\n"),
              HasSubstr("collector.toml:3: report.period: période inconnue « hourly »"));
  EXPECT_THAT(error("[[report]]\nministry = \"MI\"\nperiod = \"daily\"\nformats = [\"pdf\"]\n"
                    "directory = \"/d\"\n"),
              HasSubstr(":4: report.formats: format inconnu « pdf »"));
  EXPECT_THAT(error("[[report]]\nministry = \"MI\"\nperiod = \"daily\"\nformats = [\"csv\"]\n"),
              HasSubstr("report.directory: missing"));
  EXPECT_THAT(error("[[report]]\nministry = \"MI\"\nperiode = \"daily\"\n"),
              HasSubstr(":3: report.periode: unknown key"));
  EXPECT_THAT(error("report = 3\n"), HasSubstr("report: must be written as [[report]] tables"));
}

}  // namespace
}  // namespace vigie::collector
