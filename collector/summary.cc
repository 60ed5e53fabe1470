#include "collector/summary.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/enums.h"

namespace vigie::collector {
namespace {

std::string NameOf(const std::string& code, const MinistryList& ministries) {
  const Ministry* ministry = ministries.Find(code);
  return ministry ? ministry->name : "(ministère absent de la configuration)";
}

MinistryCounts Total(const std::vector<MinistryCounts>& counts) {
  MinistryCounts total;
  for (const auto& entry : counts) {
    total.hosts += entry.hosts;
    for (std::size_t i = 0; i < total.hosts_by_verdict.size(); ++i) {
      total.hosts_by_verdict[i] += entry.hosts_by_verdict[i];
    }
  }
  return total;
}

// Display width of UTF-8 text: one column per code point, enough for French labels.
std::size_t Width(std::string_view text) {
  std::size_t width = 0;
  for (char c : text) width += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return width;
}

std::string PadRight(std::string_view text, std::size_t width) {
  std::string out(text);
  for (std::size_t w = Width(text); w < width; ++w) out += ' ';
  return out;
}

std::string PadLeft(std::string_view text, std::size_t width) {
  std::string out;
  for (std::size_t w = Width(text); w < width; ++w) out += ' ';
  return out + std::string(text);
}

std::string Cell(std::int64_t count, std::int64_t total) {
  if (count == 0 || total == 0) return "0";
  return fmt::format("{} ({} %)", count, (count * 100 + total / 2) / total);
}

}  // namespace

std::string SummaryToText(const std::vector<MinistryCounts>& counts,
                          const MinistryList& ministries) {
  const MinistryCounts total = Total(counts);
  if (total.hosts == 0) {
    return "Aucun poste n'a encore fait de rapport.\n";
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"Ministère", "Postes"};
  for (auto verdict : kAllVerdicts) header.emplace_back(FrenchLabel(verdict));
  rows.push_back(header);
  const auto add_row = [&](const std::string& label, const MinistryCounts& entry) {
    std::vector<std::string> row = {label, std::to_string(entry.hosts)};
    for (auto verdict : kAllVerdicts) {
      row.push_back(Cell(entry.hosts_by_verdict[static_cast<int>(verdict)], entry.hosts));
    }
    rows.push_back(std::move(row));
  };
  for (const auto& entry : counts) add_row(entry.ministry, entry);
  if (counts.size() > 1) add_row("Total", total);

  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], Width(row[i]));
  }
  std::string out = "Conformité à la doctrine « Cloud au centre », par ministère\n\n";
  for (const auto& row : rows) {
    std::string line = PadRight(row[0], widths[0]);
    for (std::size_t i = 1; i < row.size(); ++i) line += "  " + PadLeft(row[i], widths[i]);
    out += line + "\n";
  }
  out += "\n";
  for (const auto& entry : counts) {
    out += fmt::format("{} : {}\n", entry.ministry, NameOf(entry.ministry, ministries));
  }
  return out;
}

std::string SummaryToJson(const std::vector<MinistryCounts>& counts,
                          const MinistryList& ministries) {
  const auto verdicts_json = [](const MinistryCounts& entry) {
    nlohmann::ordered_json verdicts = nlohmann::ordered_json::object();
    for (auto verdict : kAllVerdicts) {
      verdicts[std::string(EnumName(verdict))] = entry.hosts_by_verdict[static_cast<int>(verdict)];
    }
    return verdicts;
  };
  nlohmann::ordered_json json;
  json["ministries"] = nlohmann::ordered_json::array();
  for (const auto& entry : counts) {
    nlohmann::ordered_json item;
    item["code"] = entry.ministry;
    item["name"] = NameOf(entry.ministry, ministries);
    item["hosts"] = entry.hosts;
    item["verdicts"] = verdicts_json(entry);
    json["ministries"].push_back(std::move(item));
  }
  const MinistryCounts total = Total(counts);
  json["total"] = {{"hosts", total.hosts}, {"verdicts", verdicts_json(total)}};
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace vigie::collector
