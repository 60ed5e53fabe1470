#include "collector/tokens.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collector/store.h"
#include "collector/test_reports.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using ::testing::HasSubstr;

class TokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Store::Open(dir_ / "c.db").ok());
    auto registry = AgentRegistry::Open(dir_ / "c.db");
    ASSERT_TRUE(registry.ok());
    registry_.emplace(std::move(registry).value());
  }

  Result<std::string> Create(TokenRequest request) {
    return CreateTokenCommand(*registry_, request, MinistryList::BuiltIn(), "admin",
                              testing::At(testing::kNowSeconds));
  }

  testing::TempDir dir_;
  std::optional<AgentRegistry> registry_;
};

TEST_F(TokensTest, RequestsAreChecked) {
  TokenRequest request;
  request.ministry = "ZZ";
  EXPECT_THAT(Create(request).status().message(), HasSubstr("unknown ministry code 'ZZ'"));
  request.ministry = "MI";
  request.org_unit = "dgpn paris";
  EXPECT_THAT(Create(request).status().message(), HasSubstr("is not an org unit of MI"));
  request.org_unit = "";
  request.expires_in_days = 0;
  EXPECT_THAT(Create(request).status().message(), HasSubstr("--expires: at least 1 day"));
  request.expires_in_days.reset();
  request.max_uses = 0;
  EXPECT_THAT(Create(request).status().message(), HasSubstr("--uses: at least 1"));
  EXPECT_TRUE(registry_->ListTokens("")->empty());
}

TEST_F(TokensTest, TokenIsShownOnceAndListedByPrefix) {
  TokenRequest request;
  request.ministry = "MI";
  request.expires_in_days = 30;
  auto text = Create(request);
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("valable jusqu'au 18/12/2026"));
  const auto start = text->find("vigie-enroll-");
  const std::string token = text->substr(start, text->find('\n', start) - start);
  EXPECT_EQ(token.size(), 13u + 48u);

  auto tokens = registry_->ListTokens("MI");
  ASSERT_TRUE(tokens.ok());
  const std::string listed = TokensToText(*tokens, testing::At(testing::kNowSeconds));
  EXPECT_THAT(listed, HasSubstr(token.substr(0, 19) + "…"));
  EXPECT_THAT(listed, ::testing::Not(HasSubstr(token)));
  EXPECT_THAT(listed, HasSubstr("actif"));
  EXPECT_THAT(TokensToText(*tokens, testing::At(testing::kNowSeconds) + std::chrono::days(31)),
              HasSubstr("expiré"));
  EXPECT_THAT(RevokeTokenCommand(*registry_, 9, "admin", testing::At(testing::kNowSeconds))
                  .status()
                  .message(),
              HasSubstr("no enrollment token number 9"));
}

}  // namespace
}  // namespace vigie::collector
