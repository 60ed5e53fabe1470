#include "common/config_file.h"

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace vigie {
namespace {

TEST(ConfigFileTest, ReadsTypedValues) {
  auto file = ConfigFile::Parse("name = \"x\"\ncount = 3\nflag = true\n", "test.toml");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->GetString("name")->value(), "x");
  EXPECT_EQ(file->GetInteger("count")->value(), 3);
  EXPECT_EQ(file->GetBool("flag")->value(), true);
  EXPECT_FALSE(file->GetString("absent")->has_value());
}

TEST(ConfigFileTest, SyntaxErrorNamesFileLineAndColumn) {
  auto file = ConfigFile::Parse("a = 1\nb = = 2\n", "/etc/vigie/collector.toml");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(file.status().message().rfind("/etc/vigie/collector.toml:2:", 0), 0)
      << file.status().message();
}

TEST(ConfigFileTest, WrongTypeNamesFileLineAndKey) {
  auto file = ConfigFile::Parse("\n\ndatabase = 12\n", "c.toml");
  ASSERT_TRUE(file.ok());
  auto value = file->GetString("database");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().message(), "c.toml:3: database: must be a string");
}

TEST(ConfigFileTest, UnknownKeyIsRefused) {
  auto file = ConfigFile::Parse("databse = \"x\"\n", "c.toml");
  ASSERT_TRUE(file.ok());
  static constexpr std::string_view kKnown[] = {"database"};
  const Status status = file->CheckKeys(kKnown);
  EXPECT_EQ(status.message(), "c.toml:1: databse: unknown key");
}

TEST(ConfigFileTest, MissingFileIsNotFound) {
  auto file = ConfigFile::Load("/nonexistent/vigie.toml");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kNotFound);
  EXPECT_NE(file.status().message().find("/nonexistent/vigie.toml"), std::string::npos);
}

TEST(ConfigFileTest, InvalidUtf8IsRefused) {
  testing::TempDir dir;
  const std::string path = dir.Write("bad.toml", "name = \"\xff\xfe\"\n");
  auto file = ConfigFile::Load(path);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message().rfind(path + ":1:", 0), 0) << file.status().message();
}

TEST(ConfigFileTest, AcceptsUtf8BomAndCrlf) {
  auto file = ConfigFile::Parse("\xEF\xBB\xBFname = \"é\"\r\nother = 1\r\n", "win.toml");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->GetString("name")->value(), "é");
}

}  // namespace
}  // namespace vigie
