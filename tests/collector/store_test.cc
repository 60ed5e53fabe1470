#include "collector/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collector/raw_sql.h"
#include "collector/test_reports.h"
#include "common/wire.h"
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

namespace vigie::collector {
namespace {

using testing::At;
using testing::kNowSeconds;
using testing::ValidReport;

doctrine::Derogation MailDerogation(std::string ministry = "MI") {
  const Date day = std::chrono::floor<std::chrono::days>(testing::At(testing::kNowSeconds));
  return {std::move(ministry),         ServiceCategory::kMail,      "SG", "DEC-1",
          day - std::chrono::days(10), day + std::chrono::days(10), ""};
}

std::int64_t CountRows(const std::string& database, const std::string& table) {
  sqlite3* raw = nullptr;
  sqlite3_open(database.c_str(), &raw);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(raw, ("SELECT COUNT(*) FROM " + table).c_str(), -1, &statement, nullptr);
  sqlite3_step(statement);
  const std::int64_t count = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(raw);
  return count;
}

TEST_F(StoreTest, DerogationRegisterKeepsWhoAndWhen) {
  Store store = Open();
  auto id = store.AddDerogation(MailDerogation(), "alice", At(kNowSeconds));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(store.AddDerogation(MailDerogation("MEN"), "bob", At(kNowSeconds)).ok());
  EXPECT_EQ(store.DerogationsOf("MI")->size(), 1u);

  ASSERT_TRUE(store.RevokeDerogation(*id, "carol", At(kNowSeconds + 60)).ok());
  EXPECT_TRUE(store.DerogationsOf("MI")->empty());
  auto records = store.ListDerogations("MI");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].recorded_by, "alice");
  EXPECT_EQ((*records)[0].revoked_by, "carol");
  EXPECT_EQ((*records)[0].derogation, MailDerogation());
  EXPECT_EQ(store.ListDerogations("")->size(), 2u);

  EXPECT_EQ(store.RevokeDerogation(*id, "carol", At(kNowSeconds)).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.RevokeDerogation(999, "carol", At(kNowSeconds)).code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, ReevaluationUpdatesChangedHostsAndKeepsHistory) {
  Store store = Open();
  ASSERT_TRUE(store
                  .Ingest(ValidReport("r1", "h1", "MI"),
                          ToProto(ValidReport("r1", "h1", "MI")).SerializeAsString(),
                          VerdictOf(VerdictStatus::kNonCompliant), At(kNowSeconds))
                  .ok());
  ASSERT_TRUE(store
                  .Ingest(ValidReport("r2", "h2", "MEN"),
                          ToProto(ValidReport("r2", "h2", "MEN")).SerializeAsString(),
                          VerdictOf(VerdictStatus::kNonCompliant), At(kNowSeconds))
                  .ok());
  EXPECT_EQ(CountRows(dir_ / "collector.db", "verdict_changes"), 2);

  int calls = 0;
  const HostEvaluator to_derogation = [&](const InventoryReport& report,
                                          const std::vector<doctrine::Derogation>&, Timestamp,
                                          const std::string&) {
    ++calls;
    EXPECT_EQ(report.ministry, "MI");
    return VerdictOf(VerdictStatus::kDerogation);
  };
  auto changed = store.Reevaluate("MI", to_derogation, At(kNowSeconds + 5), "test");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 1);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Hosts(store, "MI", VerdictStatus::kDerogation), 1);
  EXPECT_EQ(Hosts(store, "MEN", VerdictStatus::kNonCompliant), 1);
  EXPECT_EQ(CountRows(dir_ / "collector.db", "verdict_changes"), 3);

  // Nothing changes the second time: no history row.
  EXPECT_EQ(*store.Reevaluate("MI", to_derogation, At(kNowSeconds + 6), "test"), 0);
  EXPECT_EQ(CountRows(dir_ / "collector.db", "verdict_changes"), 3);
}

TEST_F(StoreTest, HistoryOnlyOnChange) {
  Store store = Open();
  for (int i = 0; i < 3; ++i) {
    InventoryReport report = ValidReport("r" + std::to_string(i));
    report.scan_finished = At(kNowSeconds + i);
    ASSERT_TRUE(
        store.Ingest(report, "p", VerdictOf(VerdictStatus::kToReview), At(kNowSeconds + i)).ok());
  }
  EXPECT_EQ(CountRows(dir_ / "collector.db", "verdict_changes"), 1);
  InventoryReport changed = ValidReport("r9");
  changed.scan_finished = At(kNowSeconds + 10);
  ASSERT_TRUE(
      store.Ingest(changed, "p", VerdictOf(VerdictStatus::kCompliant), At(kNowSeconds + 10)).ok());
  EXPECT_EQ(CountRows(dir_ / "collector.db", "verdict_changes"), 2);
}

TEST_F(StoreTest, ReevaluationRefusesAnUnreadableReport) {
  Store store = Open();
  ASSERT_TRUE(store
                  .Ingest(ValidReport(), "not a protobuf \xff\xff\xff\xff",
                          VerdictOf(VerdictStatus::kCompliant), At(kNowSeconds))
                  .ok());
  auto changed = store.Reevaluate(
      "",
      [](const InventoryReport&, const std::vector<doctrine::Derogation>&, Timestamp,
         const std::string&) { return Verdict{}; },
      At(kNowSeconds), "test");
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Hosts(store, "MI", VerdictStatus::kCompliant), 1);
}

}  // namespace
}  // namespace vigie::collector

namespace vigie::collector {
namespace {

// The counters the triggers keep must always equal a recount of the hosts table.
TEST_F(StoreTest, VerdictCountersMatchARecount) {
  Store store = Open();
  const auto ingest = [&](const std::string& id, const std::string& host,
                          const std::string& ministry, VerdictStatus verdict, std::int64_t at) {
    InventoryReport report = ValidReport(id, host, ministry);
    report.scan_finished = At(at);
    ASSERT_TRUE(
        store.Ingest(report, ToProto(report).SerializeAsString(), VerdictOf(verdict), At(at)).ok());
  };
  ingest("a", "h1", "MI", VerdictStatus::kCompliant, kNowSeconds);
  ingest("b", "h2", "MI", VerdictStatus::kToReview, kNowSeconds);
  ingest("c", "h1", "MI", VerdictStatus::kNonCompliant, kNowSeconds + 10);  // verdict change
  ingest("d", "h2", "MEN", VerdictStatus::kToReview, kNowSeconds + 10);     // ministry move
  ingest("e", "h1", "MI", VerdictStatus::kCompliant, kNowSeconds + 5);      // late: no change
  ASSERT_TRUE(
      store
          .Reevaluate(
              "",
              [](const InventoryReport&, const std::vector<doctrine::Derogation>&, Timestamp,
                 const std::string&) { return VerdictOf(VerdictStatus::kUnknown); },
              At(kNowSeconds + 20), "test")
          .ok());
  ingest("f", "h3", "MEN", VerdictStatus::kCompliant, kNowSeconds + 30);

  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "collector.db").c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(raw,
                         "SELECT COUNT(*) FROM (SELECT ministry, verdict, COUNT(*) AS n FROM hosts "
                         "GROUP BY 1, 2) AS recount FULL OUTER JOIN "
                         "(SELECT * FROM verdict_counts WHERE hosts != 0) AS kept "
                         "USING (ministry, verdict) WHERE recount.n IS NOT kept.hosts",
                         -1, &statement, nullptr),
      SQLITE_OK)
      << sqlite3_errmsg(raw);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(statement, 0), 0);
  sqlite3_finalize(statement);
  sqlite3_close(raw);

  auto counts = store.CountHostsByMinistry();
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 2u);
  EXPECT_EQ((*counts)[0].ministry, "MEN");
  EXPECT_EQ((*counts)[0].hosts_by_verdict[static_cast<int>(VerdictStatus::kUnknown)], 1);
  EXPECT_EQ((*counts)[0].hosts_by_verdict[static_cast<int>(VerdictStatus::kCompliant)], 1);
  EXPECT_EQ((*counts)[1].hosts, 1);
}

}  // namespace
}  // namespace vigie::collector

namespace vigie::collector {
namespace {

// A database written before host_facts was rebuilt key first (schema 9) keeps its facts and
// counters across the upgrade, and SQLite's own checks then find nothing wrong with it.
TEST_F(StoreTest, UpgradedDatabaseKeepsItsFactsAndPassesSqlitesChecks) {
  const std::string path = dir_ / "collector.db";
  {
    auto old =
        sqlite::Database::Open(path, sqlite::Database::Options(), StoreMigrations().first(9));
    ASSERT_TRUE(old.ok()) << old.status().ToString();
    ASSERT_TRUE(old->Execute("INSERT INTO host_facts (host_key, ministry, kind, key) VALUES "
                             "('h1', 'MI', 1, 'teams'), ('h2', 'MI', 1, 'teams')")
                    .ok());
  }
  Store store = Open();
  InventoryReport report = ValidReport("r1", "h3", "MI");
  ASSERT_TRUE(store
                  .Ingest(report, ToProto(report).SerializeAsString(),
                          VerdictOf(VerdictStatus::kToReview), At(kNowSeconds))
                  .ok());

  EXPECT_EQ(testing::QueryColumn(path,
                                 "SELECT host_key || ' ' || ministry || ' ' || kind || ' ' || "
                                 "key FROM host_facts WHERE key = 'teams' ORDER BY 1"),
            (std::vector<std::string>{"h1 MI 1 teams", "h2 MI 1 teams"}));
  EXPECT_EQ(testing::QueryColumn(path, "SELECT hosts FROM fact_counts WHERE key = 'teams'"),
            std::vector<std::string>{"2"});
  // The counting triggers came back with the rebuilt table.
  EXPECT_EQ(testing::QueryColumn(path,
                                 "SELECT count(*) FROM fact_counts WHERE hosts > 0 AND "
                                 "key != 'teams'"),
            testing::QueryColumn(path,
                                 "SELECT count(DISTINCT kind || key) FROM host_facts "
                                 "WHERE host_key = 'h3'"));
  EXPECT_EQ(testing::QueryColumn(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_EQ(testing::QueryColumn(path, "PRAGMA quick_check"), std::vector<std::string>{"ok"});
}

}  // namespace
}  // namespace vigie::collector
