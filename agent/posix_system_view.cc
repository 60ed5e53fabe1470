#include "agent/posix_system_view.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

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
  return view;
}

PosixSystemView::PosixSystemView(PosixSystemView&& other) noexcept
    : root_fd_(std::exchange(other.root_fd_, -1)), machine_(std::move(other.machine_)) {}

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
    }
    entries.push_back({std::string(name), is_directory});
  }
  const int error = errno;
  ::closedir(dir);
  if (error != 0) return ErrnoStatus(error, "cannot list", path);
  return entries;
}

}  // namespace vigie::agent
