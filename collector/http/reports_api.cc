#include "collector/http/reports_api.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/report_json.h"

namespace vigie::collector::http {
namespace {

using nlohmann::ordered_json;

void SendJson(httplib::Response& res, const ordered_json& json, int status) {
  res.status = status;
  res.set_content(json.dump(-1, ' ', false, ordered_json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, int status, std::string_view code,
               const std::string& message) {
  SendJson(res, {{"error", {{"code", code}, {"message", message}}}}, status);
}

void SendFailure(httplib::Response& res, const Status& status) {
  spdlog::error("dashboard: report archive: {}", status.message());
  SendError(res, 503, "UNAVAILABLE", "L'archive des rapports est momentanément indisponible.");
}

std::string_view ContentType(ReportFormat format) {
  switch (format) {
    case ReportFormat::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case ReportFormat::kCsv:
      return "text/csv; charset=utf-8";
    case ReportFormat::kHtml:
      return "text/html; charset=utf-8";
  }
  return "application/octet-stream";
}

// The file's own name, reduced to characters every browser and file system takes as they are
// (ministry codes come from the deployment's file).
std::string DownloadName(const ArchivedReport& report) {
  std::string name = std::filesystem::path(report.path).filename().string();
  for (char& c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    if (!plain) c = '_';
  }
  return name;
}

bool MaySee(const Principal& principal, const ArchivedReport& report) {
  return principal.SeesAllMinistries() ||
         (!report.ministry.empty() && principal.MaySee(report.ministry));
}

}  // namespace

Result<ReportsApi> ReportsApi::Open(const std::string& database, const MinistryList& ministries) {
  auto archive = ReportArchive::Open(database);
  if (!archive.ok()) return archive.status();
  return ReportsApi(std::move(archive).value(), ministries);
}

void ReportsApi::List(const Principal& principal, const httplib::Request&, httplib::Response& res) {
  auto reports =
      archive_.List(principal.SeesAllMinistries() ? std::nullopt
                                                  : std::optional<std::string>(principal.ministry));
  if (!reports.ok()) return SendFailure(res, reports.status());
  ordered_json list = ordered_json::array();
  for (const ArchivedReport& report : *reports) {
    const Ministry* ministry =
        report.ministry.empty() ? nullptr : ministries_->Find(report.ministry);
    const bool present = ArchivedFileIsPresent(report);
    list.push_back({{"id", report.id},
                    {"ministry", report.ministry},
                    {"scope", report.ministry.empty() ? "Interministériel"
                              : ministry              ? ministry->name
                                                      : report.ministry},
                    {"period", PeriodName(report.period)},
                    {"periodLabel", PeriodLabel(report.period)},
                    {"firstDay", FormatIsoDate(report.first_day)},
                    {"lastDay", FormatIsoDate(report.last_day)},
                    {"format", FileExtension(report.format)},
                    {"size", report.size},
                    {"sha256", report.sha256},
                    {"producedAt", FormatTimestamp(report.produced_at)},
                    {"available", present},
                    {"download",
                     present ? "/api/v1/reports/" + std::to_string(report.id) + "/download" : ""}});
  }
  SendJson(res, {{"reports", list}}, 200);
}

void ReportsApi::Download(const Principal& principal, const httplib::Request& req,
                          httplib::Response& res) {
  const std::string id_text = req.matches[1];
  std::int64_t id = 0;
  const bool numeric = !id_text.empty() && id_text.size() <= 18 &&
                       id_text.find_first_not_of("0123456789") == std::string::npos;
  if (numeric) id = std::stoll(id_text);
  auto found = numeric ? archive_.Find(id) : Result<std::optional<ArchivedReport>>(std::nullopt);
  if (!found.ok()) return SendFailure(res, found.status());
  if (!*found || !MaySee(principal, **found)) {
    return SendError(res, 404, "NOT_FOUND", "Rapport inconnu : " + id_text + ".");
  }
  const ArchivedReport& report = **found;
  std::shared_ptr<std::FILE> file(
      ArchivedFileIsPresent(report) ? std::fopen(report.path.c_str(), "rb") : nullptr,
      [](std::FILE* f) {
        if (f) std::fclose(f);
      });
  if (!file) {
    spdlog::warn("dashboard: archived report {} is missing or changed: {}", report.id, report.path);
    return SendError(res, 410, "GONE",
                     "Le fichier de ce rapport n'est plus dans l'archive (supprimé ou modifié "
                     "depuis sa production).");
  }
  res.set_header("Content-Disposition", "attachment; filename=\"" + DownloadName(report) + "\"");
  // Streamed in blocks: a report of a large ministry is not held in memory.
  res.set_content_provider(
      static_cast<std::size_t>(report.size), std::string(ContentType(report.format)),
      [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::vector<char> block(std::min<std::size_t>(length, 1 << 16));
        if (std::fseek(file.get(), static_cast<long>(offset), SEEK_SET) != 0) return false;
        const std::size_t read = std::fread(block.data(), 1, block.size(), file.get());
        return read > 0 && sink.write(block.data(), read);
      });
}

}  // namespace vigie::collector::http
