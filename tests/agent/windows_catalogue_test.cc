#include <gtest/gtest.h>

#include "common/catalogue.h"

namespace vigie {
namespace {

TEST(OfficeMsiProductCodeTest, DecodesSuitesAndApplications) {
  auto proplus = DecodeOfficeMsiProductCode("{90160000-0011-0000-1000-0000000FF1CE}");
  ASSERT_TRUE(proplus);
  EXPECT_EQ(proplus->product_id, "ProPlus2016Volume");
  EXPECT_EQ(proplus->license_model, LicenseModel::kPerpetual);
  EXPECT_EQ(proplus->platform, "x64");
  auto visio = DecodeOfficeMsiProductCode("{91150000-0053-0000-0000-0000000ff1ce}");
  ASSERT_TRUE(visio);
  EXPECT_EQ(visio->product_id, "VisioStd2013Retail");
  EXPECT_EQ(visio->platform, "x86");
  auto word = DecodeOfficeMsiProductCode("{90140000-001B-0000-0000-0000000FF1CE}");
  ASSERT_TRUE(word);
  EXPECT_EQ(word->product_id, "Word2010Volume");
}

TEST(OfficeMsiProductCodeTest, IgnoresComponentsLanguagePacksAndOtherProducts) {
  for (const char* code :
       {"{90160000-0011-040C-0000-0000000FF1CE}",  // French language pack
        "{90160000-001F-040C-0000-0000000FF1CE}",  // proofing tools
        "{90120000-0011-0000-0000-0000000FF1CE}",  // Office 2007
        "{F5B09CFD-F0B2-36AF-8DF4-1DF6B63FC7B4}",  // not Office
        "Office16.PROPLUS", "{90160000-0011-0000-0000-0000000FF1CE}_Office16.PROPLUS_{x}", ""}) {
    EXPECT_FALSE(DecodeOfficeMsiProductCode(code)) << code;
  }
}

}  // namespace
}  // namespace vigie
