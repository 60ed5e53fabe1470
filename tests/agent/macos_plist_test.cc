#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "agent/plist/plist.h"

namespace vigie::agent::plist {
namespace {

std::string ReadFixture(const std::string& name) {
  std::ifstream file(std::string(VIGIE_FIXTURES_DIR) + "/plist/" + name, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

void ExpectPreferences(const Value& root) {
  ASSERT_NE(root.AsDictionary(), nullptr);
  EXPECT_EQ(root.StringAt("Name"), "Préférences été");
  EXPECT_EQ(root.Find("Count")->AsInteger(), 42u);
  // libplist keeps integers as 64 unsigned bits: -1 comes back as its two's complement.
  EXPECT_EQ(root.Find("Negative")->AsInteger(), static_cast<std::uint64_t>(-1));
  EXPECT_EQ(root.Find("Ratio")->type(), Value::Type::kReal);
  EXPECT_EQ(root.Find("Enabled")->AsBoolean(), true);
  EXPECT_EQ(root.Find("Disabled")->AsBoolean(), false);
  EXPECT_EQ(*root.Find("Since"), Value(Value::Date{1795176000}));  // 2026-11-20T12:00:00Z
  EXPECT_EQ(*root.Find("Blob"), Value(Value::Data{std::string("\x00\x01\x02\xff", 4)}));
  const Array* accounts = root.Find("Accounts")->AsArray();
  ASSERT_NE(accounts, nullptr);
  ASSERT_EQ(accounts->size(), 2u);
  EXPECT_EQ((*accounts)[0].StringAt("Kind"), "Business1");
  EXPECT_EQ((*accounts)[1], Value("second"));
  EXPECT_EQ(root.Find("Missing"), nullptr);
  EXPECT_EQ(root.StringAt("Count"), std::nullopt);
}

TEST(PlistTest, ReadsXml) {
  auto root = Parse(ReadFixture("preferences.xml"));
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  ExpectPreferences(*root);
}

TEST(PlistTest, ReadsBinaryMadeByPlistutil) {
  auto root = Parse(ReadFixture("preferences.bplist"));
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  ExpectPreferences(*root);
  EXPECT_EQ(*root, *Parse(ReadFixture("preferences.xml")));
}

TEST(PlistTest, TruncatedBinaryIsRefused) {
  const std::string binary = ReadFixture("preferences.bplist");
  for (const std::size_t size : {std::size_t{8}, std::size_t{40}, binary.size() - 1}) {
    auto root = Parse(std::string_view(binary).substr(0, size));
    ASSERT_FALSE(root.ok()) << size;
    EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(root.status().message(), "damaged binary property list");
  }
}

// The input the plist fuzz target found: a dictionary key holding a NUL, on which libplist's
// own key reader asserts.
TEST(PlistTest, BinaryKeyHoldingANulIsRefusedNotAnAbort) {
  std::ifstream file(
      std::string(VIGIE_FIXTURES_DIR) + "/../fuzz/regressions/plist/key-with-nul.bplist",
      std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  ASSERT_FALSE(content.str().empty());
  const auto parsed = Parse(content.str());
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("NUL"), std::string::npos) << parsed.status().ToString();
}

TEST(PlistTest, TruncatedXmlIsRefused) {
  const std::string xml = ReadFixture("preferences.xml");
  auto root = Parse(std::string_view(xml).substr(0, xml.size() / 2));
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.status().message(), "damaged XML property list");
}

TEST(PlistTest, OtherBytesAreNotAPropertyList) {
  for (const std::string_view bytes : {std::string_view(""), std::string_view("{\"json\": true}"),
                                       std::string_view("\x00\x01garbage", 9)}) {
    auto root = Parse(bytes);
    ASSERT_FALSE(root.ok());
    EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(root.status().message().find("not a property list"), std::string::npos);
  }
}

TEST(PlistTest, DeepNestingIsRefusedNotRecursedInto) {
  std::string xml = "<?xml version=\"1.0\"?><plist version=\"1.0\">";
  for (int i = 0; i < 100; ++i) xml += "<array>";
  for (int i = 0; i < 100; ++i) xml += "</array>";
  xml += "</plist>";
  auto root = Parse(xml);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.status().message(), "property list nested too deeply");
}

}  // namespace
}  // namespace vigie::agent::plist
