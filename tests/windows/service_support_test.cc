// What the Windows service and its installer rely on, under Wine: the configuration the
// installer's properties are written into, and the folder only SYSTEM and Administrators open.
#include <gtest/gtest.h>
#include <windows.h>

#include <string>

#include "agent/agent_config.h"
#include "agent/windows/config_update.h"
#include "agent/windows/private_directory.h"
#include "tests/windows/win32_test_util.h"

namespace vigie::agent {
namespace {

using wine_test::ReadAll;
using wine_test::TempDir;

constexpr char kInitial[] = "# comment kept\nfirst-scan-delay = 600\n# collector = \"x:1\"\n";

void Write(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

TEST(ConfigUpdateTest, MissingFileStartsFromTheDefaultAndGetsTheProperties) {
  TempDir dir;
  const std::string path = dir.path() + "\\agent.toml";
  ASSERT_TRUE(UpdateConfigFile(path, kInitial,
                               {{"collector", "vigie.example.gouv.fr:50051"},
                                {"token", "vigie-enroll-1"},
                                {"ca", "C:\\PKI \"ministère\"\\ca.pem"}})
                  .ok());
  const std::string content = ReadAll(path);
  EXPECT_NE(content.find("# comment kept\nfirst-scan-delay = 600\n"), std::string::npos);
  auto config = LoadAgentConfig(path);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->collector, "vigie.example.gouv.fr:50051");
  EXPECT_EQ(config->token, "vigie-enroll-1");
  EXPECT_EQ(config->ca, "C:\\PKI \"ministère\"\\ca.pem");
  EXPECT_EQ(config->first_scan_delay, 600);
}

TEST(ConfigUpdateTest, ExistingKeysAreReplacedAndEmptyValuesChangeNothing) {
  TempDir dir;
  const std::string path = dir.path() + "\\agent.toml";
  Write(path, "collector = \"old:1\"\ntoken = \"vigie-enroll-old\"\nscan-period = 60\n");
  ASSERT_TRUE(
      UpdateConfigFile(path, kInitial, {{"collector", "new:2"}, {"token", ""}, {"ca", ""}}).ok());
  EXPECT_EQ(ReadAll(path),
            "collector = \"new:2\"\ntoken = \"vigie-enroll-old\"\nscan-period = 60\n");
}

TEST(ConfigUpdateTest, FileThatDoesNotLoadIsRefusedAndLeftAsItWas) {
  TempDir dir;
  const std::string path = dir.path() + "\\agent.toml";
  const std::string damaged = "colector = \"typo:1\"\n";
  Write(path, damaged);
  const Status status = UpdateConfigFile(path, kInitial, {{"collector", "new:2"}});
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("colector"), std::string::npos) << status.message();
  EXPECT_EQ(ReadAll(path), damaged);
  EXPECT_EQ(GetFileAttributesW(wine_test::Wide(path + ".new").c_str()), INVALID_FILE_ATTRIBUTES);
}

// Wine 8 accepts the DACL (SetNamedSecurityInfoW succeeds) but reports a folder's security from
// its Unix mode afterwards, so the DACL read back is only compared on Windows (docs/windows.md).
bool UnderWine() {
  return GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != nullptr;
}

TEST(PrivateDirectoryTest, OnlySystemAndAdministratorsMayOpenIt) {
  TempDir dir;
  const std::string path = dir.path() + "\\ProgramData\\Vigie";
  const Status made = MakePrivateDirectory(path);
  ASSERT_TRUE(made.ok()) << made.message();
  EXPECT_NE(GetFileAttributesW(wine_test::Wide(path).c_str()), INVALID_FILE_ATTRIBUTES);
  // Again on an existing folder: the same protected DACL, whatever it had.
  ASSERT_TRUE(MakePrivateDirectory(path).ok());
  auto dacl = DirectoryDacl(path);
  ASSERT_TRUE(dacl.ok()) << dacl.status().message();
  if (!UnderWine()) {
    EXPECT_EQ(*dacl, kPrivateDirectorySddl);
  }
}

TEST(PrivateDirectoryTest, FolderThatCannotBeCreatedIsAnErrorNamingIt) {
  TempDir dir;
  const std::string file = dir.path() + "\\a-file";
  std::ofstream(file) << "x";
  const Status status = MakePrivateDirectory(file + "\\Vigie");
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("a-file"), std::string::npos) << status.message();
}

TEST(PrivateDirectoryTest, ServiceDirectoryIsUnderProgramData) {
  auto directory = ServiceDirectory();
  ASSERT_TRUE(directory.ok()) << directory.status().message();
  EXPECT_NE(directory->find("ProgramData\\Vigie"), std::string::npos) << *directory;
}

}  // namespace
}  // namespace vigie::agent
