#include "agent/host_identity.h"

#include <gtest/gtest.h>

#include "agent/fixture_hosts.h"
#include "agent/posix_system_view.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

Result<HostIdentity> Identify(const std::string& root) {
  auto view = PosixSystemView::ForRoot(root);
  if (!view.ok()) return view.status();
  return IdentifyHost(*view);
}

TEST(HostIdentityTest, ReadsOsReleaseAndHashesMachineId) {
  auto host = Identify(testing::FixtureHost("linux-teams-onedrive"));
  ASSERT_TRUE(host.ok()) << host.status().ToString();
  EXPECT_EQ(host->hostname, "pc-finances-042");
  EXPECT_EQ(host->os_family, OsFamily::kLinux);
  EXPECT_EQ(host->os_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(host->os_version, "12");
  EXPECT_EQ(host->host_id.size(), 32u);
  // The raw machine id must not leave the machine (machine-id(5)).
  EXPECT_EQ(host->host_id.find("3f6b1a2c"), std::string::npos);
}

TEST(HostIdentityTest, IsStableAcrossScans) {
  auto first = Identify(testing::FixtureHost("linux-libreoffice"));
  auto second = Identify(testing::FixtureHost("linux-libreoffice"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->host_id, second->host_id);
  EXPECT_NE(first->host_id, Identify(testing::FixtureHost("linux-teams-onedrive"))->host_id);
}

TEST(HostIdentityTest, FallsBackToHostnameFiles) {
  testing::TempDir root;
  root.Write("host.toml", "os = \"linux\"\n");
  root.Write("etc/hostname", "poste-17\n");
  auto host = Identify(root.path());
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->hostname, "poste-17");
  EXPECT_EQ(host->os_name, "Linux");
  EXPECT_EQ(host->host_id.size(), 32u);
}

TEST(HostIdentityTest, UnidentifiableHostIsAnError) {
  testing::TempDir root;
  root.Write("host.toml", "os = \"linux\"\n");
  auto host = Identify(root.path());
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace vigie::agent
