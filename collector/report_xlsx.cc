#include "collector/report_xlsx.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <chrono>

namespace vigie::collector {
namespace {

struct Formats {
  lxw_format* title = nullptr;
  lxw_format* header = nullptr;
  lxw_format* label = nullptr;
  lxw_format* date = nullptr;
  lxw_format* share = nullptr;
  lxw_format* prose = nullptr;
};

lxw_datetime ToExcel(Date date) {
  const std::chrono::year_month_day ymd(date);
  lxw_datetime value{};
  value.year = static_cast<int>(ymd.year());
  value.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  value.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return value;
}

lxw_error Write(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const ReportCell& cell,
                const Formats& formats) {
  switch (cell.kind) {
    case ReportCell::Kind::kEmpty:
      return LXW_NO_ERROR;
    case ReportCell::Kind::kText:
      return worksheet_write_string(sheet, row, col, cell.text.c_str(), nullptr);
    case ReportCell::Kind::kInteger:
      return worksheet_write_number(sheet, row, col, static_cast<double>(cell.integer), nullptr);
    case ReportCell::Kind::kShare:
      return worksheet_write_number(sheet, row, col, cell.share, formats.share);
    case ReportCell::Kind::kDate: {
      lxw_datetime value = ToExcel(cell.date);
      return worksheet_write_datetime(sheet, row, col, &value, formats.date);
    }
  }
  return LXW_NO_ERROR;
}

lxw_error WriteSection(lxw_workbook* workbook, const ReportSection& section,
                       const Formats& formats) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, section.sheet.c_str());
  if (!sheet) return LXW_ERROR_SHEETNAME_ALREADY_USED;
  const lxw_col_t columns = static_cast<lxw_col_t>(std::max<std::size_t>(
      std::max<std::size_t>(section.columns.size(), section.facts.empty() ? 1 : 2), 1));
  worksheet_set_column(sheet, 0, columns - 1, 22, nullptr);
  lxw_row_t row = 0;
  lxw_error error = worksheet_write_string(sheet, row++, 0, section.title.c_str(), formats.title);
  for (const auto& paragraph : section.paragraphs) {
    if (error == LXW_NO_ERROR) {
      error = worksheet_write_string(sheet, row++, 0, paragraph.c_str(), formats.prose);
    }
  }
  for (const auto& [label, value] : section.facts) {
    if (error == LXW_NO_ERROR)
      error = worksheet_write_string(sheet, row, 0, label.c_str(), formats.label);
    if (error == LXW_NO_ERROR) error = Write(sheet, row, 1, value, formats);
    ++row;
  }
  if (section.columns.empty() || error != LXW_NO_ERROR) return error;
  ++row;
  if (section.rows.empty()) {
    return worksheet_write_string(sheet, row, 0, section.empty_text.c_str(), formats.prose);
  }
  const lxw_row_t header = row;
  for (std::size_t c = 0; c < section.columns.size() && error == LXW_NO_ERROR; ++c) {
    error = worksheet_write_string(sheet, row, static_cast<lxw_col_t>(c),
                                   section.columns[c].c_str(), formats.header);
  }
  ++row;
  for (const auto& cells : section.rows) {
    for (std::size_t c = 0; c < cells.size() && error == LXW_NO_ERROR; ++c) {
      error = Write(sheet, row, static_cast<lxw_col_t>(c), cells[c], formats);
    }
    ++row;
  }
  if (error == LXW_NO_ERROR) {
    error = worksheet_autofilter(sheet, header, 0, row - 1,
                                 static_cast<lxw_col_t>(section.columns.size() - 1));
  }
  return error;
}

}  // namespace

Status WriteXlsx(const ComplianceReport& report, const std::string& path) {
  // Rows go straight to disk, so that memory does not grow with the length of a sheet.
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  if (!workbook) return Unavailable("impossible de créer le classeur « " + path + " »");
  Formats formats;
  formats.title = workbook_add_format(workbook);
  format_set_bold(formats.title);
  format_set_font_size(formats.title, 14);
  format_set_font_color(formats.title, 0x000091);
  formats.header = workbook_add_format(workbook);
  format_set_bold(formats.header);
  format_set_bg_color(formats.header, 0xF6F6F6);
  format_set_border(formats.header, LXW_BORDER_THIN);
  formats.label = workbook_add_format(workbook);
  format_set_bold(formats.label);
  formats.date = workbook_add_format(workbook);
  format_set_num_format(formats.date, "dd/mm/yyyy");
  formats.share = workbook_add_format(workbook);
  format_set_num_format(formats.share, "0.0%");
  formats.prose = workbook_add_format(workbook);
  format_set_italic(formats.prose);

  // libxlsxwriter takes non-const strings here, though it only reads them.
  std::string title = report.title;
  std::string company = "Vigie";
  lxw_doc_properties properties{};
  properties.title = title.data();
  properties.company = company.data();
  workbook_set_properties(workbook, &properties);

  lxw_error error = LXW_NO_ERROR;
  for (const auto& section : report.sections) {
    if (error == LXW_NO_ERROR) error = WriteSection(workbook, section, formats);
  }
  const lxw_error closed = workbook_close(workbook);
  if (error == LXW_NO_ERROR) error = closed;
  if (error != LXW_NO_ERROR) {
    return Unavailable("impossible d'écrire le classeur « " + path + " » : " + lxw_strerror(error));
  }
  return Status();
}

}  // namespace vigie::collector
