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

TEST(PosixSystemViewLiveTest, ThisMachineHasNoRegistry) {
  auto view = PosixSystemView::Live();
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->ListRegistrySubkeys("HKLM\\SOFTWARE").status().code(),
            StatusCode::kFailedPrecondition);
}

constexpr char kRegHeader[] = "Windows Registry Editor Version 5.00\r\n\r\n";

TEST_F(PosixSystemViewTest, MergesRegistryExportsInNameOrder) {
  root_.Write("registry/b-later.reg", std::string(kRegHeader) +
                                          "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vigie\\Zeta]\r\n"
                                          "\"Who\"=\"b\"\r\n");
  root_.Write("registry/a-first.reg", std::string(kRegHeader) +
                                          "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vigie\\Zeta]\r\n"
                                          "\"Who\"=\"a\"\r\n"
                                          "\"Count\"=dword:00000002\r\n"
                                          "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vigie\\alpha]\r\n");
  // Neither is an export: both are skipped.
  root_.Write("registry/notes.txt", "not a registry file");
  root_.Write("registry/folder.reg/inside", "");
  const auto view = View();

  auto who = view.ReadRegistryValue("HKLM\\software\\vigie\\zeta", "who");
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(*who->AsString(), "b");
  auto count = view.ReadRegistryValue("HKEY_LOCAL_MACHINE\\SOFTWARE\\Vigie\\Zeta", "Count");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count->AsDword(), 2u);
  auto subkeys = view.ListRegistrySubkeys("HKEY_LOCAL_MACHINE\\SOFTWARE\\Vigie");
  ASSERT_TRUE(subkeys.ok());
  EXPECT_THAT(*subkeys, ::testing::ElementsAre("alpha", "Zeta"));
  // A key that exists only as the parent of an exported one.
  EXPECT_TRUE(view.ListRegistrySubkeys("HKEY_LOCAL_MACHINE\\SOFTWARE").ok());
}

TEST_F(PosixSystemViewTest, ReadsRegeditsUtf16Exports) {
  std::u16string text =
      u"\uFEFFWindows Registry Editor Version 5.00\r\n\r\n"
      u"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vigie]\r\n\"Nom\"=\"Pr\u00e9fecture\"\r\n\r\n";
  std::string bytes;
  for (const char16_t unit : text) {
    bytes.push_back(static_cast<char>(unit & 0xff));
    bytes.push_back(static_cast<char>(unit >> 8));
  }
  root_.Write("registry/utf16.reg", bytes);
  auto value = View().ReadRegistryValue("HKEY_LOCAL_MACHINE\\SOFTWARE\\Vigie", "Nom");
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(*value->AsString(), "Pr\u00e9fecture");
}

TEST_F(PosixSystemViewTest, MissingKeysAndValuesAreNotFound) {
  root_.Write("registry/a.reg",
              std::string(kRegHeader) + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vigie]\r\n\"A\"=\"1\"\r\n");
  const auto view = View();
  auto no_key = view.ReadRegistryValue("HKEY_LOCAL_MACHINE\\SOFTWARE\\Absent", "A");
  EXPECT_EQ(no_key.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(no_key.status().message(), HasSubstr("SOFTWARE\\Absent"));
  auto no_value = view.ReadRegistryValue("HKEY_LOCAL_MACHINE\\SOFTWARE\\Vigie", "B");
  EXPECT_EQ(no_value.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(no_value.status().message(), HasSubstr("no value B"));
  EXPECT_EQ(view.ListRegistrySubkeys("HKEY_LOCAL_MACHINE\\SOFTWARE\\Absent").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(view.ListRegistrySubkeys("HKEY_NOWHERE\\SOFTWARE").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(PosixSystemViewTest, WindowsRootWithoutExportsHasAnUnreadableRegistry) {
  auto read = View().ReadRegistryValue("HKEY_LOCAL_MACHINE\\SOFTWARE\\Vigie", "A");
  EXPECT_EQ(read.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(read.status().message(), HasSubstr("registry/"));
}

TEST(PosixSystemViewRootTest, NonWindowsRootHasNoRegistry) {
  testing::TempDir root;
  root.Write("host.toml", "os = \"linux\"\n");
  root.Write("registry/a.reg", std::string(kRegHeader) + "[HKEY_LOCAL_MACHINE\\SOFTWARE]\r\n");
  auto view = PosixSystemView::ForRoot(root.path());
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->ListRegistrySubkeys("HKEY_LOCAL_MACHINE\\SOFTWARE").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(view->ReadRegistryValue("HKEY_LOCAL_MACHINE\\SOFTWARE", "").status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(PosixSystemViewTest, CorruptExportFailsEveryRegistryReadWithItsName) {
  root_.Write("registry/1-good.reg",
              std::string(kRegHeader) + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Good]\r\n\"A\"=\"1\"\r\n");
  root_.Write(
      "registry/2-cut.reg",
      std::string(kRegHeader) + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Cut]\r\n\"A\"=\"unterminated");
  // The scan itself goes on: the view is created, only registry reads fail.
  const auto view = View();
  EXPECT_TRUE(view.ReadFile("/host.toml", 1000).ok());
  for (const Status& status :
       {view.ReadRegistryValue("HKEY_LOCAL_MACHINE\\SOFTWARE\\Good", "A").status(),
        view.ListRegistrySubkeys("HKEY_LOCAL_MACHINE\\SOFTWARE").status()}) {
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.code(), StatusCode::kNotFound);
    EXPECT_THAT(status.message(), HasSubstr("registry/2-cut.reg"));
  }
}

}  // namespace
}  // namespace vigie::agent
