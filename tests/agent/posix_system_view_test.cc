#include "agent/posix_system_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "temp_dir.h"

namespace vigie::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class PosixSystemViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_.Write("host.toml", "os = \"windows\"\nhostname = \"PC-01\"\narchitecture = \"x86_64\"\n");
  }
  PosixSystemView View() {
    auto view = PosixSystemView::ForRoot(root_.path());
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    return std::move(view).value();
  }
  testing::TempDir root_;
};

TEST_F(PosixSystemViewTest, DescribesTheFixtureMachine) {
  const auto view = View();
  EXPECT_EQ(view.machine().os_family, OsFamily::kWindows);
  EXPECT_EQ(view.machine().hostname, "PC-01");
  EXPECT_EQ(view.machine().architecture, "x86_64");
}

TEST_F(PosixSystemViewTest, MapsWindowsDrivePaths) {
  root_.Write("C/Users/alice/AppData/x.txt", "hello");
  const auto view = View();
  EXPECT_EQ(*view.ReadFile("C:\\Users\\alice\\AppData\\x.txt", 100), "hello");
  EXPECT_EQ(*view.ReadFile("c:/Users/alice/AppData/x.txt", 100), "hello");
}

TEST_F(PosixSystemViewTest, SymlinksCannotLeaveTheRoot) {
  testing::TempDir outside;
  outside.Write("secret", "outside");
  root_.Write("etc/secret", "inside");
  std::filesystem::create_directories(root_.path() / "link");
  std::filesystem::create_symlink(outside / "secret", root_.path() / "link/absolute");
  std::filesystem::create_symlink("../../../../../../../../etc/secret",
                                  root_.path() / "link/dotdot");
  const auto view = View();
  // An absolute target resolves inside the root, where it does not exist.
  EXPECT_EQ(view.ReadFile("/link/absolute", 100).status().code(), StatusCode::kNotFound);
  // ".." stops at the root.
  EXPECT_EQ(*view.ReadFile("/link/dotdot", 100), "inside");
  EXPECT_EQ(*view.ReadFile("/../../etc/secret", 100), "inside");
}

TEST_F(PosixSystemViewTest, RefusesOversizedFilesAndNonFiles) {
  root_.Write("big", std::string(2000, 'x'));
  ASSERT_EQ(::mkfifo((root_ / "fifo").c_str(), 0600), 0);
  const auto view = View();
  auto big = view.ReadFile("/big", 1000);
  EXPECT_EQ(big.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(big.status().message(), HasSubstr("larger than 1000 bytes"));
  EXPECT_EQ(view.ReadFile("/fifo", 1000).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(view.ReadFile("/", 1000).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(PosixSystemViewTest, MissingFileIsNotFoundAndNamesThePath) {
  auto missing = View().ReadFile("/var/lib/dpkg/status", 100);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("/var/lib/dpkg/status"));
}

TEST_F(PosixSystemViewTest, ListsDirectories) {
  root_.Write("home/alice/.config/x", "");
  root_.Write("home/bob", "not a directory");
  const auto view = View();
  auto entries = view.ListDirectory("/home");
  ASSERT_TRUE(entries.ok());
  std::vector<std::pair<std::string, bool>> listed;
  for (const auto& entry : *entries) listed.emplace_back(entry.name, entry.is_directory);
  EXPECT_THAT(listed, UnorderedElementsAre(std::pair<std::string, bool>{"alice", true},
                                           std::pair<std::string, bool>{"bob", false}));
  EXPECT_EQ(view.ListDirectory("/nowhere").status().code(), StatusCode::kNotFound);
}

TEST(PosixSystemViewRootTest, HostDescriptionErrorsAreSpecific) {
  testing::TempDir root;
  auto no_description = PosixSystemView::ForRoot(root.path());
  EXPECT_THAT(no_description.status().message(), HasSubstr("host.toml"));

  root.Write("host.toml", "os = \"beos\"\n");
  auto bad_os = PosixSystemView::ForRoot(root.path());
  EXPECT_THAT(bad_os.status().message(), HasSubstr("host.toml:1: os: 'beos' is not one of"));

  root.Write("host.toml", "hostname = \"x\"\n");
  EXPECT_THAT(PosixSystemView::ForRoot(root.path()).status().message(), HasSubstr("os: missing"));

  root.Write("host.toml", "os = \"linux\"\nhots = \"x\"\n");
  EXPECT_THAT(PosixSystemView::ForRoot(root.path()).status().message(),
              HasSubstr("host.toml:2: hots: unknown key"));

  EXPECT_EQ(PosixSystemView::ForRoot(root / "absent").status().code(), StatusCode::kNotFound);
}

TEST(PosixSystemViewLiveTest, DescribesThisMachine) {
  auto view = PosixSystemView::Live();
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->machine().os_family, OsFamily::kLinux);
  EXPECT_FALSE(view->machine().hostname.empty());
}

}  // namespace
}  // namespace vigie::agent
