#include "collector/agent_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "collector/store.h"
#include "collector/test_reports.h"
#include "common/wire.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using testing::At;
using ::testing::HasSubstr;
using testing::kNowSeconds;
using ::testing::Not;

class AgentCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_ / "c.db", Store::Mode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_.emplace(std::move(store).value());
    auto registry = AgentRegistry::Open(dir_ / "c.db");
    ASSERT_TRUE(registry.ok());
    registry_.emplace(std::move(registry).value());
    TokenRequest request;
    request.ministry = "MI";
    auto token = registry_->CreateToken(request, "admin", At(kNowSeconds));
    ASSERT_TRUE(token.ok());
    token_ = token->token;
  }

  Enrollment Enroll(const std::string& host_key, const std::string& hostname, Timestamp at) {
    auto enrolled = registry_->Enroll(token_, host_key, hostname, at);
    EXPECT_TRUE(enrolled.ok()) << enrolled.status().ToString();
    return enrolled.ok() ? *enrolled : Enrollment{};
  }

  // A report from `host_key`, stored as the service stores it: the payload is the wire message.
  void Report(const std::string& report_id, const std::string& host_key,
              std::optional<std::uint64_t> dropped) {
    InventoryReport report = testing::ValidReport(report_id, host_key);
    v1::InventoryReport message = ToProto(report);
    if (dropped) message.mutable_agent_health()->set_spool_dropped(*dropped);
    auto stored = store_->Ingest(report, message.SerializeAsString(),
                                 {VerdictStatus::kToReview, {"raison"}}, At(kNowSeconds + 3600));
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  }

  testing::TempDir dir_;
  std::optional<Store> store_;
  std::optional<AgentRegistry> registry_;
  std::string token_;
};

TEST_F(AgentCommandsTest, ListShowsEachAgentWithItsLastReportAndLostReports) {
  const Enrollment first = Enroll("host-a", "pc-a", At(kNowSeconds));
  const Enrollment second = Enroll("host-b", "pc-b", At(kNowSeconds));
  Report("r-1", "host-a", 7);

  auto agents = registry_->ListAgents("");
  ASSERT_TRUE(agents.ok()) << agents.status().ToString();
  ASSERT_EQ(agents->size(), 2u);
  EXPECT_EQ((*agents)[0].agent_id, first.agent.agent_id);
  EXPECT_EQ((*agents)[0].spool_dropped, 7u);
  EXPECT_FALSE((*agents)[1].last_report_at.has_value());

  const std::string text = AgentsToText(*agents);
  EXPECT_THAT(text, HasSubstr(first.agent.agent_id + "  MI  pc-a  enrôlé le 18/11/2026, dernier "
                                                     "rapport le 18/11/2026, 7 rapport(s) perdu(s) "
                                                     "par l'agent, actif\n"));
  EXPECT_THAT(text, HasSubstr(second.agent.agent_id + "  MI  pc-b  enrôlé le 18/11/2026, aucun "
                                                      "rapport, actif\n"));

  const auto json = nlohmann::json::parse(AgentsToJson(*agents));
  EXPECT_EQ(json[0]["agentId"], first.agent.agent_id);
  EXPECT_EQ(json[0]["hostname"], "pc-a");
  EXPECT_EQ(json[0]["enrolledAt"], "2026-11-18T11:06:40Z");
  EXPECT_EQ(json[0]["lastReportAt"], "2026-11-18T12:06:40Z");
  EXPECT_EQ(json[0]["spoolDropped"], 7);
  EXPECT_EQ(json[0]["revoked"], false);
  EXPECT_FALSE(json[1].contains("lastReportAt"));
  EXPECT_FALSE(json[1].contains("spoolDropped"));

  EXPECT_TRUE(registry_->ListAgents("MEFSIN")->empty());
  EXPECT_EQ(AgentsToText({}), "Aucun agent enrôlé.\n");
}

TEST_F(AgentCommandsTest, RevokedSecretStopsAtOnceAndReenrollmentReinstates) {
  const Enrollment enrolled = Enroll("host-a", "pc-a", At(kNowSeconds));
  Report("r-1", "host-a", std::nullopt);
  ASSERT_TRUE(registry_->Authenticate(enrolled.agent.agent_id, enrolled.secret).ok());

  auto confirmed =
      RevokeAgentCommand(*registry_, enrolled.agent.agent_id, "admin", At(kNowSeconds + 60));
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_THAT(*confirmed, HasSubstr("révoqué"));

  // NOT_FOUND, which the service answers as UNAUTHENTICATED: the agent keeps its reports.
  const auto refused = registry_->Authenticate(enrolled.agent.agent_id, enrolled.secret);
  EXPECT_EQ(refused.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(refused.status().message(), HasSubstr("a été révoqué le 18/11/2026"));
  EXPECT_THAT(refused.status().message(), HasSubstr("réenrôlez ce poste"));
  // Without the secret, nothing tells that the agent exists or was revoked.
  EXPECT_THAT(registry_->Authenticate(enrolled.agent.agent_id, "wrong").status().message(),
              Not(HasSubstr("révoqué")));

  auto agents = registry_->ListAgents("MI");
  ASSERT_TRUE(agents.ok());
  ASSERT_EQ(agents->size(), 1u);
  EXPECT_THAT(AgentsToText(*agents), HasSubstr("révoqué le 18/11/2026 par admin"));
  EXPECT_TRUE(agents->front().last_report_at.has_value()) << "history kept";
  const auto json = nlohmann::json::parse(AgentsToJson(*agents));
  EXPECT_EQ(json[0]["revoked"], true);
  EXPECT_EQ(json[0]["revokedBy"], "admin");

  EXPECT_EQ(RevokeAgentCommand(*registry_, enrolled.agent.agent_id, "admin", At(kNowSeconds))
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  const auto unknown = RevokeAgentCommand(*registry_, "no-such-agent", "admin", At(kNowSeconds));
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("aucun agent no-such-agent"));

  // The same host enrolled again keeps its agent id, with a new secret that works.
  const Enrollment again = Enroll("host-a", "pc-a", At(kNowSeconds + 120));
  EXPECT_EQ(again.agent.agent_id, enrolled.agent.agent_id);
  EXPECT_TRUE(registry_->Authenticate(again.agent.agent_id, again.secret).ok());
  agents = registry_->ListAgents("");
  ASSERT_TRUE(agents.ok());
  EXPECT_FALSE(agents->front().revoked_at.has_value());
}

TEST_F(AgentCommandsTest, UnreadableLatestReportLeavesTheAgentListedWithoutHealth) {
  Enroll("host-a", "pc-a", At(kNowSeconds));
  Enroll("host-b", "pc-b", At(kNowSeconds));
  Report("r-2", "host-b", 2);
  InventoryReport report = testing::ValidReport("r-1", "host-a");
  ASSERT_TRUE(store_
                  ->Ingest(report, "\xff\xff not protobuf", {VerdictStatus::kToReview, {"r"}},
                           At(kNowSeconds))
                  .ok());
  const auto agents = registry_->ListAgents("");
  ASSERT_TRUE(agents.ok()) << agents.status().ToString();
  ASSERT_EQ(agents->size(), 2u);
  EXPECT_TRUE((*agents)[0].health_unreadable);
  EXPECT_FALSE((*agents)[0].spool_dropped.has_value());
  EXPECT_EQ((*agents)[1].spool_dropped, 2u);
  EXPECT_THAT(AgentsToText(*agents), HasSubstr("dernier rapport illisible dans la base"));
  EXPECT_EQ(nlohmann::json::parse(AgentsToJson(*agents))[0]["healthUnreadable"], true);
}

}  // namespace
}  // namespace vigie::collector
