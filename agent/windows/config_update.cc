#include "agent/windows/config_update.h"

#include <fmt/format.h>
#include <windows.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/agent_config.h"
#include "agent/win32_error.h"

namespace vigie::agent {
namespace {

// Whether `line` sets `key` (`key = ...`, spaces allowed around the key).
bool SetsKey(std::string_view line, std::string_view key) {
  const auto start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos || line.substr(start, key.size()) != key) return false;
  const auto rest = line.find_first_not_of(" \t", start + key.size());
  return rest != std::string_view::npos && line[rest] == '=';
}

Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream file(std::filesystem::path(Wide(path)), std::ios::binary);
  if (!file) return NotFound(path + " does not exist");
  std::ostringstream content;
  content << file.rdbuf();
  if (file.bad()) return Unavailable("cannot read " + path);
  return content.str();
}

Status WriteWhole(const std::string& path, const std::string& content) {
  std::ofstream file(std::filesystem::path(Wide(path)), std::ios::binary | std::ios::trunc);
  file << content;
  file.close();
  if (!file) return Unavailable("cannot write " + path);
  return Status();
}

}  // namespace

std::string TomlString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

Status UpdateConfigFile(const std::string& path, std::string_view initial,
                        const std::vector<std::pair<std::string, std::string>>& values) {
  auto existing = ReadWhole(path);
  if (!existing.ok() && existing.status().code() != StatusCode::kNotFound) {
    return existing.status();
  }
  std::string content = existing.ok() ? *existing : std::string(initial);
  for (const auto& [key, value] : values) {
    if (value.empty()) continue;
    const std::string line = key + " = " + TomlString(value);
    std::string updated;
    bool replaced = false;
    std::istringstream lines(content);
    for (std::string current; std::getline(lines, current);) {
      if (!replaced && SetsKey(current, key)) {
        updated += line + "\n";
        replaced = true;
      } else {
        updated += current + "\n";
      }
    }
    if (!replaced) updated += line + "\n";
    content = std::move(updated);
  }
  const std::string temporary = path + ".new";
  VIGIE_RETURN_IF_ERROR(WriteWhole(temporary, content));
  if (auto loaded = LoadAgentConfig(temporary); !loaded.ok()) {
    DeleteFileW(Wide(temporary).c_str());
    return loaded.status();
  }
  if (!MoveFileExW(Wide(temporary).c_str(), Wide(path).c_str(),
                   MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    const DWORD error = GetLastError();
    DeleteFileW(Wide(temporary).c_str());
    return Win32Error(error, "cannot replace " + path);
  }
  return Status();
}

}  // namespace vigie::agent
