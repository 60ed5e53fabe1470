#include "agent/probes/windows_users.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/fixture_hosts.h"
#include "agent/posix_system_view.h"
#include "common/catalogue.h"

namespace vigie::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const UserPseudonyms kPseudonyms("key");

PosixSystemView Fixture(const std::string& name) {
  auto view = PosixSystemView::ForRoot(testing::FixtureHost(name));
  EXPECT_TRUE(view.ok()) << view.status().ToString();
  return std::move(view).value();
}

TEST(ListWindowsUsersTest, KeepsPeopleAndSkipsServiceAccounts) {
  const auto view = Fixture("windows-two-users");
  ScanFacts facts;
  auto users = ListWindowsUsers(view, kPseudonyms, "test", facts);
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  EXPECT_THAT(*users, ElementsAre(Field(&WindowsUser::profile_path, "C:\\Users\\anne.lambert"),
                                  Field(&WindowsUser::profile_path, "C:\\Users\\paul.fontaine"),
                                  Field(&WindowsUser::profile_path, "C:\\Users\\invite")));
  EXPECT_EQ((*users)[0].pseudonym, kPseudonyms.Of((*users)[0].sid));
  EXPECT_THAT(facts.errors, IsEmpty());
}

TEST(ListWindowsUsersTest, AHostWithoutProfilesHasNoUsers) {
  const auto view = Fixture("windows-m365-apps");
  ScanFacts facts;
  auto users = ListWindowsUsers(view, kPseudonyms, "test", facts);
  ASSERT_TRUE(users.ok());
  EXPECT_THAT(*users, IsEmpty());
}

TEST(ForEachUserHiveTest, ReadsLoadedAndOfflineHivesAndSkipsProfilesWithoutOne) {
  const auto view = Fixture("windows-two-users");
  ScanFacts facts;
  std::vector<std::string> read;
  auto status = ForEachUserHive(
      view, kPseudonyms, "test", facts, [&](const WindowsUser& user, const UserHive& hive) {
        auto accounts = hive.ListSubkeys("Software\\Microsoft\\OneDrive\\Accounts");
        EXPECT_TRUE(accounts.ok()) << accounts.status().ToString();
        read.push_back(user.profile_path);
        return Status::Ok();
      });
  ASSERT_TRUE(status.ok());
  EXPECT_THAT(read, ElementsAre("C:\\Users\\anne.lambert", "C:\\Users\\paul.fontaine"));
  EXPECT_THAT(facts.errors, IsEmpty());
}

TEST(ForEachUserHiveTest, ADamagedHiveIsOneErrorWithoutTheUserName) {
  const auto view = Fixture("windows-truncated-ntuser");
  ScanFacts facts;
  int read = 0;
  auto status =
      ForEachUserHive(view, kPseudonyms, "probe", facts, [&](const WindowsUser&, const UserHive&) {
        ++read;
        return Status::Ok();
      });
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(read, 1);
  ASSERT_EQ(facts.errors.size(), 1u);
  EXPECT_EQ(facts.errors[0].probe, "probe");
  EXPECT_THAT(facts.errors[0].reason, HasSubstr("%USERPROFILE%\\NTUSER.DAT"));
  EXPECT_THAT(facts.errors[0].reason, Not(HasSubstr("camille")));
  EXPECT_THAT(facts.errors[0].reason, Not(HasSubstr("S-1-5-21")));
}

TEST(ForEachUserHiveTest, AReaderFailureIsOneErrorAndTheNextUserIsRead) {
  const auto view = Fixture("windows-two-users");
  ScanFacts facts;
  int read = 0;
  auto status = ForEachUserHive(
      view, kPseudonyms, "probe", facts, [&](const WindowsUser& user, const UserHive&) {
        ++read;
        return DataLoss("broken key of " + user.sid + " in " + user.profile_path);
      });
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(read, 2);
  ASSERT_EQ(facts.errors.size(), 2u);
  EXPECT_THAT(facts.errors[0].reason, Not(HasSubstr("anne")));
  EXPECT_THAT(facts.errors[0].reason, HasSubstr("%USERPROFILE%"));
}

TEST(CloudDocumentLocationTest, SharePointAndOneDrive) {
  auto team =
      CloudDocumentLocationOf("https://Contoso.sharepoint.com/sites/X/Shared Documents/a.docx");
  ASSERT_TRUE(team);
  EXPECT_EQ(team->service, ServiceCategory::kDocuments);
  EXPECT_EQ(team->tenant, "contoso.sharepoint.com");
  auto mine = CloudDocumentLocationOf("https://contoso-my.sharepoint.com/personal/u/Documents/");
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->service, ServiceCategory::kPersonalDrive);
  EXPECT_EQ(mine->tenant, "contoso.sharepoint.com");
  auto personal =
      CloudDocumentLocationOf("https://d.docs.live.net/d4e5f6a7b8c9d0e1/Documents/x.xlsx");
  ASSERT_TRUE(personal);
  EXPECT_EQ(personal->service, ServiceCategory::kPersonalDrive);
  EXPECT_EQ(personal->tenant, kConsumerTenantId);
}

TEST(CloudDocumentLocationTest, IgnoresEverythingElse) {
  for (const char* url :
       {"C:\\Users\\a\\Documents\\x.docx", "\\\\srv\\partage\\x.docx",
        "https://intranet.interieur.gouv.fr/x", "https://evil.sharepoint.com.example.fr/x",
        "ftp://contoso.sharepoint.com/"}) {
    EXPECT_FALSE(CloudDocumentLocationOf(url)) << url;
  }
}

}  // namespace
}  // namespace vigie::agent
