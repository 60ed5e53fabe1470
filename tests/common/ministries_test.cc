#include "common/ministries.h"

#include <gtest/gtest.h>

namespace vigie {
namespace {

TEST(MinistriesTest, BuiltInListIsTheCurrentGovernment) {
  const auto& list = MinistryList::BuiltIn();
  EXPECT_EQ(list.all().size(), 20u);
  ASSERT_NE(list.Find("MEFSIN"), nullptr);
  EXPECT_NE(list.Find("MEFSIN")->name.find("Économie"), std::string::npos);
  EXPECT_EQ(list.Find("XX"), nullptr);
}

TEST(MinistriesTest, ParsesADeploymentList) {
  auto list = MinistryList::Parse(
      "[[ministry]]\ncode = \"MA\"\nname = \"A\"\n[[ministry]]\ncode = \"MB\"\nname = \"B\"\n",
      "m.toml");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->all().size(), 2u);
  EXPECT_EQ(list->Find("MB")->name, "B");
}

TEST(MinistriesTest, RefusesBadEntriesWithTheirLine) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"[[ministry]]\ncode = \"ma\"\nname = \"A\"\n", "m.toml:1: ministry.code: 'ma' is not"},
      {"[[ministry]]\ncode = \"MA\"\n", "m.toml:1: ministry.name: missing for MA"},
      {"[[ministry]]\ncode = \"MA\"\nname = \"A\"\n[[ministry]]\ncode = \"MA\"\nname = \"B\"\n",
       "m.toml:4: ministry.code: duplicate code MA"},
      {"[[ministry]]\ncode = \"MA\"\nname = \"A\"\ncolour = \"red\"\n",
       "m.toml:4: ministry.colour: unknown key"},
      {"ministry = 3\n", "m.toml:1: ministry: must be written as [[ministry]] tables"},
      {"", "m.toml: no [[ministry]] table"},
  };
  for (const auto& test : cases) {
    auto list = MinistryList::Parse(test.text, "m.toml");
    ASSERT_FALSE(list.ok()) << test.text;
    EXPECT_EQ(list.status().message().rfind(test.message, 0), 0) << list.status().message();
  }
}

TEST(MinistriesTest, CodeShape) {
  EXPECT_TRUE(IsWellFormedMinistryCode("MI"));
  EXPECT_TRUE(IsWellFormedMinistryCode("DGFIP_NUBO-2"));
  EXPECT_FALSE(IsWellFormedMinistryCode("M"));
  EXPECT_FALSE(IsWellFormedMinistryCode("mi"));
  EXPECT_FALSE(IsWellFormedMinistryCode("MI NT"));
  EXPECT_FALSE(IsWellFormedMinistryCode(std::string(33, 'A')));
}

}  // namespace
}  // namespace vigie
