#include "common/config_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace vigie {

Result<ConfigFile> ConfigFile::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read configuration file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Unavailable("cannot read configuration file " + path);
  return Parse(text.str(), path);
}

Result<ConfigFile> ConfigFile::Parse(std::string_view text, std::string source) {
  try {
    toml::table table = toml::parse(text, source);
    return ConfigFile(std::move(table), std::move(source));
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    return InvalidArgument(source + ":" + std::to_string(where.line) + ":" +
                           std::to_string(where.column) + ": " + std::string(error.description()));
  }
}

Status ConfigFile::CheckKeys(std::span<const std::string_view> known) const {
  for (const auto& [key, node] : table_) {
    if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
      return ErrorAt(node, key.str(), "unknown key");
    }
  }
  return Status::Ok();
}

Status ConfigFile::ErrorAt(const toml::node& node, std::string_view key,
                           std::string_view message) const {
  return InvalidArgument(source_ + ":" + std::to_string(node.source().begin.line) + ": " +
                         std::string(key) + ": " + std::string(message));
}

Result<std::optional<std::string>> ConfigFile::GetString(std::string_view key) const {
  const toml::node* node = table_.get(key);
  if (!node) return std::optional<std::string>();
  if (!node->is_string()) return ErrorAt(*node, key, "must be a string");
  return std::optional<std::string>(node->as_string()->get());
}

Result<std::optional<std::int64_t>> ConfigFile::GetInteger(std::string_view key) const {
  const toml::node* node = table_.get(key);
  if (!node) return std::optional<std::int64_t>();
  if (!node->is_integer()) return ErrorAt(*node, key, "must be an integer");
  return std::optional<std::int64_t>(node->as_integer()->get());
}

Result<std::optional<bool>> ConfigFile::GetBool(std::string_view key) const {
  const toml::node* node = table_.get(key);
  if (!node) return std::optional<bool>();
  if (!node->is_boolean()) return ErrorAt(*node, key, "must be true or false");
  return std::optional<bool>(node->as_boolean()->get());
}

}  // namespace vigie
