#include "common/sqlite.h"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.h"

namespace vigie::sqlite {
namespace {

constexpr std::string_view kOneMigration[] = {"CREATE TABLE t (v INTEGER NOT NULL) STRICT;"};
constexpr std::string_view kTwoMigrations[] = {"CREATE TABLE t (v INTEGER NOT NULL) STRICT;",
                                               "ALTER TABLE t ADD COLUMN name TEXT;"};

TEST(SqliteTest, OpensInWalModeAndMigrates) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "a.db", {}, kOneMigration);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(db->SchemaVersion(), 1);
  auto mode = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
}

TEST(SqliteTest, AppliesOnlyNewMigrationsOnReopen) {
  testing::TempDir dir;
  {
    auto db = Database::Open(dir / "a.db", {}, kOneMigration);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Execute("INSERT INTO t (v) VALUES (7)").ok());
  }
  auto db = Database::Open(dir / "a.db", {}, kTwoMigrations);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(db->SchemaVersion(), 2);
  auto row = db->Prepare("SELECT v, name FROM t");
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(*row->Step());
  EXPECT_EQ(row->ColumnInt(0), 7);
  EXPECT_TRUE(row->ColumnIsNull(1));
}

TEST(SqliteTest, RefusesDatabaseFromNewerVersion) {
  testing::TempDir dir;
  ASSERT_TRUE(Database::Open(dir / "a.db", {}, kTwoMigrations).ok());
  auto db = Database::Open(dir / "a.db", {}, kOneMigration);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(db.status().message().find("newer Vigie"), std::string::npos);
}

TEST(SqliteTest, FailedMigrationLeavesSchemaUntouched) {
  testing::TempDir dir;
  constexpr std::string_view kBroken[] = {"CREATE TABLE t (v INTEGER);",
                                          "CREATE TABLE u (x); THIS IS NOT SQL;"};
  auto db = Database::Open(dir / "a.db", {}, kBroken);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("migration 2"), std::string::npos);
  auto reopened = Database::Open(dir / "a.db", {}, std::span(kBroken).first(1));
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->SchemaVersion(), 1);
  EXPECT_FALSE(reopened->Prepare("SELECT * FROM u").ok());
}

TEST(SqliteTest, RefusesFileThatIsNotADatabase) {
  testing::TempDir dir;
  const std::string path = dir.Write("garbage.db", std::string(8192, 'x'));
  auto db = Database::Open(path, {}, kOneMigration);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(db.status().message().find(path), std::string::npos);
}

TEST(SqliteTest, DoesNotCreateWhenAskedNotTo) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "missing.db", {.create = false}, kOneMigration);
  ASSERT_FALSE(db.ok());
  EXPECT_FALSE(std::filesystem::exists(dir / "missing.db"));
}

TEST(SqliteTest, TransactionRollsBackUnlessCommitted) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "a.db", {}, kOneMigration);
  ASSERT_TRUE(db.ok());
  {
    auto transaction = Transaction::Begin(*db);
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(db->Execute("INSERT INTO t (v) VALUES (1)").ok());
  }
  {
    auto transaction = Transaction::Begin(*db);
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(db->Execute("INSERT INTO t (v) VALUES (2)").ok());
    ASSERT_TRUE(transaction->Commit().ok());
  }
  auto sum = db->Prepare("SELECT COUNT(*), SUM(v) FROM t");
  ASSERT_TRUE(sum.ok());
  ASSERT_TRUE(*sum->Step());
  EXPECT_EQ(sum->ColumnInt(0), 1);
  EXPECT_EQ(sum->ColumnInt(1), 2);
}

TEST(SqliteTest, ConstraintViolationIsAStatus) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "a.db", {}, kOneMigration);
  ASSERT_TRUE(db.ok());
  auto insert = db->Prepare("INSERT INTO t (v) VALUES (?)");
  ASSERT_TRUE(insert.ok());
  insert->BindNull(1);
  const Status status = insert->Run();
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(status.message().find("NOT NULL"), std::string::npos);
}

TEST(SqliteTest, TextRoundTripsEmbeddedNulAndInvalidUtf8) {
  testing::TempDir dir;
  auto db = Database::Open(dir / "a.db", {}, std::span<const std::string_view>());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Execute("CREATE TABLE b (x BLOB)").ok());
  const std::string bytes("a\0b\xff\xfe", 5);
  auto insert = db->Prepare("INSERT INTO b VALUES (?)");
  ASSERT_TRUE(insert.ok());
  insert->BindBlob(1, bytes);
  ASSERT_TRUE(insert->Run().ok());
  auto select = db->Prepare("SELECT x FROM b");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnText(0), bytes);
}

}  // namespace
}  // namespace vigie::sqlite
