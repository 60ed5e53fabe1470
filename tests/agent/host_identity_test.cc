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

// Windows names itself in the registry; the installation's MachineGuid, hashed, is the host id.
TEST(HostIdentityTest, WindowsReadsItsVersionAndHashesMachineGuid) {
  testing::TempDir root;
  root.Write("host.toml", "os = \"windows\"\nhostname = \"PC-MI-0001\"\n");
  root.Write("registry/system.reg",
             "Windows Registry Editor Version 5.00\r\n\r\n"
             "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography]\r\n"
             "\"MachineGuid\"=\"4c4c4544-0042-3910-8052-b4c04f4a3532\"\r\n\r\n"
             "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\r\n"
             "\"ProductName\"=\"Windows 10 Enterprise\"\r\n"
             "\"CurrentBuild\"=\"22631\"\r\n");
  auto host = Identify(root.path());
  ASSERT_TRUE(host.ok()) << host.status().ToString();
  EXPECT_EQ(host->os_name, "Windows 10 Enterprise");
  EXPECT_EQ(host->os_version, "22631");
  EXPECT_EQ(host->host_id.size(), 32u);
  EXPECT_EQ(host->host_id.find("4c4c4544"), std::string::npos);

  testing::TempDir renamed;
  renamed.Write("host.toml", "os = \"windows\"\nhostname = \"PC-MI-0002\"\n");
  renamed.Write("registry/system.reg",
                "Windows Registry Editor Version 5.00\r\n\r\n"
                "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography]\r\n"
                "\"MachineGuid\"=\"4c4c4544-0042-3910-8052-b4c04f4a3532\"\r\n");
  auto same = Identify(renamed.path());
  ASSERT_TRUE(same.ok()) << same.status().ToString();
  EXPECT_EQ(same->host_id, host->host_id);
  EXPECT_EQ(same->os_name, "Windows");
}

}  // namespace
}  // namespace vigie::agent
