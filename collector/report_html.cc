#include <fmt/format.h>

#include "collector/report_writers.h"

namespace vigie::collector {
namespace {

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Percent(double share) {
  std::string text = fmt::format("{:.1f}", share * 100);
  for (char& c : text) {
    if (c == '.') c = ',';
  }
  return text + "&nbsp;%";
}

// A share is drawn as a bar next to its number: the report's charts, with no script or image.
std::string Content(const ReportCell& cell) {
  switch (cell.kind) {
    case ReportCell::Kind::kEmpty:
      return "";
    case ReportCell::Kind::kText:
      return Escape(cell.text);
    case ReportCell::Kind::kInteger:
      return std::to_string(cell.integer);
    case ReportCell::Kind::kShare:
      return fmt::format("<span class=\"bar\"><span style=\"width:{:.1f}%\"></span></span>{}",
                         cell.share * 100, Percent(cell.share));
    case ReportCell::Kind::kDate:
      return FormatFrenchDate(cell.date);
  }
  return "";
}

std::string Render(const ReportCell& cell) {
  const bool text = cell.kind == ReportCell::Kind::kText || cell.kind == ReportCell::Kind::kEmpty;
  return (text ? "<td>" : "<td class=\"n\">") + Content(cell) + "</td>";
}

// Sober, after the State's design system (DSFR): blue France, system fonts (Marianne would be
// an external request), A4 pages with running margins.
constexpr std::string_view kStyle = R"(
@page { size: A4; margin: 15mm 12mm; }
* { box-sizing: border-box; }
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; color: #161616;
  font-size: 10pt; line-height: 1.4; margin: 0 auto; max-width: 186mm; }
header { border-bottom: 4px solid #000091; margin-bottom: 1em; padding: .5em 0; }
header .marque { font-weight: bold; text-transform: uppercase; font-size: 9pt;
  letter-spacing: .05em; }
h1 { color: #000091; font-size: 16pt; margin: .3em 0; }
h2 { color: #000091; font-size: 12.5pt; border-bottom: 1px solid #dddddd; padding-bottom: .2em;
  margin-top: 1.5em; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; table-layout: auto; }
th, td { border: 1px solid #dddddd; padding: 2px 4px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f6f6f6; font-weight: bold; }
tr { break-inside: avoid; }
td.n { text-align: right; white-space: nowrap; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 1em; }
dt { font-weight: bold; }
dd { margin: 0; }
.bar { display: inline-block; width: 18mm; height: 6px; background: #e3e3fd;
  margin-right: 4px; vertical-align: middle; }
.bar span { display: block; height: 100%; background: #000091; }
.vide { font-style: italic; color: #666666; }
section { break-inside: auto; }
)";

}  // namespace

std::string ReportToHtml(const ComplianceReport& report) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      Escape(report.title) + "</title>\n<style>" + std::string(kStyle) +
      "</style>\n</head>\n<body>\n<header><div class=\"marque\">République "
      "française</div><h1>" +
      Escape(report.title) + "</h1><p>Période du " + FormatFrenchDate(report.first_day) + " au " +
      FormatFrenchDate(report.last_day) + " — produit le " + FormatFrenchDate(report.generated_on) +
      "</p></header>\n";
  for (std::size_t s = 0; s < report.sections.size(); ++s) {
    const ReportSection& section = report.sections[s];
    out += fmt::format("<section id=\"section-{}\">\n<h2>{}</h2>\n", s, Escape(section.title));
    for (const auto& paragraph : section.paragraphs) out += "<p>" + Escape(paragraph) + "</p>\n";
    if (!section.facts.empty()) {
      out += "<dl>";
      for (const auto& [label, value] : section.facts) {
        out += "<dt>" + Escape(label) + "</dt><dd>" + Content(value) + "</dd>";
      }
      out += "</dl>\n";
    }
    if (section.streamed_rows) {
      out += "<p class=\"vide\">" + Escape(section.not_printed_text) + "</p>\n";
    } else if (!section.columns.empty()) {
      if (section.rows.empty()) {
        out += "<p class=\"vide\">" + Escape(section.empty_text) + "</p>\n";
      } else {
        out += "<table>\n<thead><tr>";
        for (const auto& column : section.columns) out += "<th>" + Escape(column) + "</th>";
        out += "</tr></thead>\n<tbody>\n";
        for (const auto& row : section.rows) {
          out += "<tr>";
          for (const auto& cell : row) out += Render(cell);
          out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n";
      }
    }
    out += "</section>\n";
  }
  return out + "</body>\n</html>\n";
}

}  // namespace vigie::collector
