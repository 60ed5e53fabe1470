#include "agent/agent_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "temp_dir.h"

namespace vigie::agent {
namespace {

using ::testing::HasSubstr;

TEST(AgentStateTest, IdentityRoundTripsAndIsAbsentBeforeEnrollment) {
  testing::TempDir dir;
  const AgentState state(dir / "state");
  auto none = state.LoadIdentity();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  AgentIdentity identity;
  identity.agent_id = "a-1";
  identity.secret = "s\"ecret";
  identity.ministry = "MI";
  identity.org_unit = "dgpn";
  identity.collector = "vigie.example:50051";
  ASSERT_TRUE(state.SaveIdentity(identity).ok());
  auto loaded = state.LoadIdentity();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->secret, "s\"ecret");
  EXPECT_EQ((*loaded)->org_unit, "dgpn");
  EXPECT_EQ((*loaded)->collector, "vigie.example:50051");
}

TEST(AgentStateTest, DamagedIdentityNamesTheFile) {
  testing::TempDir dir;
  dir.Write("state/identity.toml", "agent-id = \"a\"\n");
  auto loaded = AgentState(dir / "state").LoadIdentity();
  EXPECT_THAT(loaded.status().message(), HasSubstr("identity.toml: incomplete identity"));
  dir.Write("state/identity.toml", "agent-idd = \"a\"\n");
  loaded = AgentState(dir / "state").LoadIdentity();
  EXPECT_THAT(loaded.status().message(), HasSubstr("identity.toml:1: agent-idd: unknown key"));
}

TEST(AgentStateTest, PseudonymKeyIsMadeOnceOrTakenFromTheDeployment) {
  testing::TempDir dir;
  const AgentState state(dir / "state");
  auto first = state.PseudonymKey("");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 64u);
  EXPECT_EQ(*state.PseudonymKey(""), *first);

  const std::string deployment(64, 'a');
  EXPECT_EQ(*state.PseudonymKey(deployment), deployment);
  EXPECT_THAT(state.PseudonymKey("short").status().message(),
              HasSubstr("pseudonym-key: 64 lowercase hexadecimal digits"));

  dir.Write("state/pseudonym.key", "garbage\n");
  EXPECT_THAT(state.PseudonymKey("").status().message(), HasSubstr("not a pseudonym key"));
}

}  // namespace
}  // namespace vigie::agent
