// Test helper of the Wine tests: saves keys of HKEY_USERS as hive files with RegSaveKeyW, the
// way a profile's NTUSER.DAT is written, then deletes them. Wine 8's `reg` has no `save`
// command, and Wine loads only hive files in its own format, so the parity test turns each
// fixture user's regf NTUSER.DAT into one: exported by hivexregedit, imported by regedit, saved
// by this tool.
//   vigie-hive-tool.exe NAME FILE [NAME FILE...]   (NAME: a subkey of HKEY_USERS)
#include <windows.h>
// windows.h first: shellapi.h needs its types.
#include <shellapi.h>

#include <cstdio>

int main() {
  int argc = 0;
  wchar_t** argv = CommandLineToArgvW(GetCommandLineW(), &argc);
  if (argv == nullptr || argc < 3 || argc % 2 != 1) {
    std::fprintf(stderr, "usage: vigie-hive-tool NAME FILE [NAME FILE...]\n");
    return 2;
  }
  // Saving a hive needs SeBackupPrivilege on Windows; Wine does not check it.
  HANDLE token = nullptr;
  if (OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &token)) {
    TOKEN_PRIVILEGES privileges{};
    privileges.PrivilegeCount = 1;
    privileges.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
    if (LookupPrivilegeValueW(nullptr, L"SeBackupPrivilege", &privileges.Privileges[0].Luid)) {
      AdjustTokenPrivileges(token, FALSE, &privileges, 0, nullptr, nullptr);
    }
    CloseHandle(token);
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    HKEY key = nullptr;
    LONG code = RegOpenKeyExW(HKEY_USERS, argv[i], 0, KEY_READ, &key);
    if (code == ERROR_SUCCESS) {
      DeleteFileW(argv[i + 1]);
      code = RegSaveKeyW(key, argv[i + 1], nullptr);
      RegCloseKey(key);
    }
    // With a subkey name, RegDeleteTreeW deletes that key too.
    if (code == ERROR_SUCCESS) code = RegDeleteTreeW(HKEY_USERS, argv[i]);
    if (code != ERROR_SUCCESS) {
      std::fprintf(stderr, "vigie-hive-tool: %ls -> %ls: Win32 error %ld\n", argv[i], argv[i + 1],
                   code);
      return 1;
    }
  }
  LocalFree(argv);
  return 0;
}
