#pragma once

#include <string>

#include "agent/system_view.h"

namespace vigie::agent {

// SystemView over a POSIX file system, rooted at a directory: "/" for the live machine, or a
// fixture host (a directory with host.toml, see docs/architecture.md) or a mounted disk.
// Paths resolve as if the root were "/" (symlinks included, via openat2 RESOLVE_IN_ROOT), so a
// fixture's absolute symlinks cannot lead outside it. Windows paths "C:\x" map to "<root>/C/x".
class PosixSystemView : public SystemView {
 public:
  // The machine this process runs on.
  static Result<PosixSystemView> Live();
  // A fixture host or mounted disk at `root`, described by `<root>/host.toml`
  // (os = "windows" | "linux" | "macos", optional hostname and architecture).
  static Result<PosixSystemView> ForRoot(const std::string& root);

  PosixSystemView(PosixSystemView&& other) noexcept;
  PosixSystemView(const PosixSystemView&) = delete;
  PosixSystemView& operator=(const PosixSystemView&) = delete;
  PosixSystemView& operator=(PosixSystemView&&) = delete;
  ~PosixSystemView() override;

  const MachineFacts& machine() const override { return machine_; }
  Result<std::string> ReadFile(std::string_view path, std::size_t max_bytes) const override;
  Result<std::vector<DirectoryEntry>> ListDirectory(std::string_view path) const override;

 private:
  PosixSystemView(int root_fd, MachineFacts machine)
      : root_fd_(root_fd), machine_(std::move(machine)) {}
  // Opens `path` below the root; returns the descriptor or an error naming the path.
  Result<int> Open(std::string_view path, int flags) const;

  int root_fd_ = -1;
  MachineFacts machine_;
};

}  // namespace vigie::agent
