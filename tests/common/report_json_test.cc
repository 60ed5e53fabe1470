#include "common/report_json.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/wire.h"

namespace vigie {
namespace {

InventoryReport FullReport() {
  InventoryReport report;
  report.report_id = "5b0d7c1e-8f1a-4a57-9c53-2f1d8e6b0a11";
  report.agent_version = "0.1.0";
  report.host = {"0123abcd",       "pc-042",     OsFamily::kWindows,
                 "Windows 11 Pro", "10.0.22631", "x86_64"};
  report.ministry = "MEFSIN";
  report.scan_started = Timestamp{std::chrono::seconds{1763892000}};
  report.scan_finished = Timestamp{std::chrono::seconds{1763892003}};
  report.office_installs.push_back({"O365ProPlusRetail", "16.0.17928.20114",
                                    LicenseModel::kSubscription, "ClickToRun", "MonthlyEnterprise",
                                    "x64", true});
  report.office_installs.push_back({"ProPlus2021Volume", "16.0.14332.20763",
                                    LicenseModel::kPerpetual, "ClickToRun", "", "", false});
  Evidence onedrive;
  onedrive.product = "onedrive";
  onedrive.service = ServiceCategory::kPersonalDrive;
  onedrive.kind = EvidenceKind::kConfigured;
  onedrive.tenant = "ministere.onmicrosoft.com";
  onedrive.source = "windows.onedrive";
  onedrive.user_pseudonym = "u-1f2e";
  onedrive.count = 3;
  onedrive.last_seen = Timestamp{std::chrono::seconds{1763856000}};
  report.evidence.push_back(onedrive);
  Evidence libreoffice;
  libreoffice.product = "libreoffice";
  libreoffice.kind = EvidenceKind::kInstalled;
  libreoffice.version = "7.4.7";
  libreoffice.sovereign_alternative = true;
  report.evidence.push_back(libreoffice);
  report.probe_errors.push_back({"windows.teams", "cannot read C:\\Users\\x: access denied"});
  report.verdict = {VerdictStatus::kNonCompliant, {"Service « Espace » — raison é"}};
  return report;
}

std::string ProtobufJson(const InventoryReport& report) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(ToProto(report), &json, options).ok());
  return json;
}

// The hand-written JSON must be exactly what protobuf's JSON mapping prints, so that the scan
// output is the same whether or not a build has protobuf (the Windows cross build has not).
TEST(ReportJsonTest, MatchesProtobufJsonMapping) {
  for (const InventoryReport& report : {FullReport(), InventoryReport{}}) {
    EXPECT_EQ(nlohmann::json::parse(ReportToJson(report, false)),
              nlohmann::json::parse(ProtobufJson(report)));
  }
}

TEST(ReportJsonTest, ParsesBackIntoTheProto) {
  v1::InventoryReport message;
  google::protobuf::util::JsonParseOptions strict;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReportToJson(FullReport(), true),
                                                          &message, strict)
                  .ok());
  EXPECT_EQ(FromProto(message), FullReport());
}

TEST(ReportJsonTest, UsesContractNames) {
  const auto json = nlohmann::json::parse(ReportToJson(FullReport(), false));
  EXPECT_EQ(json["officeInstalls"][0]["licenseModel"], "SUBSCRIPTION");
  EXPECT_EQ(json["evidence"][0]["service"], "PERSONAL_DRIVE");
  EXPECT_EQ(json["evidence"][0]["kind"], "CONFIGURED");
  EXPECT_EQ(json["evidence"][0]["lastSeen"], "2025-11-23T00:00:00Z");
  EXPECT_EQ(json["verdict"]["status"], "NON_COMPLIANT");
  EXPECT_EQ(json["probeErrors"][0]["probe"], "windows.teams");
}

TEST(ReportJsonTest, InvalidUtf8IsReplacedNotThrown) {
  InventoryReport report;
  report.host.hostname = "pc-\xff\xfe";
  const std::string json = ReportToJson(report, false);
  EXPECT_NE(json.find("pc-"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::accept(json));
}

TEST(ReportJsonTest, FormatsTimestamps) {
  EXPECT_EQ(FormatTimestamp(Timestamp{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(Timestamp{std::chrono::seconds{951782400}}), "2000-02-29T00:00:00Z");
}

}  // namespace
}  // namespace vigie
