#include "agent/posix_system_view.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <utility>

#include "agent/registry/hive_file.h"
#include "agent/registry/reg_file.h"
#include "common/config_file.h"

#if defined(__linux__)
#include <linux/openat2.h>
#include <sys/syscall.h>
#endif

namespace vigie::agent {
namespace {

// "C:\Users\a" -> "C/Users/a"; "/var/lib" -> "var/lib". Empty on a path that cannot be one.
std::string RelativeToRoot(std::string_view path) {
  std::string out(path);
  if (out.find('\0') != std::string::npos) return {};
  if (out.size() >= 2 && out[1] == ':' && std::isalpha(static_cast<unsigned char>(out[0]))) {
    out.erase(1, 1);
    out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    for (char& c : out) {
      if (c == '\\') c = '/';
    }
  }
  const auto first = out.find_first_not_of('/');
  return first == std::string::npos ? std::string(".") : out.substr(first);
}

Status ErrnoStatus(int error, std::string_view what, std::string_view path) {
  std::string message = std::string(what) + " " + std::string(path) + ": " + std::strerror(error);
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return NotFound(std::move(message));
    case EACCES:
    case EPERM:
      return PermissionDenied(std::move(message));
    case ELOOP:
    case EXDEV:
    case EISDIR:
    case EINVAL:
      return InvalidArgument(std::move(message));
    default:
      return Unavailable(std::move(message));
  }
}

constexpr std::string_view kRegistryDirectory = "/registry";
// A full export of HKEY_LOCAL_MACHINE from a crowded workstation is a few hundred MiB in UTF-16.
constexpr std::size_t kMaxRegFileBytes = 1024 * 1024 * 1024;

constexpr std::string_view kUnreadableExports =
    "the registry exports of this host cannot be read, so no registry key can be trusted";

// A hive loaded under HKEY_USERS, read through the snapshot of the exports.
class LoadedUserHive : public UserHive {
 public:
  LoadedUserHive(const PosixSystemView& system, std::string root)
      : system_(system), root_(std::move(root)) {}

  Result<std::vector<std::string>> ListSubkeys(std::string_view key) const override {
    return system_.ListRegistrySubkeys(Path(key));
  }
  Result<registry::Value> ReadValue(std::string_view key, std::string_view name) const override {
    return system_.ReadRegistryValue(Path(key), name);
  }

 private:
  std::string Path(std::string_view key) const {
    return key.empty() ? root_ : root_ + "\\" + std::string(key);
  }

  const PosixSystemView& system_;
  std::string root_;
};

// A user's NTUSER.DAT, open for as long as the object lives.
class OfflineUserHive : public UserHive {
 public:
  explicit OfflineUserHive(std::unique_ptr<registry::HiveFile> file) : file_(std::move(file)) {}

  Result<std::vector<std::string>> ListSubkeys(std::string_view key) const override {
    return file_->ListSubkeys(key);
  }
  Result<registry::Value> ReadValue(std::string_view key, std::string_view name) const override {
    return file_->ReadValue(key, name);
  }

 private:
  std::unique_ptr<registry::HiveFile> file_;
};

// NTUSER.DAT of a busy profile runs to a few tens of MiB; anything beyond this is not one.
constexpr std::size_t kMaxUserHiveBytes = 512 * 1024 * 1024;

bool IsRegFileName(std::string_view name) {
  if (name.size() <= 4) return false;
  std::string extension(name.substr(name.size() - 4));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".reg";
}

OsFamily LiveOsFamily() {
#if defined(__linux__)
  return OsFamily::kLinux;
#elif defined(__APPLE__)
  return OsFamily::kMacos;
#else
  return OsFamily::kUnspecified;
#endif
}

}  // namespace

Result<PosixSystemView> PosixSystemView::Live() {
  const int fd = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open", "/");
  MachineFacts machine;
  machine.os_family = LiveOsFamily();
  char hostname[256] = {};
  if (::gethostname(hostname, sizeof(hostname) - 1) == 0) machine.hostname = hostname;
  struct utsname names {};
  if (::uname(&names) == 0) machine.architecture = names.machine;
  return PosixSystemView(fd, std::move(machine));
}

Result<PosixSystemView> PosixSystemView::ForRoot(const std::string& root) {
  const int fd = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open host root", root);
  PosixSystemView view(fd, {});
  const std::string description_path = root + "/host.toml";
  auto text = view.ReadFile("/host.toml", 64 * 1024);
  if (!text.ok()) {
    return text.status().Annotate("a host root needs a host.toml describing the machine");
  }
  auto file = ConfigFile::Parse(*text, description_path);
  if (!file.ok()) return file.status();
  static constexpr std::string_view kKeys[] = {"os", "hostname", "architecture"};
  VIGIE_RETURN_IF_ERROR(file->CheckKeys(kKeys));
  auto os = file->GetString("os");
  if (!os.ok()) return os.status();
  if (!*os) return InvalidArgument(description_path + ": os: missing (windows, linux or macos)");
  if (**os == "windows") {
    view.machine_.os_family = OsFamily::kWindows;
  } else if (**os == "linux") {
    view.machine_.os_family = OsFamily::kLinux;
  } else if (**os == "macos") {
    view.machine_.os_family = OsFamily::kMacos;
  } else {
    return file->ErrorAt(*file->table().get("os"), "os",
                         "'" + **os + "' is not one of windows, linux, macos");
  }
  auto hostname = file->GetString("hostname");
  if (!hostname.ok()) return hostname.status();
  view.machine_.hostname = hostname->value_or("");
  auto architecture = file->GetString("architecture");
  if (!architecture.ok()) return architecture.status();
  view.machine_.architecture = architecture->value_or("");
  if (view.machine_.os_family == OsFamily::kWindows) view.registry_status_ = view.LoadRegistry();
  return view;
}

PosixSystemView::PosixSystemView(int root_fd, MachineFacts machine)
    : root_fd_(root_fd),
      machine_(std::move(machine)),
      registry_status_(FailedPrecondition("this machine has no Windows registry")) {}

PosixSystemView::PosixSystemView(PosixSystemView&& other) noexcept
    : root_fd_(std::exchange(other.root_fd_, -1)),
      machine_(std::move(other.machine_)),
      registry_(std::move(other.registry_)),
      registry_status_(std::move(other.registry_status_)) {}

PosixSystemView::~PosixSystemView() {
  if (root_fd_ >= 0) ::close(root_fd_);
}

Result<int> PosixSystemView::Open(std::string_view path, int flags) const {
  const std::string relative = RelativeToRoot(path);
  if (relative.empty()) return InvalidArgument("not a path: " + std::string(path));
  flags |= O_CLOEXEC | O_NOCTTY;
#if defined(__linux__)
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  int fd;
  do {
    fd = static_cast<int>(::syscall(SYS_openat2, root_fd_, relative.c_str(), &how, sizeof(how)));
  } while (fd < 0 && errno == EAGAIN);
  if (fd >= 0 || errno != ENOSYS) {
    if (fd < 0) return ErrnoStatus(errno, "cannot open", path);
    return fd;
  }
#endif
  // Kernels before 5.6: relative resolution without the root confinement of symlinks.
  const int plain_fd = ::openat(root_fd_, relative.c_str(), flags);
  if (plain_fd < 0) return ErrnoStatus(errno, "cannot open", path);
  return plain_fd;
}

Result<std::string> PosixSystemView::ReadFile(std::string_view path, std::size_t max_bytes) const {
  // O_NONBLOCK: a FIFO planted where a file is expected must not hang the scan.
  auto fd = Open(path, O_RDONLY | O_NONBLOCK);
  if (!fd.ok()) return fd.status();
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{*fd};
  struct stat info {};
  if (::fstat(*fd, &info) != 0) return ErrnoStatus(errno, "cannot stat", path);
  if (!S_ISREG(info.st_mode)) return InvalidArgument(std::string(path) + " is not a regular file");
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes) {
    return InvalidArgument(std::string(path) + " is larger than " + std::to_string(max_bytes) +
                           " bytes");
  }
  std::string content;
  content.resize(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  while (true) {
    if (done == content.size()) {
      // The file may have grown since fstat: read on, within the limit.
      if (content.size() >= max_bytes) break;
      content.resize(std::min(max_bytes, content.size() + 4096));
    }
    const ssize_t got = ::read(*fd, content.data() + done, content.size() - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "cannot read", path);
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  content.resize(done);
  return content;
}

Result<std::vector<DirectoryEntry>> PosixSystemView::ListDirectory(std::string_view path) const {
  auto fd = Open(path, O_RDONLY | O_DIRECTORY);
  if (!fd.ok()) return fd.status();
  DIR* dir = ::fdopendir(*fd);
  if (!dir) {
    const int error = errno;
    ::close(*fd);
    return ErrnoStatus(error, "cannot list", path);
  }
  std::vector<DirectoryEntry> entries;
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    bool is_directory = entry->d_type == DT_DIR;
    if (entry->d_type == DT_UNKNOWN || entry->d_type == DT_LNK) {
      struct stat info {};
      is_directory = ::fstatat(::dirfd(dir), entry->d_name, &info, 0) == 0 && S_ISDIR(info.st_mode);
      // A dangling or looping symlink is an entry like any other, not a failure of the listing:
      // readdir leaves errno alone at the end, so fstatat's error must not outlive this entry.
      errno = 0;
    }
    entries.push_back({std::string(name), is_directory});
  }
  const int error = errno;
  ::closedir(dir);
  if (error != 0) return ErrnoStatus(error, "cannot list", path);
  return entries;
}

Status PosixSystemView::LoadRegistry() {
  auto entries = ListDirectory(kRegistryDirectory);
  if (!entries.ok()) {
    if (entries.status().code() == StatusCode::kNotFound) {
      // Without the exports nothing can be said about the registry; an empty one would pass
      // every Windows signal as absent.
      return FailedPrecondition(
          "this Windows host root has no registry/ directory of .reg exports: its registry "
          "cannot be read");
    }
    return entries.status().Annotate(kUnreadableExports);
  }
  std::vector<std::string> names;
  for (const auto& entry : *entries) {
    if (!entry.is_directory && IsRegFileName(entry.name)) names.push_back(entry.name);
  }
  // Later files override earlier ones: the order must not depend on the file system.
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    const std::string relative = "registry/" + name;
    auto bytes = ReadFile("/" + relative, kMaxRegFileBytes);
    if (!bytes.ok()) return bytes.status().Annotate(kUnreadableExports);
    // The parser's message starts with "registry/<name>:<line>:".
    VIGIE_RETURN_IF_ERROR(
        registry::ParseRegFile(*bytes, relative, registry_).Annotate(kUnreadableExports));
  }
  return Status::Ok();
}

Result<std::vector<std::string>> PosixSystemView::ListRegistrySubkeys(std::string_view key) const {
  VIGIE_RETURN_IF_ERROR(registry_status_);
  auto normalized = registry::NormalizeKeyPath(key);
  if (!normalized.ok()) return normalized.status();
  if (registry_.FindKey(*normalized) == nullptr) {
    return NotFound("registry key " + *normalized + " does not exist");
  }
  return registry_.ListSubkeys(*normalized);
}

Result<std::unique_ptr<UserHive>> PosixSystemView::OpenUserHive(
    std::string_view sid, std::string_view profile_path) const {
  VIGIE_RETURN_IF_ERROR(registry_status_);
  const std::string loaded = "HKEY_USERS\\" + std::string(sid);
  if (sid.find('\\') == std::string_view::npos && registry_.FindKey(loaded) != nullptr) {
    return std::unique_ptr<UserHive>(std::make_unique<LoadedUserHive>(*this, loaded));
  }
  std::string path(profile_path);
  while (!path.empty() && (path.back() == '\\' || path.back() == '/')) path.pop_back();
  path += "\\NTUSER.DAT";
  auto fd = Open(path, O_RDONLY);
  if (!fd.ok()) {
    if (fd.status().code() == StatusCode::kNotFound) {
      return NotFound(fmt::format("user {} has no loaded hive and no {}", sid, path));
    }
    return fd.status();
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{*fd};
  struct stat info {};
  if (::fstat(*fd, &info) != 0) return ErrnoStatus(errno, "cannot stat", path);
  if (!S_ISREG(info.st_mode)) return InvalidArgument(path + " is not a regular file");
  if (static_cast<std::uint64_t>(info.st_size) > kMaxUserHiveBytes) {
    return InvalidArgument(fmt::format("{} is larger than {} bytes", path, kMaxUserHiveBytes));
  }
  auto file = registry::HiveFile::Open(*fd, path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<UserHive>(std::make_unique<OfflineUserHive>(std::move(file).value()));
}

Result<registry::Value> PosixSystemView::ReadRegistryValue(std::string_view key,
                                                           std::string_view name) const {
  VIGIE_RETURN_IF_ERROR(registry_status_);
  auto normalized = registry::NormalizeKeyPath(key);
  if (!normalized.ok()) return normalized.status();
  const registry::Key* found = registry_.FindKey(*normalized);
  if (found == nullptr) return NotFound("registry key " + *normalized + " does not exist");
  const registry::Value* value = found->FindValue(name);
  if (value == nullptr) {
    return NotFound(fmt::format("registry key {} has no value {}", *normalized,
                                name.empty() ? std::string_view("(default)") : name));
  }
  return *value;
}

}  // namespace vigie::agent
