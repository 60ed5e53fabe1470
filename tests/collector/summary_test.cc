#include "collector/summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vigie::collector {
namespace {

using ::testing::HasSubstr;

std::vector<MinistryCounts> Sample() {
  MinistryCounts mi{.ministry = "MI"};
  mi.hosts_by_verdict[static_cast<int>(VerdictStatus::kCompliant)] = 2;
  mi.hosts_by_verdict[static_cast<int>(VerdictStatus::kNonCompliant)] = 1;
  mi.hosts = 3;
  MinistryCounts gone{.ministry = "OLD"};
  gone.hosts_by_verdict[static_cast<int>(VerdictStatus::kUnknown)] = 1;
  gone.hosts = 1;
  return {mi, gone};
}

TEST(SummaryTest, JsonHasEveryVerdictPerMinistryAndTotal) {
  const auto json = nlohmann::json::parse(SummaryToJson(Sample(), MinistryList::BuiltIn()));
  ASSERT_EQ(json["ministries"].size(), 2u);
  EXPECT_EQ(json["ministries"][0]["code"], "MI");
  EXPECT_EQ(json["ministries"][0]["name"], "Ministère de l'Intérieur");
  EXPECT_EQ(json["ministries"][0]["hosts"], 3);
  EXPECT_EQ(json["ministries"][0]["verdicts"]["COMPLIANT"], 2);
  EXPECT_EQ(json["ministries"][0]["verdicts"]["TO_REVIEW"], 0);
  EXPECT_EQ(json["ministries"][0]["verdicts"]["NON_COMPLIANT"], 1);
  EXPECT_EQ(json["total"]["hosts"], 4);
  EXPECT_EQ(json["total"]["verdicts"]["UNKNOWN"], 1);
}

TEST(SummaryTest, TextIsFrenchWithPercentages) {
  const std::string text = SummaryToText(Sample(), MinistryList::BuiltIn());
  EXPECT_THAT(text, HasSubstr("Conformité"));
  EXPECT_THAT(text, HasSubstr("Non conforme"));
  EXPECT_THAT(text, HasSubstr("2 (67 %)"));
  EXPECT_THAT(text, HasSubstr("Total"));
  EXPECT_THAT(text, HasSubstr("MI : Ministère de l'Intérieur"));
  EXPECT_THAT(text, HasSubstr("OLD : (ministère absent de la configuration)"));
}

TEST(SummaryTest, EmptyDatabaseSaysSo) {
  EXPECT_EQ(SummaryToText({}, MinistryList::BuiltIn()),
            "Aucun poste n'a encore fait de rapport.\n");
  const auto json = nlohmann::json::parse(SummaryToJson({}, MinistryList::BuiltIn()));
  EXPECT_TRUE(json["ministries"].empty());
  EXPECT_EQ(json["total"]["hosts"], 0);
}

}  // namespace
}  // namespace vigie::collector
