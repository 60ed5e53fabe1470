#include "collector/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collector/test_reports.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using testing::At;
using testing::kNowSeconds;
using testing::ValidReport;

Verdict VerdictOf(VerdictStatus status) { return {status, {"raison « é »"}}; }

std::int64_t Hosts(Store& store, const std::string& ministry, VerdictStatus verdict) {
  auto counts = store.CountHostsByMinistry();
  EXPECT_TRUE(counts.ok());
  for (const auto& entry : *counts) {
    if (entry.ministry == ministry) return entry.hosts_by_verdict[static_cast<int>(verdict)];
  }
  return 0;
}

class StoreTest : public ::testing::Test {
 protected:
  Store Open() {
    auto store = Store::Open(dir_ / "collector.db");
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(store).value();
  }
  testing::TempDir dir_;
};

TEST_F(StoreTest, StoresReportAndLatestState) {
  Store store = Open();
  auto outcome =
      store.Ingest(ValidReport(), "payload", VerdictOf(VerdictStatus::kToReview), At(kNowSeconds));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_FALSE(outcome->duplicate);
  EXPECT_EQ(*store.CountReports(), 1);
  EXPECT_EQ(Hosts(store, "MI", VerdictStatus::kToReview), 1);
}

TEST_F(StoreTest, DuplicateReportIsAcknowledgedNotStoredTwice) {
  Store store = Open();
  ASSERT_TRUE(
      store.Ingest(ValidReport(), "p", VerdictOf(VerdictStatus::kToReview), At(kNowSeconds)).ok());
  auto again =
      store.Ingest(ValidReport(), "p", VerdictOf(VerdictStatus::kCompliant), At(kNowSeconds + 5));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->verdict, VerdictOf(VerdictStatus::kToReview));
  EXPECT_EQ(*store.CountReports(), 1);
}

TEST_F(StoreTest, NewerScanReplacesLatestStateOlderOneOnlyJoinsHistory) {
  Store store = Open();
  InventoryReport first = ValidReport("r1");
  ASSERT_TRUE(store.Ingest(first, "p", VerdictOf(VerdictStatus::kToReview), At(kNowSeconds)).ok());

  InventoryReport newer = ValidReport("r2");
  newer.scan_finished = At(kNowSeconds + 100);
  ASSERT_TRUE(
      store.Ingest(newer, "p", VerdictOf(VerdictStatus::kNonCompliant), At(kNowSeconds + 101))
          .ok());
  EXPECT_EQ(Hosts(store, "MI", VerdictStatus::kNonCompliant), 1);

  InventoryReport late = ValidReport("r3");
  late.scan_finished = At(kNowSeconds + 50);
  ASSERT_TRUE(
      store.Ingest(late, "p", VerdictOf(VerdictStatus::kCompliant), At(kNowSeconds + 102)).ok());
  EXPECT_EQ(Hosts(store, "MI", VerdictStatus::kNonCompliant), 1);
  EXPECT_EQ(Hosts(store, "MI", VerdictStatus::kCompliant), 0);
  EXPECT_EQ(*store.CountReports(), 3);
}

TEST_F(StoreTest, CountsPerMinistry) {
  Store store = Open();
  ASSERT_TRUE(store
                  .Ingest(ValidReport("r1", "h1", "MI"), "p", VerdictOf(VerdictStatus::kCompliant),
                          At(kNowSeconds))
                  .ok());
  ASSERT_TRUE(store
                  .Ingest(ValidReport("r2", "h2", "MI"), "p",
                          VerdictOf(VerdictStatus::kNonCompliant), At(kNowSeconds))
                  .ok());
  ASSERT_TRUE(store
                  .Ingest(ValidReport("r3", "h3", "MEN"), "p", VerdictOf(VerdictStatus::kCompliant),
                          At(kNowSeconds))
                  .ok());
  auto counts = store.CountHostsByMinistry();
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 2u);
  EXPECT_EQ((*counts)[0].ministry, "MEN");
  EXPECT_EQ((*counts)[0].hosts, 1);
  EXPECT_EQ((*counts)[1].ministry, "MI");
  EXPECT_EQ((*counts)[1].hosts, 2);
}

TEST_F(StoreTest, SurvivesReopen) {
  {
    Store store = Open();
    ASSERT_TRUE(
        store.Ingest(ValidReport(), "p", VerdictOf(VerdictStatus::kCompliant), At(kNowSeconds))
            .ok());
  }
  Store store = Open();
  EXPECT_EQ(*store.CountReports(), 1);
  EXPECT_EQ(Hosts(store, "MI", VerdictStatus::kCompliant), 1);
}

TEST_F(StoreTest, ExistingModeRefusesToCreate) {
  auto store = Store::Open(dir_ / "nothing.db", Store::Mode::kExisting);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(store.status().message(), ::testing::HasSubstr("vigie-collector serve"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "nothing.db"));
}

TEST_F(StoreTest, LockedDatabaseFailsWithoutLosingData) {
  {
    Store store = Open();
    ASSERT_TRUE(
        store.Ingest(ValidReport("r1"), "p", VerdictOf(VerdictStatus::kCompliant), At(kNowSeconds))
            .ok());
  }
  // A second connection holding the write lock makes the store's write fail.
  Store store = Open();
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "collector.db").c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto outcome = store.Ingest(ValidReport("r2", "h2"), "p", VerdictOf(VerdictStatus::kCompliant),
                              At(kNowSeconds));
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(outcome.status().message(), ::testing::HasSubstr("locked"));
  EXPECT_EQ(*store.CountReports(), 1);
}

}  // namespace
}  // namespace vigie::collector
