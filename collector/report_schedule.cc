#include "collector/report_schedule.h"

#include <algorithm>
#include <filesystem>

#include "common/config_file.h"

namespace vigie::collector {
namespace {

using std::chrono::days;

std::string_view PeriodName(ReportPeriod period) {
  switch (period) {
    case ReportPeriod::kDaily:
      return "daily";
    case ReportPeriod::kWeekly:
      return "weekly";
    case ReportPeriod::kMonthly:
      return "monthly";
  }
  return "";
}

Date LastSunday(std::chrono::year year, std::chrono::month month) {
  return std::chrono::sys_days(year / month / std::chrono::Sunday[std::chrono::last]);
}

Result<ReportSchedule> ReadSchedule(const ConfigFile& file, const toml::table& table) {
  static constexpr std::string_view kKeys[] = {"ministry", "period", "formats", "directory"};
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
  auto period_text = string_of("period");
  if (!period_text.ok()) return period_text.status();
  auto period = ParseReportPeriod(*period_text);
  if (!period.ok())
    return file.ErrorAt(*table.get("period"), "report.period", period.status().message());
  schedule.period = *period;
  auto directory = string_of("directory");
  if (!directory.ok()) return directory.status();
  schedule.directory = *directory;
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

Result<std::vector<ReportSchedule>> LoadReportSchedules(const std::string& config_path) {
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
    auto schedule = ReadSchedule(*file, *entry.as_table());
    if (!schedule.ok()) return schedule.status();
    schedules.push_back(std::move(schedule).value());
  }
  return schedules;
}

Date ParisDate(Timestamp now) {
  const Date utc_day = std::chrono::floor<days>(now);
  const std::chrono::year year = std::chrono::year_month_day(utc_day).year();
  const Timestamp summer_starts = LastSunday(year, std::chrono::March) + std::chrono::hours(1);
  const Timestamp summer_ends = LastSunday(year, std::chrono::October) + std::chrono::hours(1);
  const auto offset =
      now >= summer_starts && now < summer_ends ? std::chrono::hours(2) : std::chrono::hours(1);
  return std::chrono::floor<days>(now + offset);
}

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

std::string ScheduledReportPath(const ReportSchedule& schedule, Date last_day,
                                ReportFormat format) {
  const std::string scope = schedule.ministry.empty() ? "interministeriel" : schedule.ministry;
  return (std::filesystem::path(schedule.directory) /
          ("vigie-" + scope + "-" + std::string(PeriodName(schedule.period)) + "-" +
           FormatIsoDate(last_day) + "." + std::string(FileExtension(format))))
      .string();
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
  const Date today = ParisDate(now);
  for (const auto& schedule : schedules_) {
    const Date last_day = LastCompletePeriodEnd(today, schedule.period);
    std::optional<ComplianceReport> report;
    for (ReportFormat format : schedule.formats) {
      const std::string path = ScheduledReportPath(schedule, last_day, format);
      std::error_code ignored;
      if (std::filesystem::exists(path, ignored)) continue;
      if (!report) {
        ReportRequest request;
        request.ministry = schedule.ministry;
        request.last_day = last_day;
        request.period = schedule.period;
        request.stale_after_days = stale_after_days_;
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
      written.push_back(path);
    }
  }
  if (!first_error.ok()) return first_error;
  return written;
}

}  // namespace vigie::collector
