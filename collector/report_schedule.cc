#include "collector/report_schedule.h"

#include <algorithm>
#include <filesystem>

#include "common/config_file.h"

namespace vigie::collector {
namespace {

using std::chrono::days;

Result<ReportSchedule> ReadSchedule(const ConfigFile& file, const toml::table& table,
                                    const std::string& archive_directory) {
  static constexpr std::string_view kKeys[] = {"ministry", "period", "formats", "directory",
                                               "cron"};
  for (const auto& [key, value] : table) {
    if (std::find(std::begin(kKeys), std::end(kKeys), key.str()) == std::end(kKeys)) {
      return file.ErrorAt(value, "report." + std::string(key.str()), "unknown key");
    }
  }
  const auto string_of = [&](std::string_view key) -> Result<std::string> {
    const toml::node* node = table.get(key);
    if (!node) return file.ErrorAt(table, "report." + std::string(key), "missing");
    if (!node->is_string() || node->as_string()->get().empty()) {
      return file.ErrorAt(*node, "report." + std::string(key), "must be a non-empty string");
    }
    return node->as_string()->get();
  };
  ReportSchedule schedule;
  auto ministry = string_of("ministry");
  if (!ministry.ok()) return ministry.status();
  schedule.ministry = *ministry == "all" ? "" : *ministry;
  if (const toml::node* node = table.get("cron")) {
    auto text = string_of("cron");
    if (!text.ok()) return text.status();
    auto cron = CronExpression::Parse(*text);
    if (!cron.ok()) return file.ErrorAt(*node, "report.cron", cron.status().message());
    schedule.cron = std::move(cron).value();
  }
  if (table.get("period") || !schedule.cron) {
    auto period_text = string_of("period");
    if (!period_text.ok()) {
      return schedule.cron
                 ? period_text.status()
                 : file.ErrorAt(table, "report.period", "absente : donnez une période ou un cron");
    }
    auto period = ParseReportPeriod(*period_text);
    if (!period.ok())
      return file.ErrorAt(*table.get("period"), "report.period", period.status().message());
    schedule.period = *period;
  } else if (schedule.cron->restricts_day_of_month() && schedule.cron->restricts_day_of_week()) {
    // A cron alone is a period (the "daily/weekly/monthly, or a cron-like expression")
    // when its day fields say which: a day of the month is monthly, a day of the week weekly.
    return file.ErrorAt(*table.get("cron"), "report.period",
                        "absente : le cron restreint à la fois le jour du mois et le jour de la "
                        "semaine, donnez la période que couvre le rapport");
  } else if (schedule.cron->restricts_day_of_month()) {
    schedule.period = ReportPeriod::kMonthly;
  } else if (schedule.cron->restricts_day_of_week()) {
    schedule.period = ReportPeriod::kWeekly;
  } else {
    schedule.period = ReportPeriod::kDaily;
  }
  schedule.directory = archive_directory;
  if (table.get("directory")) {
    auto directory = string_of("directory");
    if (!directory.ok()) return directory.status();
    schedule.directory = *directory;
  }
  const toml::node* formats = table.get("formats");
  if (!formats) return file.ErrorAt(table, "report.formats", "missing");
  const toml::array* list = formats->as_array();
  if (!list || list->empty()) {
    return file.ErrorAt(*formats, "report.formats", "must be a list such as [\"xlsx\", \"html\"]");
  }
  for (const toml::node& item : *list) {
    auto format = item.is_string() ? ParseReportFormat(item.as_string()->get())
                                   : Result<ReportFormat>(InvalidArgument("must be a string"));
    if (!format.ok()) return file.ErrorAt(item, "report.formats", format.status().message());
    schedule.formats.push_back(*format);
  }
  return schedule;
}

}  // namespace

Result<std::vector<ReportSchedule>> LoadReportSchedules(const std::string& config_path,
                                                        const std::string& archive_directory) {
  std::vector<ReportSchedule> schedules;
  if (config_path.empty()) return schedules;
  auto file = ConfigFile::Load(config_path);
  if (!file.ok()) return file.status();
  const toml::node* node = file->table().get("report");
  if (!node) return schedules;
  const toml::array* array = node->as_array();
  if (!array || !array->is_array_of_tables()) {
    return file->ErrorAt(*node, "report", "must be written as [[report]] tables");
  }
  for (const toml::node& entry : *array) {
    auto schedule = ReadSchedule(*file, *entry.as_table(), archive_directory);
    if (!schedule.ok()) return schedule.status();
    schedules.push_back(std::move(schedule).value());
  }
  return schedules;
}

Date ParisDate(Timestamp now) { return std::chrono::floor<days>(now + ParisUtcOffset(now)); }

Date LastCompletePeriodEnd(Date today, ReportPeriod period) {
  switch (period) {
    case ReportPeriod::kDaily:
      return today - days(1);
    case ReportPeriod::kWeekly: {
      const std::chrono::weekday weekday(today);
      return today - (weekday - std::chrono::Monday) - days(1);
    }
    case ReportPeriod::kMonthly: {
      const std::chrono::year_month_day ymd(today);
      return std::chrono::sys_days(ymd.year() / ymd.month() / 1) - days(1);
    }
  }
  return today;
}

Timestamp ReportScheduler::NextCheck(Timestamp now) const {
  Timestamp next = now + std::chrono::hours(1);
  for (const auto& schedule : schedules_) {
    if (!schedule.cron) continue;
    if (auto fires = schedule.cron->NextAfter(now, std::chrono::hours(1)); fires && *fires < next) {
      next = *fires;
    }
  }
  return next;
}

Status ReportScheduler::Check() const {
  for (const auto& schedule : schedules_) {
    if (!schedule.ministry.empty() && !rules_.ministries->Find(schedule.ministry)) {
      return NotFound("[[report]] : ministère inconnu « " + schedule.ministry + " »");
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ReportScheduler::RunDue(Timestamp now) {
  std::vector<std::string> written;
  Status first_error;
  for (const auto& schedule : schedules_) {
    Date today = ParisDate(now);
    if (schedule.cron) {
      // A year back at most: an expression that fired longer ago (29 February) waits.
      const auto fired = schedule.cron->LatestAtOrBefore(now, days(366));
      if (!fired) continue;
      today = ParisDate(*fired);
    }
    const Date last_day = LastCompletePeriodEnd(today, schedule.period);
    std::optional<ComplianceReport> report;
    for (ReportFormat format : schedule.formats) {
      const std::string path = ArchivedReportPath(schedule.directory, schedule.ministry,
                                                  schedule.period, last_day, format);
      ArchivedReport archived;
      archived.ministry = schedule.ministry;
      archived.period = schedule.period;
      archived.first_day = PeriodStart(last_day, schedule.period);
      archived.last_day = last_day;
      archived.format = format;
      archived.path = path;
      archived.produced_at = now;
      auto recorded = archive_.Has(path);
      if (!recorded.ok()) {
        if (first_error.ok()) first_error = recorded.status();
        continue;
      }
      if (*recorded) continue;
      std::error_code missing;
      const auto written_at = std::filesystem::last_write_time(path, missing);
      if (!missing) {
        // Written before the archive recorded it (an earlier version, or a failed recording).
        archived.produced_at =
            std::chrono::floor<std::chrono::seconds>(std::chrono::file_clock::to_sys(written_at));
        if (auto adopted = archive_.Record(archived); !adopted.ok() && first_error.ok()) {
          first_error = adopted.status();
        }
        continue;
      }
      if (!report) {
        ReportRequest request = defaults_;
        request.ministry = schedule.ministry;
        request.last_day = last_day;
        request.period = schedule.period;
        auto built = BuildComplianceReport(store_, rules_, now, request);
        if (!built.ok()) {
          if (first_error.ok()) first_error = built.status();
          break;
        }
        report = std::move(built).value();
      }
      if (Status status = WriteReport(*report, format, path); !status.ok()) {
        if (first_error.ok()) first_error = status;
        continue;
      }
      if (auto id = archive_.Record(archived); !id.ok()) {
        if (first_error.ok()) first_error = id.status();
        continue;
      }
      written.push_back(path);
    }
  }
  if (!first_error.ok()) return first_error;
  return written;
}

}  // namespace vigie::collector
