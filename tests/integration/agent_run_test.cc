// `vigie-agent run` as a service, with the real binaries over loopback: the spool keeps every
// report until the collector acknowledges it, whatever happens to the collector, the spool file
// or the clocks.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "integration/collector_process.h"
#include "integration/subprocess.h"
#include "temp_dir.h"
#include "vigie/v1/agent_service.grpc.pb.h"

namespace vigie {
namespace {

using testing::CollectorProcess;
using testing::Completed;
using ::testing::HasSubstr;
using testing::RunCommand;
using testing::Subprocess;

const std::string kAgent = VIGIE_AGENT_BINARY;
const std::string kCollector = VIGIE_COLLECTOR_BINARY;
const std::string kFixture = std::string(VIGIE_FIXTURES_DIR) + "/hosts/linux-teams-onedrive";

// Rows of `sql` (one text column) in a SQLite file, read without writing to it; empty when the
// file or table is not there yet.
std::vector<std::string> Query(const std::string& path, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
      while (sqlite3_step(statement) == SQLITE_ROW) {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, 0));
        rows.emplace_back(bytes ? bytes : "", sqlite3_column_bytes(statement, 0));
      }
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return rows;
}

// Polls `condition` every 50 ms for up to `timeout`.
template <typename Condition>
bool Eventually(Condition condition, std::chrono::seconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

class AgentRunTest : public ::testing::Test {
 protected:
  void StartCollector(const std::string& listen = "127.0.0.1:0") {
    collector_ = std::make_unique<CollectorProcess>(kCollector, database(),
                                                    std::vector<std::string>{"--insecure"}, listen);
    ASSERT_FALSE(collector_->address().empty()) << collector_->error();
    address_ = collector_->address();
  }

  std::string database() const { return dir_ / "collector.db"; }
  std::string spool() const { return dir_ / "agent/spool.db"; }

  std::vector<std::string> StoredReportIds() {
    return Query(database(), "SELECT report_id FROM reports ORDER BY report_id");
  }
  std::size_t Spooled() { return Query(spool(), "SELECT report_id FROM reports").size(); }

  // Enrolls the agent of state dir `agent` with a fresh token.
  void Enroll() {
    const std::string token = testing::CreateToken(kCollector, database(), "MI");
    const Completed enrolled =
        RunCommand({kAgent, "enroll", "--insecure", "--state-dir", dir_ / "agent", "--root",
                    kFixture, "--collector", address_, "--token", token});
    ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  }

  std::vector<std::string> AgentArgs(const std::string& command) {
    return {kAgent,   command,  "--insecure",  "--state-dir", dir_ / "agent",
            "--root", kFixture, "--collector", address_};
  }

  // The long-running service with short delays: first scan at once, retries from 1 s.
  std::unique_ptr<Subprocess> StartService(std::vector<std::string> extra) {
    std::vector<std::string> argv = AgentArgs("run");
    argv.insert(argv.end(), {"--log-target", "stderr", "--first-scan-delay", "0", "--retry-initial",
                             "1", "--retry-max", "2"});
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<Subprocess>(argv);
  }

  testing::TempDir dir_;
  std::unique_ptr<CollectorProcess> collector_;
  std::string address_;
};

TEST_F(AgentRunTest, ServiceReportsOnItsPeriodAndStopsCleanlyOnSigterm) {
  StartCollector();
  Enroll();
  auto service = StartService({"--scan-period", "1"});
  ASSERT_TRUE(Eventually([&] { return StoredReportIds().size() >= 2; }));
  service->Signal(SIGTERM);
  const auto stopping = std::chrono::steady_clock::now();
  const Completed stopped = service->Wait(std::chrono::seconds(10));
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(3));
  EXPECT_THAT(stopped.err, HasSubstr("stopping on SIGTERM"));
  EXPECT_EQ(Spooled(), 0u);

  // Each report says how the agent fared.
  const auto payloads = Query(database(), "SELECT payload FROM reports");
  ASSERT_FALSE(payloads.empty());
  v1::InventoryReport report;
  ASSERT_TRUE(report.ParseFromString(payloads.front()));
  ASSERT_TRUE(report.has_agent_health());
  EXPECT_GT(report.agent_health().peak_rss_kib(), 0u);
  EXPECT_FALSE(report.agent_health().scan_budget_exceeded());
  EXPECT_EQ(report.agent_health().spool_dropped(), 0u);
  collector_->Stop();
}

TEST_F(AgentRunTest, CollectorDownKeepsTheReportUntilItComesBack) {
  StartCollector();
  Enroll();
  collector_->Stop();

  // run --once: kept in the spool, exit code 2.
  const Completed once = RunCommand([&] {
    auto argv = AgentArgs("run");
    argv.push_back("--once");
    return argv;
  }());
  EXPECT_EQ(once.exit_code, 2) << once.err;
  EXPECT_THAT(once.err, HasSubstr("1 rapport(s) en attente"));
  EXPECT_EQ(Spooled(), 1u);

  // The service scans meanwhile and retries; the collector comes back where it was.
  auto service = StartService({"--scan-period", "3600"});
  ASSERT_TRUE(Eventually([&] { return Spooled() == 2; }));
  StartCollector(address_);
  ASSERT_TRUE(Eventually([&] { return StoredReportIds().size() == 2 && Spooled() == 0; }));
  service->Signal(SIGTERM);
  EXPECT_EQ(service->Wait(std::chrono::seconds(10)).exit_code, 0);
  collector_->Stop();
}

TEST_F(AgentRunTest, CollectorKilledRepeatedlyLosesAndDoublesNothing) {
  StartCollector();
  Enroll();
  auto service = StartService({"--scan-period", "1"});
  for (int kill = 0; kill < 3; ++kill) {
    const std::size_t before = StoredReportIds().size();
    ASSERT_TRUE(Eventually([&] { return StoredReportIds().size() > before; }));
    collector_->Kill();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    StartCollector(address_);
  }
  service->Signal(SIGTERM);
  const Completed stopped = service->Wait(std::chrono::seconds(10));
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  // What was not delivered before the stop is still in the spool: deliver it.
  const Completed drained = RunCommand([&] {
    auto argv = AgentArgs("run");
    argv.push_back("--once");
    return argv;
  }());
  ASSERT_EQ(drained.exit_code, 0) << drained.err;

  // Every scan the service made is stored exactly once (plus the last run --once's).
  std::set<std::string> scanned;
  for (std::size_t at = 0; (at = stopped.err.find(" info scan ", at)) != std::string::npos;) {
    at += 11;
    scanned.insert(stopped.err.substr(at, 36));
  }
  const auto stored = StoredReportIds();
  EXPECT_EQ(stored.size(), scanned.size() + 1);
  for (const auto& id : scanned) {
    EXPECT_TRUE(std::find(stored.begin(), stored.end(), id) != stored.end()) << id;
  }
  EXPECT_EQ(Spooled(), 0u);
  collector_->Stop();
}

TEST_F(AgentRunTest, CorruptedSpoolIsMovedAsideAndTheAgentGoesOn) {
  StartCollector();
  Enroll();
  dir_.Write("agent/spool.db", std::string(16384, '#'));
  const Completed ran = RunCommand([&] {
    auto argv = AgentArgs("run");
    argv.push_back("--once");
    return argv;
  }());
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_THAT(ran.err, HasSubstr("is damaged"));
  EXPECT_THAT(ran.err, HasSubstr("replaced by an empty spool"));
  EXPECT_EQ(StoredReportIds().size(), 1u);
  int copies = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "agent")) {
    copies += entry.path().filename().string().starts_with("spool.db.corrupt-") ? 1 : 0;
  }
  EXPECT_EQ(copies, 1);
  collector_->Stop();
}

// Clock skew: the collector refuses reports dated more than a day ahead of its own clock (the
// agent drops them: retrying cannot help) and stores late ones with their own date.
TEST_F(AgentRunTest, AgentClockAYearOffIsRefusedAheadAndStoredBehind) {
  if (!std::filesystem::exists("/usr/bin/faketime")) GTEST_SKIP() << "faketime is not installed";
  StartCollector();
  Enroll();
  auto skewed = [&](const std::string& offset) {
    std::vector<std::string> argv = {"/usr/bin/faketime", "-f", offset};
    for (const auto& arg : AgentArgs("run")) argv.push_back(arg);
    argv.push_back("--once");
    return RunCommand(argv);
  };
  const Completed ahead = skewed("+365d");
  EXPECT_EQ(ahead.exit_code, 1);
  EXPECT_THAT(ahead.err, HasSubstr("in the future: the workstation's clock is wrong"));
  EXPECT_EQ(StoredReportIds().size(), 0u);
  EXPECT_EQ(Spooled(), 0u);
  EXPECT_EQ(Query(spool(), "SELECT value FROM counters WHERE name = 'dropped'"),
            std::vector<std::string>{"1"});

  const Completed behind = skewed("-365d");
  EXPECT_EQ(behind.exit_code, 0) << behind.err;
  EXPECT_EQ(StoredReportIds().size(), 1u);
  collector_->Stop();
}

// A collector that answers RESOURCE_EXHAUSTED with vigie-retry-after to the first report, as
// an overloaded one does, and accepts the next; it records when each report arrived.
class OverloadedCollector final : public v1::AgentService::Service {
 public:
  grpc::Status Enroll(grpc::ServerContext*, const v1::EnrollRequest*,
                      v1::EnrollResponse* response) override {
    response->set_agent_id("agent-1");
    response->set_agent_secret("secret");
    response->set_ministry("MI");
    return grpc::Status::OK;
  }
  grpc::Status Report(grpc::ServerContext* context, const v1::ReportRequest* request,
                      v1::ReportResponse* response) override {
    std::lock_guard lock(mutex_);
    arrivals_.push_back(std::chrono::steady_clock::now());
    if (arrivals_.size() == 1) {
      context->AddTrailingMetadata("vigie-retry-after", "2");
      return {grpc::StatusCode::RESOURCE_EXHAUSTED, "overloaded; retry in 2 s"};
    }
    response->set_report_id(request->report().report_id());
    return grpc::Status::OK;
  }
  std::vector<std::chrono::steady_clock::time_point> arrivals() {
    std::lock_guard lock(mutex_);
    return arrivals_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::chrono::steady_clock::time_point> arrivals_;
};

TEST_F(AgentRunTest, RetryAfterFromTheCollectorIsHonoured) {
  OverloadedCollector collector;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&collector);
  const auto server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  address_ = "127.0.0.1:" + std::to_string(port);
  // Backoff alone would retry within a second; the collector asked for 2.
  auto service = StartService({"--scan-period", "3600", "--token", "any"});
  ASSERT_TRUE(Eventually([&] { return collector.arrivals().size() >= 2; }));
  const auto arrivals = collector.arrivals();
  EXPECT_GE(arrivals[1] - arrivals[0], std::chrono::seconds(2));
  service->Signal(SIGTERM);
  const Completed stopped = service->Wait(std::chrono::seconds(10));
  EXPECT_EQ(stopped.exit_code, 0);
  EXPECT_THAT(stopped.err, HasSubstr("(as the collector asked)"));
  server->Shutdown();
}

}  // namespace
}  // namespace vigie
