#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/probes/linux_keyfile.h"
#include "agent/probes/linux_onedrive_config.h"
#include "agent/probes/linux_prefs_js.h"

namespace vigie::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(KeyFileTest, ReadsGroupsAndGKeyFileEscapes) {
  const KeyFile file = ParseKeyFile(
      "# comment\n[Data Source]\nDisplayName=Bo\\sîte\\\\mail\\n\nEnabled = true\n"
      "Unknown=a\\qb\n\n[Ews Backend]\nHosturl=https://x/EWS\r\n",
      KeyFileDialect::kGKeyFile);
  EXPECT_EQ(file.malformed_lines, 0);
  ASSERT_EQ(file.groups.size(), 2u);
  EXPECT_EQ(*file.groups[0].Find("DisplayName"), "Bo îte\\mail\n");
  EXPECT_EQ(*file.groups[0].Find("Enabled"), "true");
  EXPECT_EQ(*file.groups[0].Find("Unknown"), "a\\qb");
  EXPECT_EQ(*file.FindGroup("Ews Backend")->Find("Hosturl"), "https://x/EWS");
  EXPECT_EQ(file.FindGroup("Missing"), nullptr);
}

TEST(KeyFileTest, LaterKeyWins) {
  const KeyFile file = ParseKeyFile("[a]\nk=1\nk=2\n", KeyFileDialect::kGKeyFile);
  EXPECT_EQ(*file.groups[0].Find("k"), "2");
}

TEST(KeyFileTest, ReadsQSettingsQuotingAndEscapes) {
  const KeyFile file = ParseKeyFile(
      "; qt comment\n[Accounts]\n0\\url=\"https://a.gouv.fr/, x\"\n1\\name=caf\\xe9 \\\"ok\\\"\n",
      KeyFileDialect::kQSettings);
  EXPECT_EQ(file.malformed_lines, 0);
  const KeyFileGroup* accounts = file.FindGroup("Accounts");
  ASSERT_NE(accounts, nullptr);
  EXPECT_EQ(*accounts->Find("0\\url"), "https://a.gouv.fr/, x");
  EXPECT_EQ(*accounts->Find("1\\name"), "café \"ok\"");
}

TEST(KeyFileTest, CountsTruncatedAndOrphanLinesAndKeepsTheRest) {
  const KeyFile file = ParseKeyFile("orphan=1\n[a]\nk=v\n[trunc\nnot an entry\n[b]\nx=y\n[c",
                                    KeyFileDialect::kGKeyFile);
  EXPECT_EQ(file.malformed_lines, 4);
  EXPECT_EQ(file.first_malformed_line, 1);
  ASSERT_EQ(file.groups.size(), 2u);
  EXPECT_EQ(*file.FindGroup("b")->Find("x"), "y");
}

TEST(KeyFileTest, RefusesLinesWithNulBytes) {
  const KeyFile file =
      ParseKeyFile(std::string("[a]\nk=v\0garbage\nz=1\n", 20), KeyFileDialect::kGKeyFile);
  EXPECT_EQ(file.malformed_lines, 1);
  EXPECT_EQ(file.first_malformed_line, 2);
  EXPECT_EQ(*file.groups[0].Find("z"), "1");
}

TEST(PrefsJsTest, ReadsStringsNumbersAndBooleans) {
  const PrefsJs prefs = ParsePrefsJs(
      "// Mozilla User Preferences\n/* block\n comment */\n"
      "user_pref(\"a.string\", \"say \\\"hi\\\" \\u00e9\\x41\\\\\");\n"
      "user_pref('single', 'it\\'s');\n"
      "user_pref(\"a.int\", -10);\n"
      "user_pref(\"a.bool\",true);\n"
      "pref(\"plain\", false);\n"
      "user_pref(\"emoji\", \"\\ud83d\\ude00\");\n");
  EXPECT_EQ(prefs.malformed_lines, 0);
  EXPECT_THAT(prefs.values,
              ElementsAre(Pair("a.bool", "true"), Pair("a.int", "-10"),
                          Pair("a.string", "say \"hi\" éA\\"), Pair("emoji", "\xF0\x9F\x98\x80"),
                          Pair("plain", "false"), Pair("single", "it's")));
}

TEST(PrefsJsTest, LaterStatementWins) {
  const PrefsJs prefs = ParsePrefsJs("user_pref(\"k\", 1);\nuser_pref(\"k\", 2);\n");
  EXPECT_EQ(*prefs.Find("k"), "2");
  EXPECT_EQ(prefs.Find("absent"), nullptr);
}

TEST(PrefsJsTest, CountsTruncatedStatementsAndKeepsTheRest) {
  const PrefsJs prefs = ParsePrefsJs(
      "user_pref(\"ok\", 1);\nuser_pref(\"cut\", \"abc\nuser_pref(\"no.semicolon\", 1)\n"
      "user_pref(\"trailing\", 1); junk\nuser_pref(\"bad\\u12\", 1);\nuser_pref(\"last\", "
      "\"x\");\nuser_pref(\"end");
  EXPECT_EQ(prefs.malformed_lines, 5);
  EXPECT_EQ(prefs.first_malformed_line, 2);
  EXPECT_THAT(prefs.values, ElementsAre(Pair("last", "x"), Pair("ok", "1")));
}

TEST(OneDriveConfigTest, ReadsQuotedValuesAndCountsOtherLines) {
  const OneDriveConfig config = ParseOneDriveConfig(
      "# comment\n  azure_ad_endpoint = \"Global\"\r\nsync_dir=\"~/OneDrive\"\n"
      "not a setting\nazure_tenant_id = \"a\"\nazure_tenant_id = \"b\"\n= \"no key\"\nx = \"");
  EXPECT_EQ(config.Get("azure_ad_endpoint"), "Global");
  EXPECT_EQ(config.Get("sync_dir"), "~/OneDrive");
  EXPECT_EQ(config.Get("azure_tenant_id"), "b");
  EXPECT_EQ(config.Get("missing"), "");
  EXPECT_EQ(config.malformed_lines, 3);
  EXPECT_EQ(config.first_malformed_line, 4);
}

}  // namespace
}  // namespace vigie::agent
