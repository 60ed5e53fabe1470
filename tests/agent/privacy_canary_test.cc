// Proves the privacy promise of docs/privacy.md on every fixture host that plants personal data:
// each one lists its canaries (user names, e-mail addresses, URLs, document and site names) in
// privacy-canaries.txt, one per line (empty lines and lines starting with # ignored). The host is
// scanned with every optional probe on, and no canary may appear, in any letter case, in the
// report as JSON or as the French text output.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agent/fixture_hosts.h"
#include "agent/posix_system_view.h"
#include "agent/report_text.h"
#include "agent/scanner.h"
#include "common/report_json.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

const std::filesystem::path kHostsDirectory = std::filesystem::path(VIGIE_FIXTURES_DIR) / "hosts";
constexpr char kCanaryFile[] = "privacy-canaries.txt";

std::vector<std::string> FixturesWithCanaries() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kHostsDirectory, error)) {
    if (std::filesystem::exists(entry.path() / kCanaryFile)) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> ReadCanaries(const std::filesystem::path& file) {
  std::vector<std::string> canaries;
  std::ifstream input(file);
  std::string line;
  while (std::getline(input, line)) {
    const std::string_view canary = TrimWhitespace(line);
    if (canary.empty() || canary.front() == '#') continue;
    canaries.emplace_back(canary);
  }
  return canaries;
}

class PrivacyCanaryTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PrivacyCanaryTest, NoCanaryLeavesTheWorkstation) {
  const std::filesystem::path root = kHostsDirectory / GetParam();
  const auto canaries = ReadCanaries(root / kCanaryFile);
  ASSERT_FALSE(canaries.empty()) << root / kCanaryFile << " lists no canary";

  auto view = PosixSystemView::ForRoot(root.string());
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  const auto report = Scan(*view, ProbesFor(view->machine().os_family, testing::AllProbesOn()), {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();

  const struct {
    const char* name;
    std::string text;
  } outputs[] = {{"JSON", AsciiLowercase(ReportToJson(*report, /*pretty=*/true))},
                 {"text", AsciiLowercase(ReportToText(*report))}};
  for (const auto& output : outputs) {
    for (const auto& canary : canaries) {
      EXPECT_EQ(output.text.find(AsciiLowercase(canary)), std::string::npos)
          << "fixture " << GetParam() << ": canary \"" << canary << "\" appears in the "
          << output.name << " output";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllFixtureHosts, PrivacyCanaryTest,
                         ::testing::ValuesIn(FixturesWithCanaries()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// A wrong directory or a misspelt file name would otherwise prove nothing.
TEST(PrivacyCanaryDiscoveryTest, FindsTheSeededFixtures) {
  const auto names = FixturesWithCanaries();
  // Recent documents (paths, site and document names), Outlook accounts and addresses, Teams
  // settings are among the seeds.
  for (const char* name :
       {"linux-browser-history", "macos-m365-onedrive-business", "windows-office-mru",
        "windows-outlook-exchange-online", "windows-outlook-on-premises",
        "windows-teams-new-signed-in", "windows-teams-classic", "macos-outlook-profile"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

// The check itself must be able to fail: a canary that is in the report is caught.
TEST(PrivacyCanaryDiscoveryTest, CatchesACanaryInTheOutput) {
  auto view = PosixSystemView::ForRoot((kHostsDirectory / "linux-browser-history").string());
  ASSERT_TRUE(view.ok());
  const auto report = Scan(*view, ProbesFor(OsFamily::kLinux, testing::AllProbesOn()), {});
  ASSERT_TRUE(report.ok());
  const std::string json = AsciiLowercase(ReportToJson(*report, /*pretty=*/false));
  EXPECT_NE(json.find(AsciiLowercase("PC-CULTURE-0107")), std::string::npos);
}

}  // namespace
}  // namespace vigie::agent
