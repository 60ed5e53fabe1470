#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

namespace vigie::testing {

// The first column of every row `sql` returns from the database at `path`, read with the plain
// SQLite API so that tests check what is on disk, not what the store says.
inline std::vector<std::string> QueryColumn(const std::string& path, const std::string& sql) {
  std::vector<std::string> values;
  sqlite3* db = nullptr;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
    while (sqlite3_step(statement) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(statement, 0);
      values.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return values;
}

}  // namespace vigie::testing
