// `vigie-collector agent list|revoke` with the real binaries: a revoked agent's reports are
// refused at once and wait in its spool until the workstation is enrolled again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/collector_process.h"
#include "integration/subprocess.h"
#include "temp_dir.h"

namespace vigie {
namespace {

using testing::CollectorProcess;
using testing::Completed;
using ::testing::HasSubstr;
using testing::RunCommand;

const std::string kAgent = VIGIE_AGENT_BINARY;
const std::string kCollector = VIGIE_COLLECTOR_BINARY;
const std::string kFixture = std::string(VIGIE_FIXTURES_DIR) + "/hosts/linux-teams-onedrive";

class AgentAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_ = std::make_unique<CollectorProcess>(kCollector, database(),
                                                    std::vector<std::string>{"--insecure"});
    ASSERT_FALSE(collector_->address().empty()) << collector_->error();
  }
  void TearDown() override { EXPECT_EQ(collector_->Stop().exit_code, 0); }

  std::string database() const { return dir_ / "collector.db"; }

  Completed Collector(std::vector<std::string> args) {
    args.insert(args.begin(), kCollector);
    args.insert(args.end(), {"--database", database()});
    return RunCommand(args);
  }

  Completed Run(std::vector<std::string> args = {}) {
    std::vector<std::string> argv = {
        kAgent,   "run",         "--once",       "--insecure",  "--root",
        kFixture, "--state-dir", dir_ / "agent", "--collector", collector_->address()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  nlohmann::json Agents() {
    const Completed listed = Collector({"agent", "list", "--format", "json"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    return nlohmann::json::parse(listed.out);
  }

  std::int64_t Hosts() {
    const Completed summary = Collector({"summary", "--format", "json"});
    EXPECT_EQ(summary.exit_code, 0) << summary.err;
    return nlohmann::json::parse(summary.out)["total"]["hosts"].get<std::int64_t>();
  }

  testing::TempDir dir_;
  std::unique_ptr<CollectorProcess> collector_;
};

TEST_F(AgentAdminTest, RevokedAgentIsRefusedKeepsItsReportAndComesBackByEnrolling) {
  EXPECT_EQ(Collector({"agent", "list"}).out, "Aucun agent enrôlé.\n");
  const std::string token = testing::CreateToken(kCollector, database(), "MI");
  const Completed first = Run({"--token", token});
  ASSERT_EQ(first.exit_code, 0) << first.err;

  auto agents = Agents();
  ASSERT_EQ(agents.size(), 1u);
  const std::string agent_id = agents[0]["agentId"];
  EXPECT_EQ(agents[0]["ministry"], "MI");
  EXPECT_EQ(agents[0]["revoked"], false);
  EXPECT_TRUE(agents[0].contains("lastReportAt"));
  EXPECT_EQ(agents[0]["spoolDropped"], 0);
  const std::string last_report = agents[0]["lastReportAt"];
  const Completed text = Collector({"agent", "list", "--ministry", "MI"});
  EXPECT_THAT(text.out, HasSubstr(agent_id + "  MI  "));
  EXPECT_THAT(text.out, HasSubstr(", actif\n"));
  EXPECT_EQ(Collector({"agent", "list", "--ministry", "MEFSIN"}).out, "Aucun agent enrôlé.\n");

  const Completed revoked = Collector({"agent", "revoke", agent_id});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_THAT(revoked.out, HasSubstr("Agent " + agent_id + " révoqué"));

  // The running collector refuses the next report at once; the agent keeps it (exit 2).
  const Completed refused = Run();
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("a été révoqué le"));
  EXPECT_THAT(refused.err, HasSubstr("réenrôlez ce poste"));
  agents = Agents();
  EXPECT_EQ(agents[0]["revoked"], true);
  EXPECT_EQ(agents[0]["lastReportAt"], last_report) << "nothing stored from a revoked agent";
  EXPECT_EQ(Hosts(), 1) << "the host and its history are kept";

  const Completed twice = Collector({"agent", "revoke", agent_id});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err,
              HasSubstr("vigie-collector: error: l'agent " + agent_id + " est déjà révoqué"));
  const Completed unknown = Collector({"agent", "revoke", "not-an-agent"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("aucun agent not-an-agent"));

  // Enrolled again with a new token: same agent, the spooled reports are delivered.
  const std::string again = testing::CreateToken(kCollector, database(), "MI");
  const Completed enrolled =
      RunCommand({kAgent, "enroll", "--insecure", "--root", kFixture, "--state-dir", dir_ / "agent",
                  "--collector", collector_->address(), "--token", again});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  const Completed delivered = Run();
  EXPECT_EQ(delivered.exit_code, 0) << delivered.err;
  agents = Agents();
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0]["agentId"], agent_id);
  EXPECT_EQ(agents[0]["revoked"], false);
}

}  // namespace
}  // namespace vigie
