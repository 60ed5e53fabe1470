#include "agent/probes/linux_onedrive_config.h"

#include "common/text.h"

namespace vigie::agent {

std::string OneDriveConfig::Get(std::string_view key) const {
  for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {
    if (entry->first == key) return entry->second;
  }
  return {};
}

OneDriveConfig ParseOneDriveConfig(std::string_view text) {
  OneDriveConfig config;
  int line_number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = TrimWhitespace(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const auto equals = line.find('=');
    const std::string_view key =
        TrimWhitespace(line.substr(0, equals == std::string_view::npos ? 0 : equals));
    std::string_view value = equals == std::string_view::npos
                                 ? std::string_view()
                                 : TrimWhitespace(line.substr(equals + 1));
    if (key.empty() || value.size() < 2 || value.front() != '"' || value.back() != '"') {
      if (config.malformed_lines++ == 0) config.first_malformed_line = line_number;
      continue;
    }
    value = value.substr(1, value.size() - 2);
    config.entries.emplace_back(std::string(key), std::string(value));
  }
  return config;
}

}  // namespace vigie::agent
