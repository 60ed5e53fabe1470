#include "collector/ingest_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>
#include <thread>

#include "collector/raw_sql.h"
#include "collector/test_reports.h"
#include "common/wire.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using testing::At;
using testing::kNowSeconds;
using testing::QueryColumn;
using testing::ValidReport;

PendingReport Pending(const std::string& report_id, const std::string& host_id) {
  PendingReport pending;
  pending.report = ValidReport(report_id, host_id);
  pending.payload = ToProto(pending.report).SerializeAsString();
  pending.received = At(kNowSeconds);
  return pending;
}

std::string Id(int n) { return "report-" + std::to_string(n); }

// Runs SQL on its own connection to the database, as another process would.
class OtherConnection {
 public:
  explicit OtherConnection(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~OtherConnection() { sqlite3_close(db_); }
  int Execute(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_ = nullptr;
};

class IngestWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(database());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_.emplace(std::move(store).value());
  }
  std::string database() const { return dir_ / "collector.db"; }

  std::unique_ptr<IngestWriter> StartWriter(IngestWriter::Options options = {}) {
    auto writer = IngestWriter::Start(
        database(), rules_, [] { return At(kNowSeconds); }, options);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    return writer.ok() ? std::move(writer).value() : nullptr;
  }

  testing::TempDir dir_;
  JudgingRules rules_;
  std::optional<Store> store_;
};

TEST_F(IngestWriterTest, OneBadReportInABatchLeavesTheOthersStored) {
  // A report the database refuses after validation, made with a real trigger.
  OtherConnection other(database());
  ASSERT_EQ(
      other.Execute("CREATE TRIGGER poison BEFORE INSERT ON reports "
                    "WHEN NEW.host_key = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END"),
      SQLITE_OK);
  const std::vector<PendingReport> batch = {Pending(Id(1), "host-a"), Pending(Id(2), "poison"),
                                            Pending(Id(3), "host-b"), Pending(Id(1), "host-a")};
  auto outcomes = store_->IngestBatch(batch, MakeHostEvaluator(rules_, Today(At(kNowSeconds))));
  ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
  ASSERT_EQ(outcomes->size(), 4u);
  ASSERT_TRUE((*outcomes)[0].ok());
  EXPECT_FALSE((*outcomes)[0]->duplicate);
  EXPECT_EQ((*outcomes)[0]->verdict.status, VerdictStatus::kToReview);
  EXPECT_FALSE((*outcomes)[1].ok());
  EXPECT_THAT((*outcomes)[1].status().message(), ::testing::HasSubstr("poisoned"));
  ASSERT_TRUE((*outcomes)[2].ok());
  EXPECT_FALSE((*outcomes)[2]->duplicate);
  // The same report twice in one batch is stored once.
  ASSERT_TRUE((*outcomes)[3].ok());
  EXPECT_TRUE((*outcomes)[3]->duplicate);
  EXPECT_EQ((*outcomes)[3]->verdict.status, VerdictStatus::kToReview);
  EXPECT_THAT(QueryColumn(database(), "SELECT report_id FROM reports ORDER BY report_id"),
              ::testing::ElementsAre(Id(1), Id(3)));
  EXPECT_THAT(QueryColumn(database(), "SELECT host_key FROM hosts ORDER BY host_key"),
              ::testing::ElementsAre("host-a", "host-b"));
}

TEST_F(IngestWriterTest, ReportsFromManyThreadsAreEachStoredOnceAndAcknowledgedAfterCommit) {
  auto writer = StartWriter();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  int duplicates = 0;
  std::vector<std::promise<void>> finished(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto remaining = std::make_shared<std::atomic<int>>(kPerThread);
      for (int i = 0; i < kPerThread; ++i) {
        // Every thread sends the same first 50 report ids: retries racing each other.
        const int n = i < 50 ? i : t * kPerThread + i;
        const auto full = writer->Submit(
            Pending(Id(n), "host-" + std::to_string(n)), [&, n, t, remaining](auto outcome) {
              ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
              // Acknowledged only once it is in the database, as another connection sees it.
              EXPECT_EQ(QueryColumn(database(), "SELECT count(*) FROM reports WHERE report_id = '" +
                                                    Id(n) + "'"),
                        std::vector<std::string>{"1"});
              std::lock_guard lock(mutex);
              acknowledged.push_back(Id(n));
              if (outcome->duplicate) ++duplicates;
              if (--*remaining == 0) finished[t].set_value();
            });
        ASSERT_FALSE(full.has_value());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (auto& done : finished) done.get_future().wait();
  EXPECT_EQ(acknowledged.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(duplicates, (kThreads - 1) * 50);
  EXPECT_EQ(*store_->CountReports(), kThreads * kPerThread - (kThreads - 1) * 50);
}

TEST_F(IngestWriterTest, AFullQueueRefusesWithADelayAndLosesNothingQueued) {
  IngestWriter::Options options;
  options.max_queued_reports = 3;
  auto writer = StartWriter(options);
  // Another connection holds the write lock: the writer waits, and the queue fills up.
  OtherConnection other(database());
  ASSERT_EQ(other.Execute("BEGIN IMMEDIATE"), SQLITE_OK);
  std::mutex mutex;
  std::vector<bool> stored;
  std::optional<std::chrono::seconds> refused;
  int submitted = 0;
  for (; submitted < 20 && !refused; ++submitted) {
    refused = writer->Submit(Pending(Id(submitted), "host-a"), [&](auto outcome) {
      std::lock_guard lock(mutex);
      stored.push_back(outcome.ok());
    });
  }
  ASSERT_TRUE(refused.has_value());
  EXPECT_GE(refused->count(), 1);
  EXPECT_LE(refused->count(), 60);
  // At most the batch being written and a full queue were taken.
  EXPECT_LE(submitted, 1 + 3 + 1 + 3);
  ASSERT_EQ(other.Execute("COMMIT"), SQLITE_OK);
  writer.reset();  // writes what is queued, then stops
  EXPECT_EQ(stored, std::vector<bool>(submitted - 1, true));
  EXPECT_EQ(*store_->CountReports(), submitted - 1);
}

}  // namespace
}  // namespace vigie::collector
