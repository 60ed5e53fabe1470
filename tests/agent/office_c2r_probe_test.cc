#include "agent/probes/office_c2r_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "agent/posix_system_view.h"
#include "common/catalogue.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kNative[] =
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration";
constexpr char kWow64[] =
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Office\\ClickToRun\\Configuration";
constexpr char kCurrentUrl[] =
    "http://officecdn.microsoft.com/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60";
constexpr char kMonthlyEnterpriseUrl[] =
    "http://officecdn.microsoft.com/pr/55336b82-a18d-4dd6-b5f6-9e5095c314a6";

TEST(OfficeLicenseModelTest, SubscriptionIds) {
  for (const char* id : {"O365ProPlusRetail", "O365ProPlusEEANoTeamsRetail", "O365BusinessRetail",
                         "O365HomePremRetail", "Microsoft365AppsRetail", "o365proplusretail"}) {
    EXPECT_EQ(OfficeLicenseModel(id), LicenseModel::kSubscription) << id;
  }
}

TEST(OfficeLicenseModelTest, PerpetualIds) {
  for (const char* id :
       {"ProPlus2021Volume", "Standard2024Volume", "HomeBusiness2019Retail", "VisioPro2021Volume",
        "ProPlusSPLA2021Volume", "ProjectPro2024Retail", "ProPlus2016Retail",
        // The 2016 generation's volume ids have no year.
        "ProPlusVolume", "VisioProVolume"}) {
    EXPECT_EQ(OfficeLicenseModel(id), LicenseModel::kPerpetual) << id;
  }
}

TEST(OfficeLicenseModelTest, IdsThatDoNotTellAreNotGuessed) {
  // VisioProRetail and ProjectProRetail also name the Visio and Project subscription plans.
  for (const char* id : {"VisioProRetail", "ProjectProRetail", "ProPlusRetail", "LanguagePack",
                         "ProofingTools", "ProPlus2021", "Unknown2021Edition", ""}) {
    EXPECT_EQ(OfficeLicenseModel(id), LicenseModel::kUnspecified) << id;
  }
}

TEST(OfficeChannelNameTest, MapsTheReferenceGuids) {
  EXPECT_EQ(OfficeChannelName("492350f6-3a01-4f97-b9c0-c7c6ddf67d60"), "Current");
  EXPECT_EQ(OfficeChannelName("55336B82-A18D-4DD6-B5F6-9E5095C314A6"), "MonthlyEnterprise");
  EXPECT_EQ(OfficeChannelName("7ffbc6bf-bc32-4f92-8982-f9dd17fd3114"), "SemiAnnual");
  EXPECT_EQ(OfficeChannelName("5440fd1f-7ecb-4221-8110-145efaa6372f"), "BetaChannel");
  EXPECT_EQ(OfficeChannelName("5030841d-c919-4594-8d2d-84ae4f96e58e"), "PerpetualVL2021");
  EXPECT_EQ(OfficeChannelName("7983bac0-e531-40cf-be00-fd24fe66619c"), "PerpetualVL2024");
  EXPECT_EQ(OfficeChannelName("00000000-0000-0000-0000-000000000000"), "");
}

// A Windows host root whose registry holds the .reg text given to Configure().
class OfficeC2rProbeTest : public ::testing::Test {
 protected:
  void SetUp() override { root_.Write("host.toml", "os = \"windows\"\n"); }

  // `values`: .reg value lines of the key, e.g. "\"Platform\"=\"x64\"".
  void Configure(const std::string& key, const std::vector<std::string>& values,
                 const std::string& file = "office.reg") {
    std::string text = "Windows Registry Editor Version 5.00\r\n\r\n[" + key + "]\r\n";
    for (const auto& line : values) text += line + "\r\n";
    root_.Write("registry/" + file, text);
  }

  Status Run() {
    facts_ = {};
    auto view = PosixSystemView::ForRoot(root_.path());
    if (!view.ok()) return view.status();
    return OfficeC2rProbe().Run(*view, facts_);
  }

  testing::TempDir root_;
  ScanFacts facts_;
};

TEST_F(OfficeC2rProbeTest, SubscriptionInstallWithItsEvidence) {
  Configure(kNative, {"\"ProductReleaseIds\"=\"O365ProPlusRetail\"",
                      "\"VersionToReport\"=\"16.0.17928.20156\"", "\"Platform\"=\"x64\"",
                      std::string("\"UpdateChannel\"=\"") + kMonthlyEnterpriseUrl + "\"",
                      "\"SharedComputerLicensing\"=\"0\""});
  ASSERT_TRUE(Run().ok());
  EXPECT_THAT(facts_.errors, IsEmpty());
  ASSERT_EQ(facts_.office_installs.size(), 1u);
  const OfficeInstall& install = facts_.office_installs[0];
  EXPECT_EQ(install.product_id, "O365ProPlusRetail");
  EXPECT_EQ(install.version, "16.0.17928.20156");
  EXPECT_EQ(install.license_model, LicenseModel::kSubscription);
  EXPECT_EQ(install.technology, "ClickToRun");
  EXPECT_EQ(install.channel, "MonthlyEnterprise");
  EXPECT_EQ(install.platform, "x64");
  EXPECT_FALSE(install.shared_computer_licensing);
  ASSERT_EQ(facts_.evidence.size(), 1u);
  EXPECT_EQ(facts_.evidence[0].product, "O365ProPlusRetail");
  EXPECT_EQ(facts_.evidence[0].service, ServiceCategory::kCloudLicensing);
  EXPECT_EQ(facts_.evidence[0].kind, EvidenceKind::kInstalled);
  EXPECT_EQ(facts_.evidence[0].source, "windows.office_c2r");
}

TEST_F(OfficeC2rProbeTest, PerpetualAndUnknownIdsHaveNoCloudEvidence) {
  Configure(kNative, {"\"ProductReleaseIds\"=\"ProPlus2021Volume, VisioProRetail,,\""});
  ASSERT_TRUE(Run().ok());
  EXPECT_THAT(facts_.errors, IsEmpty());
  ASSERT_EQ(facts_.office_installs.size(), 2u);
  EXPECT_EQ(facts_.office_installs[0].product_id, "ProPlus2021Volume");
  EXPECT_EQ(facts_.office_installs[0].license_model, LicenseModel::kPerpetual);
  EXPECT_EQ(facts_.office_installs[1].product_id, "VisioProRetail");
  EXPECT_EQ(facts_.office_installs[1].license_model, LicenseModel::kUnspecified);
  EXPECT_THAT(facts_.evidence, IsEmpty());
}

TEST_F(OfficeC2rProbeTest, SharedComputerLicensing) {
  Configure(kNative,
            {"\"ProductReleaseIds\"=\"O365ProPlusRetail\"", "\"SharedComputerLicensing\"=\"1\""});
  ASSERT_TRUE(Run().ok());
  ASSERT_EQ(facts_.office_installs.size(), 1u);
  EXPECT_TRUE(facts_.office_installs[0].shared_computer_licensing);
}

TEST_F(OfficeC2rProbeTest, UpdateChannelPrevailsOverCdnBaseUrl) {
  Configure(kNative, {"\"ProductReleaseIds\"=\"O365ProPlusRetail\"",
                      std::string("\"CDNBaseUrl\"=\"") + kCurrentUrl + "\"",
                      std::string("\"UpdateChannel\"=\"") + kMonthlyEnterpriseUrl + "\""});
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(facts_.office_installs.at(0).channel, "MonthlyEnterprise");

  Configure(kNative, {"\"ProductReleaseIds\"=\"O365ProPlusRetail\"",
                      std::string("\"CDNBaseUrl\"=\"") + kCurrentUrl + "/\""});
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(facts_.office_installs.at(0).channel, "Current");
}

TEST_F(OfficeC2rProbeTest, UnknownChannelGuidIsKeptButSharePathsAreNot) {
  Configure(kNative, {"\"ProductReleaseIds\"=\"O365ProPlusRetail\"",
                      "\"CDNBaseUrl\"=\"http://officecdn.microsoft.com/pr/"
                      "ABCDEF00-1111-2222-3333-444455556666\""});
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(facts_.office_installs.at(0).channel, "abcdef00-1111-2222-3333-444455556666");

  // A file share as update source: its path must not leave the workstation.
  Configure(kNative, {"\"ProductReleaseIds\"=\"O365ProPlusRetail\"",
                      "\"UpdateChannel\"=\"\\\\\\\\srv-office\\\\c2r\\\\mensuel\""});
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(facts_.office_installs.at(0).channel, "");
}

TEST_F(OfficeC2rProbeTest, MissingOptionalValuesLeaveFieldsEmpty) {
  Configure(kNative, {"\"ProductReleaseIds\"=\"ProPlus2019Volume\""});
  ASSERT_TRUE(Run().ok());
  EXPECT_THAT(facts_.errors, IsEmpty());
  ASSERT_EQ(facts_.office_installs.size(), 1u);
  EXPECT_EQ(facts_.office_installs[0].version, "");
  EXPECT_EQ(facts_.office_installs[0].channel, "");
  EXPECT_EQ(facts_.office_installs[0].platform, "");
  EXPECT_FALSE(facts_.office_installs[0].shared_computer_licensing);
}

TEST_F(OfficeC2rProbeTest, NoClickToRunKeyIsNoOfficeNotAnError) {
  Configure("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion", {});
  ASSERT_TRUE(Run().ok());
  EXPECT_THAT(facts_.office_installs, IsEmpty());
  EXPECT_THAT(facts_.evidence, IsEmpty());
  EXPECT_THAT(facts_.errors, IsEmpty());
}

TEST_F(OfficeC2rProbeTest, ConfigurationWithoutProductsIsAnError) {
  Configure(kNative, {"\"Platform\"=\"x64\""});
  ASSERT_TRUE(Run().ok());
  EXPECT_THAT(facts_.office_installs, IsEmpty());
  ASSERT_EQ(facts_.errors.size(), 1u);
  EXPECT_EQ(facts_.errors[0].probe, "windows.office_c2r");
  EXPECT_THAT(facts_.errors[0].reason, HasSubstr("lists no ProductReleaseIds"));

  Configure(kNative, {"\"ProductReleaseIds\"=\" , \""});
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(facts_.errors.size(), 1u);
}

TEST_F(OfficeC2rProbeTest, WrongValueTypesAreClearErrors) {
  Configure(kNative, {"\"ProductReleaseIds\"=dword:00000001"});
  ASSERT_TRUE(Run().ok());
  EXPECT_THAT(facts_.office_installs, IsEmpty());
  ASSERT_EQ(facts_.errors.size(), 2u);
  EXPECT_THAT(facts_.errors[0].reason,
              AllOf(HasSubstr("Configuration\\ProductReleaseIds"), HasSubstr("REG_DWORD")));
  EXPECT_THAT(facts_.errors[1].reason, HasSubstr("lists no ProductReleaseIds"));

  // A wrong optional value costs only itself.
  Configure(kNative,
            {"\"ProductReleaseIds\"=\"O365ProPlusRetail\"", "\"VersionToReport\"=hex:31,00,36,00",
             "\"SharedComputerLicensing\"=dword:1"});
  ASSERT_TRUE(Run().ok());
  ASSERT_EQ(facts_.office_installs.size(), 1u);
  EXPECT_EQ(facts_.office_installs[0].version, "");
  EXPECT_EQ(facts_.evidence.size(), 1u);
  ASSERT_EQ(facts_.errors.size(), 2u);
  EXPECT_THAT(facts_.errors[0].reason,
              AllOf(HasSubstr("Configuration\\VersionToReport"), HasSubstr("REG_BINARY")));
  EXPECT_THAT(facts_.errors[1].reason,
              AllOf(HasSubstr("Configuration\\SharedComputerLicensing"), HasSubstr("REG_DWORD")));
}

TEST_F(OfficeC2rProbeTest, ReadsThe32BitViewToo) {
  Configure(kWow64, {"\"ProductReleaseIds\"=\"Standard2024Volume\"", "\"Platform\"=\"x86\""});
  ASSERT_TRUE(Run().ok());
  ASSERT_EQ(facts_.office_installs.size(), 1u);
  EXPECT_EQ(facts_.office_installs[0].product_id, "Standard2024Volume");
  EXPECT_EQ(facts_.office_installs[0].platform, "x86");
}

TEST_F(OfficeC2rProbeTest, AProductInBothViewsIsOneInstall) {
  Configure(kNative, {"\"ProductReleaseIds\"=\"O365ProPlusRetail\""}, "native.reg");
  Configure(kWow64, {"\"ProductReleaseIds\"=\"o365proplusretail,VisioPro2024Volume\""},
            "wow64.reg");
  ASSERT_TRUE(Run().ok());
  EXPECT_THAT(facts_.office_installs,
              ElementsAre(Field(&OfficeInstall::product_id, "O365ProPlusRetail"),
                          Field(&OfficeInstall::product_id, "VisioPro2024Volume")));
  EXPECT_EQ(facts_.evidence.size(), 1u);
}

TEST_F(OfficeC2rProbeTest, UnreadableRegistryFailsTheProbe) {
  root_.Write("registry/broken.reg", "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MA");
  const Status status = Run();
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("registry/broken.reg"));
  EXPECT_THAT(facts_.office_installs, IsEmpty());
}

TEST_F(OfficeC2rProbeTest, WindowsRootWithoutExportsFailsTheProbe) {
  const Status status = Run();
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(facts_.office_installs, IsEmpty());
}

}  // namespace
}  // namespace vigie::agent
