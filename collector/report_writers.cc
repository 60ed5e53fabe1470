#include "collector/report_writers.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "collector/report_xlsx.h"

namespace vigie::collector {
namespace {

Status Failure(const std::string& path, int error) {
  return Unavailable("impossible d'écrire « " + path + " » : " + std::strerror(error));
}

Status WriteAll(int fd, const std::string& content, const std::string& path) {
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Failure(path, errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return Failure(path, errno);
  return Status();
}

// Closes `fd` in all cases.
Status WriteCsvFile(const ComplianceReport& report, int fd, const std::string& path) {
  std::FILE* out = ::fdopen(fd, "wb");
  if (!out) {
    const int error = errno;
    ::close(fd);
    return Failure(path, error);
  }
  Status status = WriteCsv(report, out);
  if (!status.ok() && status.code() == StatusCode::kUnavailable) {
    status = Unavailable("impossible d'écrire « " + path + " » : " + status.message());
  }
  if (status.ok() && (std::fflush(out) != 0 || ::fsync(fd) != 0)) status = Failure(path, errno);
  if (std::fclose(out) != 0 && status.ok()) status = Failure(path, errno);
  return status;
}

}  // namespace

Result<ReportFormat> ParseReportFormat(std::string_view text) {
  if (text == "xlsx") return ReportFormat::kXlsx;
  if (text == "csv") return ReportFormat::kCsv;
  if (text == "html") return ReportFormat::kHtml;
  return InvalidArgument("format inconnu « " + std::string(text) + " » : xlsx, csv ou html");
}

std::string_view FileExtension(ReportFormat format) {
  switch (format) {
    case ReportFormat::kXlsx:
      return "xlsx";
    case ReportFormat::kCsv:
      return "csv";
    case ReportFormat::kHtml:
      return "html";
  }
  return "";
}

Status WriteReport(const ComplianceReport& report, ReportFormat format, const std::string& path) {
  std::string temporary = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) return Failure(path, errno);
  Status status;
  if (format == ReportFormat::kXlsx) {
    ::close(fd);
    status = WriteXlsx(report, temporary);
  } else if (format == ReportFormat::kHtml) {
    status = WriteAll(fd, ReportToHtml(report), path);
    if (::close(fd) != 0 && status.ok()) status = Failure(path, errno);
  } else {
    status = WriteCsvFile(report, fd, path);
  }
  // mkstemp creates the file readable by its owner only; a report is meant to be shared.
  if (status.ok() && ::chmod(temporary.c_str(), 0644) != 0) status = Failure(path, errno);
  if (status.ok() && std::rename(temporary.c_str(), path.c_str()) != 0) {
    status = Failure(path, errno);
  }
  if (!status.ok()) std::remove(temporary.c_str());
  return status;
}

}  // namespace vigie::collector
