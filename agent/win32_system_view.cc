#include "agent/win32_system_view.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <windows.h>

#include <algorithm>
#include <utility>

#include "agent/win32_error.h"
#include "common/crypto.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

bool IsDriveAbsolute(std::string_view path) {
  return path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':' &&
         (path[2] == '\\' || path[2] == '/');
}

Result<std::wstring> WindowsPath(std::string_view path) {
  if (!IsDriveAbsolute(path)) {
    return InvalidArgument(fmt::format("{} is not a drive-absolute Windows path", path));
  }
  return Wide(path);
}

class Handle {
 public:
  explicit Handle(HANDLE handle) : handle_(handle) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (handle_ != INVALID_HANDLE_VALUE) CloseHandle(handle_);
  }
  HANDLE get() const { return handle_; }

 private:
  HANDLE handle_;
};

// An open registry key, closed (and for an application hive, unloaded) on destruction.
class RegistryKey {
 public:
  RegistryKey() = default;
  explicit RegistryKey(HKEY key) : key_(key) {}
  RegistryKey(RegistryKey&& other) noexcept : key_(std::exchange(other.key_, nullptr)) {}
  RegistryKey& operator=(RegistryKey&& other) noexcept {
    std::swap(key_, other.key_);
    return *this;
  }
  ~RegistryKey() {
    if (key_ != nullptr) RegCloseKey(key_);
  }
  HKEY get() const { return key_; }
  // Gives the handle up without closing it: for a handle that is not one.
  HKEY Release() { return std::exchange(key_, nullptr); }

 private:
  HKEY key_ = nullptr;
};

constexpr REGSAM kReadAccess = KEY_READ | KEY_WOW64_64KEY;

Result<RegistryKey> OpenKey(HKEY root, std::string_view subkey, std::string_view display) {
  HKEY key = nullptr;
  const LONG code = RegOpenKeyExW(root, Wide(subkey).c_str(), 0, kReadAccess, &key);
  if (code == ERROR_FILE_NOT_FOUND) {
    return NotFound(fmt::format("registry key {} does not exist", display));
  }
  if (code != ERROR_SUCCESS) {
    return Win32Error(static_cast<DWORD>(code),
                      fmt::format("cannot open registry key {}", display));
  }
  return RegistryKey(key);
}

Result<std::vector<std::string>> ListSubkeysOf(HKEY root, std::string_view subkey,
                                               std::string_view display) {
  auto key = OpenKey(root, subkey, display);
  if (!key.ok()) return key.status();
  std::vector<std::string> names;
  // Key names are at most 255 characters.
  std::wstring name(256, L'\0');
  for (DWORD index = 0;; ++index) {
    DWORD size = static_cast<DWORD>(name.size());
    const LONG code =
        RegEnumKeyExW(key->get(), index, name.data(), &size, nullptr, nullptr, nullptr, nullptr);
    if (code == ERROR_NO_MORE_ITEMS) break;
    if (code != ERROR_SUCCESS) {
      return Win32Error(static_cast<DWORD>(code),
                        fmt::format("cannot list the subkeys of registry key {}", display));
    }
    names.push_back(Narrow(std::wstring_view(name.data(), size)));
  }
  // The order of RegistrySnapshot::ListSubkeys: ASCII case folded, as Windows compares names.
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return AsciiLowercase(a) < AsciiLowercase(b);
  });
  return names;
}

Result<registry::Value> ReadValueOf(HKEY root, std::string_view subkey, std::string_view name,
                                    std::string_view display) {
  auto key = OpenKey(root, subkey, display);
  if (!key.ok()) return key.status();
  const std::wstring wide_name = Wide(name);
  registry::Value value;
  value.name = std::string(name);
  DWORD type = REG_NONE;
  DWORD size = 0;
  LONG code = RegQueryValueExW(key->get(), wide_name.c_str(), nullptr, &type, nullptr, &size);
  // The value may grow between the two calls: ask again with the size it now needs.
  while (code == ERROR_SUCCESS || code == ERROR_MORE_DATA) {
    value.data.resize(size);
    code =
        RegQueryValueExW(key->get(), wide_name.c_str(), nullptr, &type, value.data.data(), &size);
    if (code == ERROR_SUCCESS) {
      value.data.resize(size);
      value.type = static_cast<registry::ValueType>(type);
      return value;
    }
  }
  const std::string_view shown = name.empty() ? std::string_view("(default)") : name;
  if (code == ERROR_FILE_NOT_FOUND) {
    return NotFound(fmt::format("registry key {} has no value {}", display, shown));
  }
  return Win32Error(static_cast<DWORD>(code),
                    fmt::format("cannot read value {} of registry key {}", shown, display));
}

struct RootKey {
  std::string_view name;
  HKEY key;
};

// A normalized path ("HKEY_LOCAL_MACHINE\SOFTWARE\...") as its root handle and subkey.
Result<std::pair<HKEY, std::string>> SplitKeyPath(std::string_view path, std::string& normalized) {
  auto spelled = registry::NormalizeKeyPath(path);
  if (!spelled.ok()) return spelled.status();
  normalized = std::move(spelled).value();
  static const RootKey kRoots[] = {{"HKEY_LOCAL_MACHINE", HKEY_LOCAL_MACHINE},
                                   {"HKEY_USERS", HKEY_USERS},
                                   {"HKEY_CURRENT_USER", HKEY_CURRENT_USER},
                                   {"HKEY_CLASSES_ROOT", HKEY_CLASSES_ROOT},
                                   {"HKEY_CURRENT_CONFIG", HKEY_CURRENT_CONFIG}};
  const auto separator = normalized.find('\\');
  const std::string root = AsciiLowercase(normalized.substr(0, separator));
  for (const RootKey& candidate : kRoots) {
    if (AsciiLowercase(candidate.name) == root) {
      return std::make_pair(candidate.key, separator == std::string::npos
                                               ? std::string()
                                               : normalized.substr(separator + 1));
    }
  }
  return InvalidArgument("unknown registry root in " + normalized);
}

// A user's hive: HKEY_USERS\<sid> opened, an application hive loaded from NTUSER.DAT (closing
// its last handle unloads it), or a hive loaded under a temporary HKEY_USERS name, unloaded
// again on destruction.
class Win32UserHive : public UserHive {
 public:
  Win32UserHive(RegistryKey root, std::string display, std::wstring loaded_as = {})
      : root_(std::move(root)), display_(std::move(display)), loaded_as_(std::move(loaded_as)) {}
  Win32UserHive(const Win32UserHive&) = delete;
  Win32UserHive& operator=(const Win32UserHive&) = delete;
  ~Win32UserHive() override {
    if (loaded_as_.empty()) return;
    root_ = RegistryKey();
    const LONG code = RegUnLoadKeyW(HKEY_USERS, loaded_as_.c_str());
    if (code != ERROR_SUCCESS) {
      spdlog::warn("cannot unload the hive loaded as HKEY_USERS\\{}: {}", Narrow(loaded_as_),
                   ErrorText(static_cast<DWORD>(code)));
    }
  }

  Result<std::vector<std::string>> ListSubkeys(std::string_view key) const override {
    return ListSubkeysOf(root_.get(), key, Display(key));
  }
  Result<registry::Value> ReadValue(std::string_view key, std::string_view name) const override {
    return ReadValueOf(root_.get(), key, name, Display(key));
  }

 private:
  std::string Display(std::string_view key) const {
    return key.empty() ? display_ : display_ + "\\" + std::string(key);
  }

  RegistryKey root_;
  std::string display_;
  std::wstring loaded_as_;
};

// Enables a privilege the process token holds but has disabled, as administrators' and
// SYSTEM's tokens do for backup and restore.
void EnablePrivilege(const wchar_t* name) {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &token)) return;
  TOKEN_PRIVILEGES privileges{};
  privileges.PrivilegeCount = 1;
  privileges.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
  if (LookupPrivilegeValueW(nullptr, name, &privileges.Privileges[0].Luid)) {
    AdjustTokenPrivileges(token, FALSE, &privileges, 0, nullptr, nullptr);
  }
  CloseHandle(token);
}

// RegLoadKey under a name of our own: needs the backup and restore privileges (the service runs
// as SYSTEM, which holds them), and is visible under HKEY_USERS while loaded.
Result<std::unique_ptr<UserHive>> LoadUnderHkeyUsers(const std::wstring& file,
                                                     const std::string& display) {
  EnablePrivilege(SE_BACKUP_NAME);
  EnablePrivilege(SE_RESTORE_NAME);
  auto suffix = RandomHex(8);
  if (!suffix.ok()) return suffix.status();
  const std::wstring name = Wide("Vigie-" + *suffix);
  const LONG code = RegLoadKeyW(HKEY_USERS, name.c_str(), file.c_str());
  if (code != ERROR_SUCCESS) {
    return Win32Error(static_cast<DWORD>(code), "cannot load " + display);
  }
  HKEY key = nullptr;
  const LONG opened = RegOpenKeyExW(HKEY_USERS, name.c_str(), 0, kReadAccess, &key);
  auto hive = std::make_unique<Win32UserHive>(RegistryKey(key), display, name);
  if (opened != ERROR_SUCCESS) {
    return Win32Error(static_cast<DWORD>(opened), "cannot open the loaded " + display);
  }
  return std::unique_ptr<UserHive>(std::move(hive));
}

std::string Architecture() {
  SYSTEM_INFO info{};
  GetNativeSystemInfo(&info);
  switch (info.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_AMD64:
      return "x86_64";
    case PROCESSOR_ARCHITECTURE_ARM64:
      return "aarch64";
    case PROCESSOR_ARCHITECTURE_INTEL:
      return "x86";
    default:
      return {};
  }
}

}  // namespace

Result<std::unique_ptr<Win32SystemView>> Win32SystemView::Live() {
  MachineFacts machine;
  machine.os_family = OsFamily::kWindows;
  machine.architecture = Architecture();
  DWORD size = 0;
  GetComputerNameExW(ComputerNameDnsHostname, nullptr, &size);
  std::wstring name(size, L'\0');
  if (!GetComputerNameExW(ComputerNameDnsHostname, name.data(), &size)) {
    return Win32Error(GetLastError(), "cannot read this computer's host name");
  }
  name.resize(size);
  machine.hostname = Narrow(name);
  return std::unique_ptr<Win32SystemView>(new Win32SystemView(std::move(machine)));
}

Result<std::string> Win32SystemView::ReadFile(std::string_view path, std::size_t max_bytes) const {
  auto wide = WindowsPath(path);
  if (!wide.ok()) return wide.status();
  // Shared with writers and deleters: probes read files applications keep open. Backup
  // semantics open a directory too, so that it is refused as one rather than as access denied.
  const Handle file(CreateFileW(wide->c_str(), GENERIC_READ,
                                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr));
  if (file.get() == INVALID_HANDLE_VALUE) {
    return Win32Error(GetLastError(), fmt::format("cannot open {}", path));
  }
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(file.get(), &info)) {
    return Win32Error(GetLastError(), fmt::format("cannot stat {}", path));
  }
  if ((info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
    return InvalidArgument(fmt::format("{} is not a regular file", path));
  }
  const std::uint64_t size =
      (static_cast<std::uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
  if (size > max_bytes) {
    return InvalidArgument(fmt::format("{} is larger than {} bytes", path, max_bytes));
  }
  std::string content(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  while (done < content.size()) {
    DWORD read = 0;
    if (!::ReadFile(file.get(), content.data() + done, static_cast<DWORD>(content.size() - done),
                    &read, nullptr)) {
      return Win32Error(GetLastError(), fmt::format("cannot read {}", path));
    }
    // The file shrank while being read: what was read is what it now holds.
    if (read == 0) break;
    done += read;
  }
  content.resize(done);
  return content;
}

Result<std::vector<DirectoryEntry>> Win32SystemView::ListDirectory(std::string_view path) const {
  auto wide = WindowsPath(path);
  if (!wide.ok()) return wide.status();
  std::wstring pattern = *wide;
  if (pattern.back() != L'\\' && pattern.back() != L'/') pattern += L'\\';
  pattern += L'*';
  WIN32_FIND_DATAW found{};
  HANDLE search =
      FindFirstFileExW(pattern.c_str(), FindExInfoBasic, &found, FindExSearchNameMatch, nullptr, 0);
  if (search == INVALID_HANDLE_VALUE) {
    return Win32Error(GetLastError(), fmt::format("cannot list {}", path));
  }
  std::vector<DirectoryEntry> entries;
  DWORD code = ERROR_SUCCESS;
  do {
    const std::wstring_view name(found.cFileName);
    if (name == L"." || name == L"..") continue;
    DirectoryEntry entry;
    entry.name = Narrow(name);
    entry.is_directory = (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    entries.push_back(std::move(entry));
  } while (FindNextFileW(search, &found));
  code = GetLastError();
  FindClose(search);
  if (code != ERROR_NO_MORE_FILES) return Win32Error(code, fmt::format("cannot list {}", path));
  return entries;
}

Result<std::vector<std::string>> Win32SystemView::ListRegistrySubkeys(std::string_view key) const {
  std::string normalized;
  auto split = SplitKeyPath(key, normalized);
  if (!split.ok()) return split.status();
  return ListSubkeysOf(split->first, split->second, normalized);
}

Result<registry::Value> Win32SystemView::ReadRegistryValue(std::string_view key,
                                                           std::string_view name) const {
  std::string normalized;
  auto split = SplitKeyPath(key, normalized);
  if (!split.ok()) return split.status();
  return ReadValueOf(split->first, split->second, name, normalized);
}

Result<std::unique_ptr<UserHive>> Win32SystemView::OpenUserHive(
    std::string_view sid, std::string_view profile_path) const {
  if (sid.empty() || sid.find('\\') != std::string_view::npos) {
    return InvalidArgument(fmt::format("'{}' is not a security identifier", sid));
  }
  const std::string loaded = "HKEY_USERS\\" + std::string(sid);
  auto key = OpenKey(HKEY_USERS, sid, loaded);
  if (key.ok()) {
    return std::unique_ptr<UserHive>(std::make_unique<Win32UserHive>(std::move(*key), loaded));
  }
  if (key.status().code() != StatusCode::kNotFound) return key.status();

  std::string path(profile_path);
  while (!path.empty() && (path.back() == '\\' || path.back() == '/')) path.pop_back();
  path += "\\NTUSER.DAT";
  auto wide = WindowsPath(path);
  if (!wide.ok()) return wide.status();
  if (GetFileAttributesW(wide->c_str()) == INVALID_FILE_ATTRIBUTES) {
    const DWORD code = GetLastError();
    if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND) {
      return NotFound(fmt::format("user {} has no loaded hive and no {}", sid, path));
    }
    return Win32Error(code, fmt::format("cannot read {}", path));
  }
  const std::string display = fmt::format("{} of {}", path, sid);
  HKEY hive = nullptr;
  const LONG code = RegLoadAppKeyW(wide->c_str(), &hive, KEY_READ, REG_PROCESS_APPKEY, 0);
  if (code == ERROR_SUCCESS) {
    RegistryKey app_key(hive);
    // Wine (8.0) implements RegLoadAppKey as a stub that returns an unusable handle: a handle
    // that cannot be queried means application hives are not available here.
    if (RegQueryInfoKeyW(hive, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                         nullptr, nullptr, nullptr, nullptr) == ERROR_SUCCESS) {
      return std::unique_ptr<UserHive>(
          std::make_unique<Win32UserHive>(std::move(app_key), display));
    }
    static_cast<void>(app_key.Release());
  } else if (code != ERROR_CALL_NOT_IMPLEMENTED && code != ERROR_NOT_SUPPORTED) {
    return Win32Error(static_cast<DWORD>(code), "cannot load " + display);
  }
  return LoadUnderHkeyUsers(*wide, display);
}

}  // namespace vigie::agent
