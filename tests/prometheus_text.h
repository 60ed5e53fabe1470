#pragma once

#include <map>
#include <sstream>
#include <string>

namespace vigie::testing {

// Parses the Prometheus text exposition format strictly enough to catch malformed output: every
// line is blank, a `# HELP name text` / `# TYPE name kind` comment, or `name{labels} value` with
// a number as value. Returns "name{labels}" -> value; `error` says what was wrong (empty if
// nothing).
inline std::map<std::string, double> ParsePrometheusText(const std::string& text,
                                                         std::string& error) {
  std::map<std::string, double> samples;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (line.rfind("# HELP ", 0) != 0 && line.rfind("# TYPE ", 0) != 0) {
        error = "line " + std::to_string(number) + ": unknown comment: " + line;
        return {};
      }
      continue;
    }
    std::size_t name_end = 0;
    while (name_end < line.size() && (std::isalnum(static_cast<unsigned char>(line[name_end])) ||
                                      line[name_end] == '_' || line[name_end] == ':')) {
      ++name_end;
    }
    std::size_t series_end = name_end;
    if (series_end < line.size() && line[series_end] == '{') {
      bool quoted = false;
      for (++series_end; series_end < line.size(); ++series_end) {
        const char c = line[series_end];
        if (quoted && c == '\\') {
          ++series_end;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (!quoted && c == '}') {
          break;
        }
      }
      if (series_end >= line.size()) {
        error = "line " + std::to_string(number) + ": unterminated labels: " + line;
        return {};
      }
      ++series_end;
    }
    if (name_end == 0 || series_end >= line.size() || line[series_end] != ' ') {
      error = "line " + std::to_string(number) + ": not a sample: " + line;
      return {};
    }
    const std::string value = line.substr(series_end + 1);
    std::size_t used = 0;
    double parsed = 0;
    try {
      parsed = value == "+Inf" ? 1e308 : std::stod(value, &used);
    } catch (...) {
      used = 0;
    }
    if (value != "+Inf" && used != value.size()) {
      error = "line " + std::to_string(number) + ": value is not a number: " + line;
      return {};
    }
    samples[line.substr(0, series_end)] = parsed;
  }
  return samples;
}

}  // namespace vigie::testing
