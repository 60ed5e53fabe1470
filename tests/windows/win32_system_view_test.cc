// The Win32 SystemView backend on a live registry and file system: Wine's, in CI (the MinGW
// build's tests run under Wine, tests/windows/CMakeLists.txt).
#include "agent/win32_system_view.h"

#include <windows.h>
// windows.h first: sddl.h needs its types.
#include <gtest/gtest.h>
#include <sddl.h>

#include <fstream>
#include <iterator>
#include <string>

#include "agent/registry/reg_file.h"
#include "tests/windows/win32_test_util.h"

namespace vigie::agent {
namespace {

using wine_test::ReadAll;
using wine_test::RunProgram;
using wine_test::TempDir;
using wine_test::Wide;

constexpr char kTestKey[] = "HKEY_CURRENT_USER\\Software\\VigieWin32Test";

class Win32SystemViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto live = Win32SystemView::Live();
    ASSERT_TRUE(live.ok()) << live.status().ToString();
    view_ = std::move(live).value();
  }
  void TearDown() override { RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\VigieWin32Test"); }

  std::unique_ptr<Win32SystemView> view_;
};

TEST_F(Win32SystemViewTest, NamesThisMachine) {
  EXPECT_EQ(view_->machine().os_family, OsFamily::kWindows);
  EXPECT_FALSE(view_->machine().hostname.empty());
  EXPECT_EQ(view_->machine().architecture, "x86_64");
}

// Wine's regedit imports the file; every key and value must then read exactly as the .reg
// backend of fixture hosts reads the same file.
TEST_F(Win32SystemViewTest, EveryValueTypeReadsAsTheRegFileBackendReadsIt) {
  const std::string file = VIGIE_WINDOWS_TEST_DATA "\\every-value-type.reg";
  ASSERT_EQ(RunProgram(L"regedit.exe /S \"" + Wide(file) + L"\""), 0u);
  registry::RegistrySnapshot expected;
  ASSERT_TRUE(registry::ParseRegFile(ReadAll(file), "every-value-type.reg", expected).ok());

  std::vector<std::string> pending = {kTestKey};
  int values = 0;
  while (!pending.empty()) {
    const std::string key = pending.back();
    pending.pop_back();
    auto subkeys = view_->ListRegistrySubkeys(key);
    ASSERT_TRUE(subkeys.ok()) << subkeys.status().ToString();
    EXPECT_EQ(*subkeys, expected.ListSubkeys(key)) << key;
    for (const auto& name : *subkeys) pending.push_back(key + "\\" + name);
    for (const registry::Value& want : expected.FindKey(key)->values) {
      auto got = view_->ReadRegistryValue(key, want.name);
      ASSERT_TRUE(got.ok()) << key << " " << want.name << ": " << got.status().ToString();
      EXPECT_EQ(got->name, want.name);
      EXPECT_EQ(registry::ValueTypeName(got->type), registry::ValueTypeName(want.type))
          << want.name;
      EXPECT_EQ(got->data, want.data) << want.name;
      ++values;
    }
  }
  EXPECT_EQ(values, 12);
  auto path = view_->ReadRegistryValue("hkcu\\SOFTWARE\\vigiewin32test", "sz");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(path->AsString().value(), "C:\\Users\\h\xc3\xa9l\xc3\xa8ne");
}

TEST_F(Win32SystemViewTest, AbsentKeysAndValuesAreNotFound) {
  HKEY key = nullptr;
  ASSERT_EQ(RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\VigieWin32Test", 0, nullptr, 0,
                            KEY_WRITE, nullptr, &key, nullptr),
            ERROR_SUCCESS);
  RegCloseKey(key);
  auto no_key = view_->ReadRegistryValue(std::string(kTestKey) + "\\Absent", "x");
  EXPECT_EQ(no_key.status().code(), StatusCode::kNotFound) << no_key.status().ToString();
  auto no_value = view_->ReadRegistryValue(kTestKey, "Absent");
  EXPECT_EQ(no_value.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(no_value.status().message(),
            "registry key HKEY_CURRENT_USER\\Software\\VigieWin32Test has no value Absent");
  auto no_default = view_->ReadRegistryValue(kTestKey, "");
  EXPECT_EQ(no_default.status().code(), StatusCode::kNotFound);
  auto no_subkeys = view_->ListRegistrySubkeys(std::string(kTestKey) + "\\Absent");
  EXPECT_EQ(no_subkeys.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(view_->ListRegistrySubkeys("HKEY_NOWHERE\\x").status().code(),
            StatusCode::kInvalidArgument);
}

// A 32-bit application's keys (what an x86 Office writes) are where a 64-bit regedit shows and
// exports them: under WOW6432Node.
TEST_F(Win32SystemViewTest, ThirtyTwoBitViewIsTheWow6432NodePath) {
  HKEY key = nullptr;
  ASSERT_EQ(RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\VigieWin32Test32", 0, nullptr, 0,
                            KEY_WRITE | KEY_WOW64_32KEY, nullptr, &key, nullptr),
            ERROR_SUCCESS);
  const DWORD number = 32;
  RegSetValueExW(key, L"Bits", 0, REG_DWORD, reinterpret_cast<const BYTE*>(&number),
                 sizeof(number));
  RegCloseKey(key);
  auto value = view_->ReadRegistryValue("HKLM\\SOFTWARE\\WOW6432Node\\VigieWin32Test32", "Bits");
  EXPECT_EQ(view_->ReadRegistryValue("HKLM\\SOFTWARE\\VigieWin32Test32", "Bits").status().code(),
            StatusCode::kNotFound);
  RegDeleteKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\VigieWin32Test32", KEY_WOW64_32KEY, 0);
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(value->AsDword().value(), 32u);
}

TEST_F(Win32SystemViewTest, ReadsFilesAndDirectories) {
  TempDir dir;
  const std::string file = dir.Write("settings.json", std::string("{\"a\":1}\0x", 9));
  CreateDirectoryW(Wide(dir.path() + "\\Sub").c_str(), nullptr);

  auto content = view_->ReadFile(file, 1024);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  EXPECT_EQ(*content, std::string("{\"a\":1}\0x", 9));
  EXPECT_EQ(view_->ReadFile(file, 8).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(view_->ReadFile(dir.path() + "\\absent.json", 1024).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(view_->ReadFile(dir.path() + "\\Sub", 1024).status().code(),
            StatusCode::kInvalidArgument);
  // A POSIX path must not resolve against the current drive.
  EXPECT_EQ(view_->ReadFile("/etc/machine-id", 1024).status().code(), StatusCode::kInvalidArgument);

  auto entries = view_->ListDirectory(dir.path());
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 2u);
  for (const auto& entry : *entries) {
    EXPECT_EQ(entry.is_directory, entry.name == "Sub") << entry.name;
  }
  EXPECT_EQ(view_->ListDirectory(dir.path() + "\\Absent").status().code(), StatusCode::kNotFound);
}

std::string CurrentUserSid() {
  HANDLE token = nullptr;
  OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token);
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::vector<BYTE> buffer(size);
  GetTokenInformation(token, TokenUser, buffer.data(), size, &size);
  CloseHandle(token);
  wchar_t* text = nullptr;
  ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid, &text);
  std::string sid(text, text + wcslen(text));
  LocalFree(text);
  return sid;
}

TEST_F(Win32SystemViewTest, LoggedOnUserIsReadFromHkeyUsers) {
  HKEY key = nullptr;
  ASSERT_EQ(RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\VigieWin32Test", 0, nullptr, 0,
                            KEY_WRITE, nullptr, &key, nullptr),
            ERROR_SUCCESS);
  const DWORD number = 7;
  RegSetValueExW(key, L"Loaded", 0, REG_DWORD, reinterpret_cast<const BYTE*>(&number),
                 sizeof(number));
  RegCloseKey(key);
  // The profile path is not consulted for a loaded hive.
  auto hive = view_->OpenUserHive(CurrentUserSid(), "C:\\nowhere");
  ASSERT_TRUE(hive.ok()) << hive.status().ToString();
  auto value = (*hive)->ReadValue("Software\\VigieWin32Test", "Loaded");
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(value->AsDword().value(), 7u);
  EXPECT_EQ((*hive)->ReadValue("Software\\VigieWin32Test", "Absent").status().code(),
            StatusCode::kNotFound);
}

std::vector<std::string> HkeyUsersNames(const SystemView& view) {
  auto names = view.ListRegistrySubkeys("HKEY_USERS");
  return names.ok() ? *names : std::vector<std::string>{"cannot list HKEY_USERS"};
}

// A user who is not logged on: the hive file is loaded (privately with RegLoadAppKey on Windows;
// Wine 8 has only RegLoadKey, under a temporary HKEY_USERS name), read, and unloaded when the
// hive object goes.
TEST_F(Win32SystemViewTest, OfflineProfileIsLoadedReadOnlyAndUnloaded) {
  TempDir profile;
  const auto users_before = HkeyUsersNames(*view_);
  // Writing a hive file needs the backup privilege, which the test's administrator token holds.
  HANDLE token = nullptr;
  ASSERT_TRUE(OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &token));
  TOKEN_PRIVILEGES privileges{};
  privileges.PrivilegeCount = 1;
  privileges.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
  ASSERT_TRUE(LookupPrivilegeValueW(nullptr, SE_BACKUP_NAME, &privileges.Privileges[0].Luid));
  AdjustTokenPrivileges(token, FALSE, &privileges, 0, nullptr, nullptr);
  CloseHandle(token);
  HKEY key = nullptr;
  ASSERT_EQ(RegCreateKeyExW(HKEY_USERS, L"VigieOfflineTest\\Software\\Vigie", 0, nullptr, 0,
                            KEY_WRITE, nullptr, &key, nullptr),
            ERROR_SUCCESS);
  const std::wstring text = L"hors ligne";
  RegSetValueExW(key, L"State", 0, REG_SZ, reinterpret_cast<const BYTE*>(text.c_str()),
                 static_cast<DWORD>((text.size() + 1) * sizeof(wchar_t)));
  RegCloseKey(key);
  HKEY root = nullptr;
  ASSERT_EQ(RegOpenKeyExW(HKEY_USERS, L"VigieOfflineTest", 0, KEY_READ, &root), ERROR_SUCCESS);
  const std::string hive_file = profile.path() + "\\NTUSER.DAT";
  const LONG saved = RegSaveKeyW(root, Wide(hive_file).c_str(), nullptr);
  RegCloseKey(root);
  RegDeleteTreeW(HKEY_USERS, L"VigieOfflineTest");
  ASSERT_EQ(saved, ERROR_SUCCESS);

  const std::string sid = "S-1-5-21-1111-2222-3333-4444";
  {
    auto hive = view_->OpenUserHive(sid, profile.path());
    ASSERT_TRUE(hive.ok()) << hive.status().ToString();
    auto value = (*hive)->ReadValue("Software\\Vigie", "State");
    ASSERT_TRUE(value.ok()) << value.status().ToString();
    EXPECT_EQ(value->AsString().value(), "hors ligne");
    auto subkeys = (*hive)->ListSubkeys("");
    ASSERT_TRUE(subkeys.ok()) << subkeys.status().ToString();
    EXPECT_EQ(*subkeys, std::vector<std::string>{"Software"});
    // Never under the user's own SID, where it would pass for a logged-on user.
    EXPECT_EQ(view_->ListRegistrySubkeys("HKEY_USERS\\" + sid).status().code(),
              StatusCode::kNotFound);
  }
  // Unloaded: nothing left under HKEY_USERS, the file can go, and loading it again works.
  EXPECT_EQ(HkeyUsersNames(*view_), users_before);
  auto again = view_->OpenUserHive(sid, profile.path());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  again = NotFound("released");
  EXPECT_EQ(HkeyUsersNames(*view_), users_before);
  EXPECT_TRUE(DeleteFileW(Wide(hive_file).c_str())) << GetLastError();
}

TEST_F(Win32SystemViewTest, ProfileWithoutHiveIsNotFoundAndDamagedHiveIsAnError) {
  TempDir profile;
  auto none = view_->OpenUserHive("S-1-5-21-9-9-9-9", profile.path());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound) << none.status().ToString();

  profile.Write("NTUSER.DAT", "regf but not really a hive");
  auto damaged = view_->OpenUserHive("S-1-5-21-9-9-9-9", profile.path());
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.status().code(), StatusCode::kNotFound) << damaged.status().ToString();
  EXPECT_NE(damaged.status().message().find("NTUSER.DAT"), std::string::npos)
      << damaged.status().ToString();
}

}  // namespace
}  // namespace vigie::agent
