#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/doctrine/policy.h"
#include "common/enums.h"

namespace vigie::doctrine {
namespace {

using ::testing::HasSubstr;

TEST(DoctrinePolicyTest, BuiltInPolicyFollowsTheDinumNote) {
  const Policy& policy = Policy::BuiltIn();
  EXPECT_FALSE(policy.version().empty());
  for (auto category : kAllServiceCategories) {
    if (!IsOnlineService(category)) continue;
    EXPECT_EQ(policy.Rule(category).derogable, IsDerogable(category)) << EnumName(category);
    EXPECT_THAT(policy.Rule(category).rule, HasSubstr("15 septembre 2021"));
  }
  ASSERT_NE(policy.FindOffer("microsoft-365"), nullptr);
  EXPECT_FALSE(policy.FindOffer("microsoft-365")->qualified_from.has_value());
  EXPECT_TRUE(policy.IsConsumerTenant("9188040d-6c67-4c5b-b112-36a304b66dad"));
}

std::string ValidPolicyWith(const std::string& replace, const std::string& by) {
  std::string text = R"(version = "v"
[[service]]
category = "MAIL"
derogable = true
rule = "r"
[[service]]
category = "PERSONAL_DRIVE"
derogable = true
rule = "r"
[[service]]
category = "DOCUMENTS"
derogable = false
rule = "r"
[[service]]
category = "COLLABORATION"
derogable = false
rule = "r"
[[service]]
category = "INSTANT_MESSAGING"
derogable = false
rule = "r"
[[service]]
category = "CONFERENCING"
derogable = false
rule = "r"
[[offer]]
id = "o"
name = "O"
qualified-from = 2026-03-01
)";
  const auto at = text.find(replace);
  if (at != std::string::npos) text.replace(at, replace.size(), by);
  return text;
}

TEST(DoctrinePolicyTest, ParsesQualificationDates) {
  auto policy = Policy::Parse(ValidPolicyWith("", ""), "p.toml");
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  const Offer* offer = policy->FindOffer("o");
  ASSERT_NE(offer, nullptr);
  const Date day = std::chrono::sys_days{std::chrono::year{2026} / 3 / 1};
  EXPECT_FALSE(offer->QualifiedOn(day - std::chrono::days(1)));
  EXPECT_TRUE(offer->QualifiedOn(day));
}

TEST(DoctrinePolicyTest, MalformedPoliciesAreRefusedClearly) {
  const struct {
    std::string text;
    std::string message;
  } cases[] = {
      {ValidPolicyWith("category = \"DOCUMENTS\"\nderogable = false",
                       "category = \"DOCUMENTS\"\nderogable = true"),
       "p.toml:12: service.derogable: DOCUMENTS cannot be derogable"},
      {ValidPolicyWith("category = \"CONFERENCING\"", "category = \"MAIL\""),
       "service.category: duplicate category MAIL"},
      {ValidPolicyWith("category = \"CONFERENCING\"", "category = \"CLOUD_IDENTITY\""),
       "'CLOUD_IDENTITY' is not a service category"},
      {ValidPolicyWith(
           "[[service]]\ncategory = \"CONFERENCING\"\nderogable = false\nrule = \"r\"\n", ""),
       "no [[service]] for category CONFERENCING"},
      {ValidPolicyWith("qualified-from = 2026-03-01", "qualified-from = \"soon\""),
       "offer.qualified-from: must be a date"},
      {ValidPolicyWith("name = \"O\"", "nom = \"O\""), "offer.nom: unknown key"},
      {ValidPolicyWith("version = \"v\"", ""), "version: missing"},
      {ValidPolicyWith("rule = \"r\"", "rule = \"\""), "service.rule: must be a non-empty string"},
      {"version = \"v\"\nservice = 1\n", "service: must be written as [[service]] tables"},
      {"version = = \"v\"", "p.toml:1:"},
  };
  for (const auto& test : cases) {
    auto policy = Policy::Parse(test.text, "p.toml");
    ASSERT_FALSE(policy.ok()) << test.message;
    EXPECT_THAT(policy.status().message(), HasSubstr(test.message));
  }
}

TEST(DoctrinePolicyTest, MissingFileIsNamed) {
  auto policy = Policy::Load("/nonexistent/doctrine.toml");
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(policy.status().message(), HasSubstr("/nonexistent/doctrine.toml"));
}

}  // namespace
}  // namespace vigie::doctrine
