#include "agent/probes/browser_history_snapshot.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace vigie::agent {
namespace {

Status WriteNewFile(const std::filesystem::path& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Internal("cannot create a private copy: " + std::string(std::strerror(errno)));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t written = ::write(fd, content.data() + done, content.size() - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      return Internal("cannot write a private copy: " + std::string(std::strerror(error)));
    }
    done += static_cast<std::size_t>(written);
  }
  if (::close(fd) != 0) {
    return Internal("cannot write a private copy: " + std::string(std::strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace

Result<HistorySnapshot> HistorySnapshot::Take(const SystemView& system, std::string_view database) {
  // Read before creating anything, so that an absent database costs no directory.
  auto main = system.ReadFile(database, kMaxDatabaseBytes);
  if (!main.ok()) return main.status();

  std::error_code error;
  const auto temp = std::filesystem::temp_directory_path(error);
  if (error) return Internal("no temporary directory: " + error.message());
  std::string pattern = (temp / "vigie-history-XXXXXX").string();
  // mkdtemp creates the directory with mode 0700.
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Internal("cannot create a private directory: " + std::string(std::strerror(errno)));
  }
  HistorySnapshot snapshot(pattern, std::filesystem::path(pattern) / "history.sqlite");
  VIGIE_RETURN_IF_ERROR(WriteNewFile(snapshot.database_, *main));
  for (const std::string_view suffix : {"-wal", "-journal"}) {
    auto side = system.ReadFile(std::string(database) + std::string(suffix), kMaxDatabaseBytes);
    if (!side.ok()) {
      if (side.status().code() == StatusCode::kNotFound) continue;
      return side.status();
    }
    VIGIE_RETURN_IF_ERROR(WriteNewFile(snapshot.database_.string() + std::string(suffix), *side));
  }
  return snapshot;
}

HistorySnapshot::HistorySnapshot(HistorySnapshot&& other) noexcept
    : directory_(std::move(other.directory_)), database_(std::move(other.database_)) {
  other.directory_.clear();
}

HistorySnapshot::~HistorySnapshot() {
  if (directory_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

}  // namespace vigie::agent
