#include "collector/report_schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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

CronExpression Cron(const std::string& text) {
  auto cron = CronExpression::Parse(text);
  EXPECT_TRUE(cron.ok()) << text << ": " << cron.status().ToString();
  return std::move(cron).value();
}

TEST(CronExpressionTest, FiresAtParisTimeInWinterAndSummer) {
  const CronExpression monday = Cron("0 7 * * 1");
  // Monday 19 January 2026, 07:00 in Paris is 06:00 UTC; 20 July, 05:00 UTC.
  EXPECT_EQ(monday.LatestAtOrBefore(Utc(2026, 1, 21, 12, 0), days(8)), Utc(2026, 1, 19, 6, 0));
  EXPECT_EQ(monday.LatestAtOrBefore(Utc(2026, 7, 22, 12, 0), days(8)), Utc(2026, 7, 20, 5, 0));
  EXPECT_EQ(monday.NextAfter(Utc(2026, 7, 20, 4, 30), hours(1)), Utc(2026, 7, 20, 5, 0));
  EXPECT_EQ(monday.NextAfter(Utc(2026, 7, 20, 5, 0), hours(1)), std::nullopt);
  const CronExpression lists = Cron("*/15 8-9 1,15 * *");
  EXPECT_EQ(lists.LatestAtOrBefore(Utc(2026, 1, 16, 0, 0), days(2)), Utc(2026, 1, 15, 8, 45));
  // Both day fields restricted: either matches, as in cron (the 13th, or any Friday).
  const CronExpression either = Cron("0 12 13 * 5");
  EXPECT_EQ(either.LatestAtOrBefore(Utc(2026, 2, 14, 0, 0), days(2)), Utc(2026, 2, 13, 11, 0));
  EXPECT_EQ(either.LatestAtOrBefore(Utc(2026, 2, 7, 0, 0), days(2)), Utc(2026, 2, 6, 11, 0));
  EXPECT_EQ(Cron("0 0 * * 7").LatestAtOrBefore(Utc(2026, 1, 19, 0, 0), days(2)),
            Utc(2026, 1, 17, 23, 0));  // 7 is Sunday too.
}

TEST(CronExpressionTest, DaylightSavingNightsFireOnce) {
  const CronExpression half_past_two = Cron("30 2 * * *");
  // 29 March 2026: 02:30 does not exist; it fires at 03:00 summer time (01:00 UTC).
  EXPECT_EQ(half_past_two.NextAfter(Utc(2026, 3, 29, 0, 0), hours(2)), Utc(2026, 3, 29, 1, 0));
  // 25 October 2026: 02:30 happens twice; it fires the first time (00:30 UTC) only.
  EXPECT_EQ(half_past_two.NextAfter(Utc(2026, 10, 24, 23, 0), hours(3)), Utc(2026, 10, 25, 0, 30));
  EXPECT_EQ(half_past_two.NextAfter(Utc(2026, 10, 25, 0, 30), hours(3)), std::nullopt);
  // An hourly expression fires 23 times that March day and 24 times that October day.
  const CronExpression hourly = Cron("0 * * * *");
  const auto count = [&](Timestamp from, Timestamp to) {
    int fired = 0;
    for (auto next = hourly.NextAfter(from - minutes(1), hours(2)); next && *next < to;
         next = hourly.NextAfter(*next, hours(2))) {
      ++fired;
    }
    return fired;
  };
  EXPECT_EQ(count(Utc(2026, 3, 28, 23, 0), Utc(2026, 3, 29, 22, 0)), 23);
  EXPECT_EQ(count(Utc(2026, 10, 24, 22, 0), Utc(2026, 10, 25, 23, 0)), 24);
}

TEST(CronExpressionTest, ErrorsSayWhichFieldAndWhy) {
  const auto error = [](const std::string& text) {
    auto cron = CronExpression::Parse(text);
    EXPECT_FALSE(cron.ok()) << text;
    return cron.status().message();
  };
  EXPECT_THAT(error("0 7 * *"), HasSubstr("attendu 5 champs"));
  EXPECT_THAT(error("0 7 * *"), HasSubstr("trouvé 4"));
  EXPECT_EQ(error("61 7 * * *"), "minute « 61 » : hors de 0 à 59");
  EXPECT_EQ(error("0 24 * * *"), "heure « 24 » : hors de 0 à 23");
  EXPECT_EQ(error("0 7 0 * *"), "jour du mois « 0 » : hors de 1 à 31");
  EXPECT_EQ(error("0 7 * 13 *"), "mois « 13 » : hors de 1 à 12");
  EXPECT_EQ(error("0 7 * * 8"), "jour de la semaine « 8 » : hors de 0 à 7");
  EXPECT_EQ(error("0 7 * * */0"),
            "jour de la semaine « */0 » : le pas doit être un nombre positif");
  EXPECT_THAT(error("0 7 * * lun"), HasSubstr("jour de la semaine « lun » : attendu *"));
  EXPECT_THAT(error("0 9-7 * * *"), HasSubstr("heure « 9-7 » : hors de 0 à 23"));
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
    auto archive = ReportArchive::Open(dir_ / "collector.db");
    ASSERT_TRUE(archive.ok()) << archive.status().ToString();
    archive_.emplace(std::move(archive).value());
  }

  static ReportRequest Defaults() {
    ReportRequest defaults;
    defaults.host_name_key = "clé";
    return defaults;
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
  std::optional<ReportArchive> archive_;
};

TEST_F(ReportSchedulerTest, RunsOncePerPeriodInParisTimeAcrossTheChangeToSummerTime) {
  ReportScheduler scheduler(*store_, *archive_, JudgingRules{}, {Weekly()}, Defaults());
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

TEST_F(ReportSchedulerTest, RecordsEachReportInTheArchiveAndNeverRedoesOneDeletedByHand) {
  ReportScheduler scheduler(*store_, *archive_, JudgingRules{}, {Weekly()}, Defaults());
  const Timestamp monday = Utc(2026, 3, 30, 6, 0);
  auto run = scheduler.RunDue(monday);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  auto listed = archive_->List("MI");
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  const std::string csv = dir_ / "rapports/vigie-MI-weekly-2026-03-29.csv";
  const auto& row = listed->front().format == ReportFormat::kCsv ? listed->front() : listed->back();
  EXPECT_EQ(row.path, csv);
  EXPECT_EQ(row.period, ReportPeriod::kWeekly);
  EXPECT_EQ(row.first_day, Day(2026, 3, 23));
  EXPECT_EQ(row.last_day, Day(2026, 3, 29));
  EXPECT_EQ(row.produced_at, monday);
  EXPECT_EQ(row.size, static_cast<std::int64_t>(std::filesystem::file_size(csv)));
  EXPECT_EQ(row.sha256.size(), 64u);
  EXPECT_TRUE(ArchivedFileIsPresent(row));
  EXPECT_TRUE(archive_->List("")->empty());  // No interministerial report was produced.

  // Deleted by hand: listed as missing, and the period is not produced again.
  std::filesystem::remove(csv);
  auto again = scheduler.RunDue(monday + hours(3));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  auto found = archive_->Find(row.id);
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_FALSE(ArchivedFileIsPresent(**found));
}

TEST_F(ReportSchedulerTest, AdoptsAReportFileWrittenBeforeTheArchiveExisted) {
  ReportScheduler scheduler(*store_, *archive_, JudgingRules{}, {Weekly()}, Defaults());
  dir_.Write("rapports/vigie-MI-weekly-2026-03-29.html", "earlier");
  auto run = scheduler.RunDue(Utc(2026, 4, 1, 8, 0));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_THAT(*run, ElementsAre(dir_ / "rapports/vigie-MI-weekly-2026-03-29.csv"));
  EXPECT_EQ(archive_->List("MI")->size(), 2u);
  std::ifstream html(dir_ / "rapports/vigie-MI-weekly-2026-03-29.html");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(html), {}), "earlier");
}

TEST_F(ReportSchedulerTest, CronScheduleWaitsForItsTimeAndNeverRunsTwice) {
  ReportSchedule schedule = Weekly();
  schedule.cron = Cron("0 7 * * 1");  // Mondays, 07:00 in Paris.
  schedule.formats = {ReportFormat::kCsv};
  ReportScheduler scheduler(*store_, *archive_, JudgingRules{}, {schedule}, Defaults());
  // Monday 30 March 2026 (summer time since Sunday), 06:59 in Paris: the latest firing was on
  // 23 March, whose week (16 to 22 March) is caught up at start-up.
  auto before = scheduler.RunDue(Utc(2026, 3, 30, 4, 59));
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_THAT(*before, ElementsAre(dir_ / "rapports/vigie-MI-weekly-2026-03-22.csv"));
  EXPECT_EQ(scheduler.NextCheck(Utc(2026, 3, 30, 4, 59)), Utc(2026, 3, 30, 5, 0));
  // 07:00 in Paris: the week that ended on Sunday 29 March.
  auto at = scheduler.RunDue(Utc(2026, 3, 30, 5, 0));
  ASSERT_TRUE(at.ok());
  EXPECT_THAT(*at, ElementsAre(dir_ / "rapports/vigie-MI-weekly-2026-03-29.csv"));
  auto later = scheduler.RunDue(Utc(2026, 4, 2, 9, 0));
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->empty());
  EXPECT_EQ(scheduler.NextCheck(Utc(2026, 4, 2, 9, 0)), Utc(2026, 4, 2, 10, 0));
}

TEST_F(ReportSchedulerTest, CatchesUpTheMissedPeriodAtStartUpAndOnlyTheMissingFormats) {
  ReportScheduler scheduler(*store_, *archive_, JudgingRules{}, {Weekly()}, Defaults());
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
  ReportScheduler scheduler(*store_, *archive_, JudgingRules{}, {broken, daily}, Defaults());
  auto run = scheduler.RunDue(Utc(2026, 4, 1, 8, 0));
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.status().message(), HasSubstr("impossible d'écrire"));
  EXPECT_TRUE(
      std::filesystem::exists(dir_ / "rapports/vigie-interministeriel-daily-2026-03-31.xlsx"));
}

TEST_F(ReportSchedulerTest, UnknownMinistryIsRefusedAtStartUp) {
  ReportSchedule schedule = Weekly();
  schedule.ministry = "NOPE";
  ReportScheduler scheduler(*store_, *archive_, JudgingRules{}, {schedule}, Defaults());
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

[[report]]
ministry = "MI"
period = "daily"
formats = ["csv"]
cron = "30 18 * * 1-5"
)");
  ServeSettings settings;
  ASSERT_TRUE(LoadServeSettings(path, settings).ok());
  auto schedules = LoadReportSchedules(path, "/srv/archive");
  ASSERT_TRUE(schedules.ok()) << schedules.status().ToString();
  ASSERT_EQ(schedules->size(), 3u);
  EXPECT_EQ((*schedules)[0].directory, "/var/lib/vigie/rapports");
  EXPECT_EQ((*schedules)[2].directory, "/srv/archive");
  EXPECT_FALSE((*schedules)[0].cron);
  ASSERT_TRUE((*schedules)[2].cron);
  EXPECT_EQ((*schedules)[2].cron->text(), "30 18 * * 1-5");
  EXPECT_EQ((*schedules)[0].ministry, "MI");
  EXPECT_EQ((*schedules)[0].period, ReportPeriod::kMonthly);
  EXPECT_THAT((*schedules)[0].formats, ElementsAre(ReportFormat::kXlsx, ReportFormat::kHtml));
  EXPECT_EQ((*schedules)[1].ministry, "");
  EXPECT_TRUE(LoadReportSchedules("", "/srv/archive")->empty());
}

// The issue asks for "a period (daily/weekly/monthly, or a cron-like expression)": a cron alone
// covers the period its day fields name.
TEST(LoadReportSchedulesTest, CronAloneGivesThePeriod) {
  testing::TempDir dir;
  const auto period_of = [&](const std::string& cron) {
    const std::string path =
        dir.Write("collector.toml",
                  "[[report]]\nministry = \"MI\"\nformats = [\"csv\"]\ncron = \"" + cron + "\"\n");
    auto schedules = LoadReportSchedules(path, "/srv/archive");
    EXPECT_TRUE(schedules.ok()) << schedules.status().ToString();
    return schedules.ok() && schedules->size() == 1 ? (*schedules)[0].period : ReportPeriod::kDaily;
  };
  EXPECT_EQ(period_of("0 7 * * 1"), ReportPeriod::kWeekly);
  EXPECT_EQ(period_of("0 7 1 * *"), ReportPeriod::kMonthly);
  EXPECT_EQ(period_of("30 6 * * *"), ReportPeriod::kDaily);
}

TEST(LoadReportSchedulesTest, ErrorsNameFileLineAndKey) {
  testing::TempDir dir;
  const auto error = [&](const std::string& text) {
    const std::string path = dir.Write("collector.toml", text);
    auto schedules = LoadReportSchedules(path, "/srv/archive");
    EXPECT_FALSE(schedules.ok());
    return schedules.status().message();
  };
  EXPECT_THAT(error("[[report]]\nministry = \"MI\"\nperiod = \"hourly\"\nformats = [\"csv\"]\n"
                    "directory = \"/d\"\n"),
              HasSubstr("collector.toml:3: report.period: période inconnue « hourly »"));
  EXPECT_THAT(error("[[report]]\nministry = \"MI\"\nperiod = \"daily\"\nformats = [\"pdf\"]\n"
                    "directory = \"/d\"\n"),
              HasSubstr(":4: report.formats: format inconnu « pdf »"));
  EXPECT_THAT(error("[[report]]\nministry = \"MI\"\nperiod = \"daily\"\nformats = [\"csv\"]\n"
                    "directory = \"\"\n"),
              HasSubstr(":5: report.directory: must be a non-empty string"));
  EXPECT_THAT(error("[[report]]\nministry = \"MI\"\nperiod = \"daily\"\nformats = [\"csv\"]\n"
                    "cron = \"0 25 * * *\"\n"),
              HasSubstr("collector.toml:5: report.cron: heure « 25 » : hors de 0 à 23"));
  EXPECT_THAT(
      error("[[report]]\nministry = \"MI\"\nformats = [\"csv\"]\n"),
      HasSubstr("collector.toml:1: report.period: absente : donnez une période ou un cron"));
  EXPECT_THAT(error("[[report]]\nministry = \"MI\"\nformats = [\"csv\"]\ncron = \"0 7 1 * 1\"\n"),
              HasSubstr("collector.toml:4: report.period: absente : le cron restreint"));
  EXPECT_THAT(error("[[report]]\nministry = \"MI\"\nperiode = \"daily\"\n"),
              HasSubstr(":3: report.periode: unknown key"));
  EXPECT_THAT(error("report = 3\n"), HasSubstr("report: must be written as [[report]] tables"));
}

}  // namespace
}  // namespace vigie::collector
