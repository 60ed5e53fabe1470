// The light vigie-agent and its vigie-agent-uplink, with the real binaries: the uplink missing
// or killed mid-delivery, and TLS or enrollment failures in the long-running service, never
// lose a report nor stop the service.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "integration/collector_process.h"
#include "integration/subprocess.h"
#include "temp_dir.h"
#include "test_pki.h"
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

std::size_t CountRows(const std::string& path, const std::string& sql) {
  std::size_t rows = 0;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
      while (sqlite3_step(statement) == SQLITE_ROW) ++rows;
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return rows;
}

template <typename Condition>
bool Eventually(Condition condition, std::chrono::seconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The pids of running vigie-agent-uplink processes whose command line mentions `marker`.
std::vector<pid_t> UplinkProcesses(const std::string& marker) {
  std::vector<pid_t> pids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = ReadFile(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find("vigie-agent-uplink") != std::string::npos &&
        cmdline.find(marker) != std::string::npos) {
      pids.push_back(std::stoi(name));
    }
  }
  return pids;
}

class AgentUplinkTest : public ::testing::Test {
 protected:
  std::string database() const { return dir_ / "collector.db"; }
  std::string spool() const { return dir_ / "agent/spool.db"; }
  std::size_t Spooled() { return CountRows(spool(), "SELECT report_id FROM reports"); }
  std::string Log() { return ReadFile(dir_ / "agent.log"); }

  void StartCollector(const std::vector<std::string>& extra) {
    collector_ = std::make_unique<CollectorProcess>(kCollector, database(), extra);
    ASSERT_FALSE(collector_->address().empty()) << collector_->error();
  }

  void Enroll(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {
        kAgent,        "enroll",
        "--state-dir", dir_ / "agent",
        "--root",      kFixture,
        "--collector", collector_->address(),
        "--token",     testing::CreateToken(kCollector, database(), "MI")};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const Completed enrolled = RunCommand(argv);
    ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  }

  // The long-running service logging to agent.log, scanning every second.
  std::unique_ptr<Subprocess> StartService(const std::string& address,
                                           const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {kAgent,
                                     "run",
                                     "--state-dir",
                                     dir_ / "agent",
                                     "--root",
                                     kFixture,
                                     "--collector",
                                     address,
                                     "--log-target",
                                     dir_ / "agent.log",
                                     "--first-scan-delay",
                                     "0",
                                     "--scan-period",
                                     "1",
                                     "--retry-initial",
                                     "1",
                                     "--retry-max",
                                     "2",
                                     "--timeout",
                                     "5"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<Subprocess>(argv);
  }

  // The service keeps scanning and spooling while `message` is in its log, then stops cleanly.
  void ExpectServiceGoesOnWith(Subprocess& service, const std::string& message) {
    EXPECT_TRUE(Eventually([&] { return Log().find(message) != std::string::npos; })) << Log();
    EXPECT_TRUE(Eventually([&] { return Spooled() >= 2; })) << Log();
    service.Signal(SIGTERM);
    const Completed stopped = service.Wait(std::chrono::seconds(10));
    EXPECT_EQ(stopped.exit_code, 0) << Log();
    EXPECT_GE(Spooled(), 2u);
  }

  testing::TempDir dir_;
  std::unique_ptr<CollectorProcess> collector_;
};

TEST_F(AgentUplinkTest, MissingOrNotExecutableUplinkIsNamedInFrenchAndTheReportStaysSpooled) {
  StartCollector({"--insecure"});
  Enroll({"--insecure"});
  // The light agent alone, without its uplink beside it or in ../lib/vigie.
  const std::string lone = dir_ / "bin/vigie-agent";
  std::filesystem::create_directories(dir_ / "bin");
  std::filesystem::copy_file(kAgent, lone);
  const auto run_once = [&] {
    return RunCommand(
        {lone, "run", "--once", "--insecure", "--state-dir", dir_ / "agent", "--root", kFixture});
  };
  const Completed missing = run_once();
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("1 rapport(s) en attente"));
  EXPECT_THAT(missing.err, HasSubstr("programme d'envoi vigie-agent-uplink introuvable ou non "
                                     "exécutable (cherché : " +
                                     (dir_ / "bin/vigie-agent-uplink")));
  EXPECT_EQ(Spooled(), 1u);

  dir_.Write("bin/vigie-agent-uplink", "#!/bin/sh\n");
  std::filesystem::permissions(dir_ / "bin/vigie-agent-uplink", std::filesystem::perms::owner_read);
  const Completed not_executable = run_once();
  EXPECT_EQ(not_executable.exit_code, 2);
  EXPECT_THAT(not_executable.err, HasSubstr("introuvable ou non exécutable"));
  EXPECT_EQ(Spooled(), 2u);

  const Completed enroll = RunCommand({lone, "enroll", "--insecure", "--state-dir", dir_ / "other",
                                       "--collector", collector_->address(), "--token", "t"});
  EXPECT_EQ(enroll.exit_code, 1);
  EXPECT_THAT(enroll.err, HasSubstr("vigie-agent: error: programme d'envoi vigie-agent-uplink"));

  // With its uplink back, both reports go.
  const Completed delivered = RunCommand(
      {kAgent, "run", "--once", "--insecure", "--state-dir", dir_ / "agent", "--root", kFixture});
  EXPECT_EQ(delivered.exit_code, 0) << delivered.err;
  EXPECT_EQ(Spooled(), 0u);
  EXPECT_EQ(CountRows(database(), "SELECT report_id FROM reports"), 3u);
  collector_->Stop();
}

// Holds the first report until the test lets it go, as a collector that stores a report and
// then loses the connection; acknowledges every report and records each arrival's id.
class HoldingCollector final : public v1::AgentService::Service {
 public:
  grpc::Status Report(grpc::ServerContext*, const v1::ReportRequest* request,
                      v1::ReportResponse* response) override {
    std::unique_lock lock(mutex_);
    ids_.push_back(request->report().report_id());
    changed_.notify_all();
    if (ids_.size() == 1) changed_.wait(lock, [this] { return released_; });
    response->set_report_id(request->report().report_id());
    response->set_duplicate(ids_.size() > 1);
    return grpc::Status::OK;
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  std::vector<std::string> ids() {
    std::lock_guard lock(mutex_);
    return ids_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool released_ = false;
  std::vector<std::string> ids_;
};

TEST_F(AgentUplinkTest, UplinkKilledMidDeliveryLosesAndDoublesNothing) {
  HoldingCollector collector;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&collector);
  const auto server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  dir_.Write("agent/identity.toml",
             "agent-id = \"agent-1\"\nagent-secret = \"secret\"\nministry = \"MI\"\n");
  std::filesystem::permissions(dir_ / "agent", std::filesystem::perms::owner_all);
  auto service = StartService("127.0.0.1:" + std::to_string(port), {"--insecure"});
  ASSERT_TRUE(Eventually([&] { return !collector.ids().empty(); })) << Log();
  const auto uplinks = UplinkProcesses(dir_ / "agent");
  ASSERT_EQ(uplinks.size(), 1u) << Log();
  ::kill(uplinks.front(), SIGKILL);
  collector.Release();

  // The report the killed uplink was sending comes again, under the same id, and leaves the
  // spool only then.
  ASSERT_TRUE(Eventually([&] { return collector.ids().size() >= 2 && Spooled() == 0; })) << Log();
  service->Signal(SIGTERM);
  EXPECT_EQ(service->Wait(std::chrono::seconds(10)).exit_code, 0);
  EXPECT_THAT(Log(), HasSubstr("s'est arrêté sur le signal 9 sans répondre"));
  const auto ids = collector.ids();
  EXPECT_EQ(ids[1], ids[0]);
  server->Shutdown();
}

TEST_F(AgentUplinkTest, WrongCaInTheServiceIsLoggedAndReportsWait) {
  testing::TestCa ca("ministry-ca");
  const std::string ca_file = ca.WriteCert(dir_);
  const auto server = ca.Issue(dir_, "collector", "collector.test", "IP:127.0.0.1");
  StartCollector({"--tls-cert", server.cert, "--tls-key", server.key});
  Enroll({"--ca", ca_file});
  testing::TestCa other("other-ca");
  auto service = StartService(collector_->address(), {"--ca", other.WriteCert(dir_)});
  ExpectServiceGoesOnWith(*service, "unable to get local issuer certificate");
  EXPECT_THAT(Log(), HasSubstr("the collector's certificate is not accepted with --ca"));
  EXPECT_EQ(CountRows(database(), "SELECT report_id FROM reports"), 0u);
  collector_->Stop();
}

TEST_F(AgentUplinkTest, ExpiredCertificateInTheServiceIsLoggedAndReportsWait) {
  testing::TestCa ca("ministry-ca");
  const std::string ca_file = ca.WriteCert(dir_);
  const auto expired = ca.Issue(dir_, "expired", "collector.test", "IP:127.0.0.1",
                                -std::chrono::hours(48), -std::chrono::hours(24));
  StartCollector({"--tls-cert", expired.cert, "--tls-key", expired.key});
  // Not enrolled yet: the service enrolls on its delivery schedule, and scans meanwhile.
  auto service = StartService(
      collector_->address(),
      {"--ca", ca_file, "--token", testing::CreateToken(kCollector, database(), "MI")});
  ExpectServiceGoesOnWith(*service, "certificate has expired");
  EXPECT_THAT(Log(), HasSubstr("cannot enroll"));
  collector_->Stop();
}

TEST_F(AgentUplinkTest, RevokedTokenInTheServiceIsLoggedAndReportsWait) {
  StartCollector({"--insecure"});
  const std::string token = testing::CreateToken(kCollector, database(), "MI");
  const Completed revoked =
      RunCommand({kCollector, "token", "revoke", "--id", "1", "--database", database()});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  auto service = StartService(collector_->address(), {"--insecure", "--token", token});
  ExpectServiceGoesOnWith(*service, "was revoked on");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "agent/identity.toml"));
  collector_->Stop();
}

}  // namespace
}  // namespace vigie
