#include "agent/probes/dpkg_status.h"

#include <gtest/gtest.h>

namespace vigie::agent {
namespace {

TEST(DpkgStatusTest, ReadsParagraphsAndIgnoresContinuations) {
  const DpkgStatus status = ParseDpkgStatus(
      "Package: a\nStatus: install ok installed\nVersion: 1.0\nDescription: x\n more\n .\n"
      "\nPackage: b\nStatus: deinstall ok config-files\nVersion: 2\n");
  ASSERT_EQ(status.packages.size(), 2u);
  EXPECT_EQ(status.packages[0].name, "a");
  EXPECT_EQ(status.packages[0].version, "1.0");
  EXPECT_TRUE(IsInstalled(status.packages[0]));
  EXPECT_EQ(status.packages[1].state, "config-files");
  EXPECT_FALSE(IsInstalled(status.packages[1]));
  EXPECT_EQ(status.malformed_lines, 0u);
}

TEST(DpkgStatusTest, ToleratesCrlfTabsAndSeveralBlankLines) {
  const DpkgStatus status = ParseDpkgStatus(
      "Package:\tx\r\nStatus: install ok triggers-pending\r\n\r\n\r\n \t\nPackage: y\n");
  ASSERT_EQ(status.packages.size(), 2u);
  EXPECT_EQ(status.packages[0].name, "x");
  EXPECT_TRUE(IsInstalled(status.packages[0]));
  EXPECT_EQ(status.packages[1].name, "y");
  EXPECT_FALSE(IsInstalled(status.packages[1]));
}

TEST(DpkgStatusTest, CountsMalformedLinesAndKeepsGoing) {
  const DpkgStatus status = ParseDpkgStatus(
      " orphan continuation\nPackage: a\nStatus: install ok installed\nno colon here\n\n:novalue\n"
      "Package: b\nStatus: install ok installed");
  ASSERT_EQ(status.packages.size(), 2u);
  EXPECT_EQ(status.malformed_lines, 3u);
  EXPECT_EQ(status.first_malformed_line, 1u);
}

TEST(DpkgStatusTest, EmptyAndBinaryInput) {
  EXPECT_TRUE(ParseDpkgStatus("").packages.empty());
  const std::string binary("\x00\xff\x01\n\x02:\x03\n", 8);
  const DpkgStatus status = ParseDpkgStatus(binary);
  EXPECT_EQ(status.malformed_lines, 1u);
  EXPECT_TRUE(status.packages.empty());
}

TEST(DpkgStatusTest, TruncatedStatusIsNotInstalled) {
  const DpkgStatus status = ParseDpkgStatus("Package: a\nStatus: install ok inst");
  ASSERT_EQ(status.packages.size(), 1u);
  EXPECT_FALSE(IsInstalled(status.packages[0]));
}

}  // namespace
}  // namespace vigie::agent
