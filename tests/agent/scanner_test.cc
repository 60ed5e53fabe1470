#include "agent/scanner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "agent/fixture_hosts.h"
#include "agent/posix_system_view.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;

class FailingProbe : public Probe {
 public:
  std::string_view name() const override { return "test.failing"; }
  Status Run(const SystemView&, ScanFacts&) const override { return Unavailable("disk gone"); }
};

class ThrowingProbe : public Probe {
 public:
  std::string_view name() const override { return "test.throwing"; }
  Status Run(const SystemView&, ScanFacts&) const override {
    throw std::runtime_error("probe bug");
  }
};

// Takes longer than the budget of the test below, so that the probes after it are skipped.
class SlowProbe : public Probe {
 public:
  std::string_view name() const override { return "test.slow"; }
  Status Run(const SystemView&, ScanFacts&) const override {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    return Status::Ok();
  }
};

PosixSystemView Fixture(const std::string& name) {
  auto view = PosixSystemView::ForRoot(testing::FixtureHost(name));
  EXPECT_TRUE(view.ok()) << view.status().ToString();
  return std::move(view).value();
}

TEST(ScannerTest, ScansAFixtureHost) {
  const auto view = Fixture("linux-teams-onedrive");
  ScanRequest request;
  request.ministry = "MEFSIN";
  auto report = Scan(view, ProbesFor(OsFamily::kLinux, testing::kTestProbeOptions), request);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->report_id.size(), 36u);
  EXPECT_EQ(report->ministry, "MEFSIN");
  EXPECT_EQ(report->host.hostname, "pc-finances-042");
  ASSERT_TRUE(report->scan_started && report->scan_finished);
  EXPECT_LE(*report->scan_started, *report->scan_finished);
  EXPECT_EQ(report->evidence.size(), 3u);
  EXPECT_EQ(report->verdict.status, VerdictStatus::kToReview);
}

TEST(ScannerTest, ProbesPastTheTimeBudgetAreSkippedAndNamed) {
  const auto view = Fixture("linux-libreoffice");
  std::vector<std::unique_ptr<Probe>> probes;
  probes.push_back(std::make_unique<SlowProbe>());
  for (auto& probe : ProbesFor(OsFamily::kLinux, testing::kTestProbeOptions))
    probes.push_back(std::move(probe));
  ScanRequest request;
  request.budget = std::chrono::milliseconds(10);
  auto report = Scan(view, probes, request);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->probe_errors.size(), 1u);
  EXPECT_EQ(report->probe_errors[0].probe, kScanBudgetProbe);
  EXPECT_THAT(report->probe_errors[0].reason,
              AllOf(HasSubstr("time budget of 10 ms"), HasSubstr("linux.dpkg, linux.rpm")));
  EXPECT_TRUE(report->evidence.empty());
  // A partial scan is never a pass.
  EXPECT_EQ(report->verdict.status, VerdictStatus::kUnknown);
}

TEST(ScannerTest, CancelledScanMakesNoReport) {
  const auto view = Fixture("linux-libreoffice");
  ScanRequest request;
  request.cancelled = [] { return true; };
  auto report = Scan(view, ProbesFor(OsFamily::kLinux, testing::kTestProbeOptions), request);
  EXPECT_EQ(report.status().code(), StatusCode::kUnavailable);
}

TEST(ScannerTest, EachScanHasItsOwnReportId) {
  const auto view = Fixture("linux-libreoffice");
  const auto probes = ProbesFor(OsFamily::kLinux, testing::kTestProbeOptions);
  EXPECT_NE(Scan(view, probes, {})->report_id, Scan(view, probes, {})->report_id);
}

TEST(ScannerTest, FailingAndThrowingProbesBecomeProbeErrors) {
  const auto view = Fixture("linux-libreoffice");
  std::vector<std::unique_ptr<Probe>> probes;
  probes.push_back(std::make_unique<FailingProbe>());
  probes.push_back(std::make_unique<ThrowingProbe>());
  for (auto& probe : ProbesFor(OsFamily::kLinux, testing::kTestProbeOptions))
    probes.push_back(std::move(probe));
  auto report = Scan(view, probes, {});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->probe_errors.size(), 2u);
  EXPECT_EQ(report->probe_errors[0].probe, "test.failing");
  EXPECT_EQ(report->probe_errors[0].reason, "disk gone");
  EXPECT_THAT(report->probe_errors[1].reason, HasSubstr("probe bug"));
  // The other probes still ran.
  EXPECT_THAT(report->evidence, Contains(Field(&Evidence::product, "libreoffice")));
  EXPECT_EQ(report->verdict.status, VerdictStatus::kUnknown);
}

// No always-failing coverage probe any more: a Mac where nothing of Microsoft 365 is found gets a
// real verdict (the signals without a readable source weigh only when their component is there).
TEST(ScannerTest, MacosHostWithNothingFoundIsCompliant) {
  testing::TempDir root;
  root.Write("host.toml", "os = \"macos\"\nhostname = \"mac-01\"\n");
  auto view = PosixSystemView::ForRoot(root.path());
  ASSERT_TRUE(view.ok());
  auto report = Scan(*view, ProbesFor(OsFamily::kMacos, testing::kTestProbeOptions), {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->probe_errors.empty());
  EXPECT_EQ(report->verdict.status, VerdictStatus::kCompliant);
}

TEST(ScannerTest, BrowserHistoryProbeOnlyWhenEnabled) {
  const auto names = [](const ProbeOptions& options) {
    std::vector<std::string> result;
    for (const auto& probe : ProbesFor(OsFamily::kLinux, options)) {
      result.emplace_back(probe->name());
    }
    return result;
  };
  EXPECT_THAT(names(testing::kTestProbeOptions), Not(Contains("any.browser_history")));
  EXPECT_THAT(names(testing::AllProbesOn()), Contains("any.browser_history"));
}

TEST(ScannerTest, WindowsHostWithOnlyPerpetualOfficeIsCompliant) {
  const auto view = Fixture("windows-ltsc2021-volume");
  auto report = Scan(view, ProbesFor(OsFamily::kWindows, testing::kTestProbeOptions), {});
  ASSERT_TRUE(report.ok());
  EXPECT_THAT(report->office_installs,
              Contains(Field(&OfficeInstall::license_model, LicenseModel::kPerpetual)));
  EXPECT_TRUE(report->probe_errors.empty());
  EXPECT_EQ(report->verdict.status, VerdictStatus::kCompliant);
}

}  // namespace
}  // namespace vigie::agent
