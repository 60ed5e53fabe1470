#include "agent/probes/linux_user_config_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "agent/fixture_hosts.h"
#include "agent/posix_system_view.h"
#include "agent/user_pseudonyms.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const std::string& Key() { return testing::kTestProbeOptions.pseudonym_key; }

Status RunOn(const std::string& root, ScanFacts& facts) {
  auto view = PosixSystemView::ForRoot(root);
  EXPECT_TRUE(view.ok()) << view.status().ToString();
  return LinuxUserConfigProbe(Key()).Run(*view, facts);
}

// A fresh Linux host directory; the caller owns the directory.
void MakeLinuxHost(const testing::TempDir& host) {
  host.Write("host.toml", "os = \"linux\"\nhostname = \"test\"\n");
}

TEST(ListLinuxHomesTest, TakesHumanAccountsFromPasswdAndEveryHomeDirectory) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  host.Write("etc/passwd",
             "root:x:0:0:root:/root:/bin/bash\n"
             "svc:x:999:999::/var/lib/svc:/usr/sbin/nologin\n"
             "alice:x:1000:1000:Alice,,,:/srv/people/alice/:/bin/bash\n"
             "nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n"
             "+::::::\n"
             "bob:x:1001:1001::/home/bob:/bin/bash\n"
             "short:x:1002\n");
  host.Write("home/bob/.profile", "");
  host.Write("home/ldapuser/.profile", "");
  std::filesystem::create_directories(host / "home/lost+found");
  auto view = PosixSystemView::ForRoot(host.path().string());
  ASSERT_TRUE(view.ok());
  auto homes = ListLinuxHomes(*view);
  ASSERT_TRUE(homes.ok()) << homes.status().ToString();
  EXPECT_THAT(
      *homes,
      ElementsAre(
          AllOf(Field(&LinuxHome::account, "bob"), Field(&LinuxHome::path, "/home/bob")),
          AllOf(Field(&LinuxHome::account, "ldapuser"), Field(&LinuxHome::path, "/home/ldapuser")),
          AllOf(Field(&LinuxHome::account, "alice"),
                Field(&LinuxHome::path, "/srv/people/alice"))));
}

TEST(ListLinuxHomesTest, AHostWithoutPasswdOrHomeHasNoHomes) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  auto view = PosixSystemView::ForRoot(host.path().string());
  ASSERT_TRUE(view.ok());
  auto homes = ListLinuxHomes(*view);
  ASSERT_TRUE(homes.ok());
  EXPECT_THAT(*homes, IsEmpty());
}

TEST(ListLinuxHomesTest, AnUnreadablePasswdFailsTheProbe) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  // A directory where the file should be: readable by nobody, not even root.
  std::filesystem::create_directories(host / "etc/passwd");
  ScanFacts facts;
  const Status status = RunOn(host.path().string(), facts);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("/etc/passwd"));
}

TEST(LinuxUserConfigProbeTest, EvidenceCarriesThePseudonymOfItsUser) {
  ScanFacts facts;
  ASSERT_TRUE(RunOn(testing::FixtureHost("linux-thunderbird-exo"), facts).ok());
  const UserPseudonyms pseudonyms(Key());
  ASSERT_EQ(facts.evidence.size(), 2u);
  EXPECT_EQ(facts.evidence[0].user_pseudonym, pseudonyms.Of("lroux"));
  EXPECT_EQ(facts.evidence[0].source, "linux.thunderbird");
  EXPECT_EQ(facts.evidence[1].user_pseudonym, pseudonyms.Of("spetit"));
}

TEST(LinuxUserConfigProbeTest, OneUnreadableHomeIsOneErrorWithoutTheUserName) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  host.Write("etc/passwd",
             "jdoe:x:1000:1000::/srv/jdoe:/bin/bash\nmroe:x:1001:1001::/srv/mroe:/bin/bash\n");
  std::filesystem::create_directories(host / "srv");
  std::filesystem::create_symlink("jdoe", host / "srv/jdoe");
  host.Write("srv/mroe/.config/goa-1.0/accounts.conf",
             "[Account a]\nProvider=ms_graph\nIdentity=m.roe@example.gouv.fr\n");
  ScanFacts facts;
  ASSERT_TRUE(RunOn(host.path().string(), facts).ok());
  ASSERT_EQ(facts.errors.size(), 1u);
  EXPECT_EQ(facts.errors[0].probe, "linux.user_config");
  EXPECT_THAT(facts.errors[0].reason, HasSubstr(UserPseudonyms(Key()).Of("jdoe")));
  EXPECT_THAT(facts.errors[0].reason, Not(HasSubstr("jdoe")));
  EXPECT_THAT(facts.evidence, Not(IsEmpty()));
}

TEST(LinuxUserConfigProbeTest, UnreadableFilesAreErrorsWithTheHomeRedacted) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  host.Write("etc/passwd", "jdoe:x:1000:1000::/home/jdoe:/bin/bash\n");
  // Directories where files should be: unreadable as files, even by root.
  std::filesystem::create_directories(host / "home/jdoe/.config/goa-1.0/accounts.conf");
  std::filesystem::create_directories(host / "home/jdoe/.wine/system.reg");
  ScanFacts facts;
  ASSERT_TRUE(RunOn(host.path().string(), facts).ok());
  ASSERT_EQ(facts.errors.size(), 2u) << facts.errors[0].reason;
  EXPECT_EQ(facts.errors[0].probe, "linux.goa");
  EXPECT_THAT(facts.errors[0].reason, HasSubstr("~/.config/goa-1.0/accounts.conf"));
  EXPECT_EQ(facts.errors[1].probe, "linux.wine");
  for (const auto& error : facts.errors) EXPECT_THAT(error.reason, Not(HasSubstr("jdoe")));
}

TEST(LinuxUserConfigProbeTest, GoaConsumerAndMultiTenantEndpoints) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  host.Write("etc/passwd", "jdoe:x:1000:1000::/home/jdoe:/bin/bash\n");
  host.Write("home/jdoe/.config/goa-1.0/accounts.conf",
             "[Account a]\nProvider=ms_graph\nIdentity=j@example.gouv.fr\n"
             "OAuth2AuthorizationUri=https://login.microsoftonline.com/common/oauth2/v2.0/"
             "authorize\nMailEnabled=false\nCalendarEnabled=false\nContactsEnabled=false\n"
             "FilesEnabled=false\n"
             "[Account b]\nProvider=windows_live\nIdentity=j@hotmail.com\nMailEnabled=false\n"
             "[Account c]\nProvider=exchange\nIdentity=j\nHost=outlook.office365.com\n");
  ScanFacts facts;
  ASSERT_TRUE(RunOn(host.path().string(), facts).ok());
  EXPECT_THAT(facts.errors, IsEmpty());
  ASSERT_EQ(facts.evidence.size(), 3u);
  // "common" names no tenant: the account's domain does.
  EXPECT_EQ(facts.evidence[0].service, ServiceCategory::kCloudIdentity);
  EXPECT_EQ(facts.evidence[0].tenant, "example.gouv.fr");
  EXPECT_EQ(facts.evidence[1].tenant, "9188040d-6c67-4c5b-b112-36a304b66dad");
  // An identity that is no address gives no tenant rather than a user name.
  EXPECT_EQ(facts.evidence[2].service, ServiceCategory::kMail);
  EXPECT_EQ(facts.evidence[2].tenant, "");
}

TEST(LinuxUserConfigProbeTest, EvolutionGraphBackendOffice365AuthAndDisabledSources) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  host.Write("etc/passwd", "jdoe:x:1000:1000::/home/jdoe:/bin/bash\n");
  const std::string sources = "home/jdoe/.config/evolution/sources/";
  host.Write(sources + "a.source",
             "[Data Source]\nEnabled=true\n[Collection]\nBackendName=microsoft365\n"
             "[Microsoft365 Backend]\nEmail=j@Example.GOUV.fr\n");
  // Office365 OAuth through a custom host name: still Exchange Online.
  host.Write(sources + "b.source",
             "[Data Source]\nEnabled=true\n[Authentication]\nMethod=Office365\n"
             "[Ews Backend]\nHosturl=https://mail.example.org/EWS/Exchange.asmx\n"
             "OverrideOauth2=true\nOauth2Tenant=0A1B2C3D-0000-4000-8000-000000000001\n");
  host.Write(sources + "c.source",
             "[Data Source]\nEnabled=false\n[Ews Backend]\n"
             "Hosturl=https://outlook.office365.com/EWS/Exchange.asmx\nEmail=j@other.fr\n");
  host.Write(sources + "not-a-source.txt",
             "[Ews Backend]\nHosturl=https://outlook.office365.com\n");
  ScanFacts facts;
  ASSERT_TRUE(RunOn(host.path().string(), facts).ok());
  EXPECT_THAT(facts.errors, IsEmpty());
  ASSERT_EQ(facts.evidence.size(), 2u);
  EXPECT_EQ(facts.evidence[0].tenant, "example.gouv.fr");
  EXPECT_EQ(facts.evidence[1].tenant, "0a1b2c3d-0000-4000-8000-000000000001");
  for (const auto& evidence : facts.evidence) {
    EXPECT_EQ(evidence.service, ServiceCategory::kMail);
    EXPECT_EQ(evidence.source, "linux.evolution");
  }
}

TEST(LinuxUserConfigProbeTest, ThunderbirdEwsAccountsInTheFlatpakProfile) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  host.Write("etc/passwd", "jdoe:x:1000:1000::/home/jdoe:/bin/bash\n");
  const std::string root = "home/jdoe/.var/app/org.mozilla.Thunderbird/.thunderbird/";
  host.Write(root + "profiles.ini",
             "[Profile0]\nPath=abc.default\nIsRelative=1\n"
             "[Profile1]\nPath=/home/jdoe/elsewhere\nIsRelative=0\n");
  host.Write(root + "abc.default/prefs.js",
             "user_pref(\"mail.server.server4.ews_url\", "
             "\"https://outlook.office365.com/EWS/Exchange.asmx\");\n"
             "user_pref(\"mail.server.server4.userName\", \"j@example.gouv.fr\");\n"
             "user_pref(\"mail.server.server5.hostname\", \"imap.example.gouv.fr\");\n"
             "user_pref(\"mail.server.server5.type\", \"imap\");\n");
  host.Write("home/jdoe/elsewhere/prefs.js",
             "user_pref(\"mail.server.server1.hostname\", \"outlook.office365.com\");\n"
             "user_pref(\"mail.server.server1.type\", \"ews\");\n");
  ScanFacts facts;
  ASSERT_TRUE(RunOn(host.path().string(), facts).ok());
  EXPECT_THAT(facts.errors, IsEmpty());
  ASSERT_EQ(facts.evidence.size(), 2u);
  // Profiles in profiles.ini order; the absolute one is inside the home, so it is read too. An
  // account without a login address is still Exchange Online use, tenant unknown.
  EXPECT_EQ(facts.evidence[0].tenant, "example.gouv.fr");
  EXPECT_EQ(facts.evidence[1].tenant, "");
}

TEST(LinuxUserConfigProbeTest, NextcloudOnlyForStateServices) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  host.Write("etc/passwd", "jdoe:x:1000:1000::/home/jdoe:/bin/bash\n");
  host.Write(
      "home/jdoe/.var/app/com.nextcloud.desktopclient.nextcloud/config/Nextcloud/"
      "nextcloud.cfg",
      "[Accounts]\n0\\url=https://user:pw@Fichiers.Numerique.GOUV.fr:8443/nc\n"
      "1\\url=https://nextcloud.example.com\n2\\url=https://gouv.fr.example.com\n");
  ScanFacts facts;
  ASSERT_TRUE(RunOn(host.path().string(), facts).ok());
  ASSERT_EQ(facts.evidence.size(), 1u);
  EXPECT_EQ(facts.evidence[0].tenant, "numerique.gouv.fr");
  EXPECT_TRUE(facts.evidence[0].sovereign_alternative);
  EXPECT_EQ(facts.evidence[0].service, ServiceCategory::kUnspecified);
}

// Homes are full of dangling symlinks (uninstalled programs, unmounted disks): they must not hide
// the user's signals, nor pass the home for absent.
TEST(LinuxUserConfigProbeTest, DanglingAndLoopingSymlinksInAHomeHideNothing) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  host.Write("etc/passwd", "jdoe:x:1000:1000::/home/jdoe:/bin/bash\n");
  host.Write("home/jdoe/.config/goa-1.0/accounts.conf",
             "[Account a]\nProvider=ms_graph\nIdentity=j@example.gouv.fr\n");
  std::filesystem::create_symlink("/media/usb/missing", host / "home/jdoe/.steampath");
  std::filesystem::create_symlink(".loop", host / "home/jdoe/.loop");
  ScanFacts facts;
  ASSERT_TRUE(RunOn(host.path().string(), facts).ok());
  EXPECT_THAT(facts.errors, IsEmpty());
  EXPECT_THAT(facts.evidence, Not(IsEmpty()));
}

TEST(LinuxUserConfigProbeTest, ADamagedUserRegCostsTheAccountsOnlyNotTheInstall) {
  const testing::TempDir host;
  MakeLinuxHost(host);
  host.Write("etc/passwd", "jdoe:x:1000:1000::/home/jdoe:/bin/bash\n");
  std::filesystem::create_directories(host / "home/jdoe/wine-office");
  std::filesystem::copy_file(
      testing::FixtureHost("linux-wine-m365") + "/home/pmoreau/.wine/system.reg",
      host / "home/jdoe/wine-office/system.reg");
  host.Write("home/jdoe/wine-office/user.reg",
             "WINE REGISTRY Version 2\n\n[Software\\\\Microsoft] 1\n\"Cut\"=\"abc");
  ScanFacts facts;
  ASSERT_TRUE(RunOn(host.path().string(), facts).ok());
  ASSERT_EQ(facts.errors.size(), 1u);
  EXPECT_EQ(facts.errors[0].probe, "linux.wine");
  EXPECT_THAT(facts.errors[0].reason, HasSubstr("~/wine-office/user.reg"));
  EXPECT_THAT(facts.errors[0].reason, HasSubstr("accounts of this prefix are unknown"));
  ASSERT_EQ(facts.office_installs.size(), 1u);
  EXPECT_EQ(facts.office_installs[0].technology, "ClickToRun (Wine)");
  EXPECT_EQ(facts.office_installs[0].license_model, LicenseModel::kSubscription);
}

}  // namespace
}  // namespace vigie::agent
