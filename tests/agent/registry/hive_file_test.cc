#include "agent/registry/hive_file.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace vigie::agent::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Hives made by hivexregedit (tests/fixtures/registry/ntuser/README.md).
const std::string kHosts = std::string(VIGIE_FIXTURES_DIR) + "/hosts";
const std::string kPaulHive = kHosts + "/windows-two-users/C/Users/paul.fontaine/NTUSER.DAT";
const std::string kTruncatedHive =
    kHosts + "/windows-truncated-ntuser/C/Users/camille.david/NTUSER.DAT";
const std::string kFrenchHive = kHosts + "/windows-french-locale/C/Users/Hélène.Bérard/NTUSER.DAT";

class OpenFile {
 public:
  explicit OpenFile(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

TEST(HiveFileTest, ListsSubkeysCaseInsensitively) {
  OpenFile file(kPaulHive);
  auto hive = HiveFile::Open(file.fd(), "NTUSER.DAT");
  ASSERT_TRUE(hive.ok()) << hive.status().ToString();
  auto subkeys = (*hive)->ListSubkeys("SOFTWARE\\microsoft\\onedrive\\accounts");
  ASSERT_TRUE(subkeys.ok()) << subkeys.status().ToString();
  EXPECT_THAT(*subkeys, ElementsAre("Personal"));
  auto root = (*hive)->ListSubkeys("");
  ASSERT_TRUE(root.ok());
  EXPECT_THAT(*root, ElementsAre("Software"));
}

TEST(HiveFileTest, ReadsValuesAsTheRegistryStoresThem) {
  OpenFile file(kFrenchHive);
  auto hive = HiveFile::Open(file.fd(), "NTUSER.DAT");
  ASSERT_TRUE(hive.ok()) << hive.status().ToString();
  auto value =
      (*hive)->ReadValue("Software\\Microsoft\\OneDrive\\Accounts\\Business1", "displayname");
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(value->type, ValueType::kSz);
  EXPECT_EQ(value->AsString().value(), "Ministère de la Transition écologique");
}

TEST(HiveFileTest, AbsentKeysAndValuesAreNotFound) {
  OpenFile file(kPaulHive);
  auto hive = HiveFile::Open(file.fd(), "NTUSER.DAT");
  ASSERT_TRUE(hive.ok());
  EXPECT_EQ((*hive)->ListSubkeys("Software\\Nothing").status().code(), StatusCode::kNotFound);
  auto value = (*hive)->ReadValue("Software\\Microsoft\\OneDrive\\Accounts\\Personal", "Missing");
  EXPECT_EQ(value.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(value.status().message(), HasSubstr("Missing"));
}

TEST(HiveFileTest, TruncatedHiveIsRefusedWithItsName) {
  OpenFile file(kTruncatedHive);
  auto hive = HiveFile::Open(file.fd(), "C:\\Users\\x\\NTUSER.DAT");
  ASSERT_FALSE(hive.ok());
  EXPECT_EQ(hive.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(hive.status().message(), HasSubstr("C:\\Users\\x\\NTUSER.DAT"));
}

TEST(HiveFileTest, AFileThatIsNoHiveIsRefused) {
  OpenFile file(kHosts + "/windows-two-users/host.toml");
  auto hive = HiveFile::Open(file.fd(), "host.toml");
  ASSERT_FALSE(hive.ok());
  EXPECT_EQ(hive.status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace vigie::agent::registry
