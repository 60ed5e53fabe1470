#include "agent/probes/teams_settings.h"

#include <gtest/gtest.h>

#include "common/catalogue.h"

namespace vigie::agent {
namespace {

TEST(NewTeamsAccountsTest, EachAccountGivesTheDomainOfItsSignInName) {
  const auto accounts = NewTeamsAccounts(
      R"({"primary_user":{"accounts":[{"account_upn":"a.b@interieur.gouv.fr","cloud":"Public"},)"
      R"({"account_upn":"perso@hotmail.fr"},{"account_id":"x"}]}})");
  ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
  ASSERT_EQ(accounts->size(), 3u);
  EXPECT_EQ((*accounts)[0].tenant, "interieur.gouv.fr");
  EXPECT_EQ((*accounts)[1].tenant, kConsumerTenantId);
  EXPECT_EQ((*accounts)[2].tenant, "") << "signed in, tenant unknown";
}

TEST(NewTeamsAccountsTest, NobodySignedInIsNoAccount) {
  for (const char* text : {R"({})", R"({"primary_user":null})", R"({"primary_user":{}})",
                           R"({"primary_user":{"accounts":[]}})"}) {
    const auto accounts = NewTeamsAccounts(text);
    ASSERT_TRUE(accounts.ok()) << text;
    EXPECT_TRUE(accounts->empty()) << text;
  }
}

TEST(NewTeamsAccountsTest, DamagedFilesAreErrors) {
  for (const char* text : {R"({"primary_user":{"accounts":[{"account_upn":"a@b.fr")", R"([1,2])",
                           R"({"primary_user":"x"})", R"({"primary_user":{"accounts":{"a":1}}})",
                           R"({"primary_user":{"accounts":["a@b.fr"]}})"}) {
    EXPECT_EQ(NewTeamsAccounts(text).status().code(), StatusCode::kInvalidArgument) << text;
  }
}

TEST(ClassicTeamsTenantTest, TenantUnlessLoggedOut) {
  EXPECT_EQ(*ClassicTeamsTenant(R"({"userTid":"7A1B2C3D-4E5F-4061-8A9B-0C1D2E3F4A5B"})"),
            "7a1b2c3d-4e5f-4061-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(*ClassicTeamsTenant(R"({"userTid":"7a1b2c3d-4e5f-4061-8a9b-0c1d2e3f4a5b",)"
                                R"("isLoggedOut":true})"),
            "");
  EXPECT_EQ(*ClassicTeamsTenant(R"({"userTid":"someone@x.fr"})"), "")
      << "a value that is not a tenant id never leaves";
  EXPECT_FALSE(ClassicTeamsTenant("userTid=1").ok());
}

}  // namespace
}  // namespace vigie::agent
