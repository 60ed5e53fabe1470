#include <fmt/format.h>

#include <algorithm>

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

std::string ReportToCsv(const ComplianceReport& report) {
  std::string out = "\xEF\xBB\xBF";
  out += Line({Field(report.title)});
  for (const auto& section : report.sections) {
    out += "\r\n" + Line({Field(section.title)});
    for (const auto& paragraph : section.paragraphs) out += Line({Field(paragraph)});
    for (const auto& [label, value] : section.facts) out += Line({Field(label), Render(value)});
    if (section.columns.empty()) continue;
    if (section.rows.empty()) {
      out += Line({Field(section.empty_text)});
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
    out += Line(header);
    for (const auto& row : section.rows) {
      std::vector<std::string> fields;
      for (const auto& cell : row) fields.push_back(Render(cell));
      out += Line(fields);
    }
  }
  return out;
}

}  // namespace vigie::collector
