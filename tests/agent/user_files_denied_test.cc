// Per-user files a probe may not read (a profile whose permissions exclude the agent): one error
// naming the user by pseudonym, never by name, and the other users are still read. The tests run
// as root, which reads everything, so a view refuses the paths instead.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/fixture_hosts.h"
#include "agent/posix_system_view.h"
#include "agent/probes/macos_outlook_probe.h"
#include "agent/probes/windows_probes.h"

namespace vigie::agent {
namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

const UserPseudonyms kPseudonyms("key");

// A fixture host whose files below any path containing `denied` cannot be read.
class DenyingView : public SystemView {
 public:
  DenyingView(PosixSystemView inner, std::string denied)
      : inner_(std::move(inner)), denied_(std::move(denied)) {}

  const MachineFacts& machine() const override { return inner_.machine(); }
  Result<std::string> ReadFile(std::string_view path, std::size_t max_bytes) const override {
    if (Denied(path)) return PermissionDenied(std::string(path) + ": Permission denied");
    return inner_.ReadFile(path, max_bytes);
  }
  Result<std::vector<DirectoryEntry>> ListDirectory(std::string_view path) const override {
    if (Denied(path)) return PermissionDenied(std::string(path) + ": Permission denied");
    return inner_.ListDirectory(path);
  }
  Result<std::vector<std::string>> ListRegistrySubkeys(std::string_view key) const override {
    return inner_.ListRegistrySubkeys(key);
  }
  Result<registry::Value> ReadRegistryValue(std::string_view key,
                                            std::string_view name) const override {
    return inner_.ReadRegistryValue(key, name);
  }
  Result<std::unique_ptr<UserHive>> OpenUserHive(std::string_view sid,
                                                 std::string_view profile_path) const override {
    return inner_.OpenUserHive(sid, profile_path);
  }

 private:
  bool Denied(std::string_view path) const { return path.find(denied_) != std::string_view::npos; }

  PosixSystemView inner_;
  std::string denied_;
};

DenyingView Fixture(const std::string& name, std::string denied) {
  auto view = PosixSystemView::ForRoot(testing::FixtureHost(name));
  EXPECT_TRUE(view.ok()) << view.status().ToString();
  return DenyingView(std::move(view).value(), std::move(denied));
}

TEST(UserFilesDeniedTest, TeamsOfOneUserIsOneErrorAndTheOthersAreRead) {
  const auto view = Fixture("windows-teams-classic", "lea.martin");
  ScanFacts facts;
  ASSERT_TRUE(WindowsTeamsProbe(kPseudonyms).Run(view, facts).ok());
  ASSERT_THAT(facts.errors, SizeIs(2)) << "the classic install folder and the package folder";
  for (const auto& error : facts.errors) {
    EXPECT_EQ(error.probe, "windows.teams");
    EXPECT_THAT(error.reason, HasSubstr("%USERPROFILE%"));
    EXPECT_THAT(error.reason, Not(HasSubstr("lea.martin")));
  }
  EXPECT_THAT(facts.evidence, Contains(Field(&Evidence::kind, EvidenceKind::kSignedIn)));
}

TEST(UserFilesDeniedTest, UnreadableAutodiscoverCacheIsAnErrorNotAVerdict) {
  const auto view = Fixture("windows-outlook-on-premises", "Outlook\\16");
  ScanFacts facts;
  ASSERT_TRUE(WindowsOutlookProbe(kPseudonyms).Run(view, facts).ok());
  ASSERT_THAT(facts.errors, SizeIs(1));
  EXPECT_THAT(facts.errors[0].reason, HasSubstr("Permission denied"));
  EXPECT_THAT(facts.errors[0].reason, Not(HasSubstr("antoine")));
}

TEST(UserFilesDeniedTest, UnreadableLicenceFilesAreAnError) {
  const auto view =
      Fixture("windows-outlook-exchange-online", "paul.renaud\\AppData\\Local\\Microsoft\\Office");
  ScanFacts facts;
  ASSERT_TRUE(WindowsOfficeLicensingProbe(kPseudonyms).Run(view, facts).ok());
  ASSERT_THAT(facts.errors, SizeIs(1));
  EXPECT_THAT(facts.errors[0].reason, Not(HasSubstr("paul.renaud")));
}

TEST(UserFilesDeniedTest, UnreadableOutlookProfilesOnAMacAreAnError) {
  const auto view = Fixture("macos-outlook-profile", "Outlook 15 Profiles");
  ScanFacts facts;
  ASSERT_TRUE(MacosOutlookProbe(kPseudonyms).Run(view, facts).ok());
  ASSERT_THAT(facts.errors, SizeIs(1));
  EXPECT_THAT(facts.errors[0].reason, HasSubstr("~/Library"));
  EXPECT_THAT(facts.errors[0].reason, Not(HasSubstr("claire.dubois")));
  EXPECT_TRUE(facts.evidence.empty());
}

}  // namespace
}  // namespace vigie::agent
