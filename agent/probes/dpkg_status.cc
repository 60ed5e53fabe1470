#include "agent/probes/dpkg_status.h"

#include "common/text.h"

namespace vigie::agent {
namespace {

// The last word of "install ok installed" (want, error flag, state).
std::string StateOf(std::string_view status) {
  status = TrimWhitespace(status);
  const auto space = status.find_last_of(" \t");
  return std::string(space == std::string_view::npos ? status : status.substr(space + 1));
}

}  // namespace

DpkgStatus ParseDpkgStatus(std::string_view text) {
  DpkgStatus result;
  DpkgPackage current;
  bool in_paragraph = false;
  const auto finish_paragraph = [&] {
    if (in_paragraph && !current.name.empty()) result.packages.push_back(std::move(current));
    current = {};
    in_paragraph = false;
  };

  std::size_t line_number = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    auto end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (TrimWhitespace(line).empty()) {
      finish_paragraph();
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      // Continuation of a multi-line field (Description, Conffiles): nothing we read.
      if (!in_paragraph) {
        ++result.malformed_lines;
        if (result.first_malformed_line == 0) result.first_malformed_line = line_number;
      }
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      ++result.malformed_lines;
      if (result.first_malformed_line == 0) result.first_malformed_line = line_number;
      continue;
    }
    in_paragraph = true;
    const std::string_view field = line.substr(0, colon);
    const std::string_view value = TrimWhitespace(line.substr(colon + 1));
    if (field == "Package") {
      current.name = value;
    } else if (field == "Version") {
      current.version = value;
    } else if (field == "Architecture") {
      current.architecture = value;
    } else if (field == "Status") {
      current.state = StateOf(value);
    }
  }
  finish_paragraph();
  return result;
}

bool IsInstalled(const DpkgPackage& package) {
  return package.state == "installed" || package.state == "triggers-awaited" ||
         package.state == "triggers-pending";
}

}  // namespace vigie::agent
