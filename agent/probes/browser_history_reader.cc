#include "agent/probes/browser_history_reader.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace vigie::agent {
namespace {

// Microseconds from 1601-01-01 (WebKit's epoch) to 1970-01-01.
constexpr std::int64_t kWebKitEpochOffsetMicros = 11644473600LL * 1000000;

struct DatabaseCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

std::int64_t ToMicros(Timestamp time) {
  return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

Timestamp FromMicros(std::int64_t micros) {
  return std::chrono::floor<std::chrono::seconds>(
      std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(micros)));
}

Status SqliteError(sqlite3* db, std::string_view what) {
  return DataLoss(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Status ForEachVisit(const std::filesystem::path& database, HistoryFormat format, Timestamp from,
                    Timestamp to,
                    const std::function<void(std::string_view url, Timestamp when)>& visit) {
  sqlite3* raw_db = nullptr;
  const int opened = sqlite3_open_v2(database.c_str(), &raw_db,
                                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  const std::unique_ptr<sqlite3, DatabaseCloser> db(raw_db);
  if (opened != SQLITE_OK) return SqliteError(raw_db, "cannot open the history database");

  const bool chromium = format == HistoryFormat::kChromium;
  const char* sql =
      chromium ? "SELECT urls.url, visits.visit_time FROM visits JOIN urls ON urls.id = visits.url"
                 " WHERE visits.visit_time BETWEEN ?1 AND ?2"
               : "SELECT moz_places.url, moz_historyvisits.visit_date FROM moz_historyvisits"
                 " JOIN moz_places ON moz_places.id = moz_historyvisits.place_id"
                 " WHERE moz_historyvisits.visit_date BETWEEN ?1 AND ?2";
  sqlite3_stmt* raw_statement = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql, -1, &raw_statement, nullptr) != SQLITE_OK) {
    return SqliteError(db.get(), "cannot read the history database");
  }
  const std::unique_ptr<sqlite3_stmt, StatementFinalizer> statement(raw_statement);
  const std::int64_t offset = chromium ? kWebKitEpochOffsetMicros : 0;
  sqlite3_bind_int64(statement.get(), 1, ToMicros(from) + offset);
  sqlite3_bind_int64(statement.get(), 2, ToMicros(to) + offset);
  while (true) {
    const int step = sqlite3_step(statement.get());
    if (step == SQLITE_DONE) return Status::Ok();
    if (step != SQLITE_ROW) return SqliteError(db.get(), "cannot read the history database");
    const auto* url = reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), 0));
    const int length = sqlite3_column_bytes(statement.get(), 0);
    if (!url) continue;
    visit(std::string_view(url, static_cast<std::size_t>(length)),
          FromMicros(sqlite3_column_int64(statement.get(), 1) - offset));
  }
}

}  // namespace vigie::agent
