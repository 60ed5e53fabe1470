#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "collector/report_writers.h"

namespace vigie::collector {
namespace {

// Quotes a field when Excel would otherwise split or misread it, and defuses text Excel would
// run as a formula (a tenant named "=HYPERLINK(...)" comes from a workstation).
std::string Field(std::string_view text) {
  std::string value(text);
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r')) {
    value.insert(0, "'");
  }
  if (value.find_first_of(";\"\r\n") == std::string::npos && value == text) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string Render(const ReportCell& cell) {
  switch (cell.kind) {
    case ReportCell::Kind::kEmpty:
      return "";
    case ReportCell::Kind::kText:
      return Field(cell.text);
    case ReportCell::Kind::kInteger:
      return std::to_string(cell.integer);
    case ReportCell::Kind::kShare: {
      std::string percent = fmt::format("{:.1f}", cell.share * 100);
      for (char& c : percent) {
        if (c == '.') c = ',';
      }
      return percent;
    }
    case ReportCell::Kind::kDate:
      return FormatFrenchDate(cell.date);
  }
  return "";
}

std::string Line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ';';
    line += fields[i];
  }
  return line + "\r\n";
}

}  // namespace

Status WriteCsv(const ComplianceReport& report, std::FILE* out) {
  const auto put = [out](const std::string& text) {
    return std::fwrite(text.data(), 1, text.size(), out) == text.size()
               ? Status::Ok()
               : Unavailable(std::strerror(errno));
  };
  VIGIE_RETURN_IF_ERROR(put("\xEF\xBB\xBF" + Line({Field(report.title)})));
  for (const auto& section : report.sections) {
    std::string block = "\r\n" + Line({Field(section.title)});
    for (const auto& paragraph : section.paragraphs) block += Line({Field(paragraph)});
    for (const auto& [label, value] : section.facts) block += Line({Field(label), Render(value)});
    if (section.columns.empty()) {
      VIGIE_RETURN_IF_ERROR(put(block));
      continue;
    }
    if (section.rows.empty() && !section.streamed_rows) {
      VIGIE_RETURN_IF_ERROR(put(block + Line({Field(section.empty_text)})));
      continue;
    }
    // A share is written as a percentage, and its column says so.
    std::vector<std::string> header;
    for (std::size_t i = 0; i < section.columns.size(); ++i) {
      const bool share =
          std::any_of(section.rows.begin(), section.rows.end(), [i](const auto& row) {
            return i < row.size() && row[i].kind == ReportCell::Kind::kShare;
          });
      header.push_back(Field(share ? section.columns[i] + " (%)" : section.columns[i]));
    }
    VIGIE_RETURN_IF_ERROR(put(block + Line(header)));
    std::vector<std::string> fields;
    const auto write_row = [&](const std::vector<ReportCell>& row) {
      fields.clear();
      for (const auto& cell : row) fields.push_back(Render(cell));
      return put(Line(fields));
    };
    if (section.streamed_rows) {
      VIGIE_RETURN_IF_ERROR(section.streamed_rows(write_row));
    } else {
      for (const auto& row : section.rows) VIGIE_RETURN_IF_ERROR(write_row(row));
    }
  }
  return Status::Ok();
}

}  // namespace vigie::collector
