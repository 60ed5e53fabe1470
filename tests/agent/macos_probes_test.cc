// The macOS probes and host identity on small hosts written by the tests; the fixture hosts
// (tests/fixtures/hosts/macos-*) cover whole machines.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "agent/host_identity.h"
#include "agent/posix_system_view.h"
#include "agent/probes/macos_office_probe.h"
#include "agent/probes/macos_onedrive_probe.h"
#include "agent/probes/macos_teams_probe.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

const UserPseudonyms kPseudonyms("macos-test-key");

std::string Plist(const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n" + body +
         "</dict>\n</plist>\n";
}

std::string AppInfo(const std::string& identifier, const std::string& version) {
  return Plist("<key>CFBundleIdentifier</key><string>" + identifier +
               "</string>\n<key>CFBundleShortVersionString</key><string>" + version +
               "</string>\n");
}

class MacosProbeTest : public ::testing::Test {
 protected:
  void SetUp() override { root_.Write("host.toml", "os = \"macos\"\nhostname = \"mac-test\"\n"); }

  template <typename ProbeType>
  ScanFacts Run() const {
    auto view = PosixSystemView::ForRoot(root_.path().string());
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    ScanFacts facts;
    const Status status = ProbeType(kPseudonyms).Run(*view, facts);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return facts;
  }

  testing::TempDir root_;
};

constexpr char kWord[] = "Applications/Microsoft Word.app/Contents/Info.plist";
constexpr char kOfficeContainer[] = "Users/alice/Library/Group Containers/UBF8T346G9.Office/";

TEST_F(MacosProbeTest, SubscriptionWinsOverAVolumeLicence) {
  root_.Write(kWord, AppInfo("com.microsoft.Word", "16.90"));
  root_.Write("Library/Preferences/com.microsoft.office.licensingV2.plist", "encrypted");
  root_.Write(std::string(kOfficeContainer) + "Licenses/5/licence", "x");
  root_.Write("Users/bob/Library/Preferences/other.plist", Plist(""));

  const ScanFacts facts = Run<MacosOfficeProbe>();
  EXPECT_THAT(facts.errors, IsEmpty());
  ASSERT_EQ(facts.office_installs.size(), 1u);
  EXPECT_EQ(facts.office_installs[0].license_model, LicenseModel::kSubscription);
  ASSERT_EQ(facts.evidence.size(), 1u);
  EXPECT_EQ(facts.evidence[0].service, ServiceCategory::kCloudLicensing);
  EXPECT_EQ(facts.evidence[0].user_pseudonym, kPseudonyms.Of("alice"));
}

TEST_F(MacosProbeTest, RetailActivationIsPerpetual) {
  root_.Write(kWord, AppInfo("com.microsoft.Word", "16.78"));
  root_.Write(std::string(kOfficeContainer) +
                  "com.microsoft.e0E2OUQxNUY1LTAxOUQtNDQwNS04QkJELTAxQTI5M0JBOTk4O.plist",
              "x");
  const ScanFacts facts = Run<MacosOfficeProbe>();
  ASSERT_EQ(facts.office_installs.size(), 1u);
  EXPECT_EQ(facts.office_installs[0].license_model, LicenseModel::kPerpetual);
  EXPECT_THAT(facts.evidence, IsEmpty());
}

TEST_F(MacosProbeTest, OfficeWithoutLicenceIsUnspecifiedAndLicencesWithoutOfficeAreIgnored) {
  root_.Write(kWord, AppInfo("com.microsoft.Word", "16.90"));
  EXPECT_EQ(Run<MacosOfficeProbe>().office_installs[0].license_model, LicenseModel::kUnspecified);

  testing::TempDir other;
  other.Write("host.toml", "os = \"macos\"\nhostname = \"mac-test\"\n");
  other.Write(std::string(kOfficeContainer) + "com.microsoft.Office365V2.plist", Plist(""));
  auto view = PosixSystemView::ForRoot(other.path().string());
  ASSERT_TRUE(view.ok());
  ScanFacts facts;
  ASSERT_TRUE(MacosOfficeProbe(kPseudonyms).Run(*view, facts).ok());
  EXPECT_THAT(facts.office_installs, IsEmpty());
  EXPECT_THAT(facts.evidence, IsEmpty());
}

constexpr char kOfficePreferences[] = "/Library/Preferences/com.microsoft.office.plist";

TEST_F(MacosProbeTest, OfficeIdentityGivesTheTenantOrTheActivationDomainPerUser) {
  root_.Write(kWord, AppInfo("com.microsoft.Word", "16.90"));
  root_.Write(std::string("Users/alice") + kOfficePreferences,
              Plist("<key>TenantIDKey</key><string> 3F2504E0-4F89-11D3-9A0C-0305E82C3301 "
                    "</string>\n<key>OfficeActivationEmailAddress</key>"
                    "<string>alice@interieur.gouv.fr</string>\n"));
  root_.Write(std::string("Users/bob") + kOfficePreferences,
              Plist("<key>OfficeActivationEmailAddress</key><string>Bob.Martin@Culture.gouv.fr"
                    "</string>\n"));
  root_.Write(std::string("Users/carol") + kOfficePreferences, Plist("<key>Other</key><true/>\n"));

  const ScanFacts facts = Run<MacosOfficeProbe>();
  EXPECT_THAT(facts.errors, IsEmpty());
  EXPECT_THAT(facts.evidence,
              ElementsAre(AllOf(Field(&Evidence::product, "Office for Mac"),
                                Field(&Evidence::service, ServiceCategory::kCloudIdentity),
                                Field(&Evidence::kind, EvidenceKind::kSignedIn),
                                Field(&Evidence::tenant, "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
                                Field(&Evidence::user_pseudonym, kPseudonyms.Of("alice"))),
                          AllOf(Field(&Evidence::service, ServiceCategory::kCloudIdentity),
                                Field(&Evidence::kind, EvidenceKind::kConfigured),
                                Field(&Evidence::tenant, "culture.gouv.fr"),
                                Field(&Evidence::user_pseudonym, kPseudonyms.Of("bob")))));
}

TEST_F(MacosProbeTest, MalformedOfficeIdentitiesAreErrorsWithoutTheValues) {
  root_.Write(kWord, AppInfo("com.microsoft.Word", "16.90"));
  root_.Write(std::string("Users/alice") + kOfficePreferences,
              Plist("<key>TenantIDKey</key><string>alice@interieur.gouv.fr</string>\n"
                    "<key>OfficeActivationEmailAddress</key><string>alice@interieur.gouv.fr"
                    "</string>\n"));
  root_.Write(std::string("Users/bob") + kOfficePreferences,
              Plist("<key>TenantIDKey</key><integer>7</integer>\n"
                    "<key>OfficeActivationEmailAddress</key><string>bob</string>\n"));
  root_.Write(std::string("Users/carol") + kOfficePreferences, "bplist00 truncated");

  const ScanFacts facts = Run<MacosOfficeProbe>();
  const std::string file = "~" + std::string(kOfficePreferences);
  EXPECT_THAT(
      facts.errors,
      ElementsAre(Field(&ProbeError::reason, file + ": TenantIDKey is not a tenant id (user " +
                                                 kPseudonyms.Of("alice") + ")"),
                  Field(&ProbeError::reason, file + ": TenantIDKey is not a tenant id (user " +
                                                 kPseudonyms.Of("bob") + ")"),
                  Field(&ProbeError::reason, file +
                                                 ": OfficeActivationEmailAddress is not an e-mail "
                                                 "address (user " +
                                                 kPseudonyms.Of("bob") + ")"),
                  Field(&ProbeError::reason, file + ": damaged binary property list (user " +
                                                 kPseudonyms.Of("carol") + ")")));
  EXPECT_THAT(facts.evidence, ElementsAre(AllOf(Field(&Evidence::kind, EvidenceKind::kConfigured),
                                                Field(&Evidence::tenant, "interieur.gouv.fr"))));
  EXPECT_EQ(facts.office_installs.size(), 1u);
}

constexpr char kOneDrivePreferences[] =
    "Users/alice/Library/Preferences/com.microsoft.OneDrive.plist";

TEST_F(MacosProbeTest, OneDriveBusinessTenantFallsBackToTheSharePointName) {
  root_.Write(kOneDrivePreferences,
              Plist("<key>Business1</key><dict>"
                    "<key>ConfiguredTenantId</key><string>alice@contoso.fr</string>"
                    "<key>SPOResourceId</key><string>https://contoso-my.sharepoint.com/</string>"
                    "</dict>\n<key>Business2</key><dict/>\n<key>Personal</key><string>x</string>\n"
                    "<key>BusinessX</key><dict><key>a</key><string>b</string></dict>\n"));
  const ScanFacts facts = Run<MacosOneDriveProbe>();
  EXPECT_THAT(facts.errors, IsEmpty());
  EXPECT_THAT(facts.evidence,
              ElementsAre(AllOf(Field(&Evidence::kind, EvidenceKind::kSignedIn),
                                Field(&Evidence::tenant, "contoso.sharepoint.com"),
                                Field(&Evidence::user_pseudonym, kPseudonyms.Of("alice")))));
}

TEST_F(MacosProbeTest, OneAccountInTwoEditionsIsCountedOnce) {
  const std::string personal =
      Plist("<key>Personal</key><dict><key>UserCID</key><string>1</string></dict>\n");
  root_.Write(kOneDrivePreferences, personal);
  root_.Write(
      "Users/alice/Library/Containers/com.microsoft.OneDrive-mac/Data/Library/Preferences/"
      "com.microsoft.OneDrive-mac.plist",
      personal);
  const ScanFacts facts = Run<MacosOneDriveProbe>();
  EXPECT_THAT(facts.evidence,
              ElementsAre(Field(&Evidence::tenant, "9188040d-6c67-4c5b-b112-36a304b66dad")));
}

constexpr char kTeamsConfiguration[] =
    "Users/alice/Library/Application Support/Microsoft/Teams/desktop-config.json";

TEST_F(MacosProbeTest, TeamsAppsAreToldApartByBundleId) {
  root_.Write("Applications/Microsoft Teams (work or school).app/Contents/Info.plist",
              AppInfo("com.microsoft.teams2", "23285.3604.2469.4152"));
  root_.Write("Applications/Microsoft Teams.app/Contents/Info.plist",
              AppInfo("com.microsoft.teams", "1.6.00.4472"));
  const ScanFacts facts = Run<MacosTeamsProbe>();
  EXPECT_THAT(facts.evidence,
              ElementsAre(AllOf(Field(&Evidence::product, "Microsoft Teams classic"),
                                Field(&Evidence::version, "1.6.00.4472")),
                          AllOf(Field(&Evidence::product, "Microsoft Teams"),
                                Field(&Evidence::version, "23285.3604.2469.4152"))));
}

TEST_F(MacosProbeTest, ClassicTeamsLoggedOutOrWithoutATenantIdIsNotSignedIn) {
  root_.Write(kTeamsConfiguration,
              R"({"userTid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "isLoggedOut": true})");
  root_.Write("Users/bob/Library/Application Support/Microsoft/Teams/desktop-config.json",
              R"({"userTid": "bob@contoso.fr"})");
  const ScanFacts facts = Run<MacosTeamsProbe>();
  EXPECT_THAT(facts.errors, IsEmpty());
  EXPECT_THAT(facts.evidence, IsEmpty());
}

TEST_F(MacosProbeTest, DamagedApplicationBundlesAreErrorsAndTheRestIsRead) {
  root_.Write("Applications/OneDrive.app/Contents/Info.plist", "bplist00 truncated");
  root_.Write("Applications/Microsoft Teams.app/Contents/Info.plist", "<plist><dict><key>");
  root_.Write(kOneDrivePreferences,
              Plist("<key>Personal</key><dict><key>UserCID</key><string>1</string></dict>\n"));
  const ScanFacts onedrive = Run<MacosOneDriveProbe>();
  EXPECT_THAT(onedrive.errors,
              ElementsAre(Field(&ProbeError::reason,
                                "/Applications/OneDrive.app/Contents/Info.plist: damaged binary "
                                "property list")));
  EXPECT_THAT(onedrive.evidence, ElementsAre(Field(&Evidence::kind, EvidenceKind::kSignedIn)));

  const ScanFacts teams = Run<MacosTeamsProbe>();
  EXPECT_THAT(teams.errors, ElementsAre(Field(&ProbeError::reason,
                                              "/Applications/Microsoft Teams.app/Contents/"
                                              "Info.plist: damaged XML property list")));
  EXPECT_THAT(teams.evidence, IsEmpty());
}

TEST_F(MacosProbeTest, HostIdentityComesFromSystemVersion) {
  root_.Write("System/Library/CoreServices/SystemVersion.plist",
              Plist("<key>ProductName</key><string>Mac OS X</string>\n"
                    "<key>ProductVersion</key><string>10.15.7</string>\n"));
  auto view = PosixSystemView::ForRoot(root_.path().string());
  ASSERT_TRUE(view.ok());
  auto host = IdentifyHost(*view);
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->os_name, "Mac OS X 10.15.7");
  EXPECT_EQ(host->os_version, "10.15.7");
  EXPECT_FALSE(host->host_id.empty());

  root_.Write("System/Library/CoreServices/SystemVersion.plist", "damaged");
  host = IdentifyHost(*view);
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->os_name, "macOS");
  EXPECT_EQ(host->os_version, "");
}

}  // namespace
}  // namespace vigie::agent
