// Enrollment with the real binaries: tokens made by `vigie-collector token`, agents enrolled
// with `vigie-agent enroll` or on the first `run`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

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

class EnrollmentTest : public ::testing::Test {
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

  Completed Agent(const std::string& command, const std::string& state,
                  std::vector<std::string> args) {
    std::vector<std::string> argv = {kAgent,       command,  "--insecure", "--state-dir",
                                     dir_ / state, "--root", kFixture};
    if (command == "run") argv.push_back("--once");
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  nlohmann::json Summary() {
    const Completed summary = Collector({"summary", "--format", "json"});
    EXPECT_EQ(summary.exit_code, 0) << summary.err;
    return nlohmann::json::parse(summary.out);
  }

  testing::TempDir dir_;
  std::unique_ptr<CollectorProcess> collector_;
};

TEST_F(EnrollmentTest, TokenGivesTheMinistryAndTheSecretStaysOwnerOnly) {
  // Org units are the deployment's: the token's must be one of its ministry's.
  const std::string ministries =
      dir_.Write("ministries.toml",
                 "[[ministry]]\ncode = \"MEFSIN\"\nname = \"Économie\"\n"
                 "[[ministry.org-unit]]\nid = \"dgfip\"\nname = \"DGFiP\"\n");
  const Completed unknown_unit =
      Collector({"token", "create", "--ministry", "MEFSIN", "--org-unit", "dgfip"});
  EXPECT_THAT(unknown_unit.err, HasSubstr("'dgfip' is not an org unit of MEFSIN"));
  const Completed created = Collector({"token", "create", "--ministry", "MEFSIN", "--org-unit",
                                       "dgfip", "--uses", "5", "--ministries-file", ministries});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("il ne sera plus affiché"));
  const std::string token = testing::CreateToken(kCollector, database(), "MEFSIN");

  const Completed enrolled =
      Agent("enroll", "agent", {"--collector", collector_->address(), "--token", token});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  EXPECT_THAT(enrolled.out, HasSubstr("pour MEFSIN"));
  const Completed ran = Agent("run", "agent", {});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_THAT(ran.out, HasSubstr("À qualifier"));
  EXPECT_EQ(Summary()["ministries"][0]["code"], "MEFSIN");

  struct stat info {};
  ASSERT_EQ(::stat((dir_ / "agent").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  for (const char* file : {"agent/identity.toml", "agent/pseudonym.key"}) {
    ASSERT_EQ(::stat((dir_ / file).c_str(), &info), 0) << file;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << file;
  }

  // The list never shows a token whole.
  const Completed listed = Collector({"token", "list", "--format", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, ::testing::Not(HasSubstr(token)));
  const auto tokens = nlohmann::json::parse(listed.out);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0]["orgUnit"], "dgfip");
  EXPECT_EQ(tokens[0]["maxUses"], 5);
  EXPECT_EQ(tokens[1]["uses"], 1);
}

TEST_F(EnrollmentTest, RevokedTokenGetsAClearErrorAndEnrollsNobody) {
  const std::string token = testing::CreateToken(kCollector, database(), "MI");
  const Completed revoked = Collector({"token", "revoke", "--id", "1"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  const Completed refused =
      Agent("run", "agent", {"--collector", collector_->address(), "--token", token});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("refused the enrollment: enrollment token vigie-enroll-"));
  EXPECT_THAT(refused.err, HasSubstr("was revoked on"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "agent/identity.toml"));
  EXPECT_EQ(Summary()["total"]["hosts"], 0);
  const Completed again = Collector({"token", "revoke", "--id", "1"});
  EXPECT_THAT(again.err, HasSubstr("already revoked"));
}

TEST_F(EnrollmentTest, ReinstalledWorkstationReenrollsWithoutADuplicateHost) {
  const std::string token = testing::CreateToken(kCollector, database(), "MI");
  ASSERT_EQ(
      Agent("run", "first", {"--collector", collector_->address(), "--token", token}).exit_code, 0);
  // A reinstall loses the state directory; the machine is the same.
  const Completed second =
      Agent("run", "second", {"--collector", collector_->address(), "--token", token});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Summary()["total"]["hosts"], 1);
  // The old installation's secret no longer works; its report waits in its spool.
  const Completed stale = Agent("run", "first", {});
  EXPECT_EQ(stale.exit_code, 2);
  EXPECT_THAT(stale.err, HasSubstr("or wrong secret: enroll again"));
}

TEST_F(EnrollmentTest, ConfigurationFileFillsWhatFlagsDoNotSay) {
  const std::string token = testing::CreateToken(kCollector, database(), "MI");
  const std::string config =
      dir_.Write("agent.toml", "collector = \"" + collector_->address() +
                                   "\"\ninsecure = true\nstate-dir = \"" + (dir_ / "configured") +
                                   "\"\ntoken = \"" + token + "\"\npseudonym-key = \"" +
                                   std::string(64, 'b') + "\"\n");
  const Completed ran =
      RunCommand({kAgent, "run", "--once", "--config", config, "--root", kFixture});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "configured/identity.toml"));
  // The deployment's key is used, not kept.
  EXPECT_FALSE(std::filesystem::exists(dir_ / "configured/pseudonym.key"));

  const std::string typo = dir_.Write("typo.toml", "colector = \"x:1\"\n");
  const Completed refused = RunCommand({kAgent, "run", "--once", "--config", typo});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("typo.toml:1: colector: unknown key"));
  const std::string bad_key =
      dir_.Write("key.toml", "pseudonym-key = \"short\"\ninsecure = true\n");
  const Completed short_key = RunCommand({kAgent, "run", "--once", "--config", bad_key,
                                          "--state-dir", dir_ / "configured", "--root", kFixture});
  EXPECT_THAT(short_key.err, HasSubstr("pseudonym-key: 64 lowercase hexadecimal digits"));
}

TEST(AgentConfigTest, ShippedExampleIsValid) {
  const Completed ran =
      RunCommand({kAgent, "run", "--once", "--config",
                  std::string(VIGIE_FIXTURES_DIR) + "/../../installers/config/agent.toml",
                  "--state-dir", "/nonexistent-vigie-state"});
  // The file parses; the agent then stops at its CA file, which this machine does not have.
  EXPECT_THAT(ran.err, HasSubstr("/etc/vigie/tls/ca.pem"));
  // enroll reads the same file; the service's keys are not its business.
  const Completed enrolled = RunCommand(
      {kAgent, "enroll", "--config",
       std::string(VIGIE_FIXTURES_DIR) + "/../../installers/config/agent.toml", "--collector",
       "127.0.0.1:1", "--token", "t", "--state-dir", "/nonexistent-vigie-state"});
  EXPECT_EQ(enrolled.exit_code, 1);
  EXPECT_THAT(enrolled.err, HasSubstr("/etc/vigie/tls/ca.pem"));
}

}  // namespace
}  // namespace vigie
