#include "collector/report_archive.h"

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "collector/store.h"
#include "common/text.h"

namespace vigie::collector {
namespace {

std::int64_t Seconds(Timestamp time) { return time.time_since_epoch().count(); }

constexpr char kColumns[] =
    "SELECT id, ministry, period, first_day, last_day, format, path, size, sha256, produced_at "
    "FROM report_archive ";

Result<ArchivedReport> Row(const sqlite::Statement& row) {
  ArchivedReport report;
  report.id = row.ColumnInt(0);
  report.ministry = row.ColumnText(1);
  auto period = ParseReportPeriod(row.ColumnText(2));
  auto first_day = ParseIsoDate(row.ColumnText(3));
  auto last_day = ParseIsoDate(row.ColumnText(4));
  auto format = ParseReportFormat(row.ColumnText(5));
  if (!period.ok() || !first_day.ok() || !last_day.ok() || !format.ok()) {
    return Internal("report_archive row " + std::to_string(report.id) + " is malformed");
  }
  report.period = *period;
  report.first_day = *first_day;
  report.last_day = *last_day;
  report.format = *format;
  report.path = row.ColumnText(6);
  report.size = row.ColumnInt(7);
  report.sha256 = row.ColumnText(8);
  report.produced_at = Timestamp(std::chrono::seconds(row.ColumnInt(9)));
  return report;
}

// Lowercase hex SHA-256 of the file at `path`, read in blocks (a hosts sheet may be large); the
// file's size in bytes goes to `size`.
Result<std::string> Sha256FileHex(const std::string& path, std::int64_t& size) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) return NotFound("cannot read " + path + ": " + std::strerror(errno));
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    return Internal("OpenSSL SHA-256 is unavailable");
  }
  std::array<char, 1 << 16> block{};
  size = 0;
  std::size_t read = 0;
  while ((read = std::fread(block.data(), 1, block.size(), file.get())) > 0) {
    EVP_DigestUpdate(context.get(), block.data(), read);
    size += static_cast<std::int64_t>(read);
  }
  if (std::ferror(file.get())) return Unavailable("cannot read " + path);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  return LowercaseHex(digest.data(), length);
}

}  // namespace

Result<ReportArchive> ReportArchive::Open(const std::string& database) {
  auto db = sqlite::Database::Open(database, sqlite::Database::Options(), StoreMigrations());
  if (!db.ok()) return db.status();
  return ReportArchive(std::move(db).value());
}

Result<std::int64_t> ReportArchive::Record(ArchivedReport report) {
  auto digest = Sha256FileHex(report.path, report.size);
  if (!digest.ok()) return digest.status();
  report.sha256 = *digest;
  std::lock_guard lock(mutex_);
  auto insert = db_.Prepare(R"sql(
    INSERT INTO report_archive
      (ministry, period, first_day, last_day, format, path, size, sha256, produced_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (path) DO UPDATE SET
      ministry = excluded.ministry, period = excluded.period, first_day = excluded.first_day,
      last_day = excluded.last_day, format = excluded.format, size = excluded.size,
      sha256 = excluded.sha256, produced_at = excluded.produced_at
    RETURNING id)sql");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, report.ministry)
      .Bind(2, PeriodName(report.period))
      .Bind(3, FormatIsoDate(report.first_day))
      .Bind(4, FormatIsoDate(report.last_day))
      .Bind(5, FileExtension(report.format))
      .Bind(6, report.path)
      .Bind(7, report.size)
      .Bind(8, report.sha256)
      .Bind(9, Seconds(report.produced_at));
  auto row = insert->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Internal("recording " + report.path + " in the report archive returned no id");
  return insert->ColumnInt(0);
}

Result<bool> ReportArchive::Has(const std::string& path) {
  auto found = Query("WHERE path = ?", path, std::nullopt);
  if (!found.ok()) return found.status();
  return !found->empty();
}

Result<std::vector<ArchivedReport>> ReportArchive::List(
    const std::optional<std::string>& ministry) {
  return ministry ? Query("WHERE ministry = ? ORDER BY produced_at DESC, id DESC", *ministry,
                          std::nullopt)
                  : Query("ORDER BY produced_at DESC, id DESC", "", std::nullopt);
}

Result<std::optional<ArchivedReport>> ReportArchive::Find(std::int64_t id) {
  auto found = Query("WHERE id = ?", "", id);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<ArchivedReport>();
  return std::optional<ArchivedReport>(std::move(found->front()));
}

Result<std::vector<ArchivedReport>> ReportArchive::Query(const std::string& where,
                                                         const std::string& text,
                                                         std::optional<std::int64_t> number) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(std::string(kColumns) + where);
  if (!select.ok()) return select.status();
  if (number) {
    select->Bind(1, *number);
  } else if (where.find('?') != std::string::npos) {
    select->Bind(1, text);
  }
  std::vector<ArchivedReport> reports;
  while (true) {
    auto row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto report = Row(*select);
    if (!report.ok()) return report.status();
    reports.push_back(std::move(report).value());
  }
  return reports;
}

Result<ArchiveExpiry> ReportArchive::Expire(Timestamp cutoff) {
  std::vector<ArchivedReport> expired;
  {
    auto found = Query(R"sql(AS a WHERE produced_at < ? AND EXISTS (
          SELECT 1 FROM report_archive AS b
          WHERE b.ministry = a.ministry AND b.period = a.period AND b.format = a.format
            AND (b.last_day > a.last_day OR (b.last_day = a.last_day AND b.id > a.id))))sql",
                       "", Seconds(cutoff));
    if (!found.ok()) return found.status();
    expired = std::move(found).value();
  }
  ArchiveExpiry expiry;
  Status first_error;
  std::lock_guard lock(mutex_);
  auto remove = db_.Prepare("DELETE FROM report_archive WHERE id = ?");
  if (!remove.ok()) return remove.status();
  for (const ArchivedReport& report : expired) {
    if (std::remove(report.path.c_str()) != 0) {
      if (errno != ENOENT) {
        if (first_error.ok()) {
          first_error = Unavailable("cannot delete expired report " + report.path + ": " +
                                    std::strerror(errno));
        }
        continue;
      }
      ++expiry.missing;
    }
    remove->Reset();
    remove->Bind(1, report.id);
    VIGIE_RETURN_IF_ERROR(remove->Run());
    ++expiry.removed;
  }
  if (!first_error.ok()) return first_error;
  return expiry;
}

bool ArchivedFileIsPresent(const ArchivedReport& report) {
  std::error_code error;
  const auto size = std::filesystem::file_size(report.path, error);
  return !error && static_cast<std::int64_t>(size) == report.size;
}

std::string ArchivedReportPath(const std::string& directory, const std::string& ministry,
                               ReportPeriod period, Date last_day, ReportFormat format) {
  const std::string scope = ministry.empty() ? "interministeriel" : ministry;
  return (std::filesystem::path(directory) /
          ("vigie-" + scope + "-" + std::string(PeriodName(period)) + "-" +
           FormatIsoDate(last_day) + "." + std::string(FileExtension(format))))
      .string();
}

}  // namespace vigie::collector
