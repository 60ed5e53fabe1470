#pragma once
// Helpers of the tests that run under Wine.
#include <windows.h>

#include <cwchar>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace vigie::agent::wine_test {

inline std::wstring Wide(std::string_view text) {
  return std::wstring(text.begin(), text.end());  // The tests' own paths are ASCII.
}

// Runs `command_line` (a program of Wine's or Windows') and returns its exit code.
inline DWORD RunProgram(std::wstring command_line) {
  STARTUPINFOW startup{};
  startup.cb = sizeof(startup);
  PROCESS_INFORMATION process{};
  if (!CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr,
                      &startup, &process)) {
    return GetLastError();
  }
  WaitForSingleObject(process.hProcess, INFINITE);
  DWORD code = 1;
  GetExitCodeProcess(process.hProcess, &code);
  CloseHandle(process.hThread);
  CloseHandle(process.hProcess);
  return code;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// A fresh directory under the Windows temporary directory, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    wchar_t base[MAX_PATH + 1];
    GetTempPathW(MAX_PATH + 1, base);
    wchar_t name[MAX_PATH + 1];
    GetTempFileNameW(base, L"vgt", 0, name);
    DeleteFileW(name);
    CreateDirectoryW(name, nullptr);
    path_ = std::string(name, name + wcslen(name));
  }
  ~TempDir() { RunProgram(L"cmd.exe /c rmdir /s /q \"" + Wide(path_) + L"\""); }
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const {
    const std::string file = path_ + "\\" + name;
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  std::string path_;
};

}  // namespace vigie::agent::wine_test
