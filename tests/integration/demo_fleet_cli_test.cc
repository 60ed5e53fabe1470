// The demo's path end to end: the real agent scans fixture hosts offline, the real collector
// builds a fleet from those scan outputs, and its summary counts it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "integration/subprocess.h"
#include "temp_dir.h"

namespace vigie {
namespace {

using testing::Completed;
using ::testing::HasSubstr;
using testing::RunCommand;

const std::string kAgent = VIGIE_AGENT_BINARY;
const std::string kCollector = VIGIE_COLLECTOR_BINARY;
const std::string kOrganisation =
    std::string(VIGIE_FIXTURES_DIR) + "/../../scripts/demo-organisation.toml";

TEST(DemoFleetCliTest, BuildsAFleetFromTheAgentsScansOfFixtureHosts) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "scans");
  for (const char* host : {"linux-libreoffice", "linux-teams-onedrive", "windows-m365-apps",
                           "macos-m365-onedrive-business"}) {
    const Completed scan =
        RunCommand({kAgent, "scan", "--root", std::string(VIGIE_FIXTURES_DIR) + "/hosts/" + host,
                    "--format", "json"});
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    std::ofstream(dir / ("scans/" + std::string(host) + ".json")) << scan.out;
  }
  const Completed fleet =
      RunCommand({kCollector, "demo-fleet", "--database", dir / "demo.db", "--ministries-file",
                  kOrganisation, "--scans", dir / "scans", "--hosts", "200", "--weeks", "2"});
  ASSERT_EQ(fleet.exit_code, 0) << fleet.err;
  EXPECT_THAT(fleet.out, HasSubstr("Parc de démonstration écrit : 200 postes"));
  EXPECT_THAT(fleet.out, HasSubstr("14 jours d'historique"));

  const Completed summary = RunCommand({kCollector, "summary", "--database", dir / "demo.db",
                                        "--ministries-file", kOrganisation, "--format", "json"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  const auto json = nlohmann::json::parse(summary.out);
  EXPECT_EQ(json["total"]["hosts"], 200);

  // A second run into the same database is refused, with one line on stderr.
  const Completed again =
      RunCommand({kCollector, "demo-fleet", "--database", dir / "demo.db", "--ministries-file",
                  kOrganisation, "--scans", dir / "scans", "--hosts", "10"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("already holds 200 host(s)"));
}

}  // namespace
}  // namespace vigie
