#include "agent/spool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>

#include "agent/backoff.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

SpooledReport Report(const std::string& id, std::size_t size = 10) {
  return {id, std::string(size, 'x')};
}

std::vector<std::string> DrainIds(Spool& spool) {
  std::vector<std::string> ids;
  while (true) {
    auto oldest = spool.Oldest();
    EXPECT_TRUE(oldest.ok()) << oldest.status().ToString();
    if (!oldest.ok() || !*oldest) return ids;
    ids.push_back((*oldest)->report_id);
    EXPECT_TRUE(spool.Remove((*oldest)->report_id).ok());
  }
}

std::vector<std::string> CorruptCopies(const testing::TempDir& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name.find(".corrupt-") != std::string::npos) names.push_back(name);
  }
  return names;
}

TEST(SpoolTest, DeliversOldestFirstAndSurvivesReopening) {
  testing::TempDir dir;
  {
    auto spool = Spool::Open(dir / "spool.db", {});
    ASSERT_TRUE(spool.ok()) << spool.status().ToString();
    for (const char* id : {"r1", "r2", "r3"}) ASSERT_TRUE((*spool)->Add(Report(id)).ok());
    // Acknowledged: gone. The others stay for the next start.
    ASSERT_TRUE((*spool)->Remove("r1").ok());
  }
  auto spool = Spool::Open(dir / "spool.db", {});
  ASSERT_TRUE(spool.ok());
  auto stats = (*spool)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->depth, 2);
  EXPECT_EQ(stats->bytes, 20);
  EXPECT_EQ(stats->dropped, 0);
  auto oldest = (*spool)->Oldest();
  ASSERT_TRUE(oldest.ok() && *oldest);
  EXPECT_EQ((*oldest)->payload, std::string(10, 'x'));
  EXPECT_EQ(DrainIds(**spool), (std::vector<std::string>{"r2", "r3"}));
}

TEST(SpoolTest, SameReportTwiceIsKeptOnceInItsFirstPlace) {
  testing::TempDir dir;
  auto spool = Spool::Open(dir / "spool.db", {});
  ASSERT_TRUE(spool.ok());
  for (const char* id : {"r1", "r2", "r1"}) ASSERT_TRUE((*spool)->Add(Report(id)).ok());
  EXPECT_EQ(DrainIds(**spool), (std::vector<std::string>{"r1", "r2"}));
}

TEST(SpoolTest, FullSpoolDropsTheOldestAndCountsThem) {
  testing::TempDir dir;
  Spool::Limits limits;
  limits.max_reports = 3;
  auto spool = Spool::Open(dir / "spool.db", limits);
  ASSERT_TRUE(spool.ok());
  for (const char* id : {"r1", "r2", "r3", "r4", "r5"}) ASSERT_TRUE((*spool)->Add(Report(id)).ok());
  EXPECT_EQ((*spool)->Stats()->dropped, 2);
  EXPECT_EQ(DrainIds(**spool), (std::vector<std::string>{"r3", "r4", "r5"}));
  // The counter is kept in the file: it is reported until the spool is replaced.
  spool->reset();
  auto reopened = Spool::Open(dir / "spool.db", limits);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->Stats()->dropped, 2);
}

TEST(SpoolTest, SizeLimitDropsOldestButNeverTheNewReport) {
  testing::TempDir dir;
  Spool::Limits limits;
  limits.max_bytes = 250;
  auto spool = Spool::Open(dir / "spool.db", limits);
  ASSERT_TRUE(spool.ok());
  ASSERT_TRUE((*spool)->Add(Report("small1", 100)).ok());
  ASSERT_TRUE((*spool)->Add(Report("small2", 100)).ok());
  // Larger than the whole limit: the freshest state of the host still goes.
  ASSERT_TRUE((*spool)->Add(Report("big", 300)).ok());
  EXPECT_EQ((*spool)->Stats()->dropped, 2);
  EXPECT_EQ(DrainIds(**spool), (std::vector<std::string>{"big"}));
}

TEST(SpoolTest, RefusedReportIsRemovedAndCountedAsDropped) {
  testing::TempDir dir;
  auto spool = Spool::Open(dir / "spool.db", {});
  ASSERT_TRUE(spool.ok());
  ASSERT_TRUE((*spool)->Add(Report("r1")).ok());
  ASSERT_TRUE((*spool)->Remove("r1", /*dropped=*/true).ok());
  // Removing it again (acknowledged twice) counts nothing more.
  ASSERT_TRUE((*spool)->Remove("r1", /*dropped=*/true).ok());
  EXPECT_EQ((*spool)->Stats()->dropped, 1);
  EXPECT_EQ((*spool)->Stats()->depth, 0);
}

TEST(SpoolTest, FileThatIsNotADatabaseIsMovedAsideAndReplaced) {
  testing::TempDir dir;
  dir.Write("spool.db", std::string(8192, 'Z'));
  auto spool = Spool::Open(dir / "spool.db", {});
  ASSERT_TRUE(spool.ok()) << spool.status().ToString();
  EXPECT_EQ((*spool)->Stats()->depth, 0);
  ASSERT_TRUE((*spool)->Add(Report("after")).ok());
  const auto copies = CorruptCopies(dir);
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_THAT(copies[0], StartsWith("spool.db.corrupt-2"));
  // Kept as it was, for forensics.
  std::ifstream kept(dir / copies[0], std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), std::string(8192, 'Z'));
}

TEST(SpoolTest, DamagedPagesAreFoundAtOpen) {
  testing::TempDir dir;
  {
    auto spool = Spool::Open(dir / "spool.db", {});
    ASSERT_TRUE(spool.ok());
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE((*spool)->Add(Report("r" + std::to_string(i), 3000)).ok());
    }
  }
  // Closing checkpointed the WAL into the main file; overwrite the pages after the schema's
  // (the tables' b-tree pages), as a failing disk would.
  std::fstream file(dir / "spool.db", std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(4096);
  file << std::string(3 * 4096, '\xff');
  file.close();
  auto spool = Spool::Open(dir / "spool.db", {});
  ASSERT_TRUE(spool.ok()) << spool.status().ToString();
  EXPECT_EQ(CorruptCopies(dir).size(), 1u);
  EXPECT_EQ((*spool)->Stats()->depth, 0);
}

TEST(SpoolTest, WriteFailureIsAnErrorAndLosesNothingAlreadyThere) {
  testing::TempDir dir;
  auto spool = Spool::Open(dir / "spool.db", {});
  ASSERT_TRUE(spool.ok());
  ASSERT_TRUE((*spool)->Add(Report("before")).ok());
  // A full disk, as the file system says it: no file may grow past 64 KiB.
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto previous = ::signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const Status added = (*spool)->Add(Report("huge", 1 << 20));
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, previous);
  EXPECT_FALSE(added.ok());
  EXPECT_THAT(added.message(), ::testing::Not(::testing::IsEmpty()));
  ASSERT_TRUE((*spool)->Add(Report("after")).ok());
  EXPECT_EQ(DrainIds(**spool), (std::vector<std::string>{"before", "after"}));
}

TEST(BackoffTest, DoublesWithJitterUpToTheMaximum) {
  Backoff backoff(std::chrono::seconds(2), std::chrono::seconds(10));
  std::mt19937_64 random(42);
  const std::pair<int, int> expected[] = {
      {1000, 2000}, {2000, 4000}, {4000, 8000}, {5000, 10000}, {5000, 10000}};
  for (const auto& [low, high] : expected) {
    const auto delay = backoff.Next(random).count();
    EXPECT_GE(delay, low);
    EXPECT_LE(delay, high);
  }
  backoff.Reset();
  EXPECT_LE(backoff.Next(random).count(), 2000);
}

TEST(SpoolTest, DeliveryScheduleSurvivesReopeningUntilReset) {
  testing::TempDir dir;
  const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795000000123));
  {
    auto spool = Spool::Open(dir / "spool.db", {});
    ASSERT_TRUE(spool.ok()) << spool.status().ToString();
    auto fresh = (*spool)->Schedule();
    ASSERT_TRUE(fresh.ok());
    EXPECT_EQ(fresh->failures, 0);
    EXPECT_FALSE(fresh->next_attempt);
    DeliverySchedule schedule;
    schedule.failures = 3;
    schedule.next_attempt = at;
    ASSERT_TRUE((*spool)->SetSchedule(schedule).ok());
  }
  auto spool = Spool::Open(dir / "spool.db", {});
  ASSERT_TRUE(spool.ok());
  auto kept = (*spool)->Schedule();
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->failures, 3);
  EXPECT_EQ(kept->next_attempt, at);
  ASSERT_TRUE((*spool)->SetSchedule(DeliverySchedule{}).ok());
  EXPECT_FALSE((*spool)->Schedule()->next_attempt);
}

TEST(BackoffTest, GoesOnFromTheFailuresOfAnEarlierProcess) {
  std::mt19937_64 random(7);
  Backoff backoff(std::chrono::seconds(2), std::chrono::seconds(100), 3);
  const auto wait = backoff.Next(random);
  EXPECT_GE(wait, std::chrono::seconds(8));
  EXPECT_LE(wait, std::chrono::seconds(16));
  EXPECT_EQ(backoff.failures(), 4);
}

}  // namespace
}  // namespace vigie::agent
