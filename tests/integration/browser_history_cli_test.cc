// vigie-agent's browser history flags, on the real binary: off unless asked, and a window in
// sane bounds or a clear French error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/subprocess.h"

namespace vigie {
namespace {

using testing::Completed;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunCommand;

const std::string kAgent = VIGIE_AGENT_BINARY;
const std::string kHost = std::string(VIGIE_FIXTURES_DIR) + "/hosts/linux-browser-history";

Completed Scan(std::vector<std::string> extra) {
  std::vector<std::string> argv = {kAgent, "scan", "--root", kHost, "--format", "json"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return RunCommand(argv);
}

TEST(BrowserHistoryCliTest, OffByDefault) {
  const Completed scan = Scan({});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  EXPECT_THAT(scan.out, Not(HasSubstr("any.browser_history")));
}

TEST(BrowserHistoryCliTest, OnWhenAsked) {
  // The fixture's damaged Edge database is reported whatever today's date, unlike its visits.
  const Completed scan = Scan({"--with-browser-history", "--history-days", "365"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  EXPECT_THAT(scan.out, HasSubstr("any.browser_history"));
  EXPECT_THAT(scan.out, HasSubstr("Edge, profile Default"));
  EXPECT_THAT(scan.out, Not(HasSubstr("sophie.martin")));
}

TEST(BrowserHistoryCliTest, WindowOutOfBoundsIsRefused) {
  for (const char* days : {"0", "366", "-5", "30x", "trente"}) {
    const Completed scan = Scan({"--with-browser-history", "--history-days", days});
    EXPECT_NE(scan.exit_code, 0) << days;
    EXPECT_THAT(scan.err, HasSubstr("entre 1 et 365")) << days;
    EXPECT_TRUE(scan.out.empty()) << days;
  }
  const Completed run = RunCommand({kAgent, "run", "--once", "--collector", "127.0.0.1:9",
                                    "--insecure", "--with-browser-history", "--history-days", "0"});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("entre 1 et 365"));
}

}  // namespace
}  // namespace vigie
