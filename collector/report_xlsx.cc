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

Status Failed(lxw_error error) {
  return Unavailable(std::string("libxlsxwriter: ") + lxw_strerror(error));
}

// A section's table, continued on further sheets ("Postes (2)"...) when it has more rows than a
// sheet takes, each with its header and autofilter.
class TableWriter {
 public:
  TableWriter(lxw_workbook* workbook, const ReportSection& section, const Formats& formats,
              const XlsxLimits& limits)
      : workbook_(workbook), section_(section), formats_(formats), limits_(limits) {}

  Status Start(lxw_worksheet* sheet, lxw_row_t row) {
    sheet_ = sheet;
    header_ = row;
    for (std::size_t c = 0; c < section_.columns.size(); ++c) {
      if (lxw_error e = worksheet_write_string(sheet_, row, static_cast<lxw_col_t>(c),
                                               section_.columns[c].c_str(), formats_.header)) {
        return Failed(e);
      }
    }
    row_ = row + 1;
    return Status::Ok();
  }

  Status Add(const std::vector<ReportCell>& cells) {
    if (row_ >= limits_.rows_per_sheet) {
      VIGIE_RETURN_IF_ERROR(Finish());
      const std::string name = section_.sheet + " (" + std::to_string(++continuations_ + 1) + ")";
      lxw_worksheet* next = workbook_add_worksheet(workbook_, name.c_str());
      if (!next) return Failed(LXW_ERROR_SHEETNAME_ALREADY_USED);
      worksheet_set_column(next, 0, static_cast<lxw_col_t>(section_.columns.size() - 1), 22,
                           nullptr);
      VIGIE_RETURN_IF_ERROR(Start(next, 0));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (lxw_error e = Write(sheet_, row_, static_cast<lxw_col_t>(c), cells[c], formats_)) {
        return Failed(e);
      }
    }
    ++row_;
    return Status::Ok();
  }

  Status Finish() {
    if (row_ == header_ + 1) {
      if (lxw_error e = worksheet_write_string(sheet_, row_, 0, section_.empty_text.c_str(),
                                               formats_.prose)) {
        return Failed(e);
      }
      return Status::Ok();
    }
    if (lxw_error e = worksheet_autofilter(sheet_, header_, 0, row_ - 1,
                                           static_cast<lxw_col_t>(section_.columns.size() - 1))) {
      return Failed(e);
    }
    return Status::Ok();
  }

 private:
  lxw_workbook* workbook_;
  const ReportSection& section_;
  const Formats& formats_;
  const XlsxLimits& limits_;
  lxw_worksheet* sheet_ = nullptr;
  lxw_row_t header_ = 0;
  lxw_row_t row_ = 0;
  int continuations_ = 0;
};

Status WriteSection(lxw_workbook* workbook, const ReportSection& section, const Formats& formats,
                    const XlsxLimits& limits) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, section.sheet.c_str());
  if (!sheet) return Failed(LXW_ERROR_SHEETNAME_ALREADY_USED);
  const lxw_col_t columns = static_cast<lxw_col_t>(std::max<std::size_t>(
      std::max<std::size_t>(section.columns.size(), section.facts.empty() ? 1 : 2), 1));
  worksheet_set_column(sheet, 0, columns - 1, 22, nullptr);
  lxw_row_t row = 0;
  if (lxw_error e = worksheet_write_string(sheet, row++, 0, section.title.c_str(), formats.title)) {
    return Failed(e);
  }
  for (const auto& paragraph : section.paragraphs) {
    if (lxw_error e = worksheet_write_string(sheet, row++, 0, paragraph.c_str(), formats.prose)) {
      return Failed(e);
    }
  }
  for (const auto& [label, value] : section.facts) {
    if (lxw_error e = worksheet_write_string(sheet, row, 0, label.c_str(), formats.label)) {
      return Failed(e);
    }
    if (lxw_error e = Write(sheet, row, 1, value, formats)) return Failed(e);
    ++row;
  }
  if (section.columns.empty()) return Status::Ok();
  ++row;
  if (section.rows.empty() && !section.streamed_rows) {
    if (lxw_error e =
            worksheet_write_string(sheet, row, 0, section.empty_text.c_str(), formats.prose)) {
      return Failed(e);
    }
    return Status::Ok();
  }
  TableWriter table(workbook, section, formats, limits);
  VIGIE_RETURN_IF_ERROR(table.Start(sheet, row));
  if (section.streamed_rows) {
    VIGIE_RETURN_IF_ERROR(section.streamed_rows(
        [&table](const std::vector<ReportCell>& cells) { return table.Add(cells); }));
  } else {
    for (const auto& cells : section.rows) VIGIE_RETURN_IF_ERROR(table.Add(cells));
  }
  return table.Finish();
}

}  // namespace

Status WriteXlsx(const ComplianceReport& report, const std::string& path,
                 const XlsxLimits& limits) {
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

  Status status;
  for (const auto& section : report.sections) {
    status = WriteSection(workbook, section, formats, limits);
    if (!status.ok()) break;
  }
  const lxw_error closed = workbook_close(workbook);
  if (status.ok() && closed != LXW_NO_ERROR) status = Failed(closed);
  if (!status.ok()) {
    return Unavailable("impossible d'écrire le classeur « " + path + " » : " + status.message());
  }
  return Status();
}

}  // namespace vigie::collector
