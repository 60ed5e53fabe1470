// The spooled payload (JSON, written by the light agent) against the message the uplink sends:
// for every fixture host, parsing it gives exactly ToProto of the scanned report with its
// agent health.
#include "agent/report_payload.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "agent/posix_system_view.h"
#include "agent/scanner.h"
#include "common/wire.h"
#include "fixture_hosts.h"

namespace vigie::agent {
namespace {

TEST(ReportPayloadTest, ParsesIntoTheReportAndItsHealthForEveryFixtureHost) {
  AgentHealth health;
  health.spool_dropped = 3;
  health.spool_depth = 2;
  health.spool_write_failures = 1;
  health.scan_cpu_ms = 120;
  health.peak_rss_kib = 9000;
  health.scan_wall_ms = 250;
  health.scan_budget_exceeded = true;
  int hosts = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(VIGIE_FIXTURES_DIR) + "/hosts")) {
    if (!std::filesystem::exists(entry.path() / "host.toml")) continue;
    auto view = PosixSystemView::ForRoot(entry.path().string());
    ASSERT_TRUE(view.ok()) << entry.path();
    const auto probes = ProbesFor(view->machine().os_family, testing::AllProbesOn());
    ScanRequest request;
    request.ministry = "MI";
    auto report = Scan(*view, probes, request);
    ASSERT_TRUE(report.ok()) << entry.path() << ": " << report.status().ToString();

    v1::InventoryReport expected = ToProto(*report);
    v1::AgentHealth& wire = *expected.mutable_agent_health();
    wire.set_spool_dropped(3);
    wire.set_spool_depth(2);
    wire.set_spool_write_failures(1);
    wire.set_scan_cpu_ms(120);
    wire.set_peak_rss_kib(9000);
    wire.set_scan_wall_ms(250);
    wire.set_scan_budget_exceeded(true);
    v1::InventoryReport parsed;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(ReportPayload(*report, health), &parsed).ok())
        << entry.path();
    std::string differences;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&differences);
    EXPECT_TRUE(differencer.Compare(expected, parsed)) << entry.path() << "\n" << differences;
    ++hosts;
  }
  EXPECT_GE(hosts, 30);
}

TEST(ReportPayloadTest, HealthAtZeroIsAnEmptyMessage) {
  InventoryReport report;
  report.report_id = "r-1";
  v1::InventoryReport parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReportPayload(report, {}), &parsed).ok());
  EXPECT_TRUE(parsed.has_agent_health());
  EXPECT_EQ(parsed.report_id(), "r-1");
}

}  // namespace
}  // namespace vigie::agent
