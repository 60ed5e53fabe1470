// Scans every fixture host that has an expected.json and compares the report with it. A new
// fixture joins by adding the file. Only what a fixture is about is compared (no report id, no
// times): its Office installs, evidence, probe errors and verdict. Each object in expected.json
// lists the fields it checks; a field this test does not know fails the test, so that a typo
// cannot pass unchecked.

#include "agent/fixture_hosts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "agent/posix_system_view.h"
#include "agent/scanner.h"
#include "common/dates.h"
#include "common/enums.h"

namespace vigie::agent {
namespace {

using nlohmann::json;

const std::filesystem::path kHostsDirectory = std::filesystem::path(VIGIE_FIXTURES_DIR) / "hosts";
constexpr char kExpectationFile[] = "expected.json";

std::vector<std::string> FixturesWithExpectations() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kHostsDirectory, error)) {
    if (std::filesystem::exists(entry.path() / kExpectationFile)) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

json ToJson(const OfficeInstall& install) {
  return {{"productId", install.product_id},
          {"licenseModel", EnumName(install.license_model)},
          {"version", install.version},
          {"technology", install.technology},
          {"channel", install.channel},
          {"platform", install.platform},
          {"sharedComputerLicensing", install.shared_computer_licensing}};
}

json ToJson(const Evidence& evidence) {
  return {
      {"product", evidence.product},
      {"service", EnumName(evidence.service)},
      {"kind", EnumName(evidence.kind)},
      {"tenant", evidence.tenant},
      {"version", evidence.version},
      {"sovereignAlternative", evidence.sovereign_alternative},
      {"userPseudonym", evidence.user_pseudonym},
      {"count", evidence.count},
      {"source", evidence.source},
      {"lastSeen", evidence.last_seen
                       ? FormatIsoDate(std::chrono::floor<std::chrono::days>(*evidence.last_seen))
                       : std::string()}};
}

// The fields `expected` names, compared with the same fields of `actual`.
void ExpectFields(const json& expected, const json& actual, const std::string& where) {
  ASSERT_TRUE(expected.is_object()) << where << ": expected an object";
  for (const auto& [field, value] : expected.items()) {
    ASSERT_TRUE(actual.contains(field)) << where << ": unknown field " << field;
    EXPECT_EQ(actual.at(field), value) << where << "." << field;
  }
}

template <typename Item>
void ExpectList(const json& expected, const std::vector<Item>& actual, const std::string& where) {
  ASSERT_TRUE(expected.is_array()) << where << ": expected an array";
  ASSERT_EQ(actual.size(), expected.size()) << where;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    ExpectFields(expected[i], ToJson(actual[i]), where + "[" + std::to_string(i) + "]");
  }
}

class FixtureHostTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureHostTest, ScanMatchesExpectations) {
  const std::filesystem::path root = kHostsDirectory / GetParam();
  std::ifstream file(root / kExpectationFile);
  const json expected = json::parse(file, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(expected.is_discarded()) << root / kExpectationFile << " is not JSON";
  for (const auto& [field, value] : expected.items()) {
    const bool known = field == "officeInstalls" || field == "evidence" || field == "probeErrors" ||
                       field == "verdictStatus" || field == "withBrowserHistory";
    EXPECT_TRUE(known) << "unknown field " << field;
  }
  for (const char* field : {"officeInstalls", "evidence", "probeErrors", "verdictStatus"}) {
    ASSERT_TRUE(expected.contains(field)) << "expected.json must state " << field;
  }

  auto view = PosixSystemView::ForRoot(root.string());
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  // Browser history is off by default; a fixture about it turns it on ("withBrowserHistory").
  const bool browser_history = expected.value("withBrowserHistory", false);
  const auto report =
      Scan(*view,
           ProbesFor(view->machine().os_family,
                     browser_history ? testing::AllProbesOn() : testing::kTestProbeOptions),
           {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();

  ExpectList(expected["officeInstalls"], report->office_installs, "officeInstalls");
  ExpectList(expected["evidence"], report->evidence, "evidence");
  const json& errors = expected["probeErrors"];
  ASSERT_TRUE(errors.is_array());
  ASSERT_EQ(report->probe_errors.size(), errors.size()) << [&] {
    std::ostringstream actual;
    for (const auto& error : report->probe_errors) actual << error.probe << ": " << error.reason;
    return actual.str();
  }();
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const auto& error = report->probe_errors[i];
    for (const auto& [field, value] : errors[i].items()) {
      if (field == "probe") {
        EXPECT_EQ(error.probe, value.get<std::string>()) << "probeErrors[" << i << "]";
      } else if (field == "reasonContains") {
        EXPECT_NE(error.reason.find(value.get<std::string>()), std::string::npos)
            << "probeErrors[" << i << "]: " << error.reason;
      } else {
        ADD_FAILURE() << "probeErrors[" << i << "]: unknown field " << field;
      }
    }
  }
  EXPECT_EQ(EnumName(report->verdict.status), expected["verdictStatus"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(AllFixtureHosts, FixtureHostTest,
                         ::testing::ValuesIn(FixturesWithExpectations()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Guards the discovery itself: a wrong directory would otherwise check nothing.
TEST(FixtureHostDiscoveryTest, FindsTheWindowsFixtures) {
  const auto names = FixturesWithExpectations();
  for (const char* name :
       {"windows-ltsc2021-volume", "windows-m365-apps", "windows-m365-shared-computer",
        "windows-office-mixed", "windows-corrupt-registry", "windows-teams-new-signed-in",
        "windows-outlook-on-premises", "windows-policy-cloud-disabled",
        "windows-corrupt-user-files"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

}  // namespace
}  // namespace vigie::agent
