#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "collector/report.h"
#include "collector/report_writers.h"
#include "common/dates.h"
#include "common/sqlite.h"
#include "common/status.h"

namespace vigie::collector {

// One report produced into the archive: what it covers, where its file is, and the size and
// SHA-256 it had when written (so that a file altered or truncated afterwards can be told).
struct ArchivedReport {
  std::int64_t id = 0;
  std::string ministry;  // Empty: the interministerial report.
  ReportPeriod period = ReportPeriod::kMonthly;
  Date first_day;
  Date last_day;
  ReportFormat format = ReportFormat::kXlsx;
  std::string path;
  std::int64_t size = 0;
  std::string sha256;
  Timestamp produced_at;
};

// What the daily retention did.
struct ArchiveExpiry {
  std::int64_t removed = 0;  // Rows removed, with their files.
  std::int64_t missing = 0;  // Of those, rows whose file was already gone.
};

// The archive of produced reports (scheduled ones and `report run --archive`), in the collector's
// database: the files stay on disk, the rows list them for the API and the dashboard.
class ReportArchive {
 public:
  static Result<ReportArchive> Open(const std::string& database);
  ReportArchive(ReportArchive&& other) noexcept : db_(std::move(other.db_)) {}
  ReportArchive(const ReportArchive&) = delete;
  ReportArchive& operator=(const ReportArchive&) = delete;

  // Measures the file at `report.path` (size, SHA-256) and records it; a report written again at
  // the same path replaces its row. Returns the id.
  Result<std::int64_t> Record(ArchivedReport report);
  // Whether a report was recorded at `path`, even if its file has gone since.
  Result<bool> Has(const std::string& path);
  // Newest first. `ministry` nullopt: every report; "" the interministerial ones only.
  Result<std::vector<ArchivedReport>> List(const std::optional<std::string>& ministry);
  Result<std::optional<ArchivedReport>> Find(std::int64_t id);
  // Removes the reports produced before `cutoff`, files and rows, except the newest of each
  // ministry, period and format (so that a schedule never sees its latest period as not done).
  // A file that cannot be deleted keeps its row, to be retried and still listed.
  Result<ArchiveExpiry> Expire(Timestamp cutoff);

 private:
  explicit ReportArchive(sqlite::Database db) : db_(std::move(db)) {}
  Result<std::vector<ArchivedReport>> Query(const std::string& where, const std::string& text,
                                            std::optional<std::int64_t> number);

  std::mutex mutex_;
  sqlite::Database db_;
};

// Whether the archived file is still there with the size it was written with.
bool ArchivedFileIsPresent(const ArchivedReport& report);

// "vigie-<MI|interministeriel>-<daily|weekly|monthly>-<last day>.<ext>" in `directory`.
std::string ArchivedReportPath(const std::string& directory, const std::string& ministry,
                               ReportPeriod period, Date last_day, ReportFormat format);

}  // namespace vigie::collector
