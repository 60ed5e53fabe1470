#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vigie {

// A TOML configuration file whose top-level keys have the same names as the command-line flags
// (`grpc-listen = "127.0.0.1:50051"`). Every error names the file, the line and the key.
class ConfigFile {
 public:
  static Result<ConfigFile> Load(const std::string& path);
  // `source` names the text in error messages (a path, or "<built-in ministries>").
  static Result<ConfigFile> Parse(std::string_view text, std::string source);

  // Refuses keys outside `known`, so that a typo is not silently ignored.
  Status CheckKeys(std::span<const std::string_view> known) const;

  Result<std::optional<std::string>> GetString(std::string_view key) const;
  Result<std::optional<std::int64_t>> GetInteger(std::string_view key) const;
  Result<std::optional<bool>> GetBool(std::string_view key) const;

  const toml::table& table() const { return table_; }
  const std::string& source() const { return source_; }

  // "<source>:<line>: <key>: <message>", pointing at where `node` was written.
  Status ErrorAt(const toml::node& node, std::string_view key, std::string_view message) const;

 private:
  ConfigFile(toml::table table, std::string source)
      : table_(std::move(table)), source_(std::move(source)) {}

  toml::table table_;
  std::string source_;
};

}  // namespace vigie
