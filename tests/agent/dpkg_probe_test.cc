#include "agent/probes/dpkg_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/fixture_hosts.h"
#include "agent/posix_system_view.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ScanFacts RunOn(const std::string& root, Status* status_out = nullptr) {
  auto view = PosixSystemView::ForRoot(root);
  EXPECT_TRUE(view.ok()) << view.status().ToString();
  ScanFacts facts;
  const Status status = DpkgProbe().Run(*view, facts);
  if (status_out) {
    *status_out = status;
  } else {
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
  return facts;
}

TEST(DpkgProbeTest, ReportsInstalledCloudClientsAndAlternatives) {
  const ScanFacts facts = RunOn(testing::FixtureHost("linux-teams-onedrive"));
  EXPECT_THAT(facts.errors, IsEmpty());
  ASSERT_EQ(facts.evidence.size(), 3u);
  EXPECT_EQ(facts.evidence[0].product, "teams-for-linux");
  EXPECT_EQ(facts.evidence[0].service, ServiceCategory::kCollaboration);
  EXPECT_EQ(facts.evidence[0].kind, EvidenceKind::kInstalled);
  EXPECT_EQ(facts.evidence[0].version, "1.12.7");
  EXPECT_EQ(facts.evidence[0].source, "linux.dpkg");
  EXPECT_EQ(facts.evidence[1].product, "onedrive-linux");
  EXPECT_EQ(facts.evidence[1].service, ServiceCategory::kPersonalDrive);
  EXPECT_EQ(facts.evidence[2].product, "libreoffice");
  EXPECT_TRUE(facts.evidence[2].sovereign_alternative);
}

TEST(DpkgProbeTest, RemovedPackagesAreNotInstalled) {
  const ScanFacts facts = RunOn(testing::FixtureHost("linux-teams-onedrive"));
  for (const auto& evidence : facts.evidence) EXPECT_NE(evidence.product, "microsoft-teams");
}

TEST(DpkgProbeTest, NoDpkgDatabaseIsNotAnError) {
  testing::TempDir root;
  root.Write("host.toml", "os = \"linux\"\n");
  const ScanFacts facts = RunOn(root.path());
  EXPECT_THAT(facts.evidence, IsEmpty());
  EXPECT_THAT(facts.errors, IsEmpty());
}

TEST(DpkgProbeTest, DamagedDatabaseGivesPartialFactsAndAnError) {
  const ScanFacts facts = RunOn(testing::FixtureHost("linux-damaged-dpkg"));
  EXPECT_THAT(facts.evidence, ElementsAre(Field(&Evidence::product, "teams-for-linux")));
  ASSERT_EQ(facts.errors.size(), 1u);
  EXPECT_EQ(facts.errors[0].probe, "linux.dpkg");
  EXPECT_THAT(facts.errors[0].reason, HasSubstr("damaged"));
}

TEST(DpkgProbeTest, UnreadableDatabaseFailsTheProbe) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  testing::TempDir root;
  root.Write("host.toml", "os = \"linux\"\n");
  const std::string path = root.Write("var/lib/dpkg/status", "Package: teams\n");
  ::chmod(path.c_str(), 0);
  Status status;
  RunOn(root.path(), &status);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
}

TEST(DpkgProbeTest, DatabaseThatIsADirectoryFailsTheProbe) {
  testing::TempDir root;
  root.Write("host.toml", "os = \"linux\"\n");
  std::filesystem::create_directories(root.path() / "var/lib/dpkg/status");
  Status status;
  RunOn(root.path(), &status);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("/var/lib/dpkg/status"));
}

}  // namespace
}  // namespace vigie::agent
