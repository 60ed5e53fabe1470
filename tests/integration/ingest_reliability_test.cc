// The collector under load and faults, with the real binaries: vigie-loadgen's simulated agents
// against vigie-collector killed with SIGKILL, a reconnect storm, a full disk and a read-only
// database. Reports are counted in the database file itself.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "collector/raw_sql.h"
#include "integration/collector_process.h"
#include "integration/subprocess.h"
#include "temp_dir.h"

namespace vigie {
namespace {

using testing::Completed;
using ::testing::HasSubstr;
using testing::QueryColumn;
using testing::Subprocess;

const std::string kCollector = VIGIE_COLLECTOR_BINARY;
const std::string kLoadgen = VIGIE_LOADGEN_BINARY;

// A loopback port free now, so that a restarted collector listens where agents already dial.
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// Peak resident memory of a running process, in KiB (VmHWM), or -1.
long PeakRssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

class IngestReliabilityTest : public ::testing::Test {
 protected:
  std::string database() const { return dir_ / "collector.db"; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Starts `vigie-collector serve` on the test's port, optionally under a wrapper command
  // (prlimit, setpriv); returns whether it is listening.
  bool StartCollector(std::vector<std::string> wrapper = {}) {
    std::vector<std::string> argv = std::move(wrapper);
    argv.insert(argv.end(), {kCollector, "serve", "--insecure", "--grpc-listen", address(),
                             "--database", database(), "--log-level", "warn"});
    collector_ = std::make_unique<Subprocess>(argv);
    return !collector_->WaitForLine("gRPC on ", std::chrono::seconds(30)).empty();
  }
  void KillCollector() {
    collector_->Signal(SIGKILL);
    collector_->Wait(std::chrono::seconds(20));
    collector_.reset();
  }
  Completed StopCollector() {
    collector_->Signal(SIGTERM);
    Completed stopped = collector_->Wait(std::chrono::seconds(30));
    collector_.reset();
    return stopped;
  }

  std::unique_ptr<Subprocess> StartLoadgen(std::vector<std::string> args) {
    std::vector<std::string> argv = {
        kLoadgen, "--collector", address(), "--insecure",   "--token",
        token_,   "--format",    "json",    "--acked-file", dir_ / "acked.txt"};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<Subprocess>(argv);
  }

  static nlohmann::json ResultOf(Subprocess& loadgen, std::chrono::seconds timeout) {
    const Completed done = loadgen.Wait(timeout);
    EXPECT_NE(done.exit_code, 1) << done.err;
    const auto json = nlohmann::json::parse(done.out, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << done.out << done.err;
    return json.is_discarded() ? nlohmann::json::object() : json;
  }

  // Every report loadgen saw acknowledged is in the database exactly once, nothing else is, and
  // the database is intact.
  void ExpectStoredExactlyTheAcknowledged() {
    const auto acknowledged = Lines(dir_ / "acked.txt");
    const std::set<std::string> unique(acknowledged.begin(), acknowledged.end());
    EXPECT_EQ(unique.size(), acknowledged.size()) << "a report was acknowledged twice";
    const auto stored = QueryColumn(database(), "SELECT report_id FROM reports");
    EXPECT_EQ(std::set<std::string>(stored.begin(), stored.end()), unique);
    EXPECT_EQ(stored.size(), unique.size());
    EXPECT_EQ(QueryColumn(database(), "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  }

  testing::TempDir dir_;
  int port_ = FreePort();
  std::string token_;
  std::unique_ptr<Subprocess> collector_;
};

TEST_F(IngestReliabilityTest, KilledFiveTimesUnderLoadLosesAndDoublesNothing) {
  ASSERT_TRUE(StartCollector());
  token_ = testing::CreateToken(kCollector, database(), "MI");
  auto loadgen = StartLoadgen({"--agents", "40", "--duration", "9", "--concurrency", "16",
                               "--channels", "4", "--drain-timeout", "60"});
  for (int kill = 0; kill < 5; ++kill) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    KillCollector();
    ASSERT_TRUE(StartCollector()) << "restart " << kill + 1;
  }
  const nlohmann::json result = ResultOf(*loadgen, std::chrono::seconds(120));
  EXPECT_EQ(result.value("undelivered", -1), 0) << result.dump();
  EXPECT_EQ(result.value("refused", -1), 0) << result.dump();
  EXPECT_GT(result.value("acknowledged", 0), 100) << result.dump();
  // The kills did interrupt calls: those reports were sent again.
  EXPECT_TRUE(result["errors"].contains("UNAVAILABLE")) << result.dump();
  EXPECT_EQ(StopCollector().exit_code, 0);
  ExpectStoredExactlyTheAcknowledged();
}

TEST_F(IngestReliabilityTest, ReconnectStormOfTenThousandAgentsInBoundedMemory) {
  ASSERT_TRUE(StartCollector());
  token_ = testing::CreateToken(kCollector, database(), "MI");
  auto loadgen = StartLoadgen({"--agents", "10000", "--storm", "--spooled", "1", "--channels",
                               "200", "--drain-timeout", "120"});
  const nlohmann::json result = ResultOf(*loadgen, std::chrono::seconds(240));
  EXPECT_EQ(result.value("undelivered", -1), 0) << result.dump();
  EXPECT_EQ(result.value("acknowledged", 0), 10000) << result.dump();
  const long peak_kib = PeakRssKib(collector_->pid());
  RecordProperty("collector_peak_rss_kib", std::to_string(peak_kib));
  // The stated bound (docs/architecture.md, "Ingest"): 256 MiB whatever the number of agents.
  EXPECT_GT(peak_kib, 0);
  EXPECT_LT(peak_kib, 256 * 1024);
  EXPECT_EQ(StopCollector().exit_code, 0);
  ExpectStoredExactlyTheAcknowledged();
}

TEST_F(IngestReliabilityTest, FullDiskAsksAgentsToRetryAndCorruptsNothing) {
  ASSERT_TRUE(StartCollector());
  token_ = testing::CreateToken(kCollector, database(), "MI");
  ASSERT_EQ(StopCollector().exit_code, 0);
  // A file-size limit makes every write past it fail as a full disk would (the collector ignores
  // SIGXFSZ); the database and its WAL may not grow past 1 MiB.
  ASSERT_TRUE(StartCollector({"/usr/bin/prlimit", "--fsize=1048576"}));
  auto loadgen = StartLoadgen(
      {"--agents", "20", "--duration", "4", "--concurrency", "8", "--drain-timeout", "60"});
  // Room is made again: the collector restarts without the limit, and agents deliver the rest.
  std::this_thread::sleep_for(std::chrono::seconds(6));
  const Completed full = StopCollector();
  EXPECT_THAT(full.err, HasSubstr("cannot store"));
  EXPECT_EQ(QueryColumn(database(), "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  ASSERT_TRUE(StartCollector());
  const nlohmann::json result = ResultOf(*loadgen, std::chrono::seconds(120));
  EXPECT_EQ(result.value("undelivered", -1), 0) << result.dump();
  EXPECT_GT(result["errors"].value("UNAVAILABLE", 0), 0) << result.dump();
  EXPECT_EQ(StopCollector().exit_code, 0);
  ExpectStoredExactlyTheAcknowledged();
}

TEST_F(IngestReliabilityTest, ReadOnlyDatabaseIsRefusedAtStartWithItsCause) {
  ASSERT_TRUE(StartCollector());
  ASSERT_EQ(StopCollector().exit_code, 0);
  const std::string before = QueryColumn(database(), "SELECT count(*) FROM reports").at(0);
  // The directory stays writable (SQLite keeps its -wal and -shm files there): only the database
  // file is read-only.
  std::filesystem::permissions(dir_.path(), std::filesystem::perms::all);
  std::filesystem::permissions(database(), std::filesystem::perms::owner_read |
                                               std::filesystem::perms::group_read |
                                               std::filesystem::perms::others_read);
  // Root writes whatever the permissions: the collector then runs as nobody.
  std::vector<std::string> wrapper;
  if (::geteuid() == 0) {
    wrapper = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
  }
  EXPECT_FALSE(StartCollector(wrapper));
  const Completed refused = collector_->Wait(std::chrono::seconds(20));
  collector_.reset();
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("is read-only for this process"));
  EXPECT_EQ(QueryColumn(database(), "SELECT count(*) FROM reports").at(0), before);
  EXPECT_EQ(QueryColumn(database(), "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

}  // namespace
}  // namespace vigie
