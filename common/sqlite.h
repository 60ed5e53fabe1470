#pragma once

// RAII helpers over the SQLite C API: prepared statements only, migrations numbered and applied
// at open inside one transaction each, errors as Status values.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vigie::sqlite {

class Statement;

// One open database connection.
class Database {
 public:
  struct Options {
    bool read_only = false;
    // Create the file when it does not exist (ignored when read-only).
    bool create = true;
    // How long a statement waits for another connection's lock before failing.
    int busy_timeout_ms = 5000;
  };

  // Opens (creating it unless read-only) the database at `path` in WAL mode with foreign keys on,
  // and brings its schema up to date by running `migrations[i]` for every version above the
  // stored PRAGMA user_version. A database newer than the migrations is refused.
  static Result<Database> Open(const std::string& path, const Options& options,
                               std::span<const std::string_view> migrations);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  Result<Statement> Prepare(std::string_view sql) const;
  // Runs statements that take no parameters and return no rows (schema, PRAGMA, BEGIN...).
  Status Execute(std::string_view sql) const;

  int SchemaVersion() const;
  std::int64_t LastInsertRowId() const;
  int Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  // Formats the connection's last error with what was being done: "<what>: <sqlite message>".
  Status Error(std::string_view what) const;

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Migrate(std::span<const std::string_view> migrations);

  sqlite3* db_ = nullptr;
  std::string path_;
};

// A prepared statement. Bind indexes start at 1, column indexes at 0, as in SQLite.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);

  // Advances to the next row: true when a row is available, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();
  // Resets for another execution with new bindings.
  void Reset();

  std::int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3_stmt* statement, sqlite3* db) : statement_(statement), db_(db) {}

  sqlite3_stmt* statement_ = nullptr;
  sqlite3* db_ = nullptr;
  // First bind failure, reported by Step/Run so that binding can be chained.
  int bind_error_ = SQLITE_OK;
};

// Begins IMMEDIATE on construction (takes the write lock at once, so that busy waiting happens
// here and not halfway through); rolls back on destruction unless committed.
class Transaction {
 public:
  static Result<Transaction> Begin(const Database& db);
  Transaction(Transaction&& other) noexcept;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(const Database* db) : db_(db) {}
  const Database* db_;
};

}  // namespace vigie::sqlite
