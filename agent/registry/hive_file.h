#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/registry/registry.h"
#include "common/status.h"

struct hive_h;

namespace vigie::agent::registry {

// A registry hive file in Windows' own binary format ("regf": NTUSER.DAT, SOFTWARE, ...), read in
// place with libhivex. Keys are read on demand rather than loaded whole: a user's NTUSER.DAT runs
// to tens of MiB, and probes read a few keys of it. Hivex checks the structures it reads, so a
// truncated or corrupt file fails either at Open or at the read that reaches the damage.
class HiveFile {
 public:
  // Opens the hive behind the open descriptor `fd` (the caller keeps it), named `name` in
  // messages. DATA_LOSS when the file is not a hive or is damaged.
  static Result<std::unique_ptr<HiveFile>> Open(int fd, std::string name);

  HiveFile(const HiveFile&) = delete;
  HiveFile& operator=(const HiveFile&) = delete;
  ~HiveFile();

  // `key` is relative to the hive's root ("Software\Microsoft"; "" for the root), matched
  // case-insensitively. NOT_FOUND for an absent key or value; DATA_LOSS for a damaged structure.
  Result<std::vector<std::string>> ListSubkeys(std::string_view key) const;
  Result<Value> ReadValue(std::string_view key, std::string_view name) const;

 private:
  HiveFile(hive_h* hive, std::string name) : hive_(hive), name_(std::move(name)) {}
  // The node of `key`, or why it cannot be had.
  Result<std::size_t> FindNode(std::string_view key) const;
  Status Damaged(std::string_view what, int error) const;

  hive_h* hive_;
  std::string name_;
};

}  // namespace vigie::agent::registry
