#pragma once

#include <cstdint>
#include <functional>
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
std::string_view PeriodName(ReportPeriod period);
// The period's French adjective: "quotidien", "hebdomadaire" or "mensuel".
std::string_view PeriodLabel(ReportPeriod period);
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

// Rows produced while the report is written, for tables as long as the fleet (the hosts sheet):
// the writer passes a function that takes each row in turn, so that no writer holds them all.
using ReportRowSink = std::function<Status(const std::vector<ReportCell>&)>;
using ReportRowSource = std::function<Status(const ReportRowSink&)>;

// One topic of a report: a sheet of the XLSX, a block of the CSV, a section of the HTML.
struct ReportSection {
  std::string sheet;  // Short French name: XLSX sheet names are limited to 31 characters.
  std::string title;
  std::vector<std::string> paragraphs;                    // French prose before the table.
  std::vector<std::pair<std::string, ReportCell>> facts;  // Label, value.
  std::vector<std::string> columns;
  std::vector<std::vector<ReportCell>> rows;
  std::string empty_text;  // Said instead of the table when it has no rows.
  // When set, the table's rows come from here instead of `rows`: too many to print, so the HTML
  // says `not_printed_text` instead of the table.
  ReportRowSource streamed_rows;
  std::string not_printed_text;
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

// How the hosts sheet names hosts: by an HMAC of the host name with the deployment's key (stable
// across reports, meaningless without the key), or by the host name.
enum class HostNames { kPseudonymous, kClear };

// "pseudonymous" or "clear".
Result<HostNames> ParseHostNames(std::string_view text);

struct ReportRequest {
  std::string ministry;  // Empty: every ministry (interministerial report).
  Date last_day;         // Last day of the period covered.
  ReportPeriod period = ReportPeriod::kMonthly;
  int stale_after_days = 30;
  int expiring_within_days = 60;
  HostNames host_names = HostNames::kPseudonymous;
  std::string host_name_key;  // The deployment's key of host pseudonyms (Store::DeploymentKey).
};

// The pseudonym of a host name in reports: "P-" and 16 hex digits of HMAC-SHA-256 under `key`.
std::string HostPseudonym(std::string_view key, std::string_view hostname);

// Builds the report from the store's aggregates and the daily snapshots for the change since the
// previous period; the hosts sheet is read from the store row by row while it is written, so
// memory does not grow with the fleet. `store` must outlive the writing of the report.
// NOT_FOUND for a ministry `rules` does not know; INVALID_ARGUMENT for a period ending after the
// day of `now`.
Result<ComplianceReport> BuildComplianceReport(Store& store, const JudgingRules& rules,
                                               Timestamp now, const ReportRequest& request);

}  // namespace vigie::collector
