#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "agent/system_view.h"
#include "common/status.h"

namespace vigie::agent {

// A private copy of a browser's history database, taken through SystemView so that the browser
// can keep running: the database with its "-wal" and "-journal" side files goes into a fresh
// directory only this process can enter (0700), and is opened there. Opening the copy replays
// the write-ahead log (visits not yet checkpointed are seen) or rolls back a half-written
// transaction, and never takes the browser's own locks. The directory and everything in it are
// removed when the snapshot goes out of scope, whatever happened.
class HistorySnapshot {
 public:
  // Databases bigger than this are refused: a history file is tens of megabytes at most.
  static constexpr std::size_t kMaxDatabaseBytes = 512 * 1024 * 1024;

  // Copies `database` and its side files. NOT_FOUND when the database does not exist.
  static Result<HistorySnapshot> Take(const SystemView& system, std::string_view database);

  HistorySnapshot(HistorySnapshot&& other) noexcept;
  HistorySnapshot& operator=(HistorySnapshot&&) = delete;
  HistorySnapshot(const HistorySnapshot&) = delete;
  HistorySnapshot& operator=(const HistorySnapshot&) = delete;
  ~HistorySnapshot();

  // The copy of the database, to open with SQLite.
  const std::filesystem::path& database() const { return database_; }
  const std::filesystem::path& directory() const { return directory_; }

 private:
  HistorySnapshot(std::filesystem::path directory, std::filesystem::path database)
      : directory_(std::move(directory)), database_(std::move(database)) {}

  std::filesystem::path directory_;
  std::filesystem::path database_;
};

}  // namespace vigie::agent
