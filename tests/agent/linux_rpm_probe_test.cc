#include "agent/probes/linux_rpm_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "agent/fixture_hosts.h"
#include "agent/posix_system_view.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Status RunOn(const std::string& root, ScanFacts& facts) {
  auto view = PosixSystemView::ForRoot(root);
  EXPECT_TRUE(view.ok()) << view.status().ToString();
  return LinuxRpmProbe().Run(*view, facts);
}

// Points the probe's temporary copies at a directory of the test's own.
class ScopedTmpDir {
 public:
  explicit ScopedTmpDir(const std::string& path) {
    if (const char* old = getenv("TMPDIR")) previous_ = old;
    setenv("TMPDIR", path.c_str(), 1);
  }
  ~ScopedTmpDir() {
    if (previous_.empty()) {
      unsetenv("TMPDIR");
    } else {
      setenv("TMPDIR", previous_.c_str(), 1);
    }
  }

 private:
  std::string previous_;
};

TEST(LinuxRpmProbeTest, ReadsASqliteRpmdbAndLeavesNoCopyBehind) {
  const testing::TempDir temp;
  const ScopedTmpDir tmpdir(temp.path().string());
  ScanFacts facts;
  ASSERT_TRUE(RunOn(testing::FixtureHost("linux-fedora-rpm"), facts).ok());
  EXPECT_THAT(facts.errors, IsEmpty());
  ASSERT_EQ(facts.evidence.size(), 4u);
  EXPECT_EQ(facts.evidence[0].product, "teams-for-linux");
  EXPECT_EQ(facts.evidence[0].version, "1.12.7-1");
  EXPECT_EQ(facts.evidence[0].source, "linux.rpm");
  EXPECT_TRUE(facts.evidence[3].sovereign_alternative);
  EXPECT_TRUE(std::filesystem::is_empty(temp.path()));
}

TEST(LinuxRpmProbeTest, ADpkgHostHasNoRpmdbAndNoError) {
  ScanFacts facts;
  ASSERT_TRUE(RunOn(testing::FixtureHost("linux-teams-onedrive"), facts).ok());
  EXPECT_THAT(facts.evidence, IsEmpty());
  EXPECT_THAT(facts.errors, IsEmpty());
}

TEST(LinuxRpmProbeTest, ATruncatedDatabaseIsOneErrorNamingTheScannedDirectory) {
  const testing::TempDir temp;
  const ScopedTmpDir tmpdir(temp.path().string());
  ScanFacts facts;
  ASSERT_TRUE(RunOn(testing::FixtureHost("linux-corrupt-rpmdb"), facts).ok());
  ASSERT_EQ(facts.errors.size(), 1u);
  EXPECT_EQ(facts.errors[0].probe, "linux.rpm");
  EXPECT_THAT(facts.errors[0].reason, HasSubstr("/var/lib/rpm is damaged"));
  EXPECT_THAT(facts.errors[0].reason, ::testing::Not(HasSubstr(temp.path().string())));
  EXPECT_TRUE(std::filesystem::is_empty(temp.path()));
}

TEST(LinuxRpmProbeTest, AnUnreadableDatabaseDirectoryFailsTheProbe) {
  const testing::TempDir host;
  host.Write("host.toml", "os = \"linux\"\n");
  std::filesystem::create_directories(host / "var/lib");
  std::filesystem::create_symlink("rpm", host / "var/lib/rpm");
  ScanFacts facts;
  const Status status = RunOn(host.path().string(), facts);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("/var/lib/rpm"));
}

TEST(LinuxRpmProbeTest, PrefersTheSysimageDirectory) {
  const testing::TempDir host;
  host.Write("host.toml", "os = \"linux\"\n");
  std::filesystem::create_directories(host / "usr/lib/sysimage/rpm");
  std::filesystem::copy_file(testing::FixtureHost("linux-fedora-rpm") + "/var/lib/rpm/rpmdb.sqlite",
                             host / "usr/lib/sysimage/rpm/rpmdb.sqlite");
  // A leftover database in the old place must not be read instead.
  host.Write("var/lib/rpm/rpmdb.sqlite", "not a database");
  ScanFacts facts;
  ASSERT_TRUE(RunOn(host.path().string(), facts).ok());
  EXPECT_THAT(facts.errors, IsEmpty());
  EXPECT_EQ(facts.evidence.size(), 4u);
}

}  // namespace
}  // namespace vigie::agent
