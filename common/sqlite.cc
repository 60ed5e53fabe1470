#include "common/sqlite.h"

#include <string>
#include <utility>

namespace vigie::sqlite {
namespace {

StatusCode CodeFor(int sqlite_code) {
  switch (sqlite_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      return StatusCode::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StatusCode::kDataLoss;
    case SQLITE_CONSTRAINT:
      return StatusCode::kAlreadyExists;
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return StatusCode::kPermissionDenied;
    default:
      return StatusCode::kInternal;
  }
}

}  // namespace

Result<Database> Database::Open(const std::string& path, const Options& options,
                                std::span<const std::string_view> migrations) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX;
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  }
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw, path);
  if (rc != SQLITE_OK) {
    return Status(CodeFor(rc), "cannot open database " + path + ": " +
                                   (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  // Reading the schema catches "file is not a database" here rather than at first use.
  if (!options.read_only) VIGIE_RETURN_IF_ERROR(db.Execute("PRAGMA journal_mode=WAL"));
  VIGIE_RETURN_IF_ERROR(db.Execute("PRAGMA foreign_keys=ON"));
  VIGIE_RETURN_IF_ERROR(db.Execute("PRAGMA synchronous=NORMAL"));
  const int version = db.SchemaVersion();
  if (version < 0) return db.Error("cannot read the schema version of " + path);
  if (version > static_cast<int>(migrations.size())) {
    return FailedPrecondition("database " + path + " has schema version " +
                              std::to_string(version) + " but this program knows only up to " +
                              std::to_string(migrations.size()) +
                              ": it was written by a newer Vigie; upgrade this program");
  }
  if (version < static_cast<int>(migrations.size())) {
    if (options.read_only) {
      return FailedPrecondition(
          "database " + path + " has schema version " + std::to_string(version) + ", expected " +
          std::to_string(migrations.size()) + "; start the collector once to upgrade it");
    }
    VIGIE_RETURN_IF_ERROR(db.Migrate(migrations));
  }
  return db;
}

Status Database::Migrate(std::span<const std::string_view> migrations) {
  for (int version = SchemaVersion(); version < static_cast<int>(migrations.size()); ++version) {
    auto transaction = Transaction::Begin(*this);
    if (!transaction.ok()) return transaction.status();
    // Re-read under the write lock: another process may have migrated meanwhile.
    if (SchemaVersion() > version) continue;
    const std::string sql(migrations[version]);
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      Status status = Internal("migration " + std::to_string(version + 1) + " of " + path_ +
                               " failed: " + (error ? error : "unknown error"));
      sqlite3_free(error);
      return status;
    }
    VIGIE_RETURN_IF_ERROR(Execute("PRAGMA user_version=" + std::to_string(version + 1)));
    VIGIE_RETURN_IF_ERROR(transaction->Commit());
  }
  return Status::Ok();
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Database::~Database() { sqlite3_close_v2(db_); }

Result<Statement> Database::Prepare(std::string_view sql) const {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) !=
      SQLITE_OK) {
    return Error("cannot prepare statement");
  }
  return Statement(statement, db_);
}

Status Database::Execute(std::string_view sql) const {
  auto statement = Prepare(sql);
  if (!statement.ok()) return statement.status();
  while (true) {
    auto row = statement->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

int Database::SchemaVersion() const {
  auto statement = Prepare("PRAGMA user_version");
  if (!statement.ok()) return -1;
  auto row = statement->Step();
  if (!row.ok() || !*row) return -1;
  return static_cast<int>(statement->ColumnInt(0));
}

std::int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int Database::Changes() const { return sqlite3_changes(db_); }

Status Database::Error(std::string_view what) const {
  return Status(CodeFor(sqlite3_extended_errcode(db_)),
                std::string(what) + ": " + sqlite3_errmsg(db_) + " (" + path_ + ")");
}

Statement::Statement(Statement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)),
      db_(other.db_),
      bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    statement_ = std::exchange(other.statement_, nullptr);
    db_ = other.db_;
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::Bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(statement_, index, value);
  if (bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
  if (bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  const int rc =
      sqlite3_bind_blob64(statement_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(statement_, index);
  if (bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) {
    return Status(CodeFor(bind_error_),
                  std::string("cannot bind a parameter: ") + sqlite3_errstr(bind_error_));
  }
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Status(CodeFor(rc),
                std::string(sqlite3_errmsg(db_)) + " (in: " + sqlite3_sql(statement_) + ")");
}

Status Statement::Run() {
  auto row = Step();
  if (!row.ok()) return row.status();
  return Status::Ok();
}

void Statement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  bind_error_ = SQLITE_OK;
}

std::int64_t Statement::ColumnInt(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::string Statement::ColumnText(int column) const {
  const auto* text = sqlite3_column_blob(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  return text ? std::string(static_cast<const char*>(text), size) : std::string();
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

Result<Transaction> Transaction::Begin(const Database& db) {
  VIGIE_RETURN_IF_ERROR(db.Execute("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_) (void)db_->Execute("ROLLBACK");
}

Status Transaction::Commit() {
  const Database* db = std::exchange(db_, nullptr);
  Status status = db->Execute("COMMIT");
  if (!status.ok()) (void)db->Execute("ROLLBACK");
  return status;
}

}  // namespace vigie::sqlite
