#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collector/host_evaluator.h"
#include "collector/store.h"
#include "common/dates.h"
#include "common/status.h"

namespace vigie::collector {

enum class ReportPeriod { kDaily, kWeekly, kMonthly };

// "daily", "weekly" or "monthly".
Result<ReportPeriod> ParseReportPeriod(std::string_view text);
// The first day of the period that ends on `last_day`: the day itself, the 7 days up to it, or
// the calendar month up to it.
Date PeriodStart(Date last_day, ReportPeriod period);

// One value of a report table. Writers render each kind natively: XLSX numbers and dates are
// numbers and dates, not text.
struct ReportCell {
  enum class Kind { kEmpty, kText, kInteger, kShare, kDate };
  Kind kind = Kind::kEmpty;
  std::string text;
  std::int64_t integer = 0;
  double share = 0;  // 0 to 1.
  Date date;

  static ReportCell Empty() { return ReportCell(); }
  static ReportCell Text(std::string text);
  static ReportCell Integer(std::int64_t value);
  // Empty when `whole` is 0: a share of nothing is not 0 %.
  static ReportCell Share(std::int64_t part, std::int64_t whole);
  static ReportCell Day(Date date);
};

// One topic of a report: a sheet of the XLSX, a block of the CSV, a section of the HTML.
struct ReportSection {
  std::string sheet;  // Short French name: XLSX sheet names are limited to 31 characters.
  std::string title;
  std::vector<std::string> paragraphs;                    // French prose before the table.
  std::vector<std::pair<std::string, ReportCell>> facts;  // Label, value.
  std::vector<std::string> columns;
  std::vector<std::vector<ReportCell>> rows;
  std::string empty_text;  // Said instead of the table when it has no rows.
};

// A compliance report, in French, ready for the writers (collector/report_writers.h).
struct ComplianceReport {
  std::string title;
  std::string scope;  // The ministry's name, or the interministerial scope.
  Date first_day;
  Date last_day;
  Date generated_on;
  std::vector<ReportSection> sections;
};

struct ReportRequest {
  std::string ministry;  // Empty: every ministry (interministerial report).
  Date last_day;         // Last day of the period covered.
  ReportPeriod period = ReportPeriod::kMonthly;
  int stale_after_days = 30;
  int expiring_within_days = 60;
};

// Builds the report from the store's aggregates (never one row per host, so memory does not
// grow with the fleet) and the daily snapshots for the change since the previous period.
// NOT_FOUND for a ministry `rules` does not know; INVALID_ARGUMENT for a period ending after the
// day of `now`.
Result<ComplianceReport> BuildComplianceReport(Store& store, const JudgingRules& rules,
                                               Timestamp now, const ReportRequest& request);

}  // namespace vigie::collector
