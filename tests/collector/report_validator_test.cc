#include "collector/report_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "collector/test_reports.h"
#include "common/wire.h"

namespace vigie::collector {
namespace {

using ::testing::HasSubstr;

Status Validate(const v1::InventoryReport& report) {
  return ValidateReport(report, MinistryList::BuiltIn(), testing::At(testing::kNowSeconds));
}

TEST(ReportValidatorTest, AcceptsAValidReport) {
  const Status status = Validate(ToProto(testing::ValidReport()));
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST(ReportValidatorTest, AcceptsAgentHealthAtItsCaps) {
  v1::InventoryReport report = ToProto(testing::ValidReport());
  const ReportLimits limits;
  auto& health = *report.mutable_agent_health();
  health.set_spool_dropped(limits.max_spool_counter);
  health.set_spool_depth(limits.max_spool_depth);
  health.set_spool_write_failures(limits.max_spool_counter);
  health.set_scan_cpu_ms(limits.max_scan_ms);
  health.set_scan_wall_ms(limits.max_scan_ms);
  health.set_peak_rss_kib(limits.max_peak_rss_kib);
  health.set_scan_budget_exceeded(true);
  const Status status = Validate(report);
  EXPECT_TRUE(status.ok()) << status.ToString();
}

struct BadCase {
  const char* name;
  std::function<void(v1::InventoryReport&)> damage;
  StatusCode code;
  const char* message;
};

void PrintTo(const BadCase& test, std::ostream* out) { *out << test.name; }

class ReportValidatorBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ReportValidatorBadTest, RefusesWithAMessageNamingTheField) {
  v1::InventoryReport report = ToProto(testing::ValidReport());
  GetParam().damage(report);
  const Status status = Validate(report);
  EXPECT_EQ(status.code(), GetParam().code) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ReportValidatorBadTest,
    ::testing::Values(
        BadCase{"MissingReportId", [](auto& r) { r.clear_report_id(); },
                StatusCode::kInvalidArgument, "report.report_id: required"},
        BadCase{"ReportIdWithSpaces", [](auto& r) { r.set_report_id("a b"); },
                StatusCode::kInvalidArgument, "report.report_id: must be"},
        BadCase{"MissingHost", [](auto& r) { r.clear_host(); }, StatusCode::kInvalidArgument,
                "report.host: required"},
        BadCase{"MissingHostId", [](auto& r) { r.mutable_host()->clear_host_id(); },
                StatusCode::kInvalidArgument, "report.host.host_id: required"},
        BadCase{"HostIdTooLong",
                [](auto& r) { r.mutable_host()->set_host_id(std::string(129, 'a')); },
                StatusCode::kInvalidArgument, "report.host.host_id"},
        BadCase{"HostnameFarTooLong",
                [](auto& r) { r.mutable_host()->set_hostname(std::string(100000, 'x')); },
                StatusCode::kInvalidArgument, "report.host.hostname: 100000 bytes"},
        BadCase{"HostnameNotUtf8", [](auto& r) { r.mutable_host()->set_hostname("pc-\xc3\x28"); },
                StatusCode::kInvalidArgument, "report.host.hostname: not valid UTF-8"},
        BadCase{"HostnameOverlongUtf8", [](auto& r) { r.mutable_host()->set_hostname("\xc0\xaf"); },
                StatusCode::kInvalidArgument, "not valid UTF-8"},
        BadCase{"HostnameControlChars", [](auto& r) { r.mutable_host()->set_hostname("pc\n-a"); },
                StatusCode::kInvalidArgument, "control characters"},
        BadCase{"UnknownOsFamily",
                [](auto& r) { r.mutable_host()->set_os_family(static_cast<v1::OsFamily>(42)); },
                StatusCode::kInvalidArgument, "report.host.os_family: unknown value 42"},
        BadCase{"UnspecifiedOsFamily",
                [](auto& r) { r.mutable_host()->set_os_family(v1::OS_FAMILY_UNSPECIFIED); },
                StatusCode::kInvalidArgument, "report.host.os_family: required"},
        BadCase{"MissingMinistry", [](auto& r) { r.clear_ministry(); },
                StatusCode::kInvalidArgument, "report.ministry: required"},
        BadCase{"UnknownMinistry", [](auto& r) { r.set_ministry("NOPE"); }, StatusCode::kNotFound,
                "unknown ministry code 'NOPE'"},
        BadCase{"MissingScanTime", [](auto& r) { r.clear_scan_finished(); },
                StatusCode::kInvalidArgument, "report.scan_finished: required"},
        BadCase{
            "FarFutureScan",
            [](auto& r) { r.mutable_scan_finished()->set_seconds(testing::kNowSeconds + 90000); },
            StatusCode::kInvalidArgument, "in the future"},
        BadCase{"AncientScan", [](auto& r) { r.mutable_scan_finished()->set_seconds(1000); },
                StatusCode::kInvalidArgument, "before 2020"},
        BadCase{"StartAfterFinish",
                [](auto& r) { r.mutable_scan_started()->set_seconds(testing::kNowSeconds); },
                StatusCode::kInvalidArgument, "report.scan_started: after scan_finished"},
        BadCase{"UnknownService",
                [](auto& r) {
                  r.mutable_evidence(0)->set_service(static_cast<v1::ServiceCategory>(99));
                },
                StatusCode::kInvalidArgument, "report.evidence[0].service: unknown value 99"},
        BadCase{"EvidenceWithoutKind",
                [](auto& r) { r.mutable_evidence(0)->set_kind(v1::EVIDENCE_KIND_UNSPECIFIED); },
                StatusCode::kInvalidArgument, "report.evidence[0].kind: required"},
        BadCase{"EvidenceWithoutProduct", [](auto& r) { r.mutable_evidence(0)->clear_product(); },
                StatusCode::kInvalidArgument, "report.evidence[0].product: required"},
        BadCase{"TooMuchEvidence",
                [](auto& r) {
                  for (int i = 0; i < 5000; ++i) *r.add_evidence() = r.evidence(0);
                },
                StatusCode::kInvalidArgument, "report.evidence: 5001 items"},
        BadCase{"UnknownLicenseModel",
                [](auto& r) {
                  auto* install = r.add_office_installs();
                  install->set_product_id("O365ProPlusRetail");
                  install->set_license_model(static_cast<v1::LicenseModel>(-3));
                },
                StatusCode::kInvalidArgument, "report.office_installs[0].license_model"},
        BadCase{"UnknownVerdict",
                [](auto& r) { r.mutable_verdict()->set_status(static_cast<v1::VerdictStatus>(7)); },
                StatusCode::kInvalidArgument, "report.verdict.status: unknown value 7"},
        BadCase{
            "FutureLastSeen",
            [](auto& r) { r.mutable_evidence(0)->mutable_last_seen()->set_seconds(253402300799); },
            StatusCode::kInvalidArgument, "report.evidence[0].last_seen: in the future"},
        BadCase{"NegativeNanos", [](auto& r) { r.mutable_scan_finished()->set_nanos(-1); },
                StatusCode::kInvalidArgument, "invalid nanoseconds"},
        // An agent that computed -1 sends 2^64 - 1 on the unsigned wire field.
        BadCase{"NegativeDroppedCounter",
                [](auto& r) {
                  r.mutable_agent_health()->set_spool_dropped(static_cast<std::uint64_t>(-1));
                },
                StatusCode::kInvalidArgument,
                "report.agent_health.spool_dropped: 18446744073709551615 reports, more than the "
                "9007199254740991 a working agent can report"},
        BadCase{"SpoolDeeperThanItsCap",
                [](auto& r) { r.mutable_agent_health()->set_spool_depth(1'000'001); },
                StatusCode::kInvalidArgument, "report.agent_health.spool_depth: 1000001 reports"},
        BadCase{"AbsurdWriteFailures",
                [](auto& r) {
                  r.mutable_agent_health()->set_spool_write_failures(std::uint64_t{1} << 60);
                },
                StatusCode::kInvalidArgument, "report.agent_health.spool_write_failures"},
        BadCase{"ScanCpuOverTwoDays",
                [](auto& r) { r.mutable_agent_health()->set_scan_cpu_ms(172'800'001); },
                StatusCode::kInvalidArgument, "report.agent_health.scan_cpu_ms: 172800001 ms"},
        BadCase{"ScanWallOverTwoDays",
                [](auto& r) { r.mutable_agent_health()->set_scan_wall_ms(1ull << 40); },
                StatusCode::kInvalidArgument, "report.agent_health.scan_wall_ms"},
        BadCase{"PeakMemoryOver64GiB",
                [](auto& r) { r.mutable_agent_health()->set_peak_rss_kib(67'108'865); },
                StatusCode::kInvalidArgument,
                "report.agent_health.peak_rss_kib: 67108865 KiB, more than the 67108864"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

}  // namespace
}  // namespace vigie::collector
