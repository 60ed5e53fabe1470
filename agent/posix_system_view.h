#pragma once

#include <string>

#include "agent/system_view.h"

namespace vigie::agent {

// SystemView over a POSIX file system, rooted at a directory: "/" for the live machine, or a
// fixture host (a directory with host.toml, see docs/architecture.md) or a mounted disk.
// Paths resolve as if the root were "/" (symlinks included, via openat2 RESOLVE_IN_ROOT), so a
// fixture's absolute symlinks cannot lead outside it. Windows paths "C:\x" map to "<root>/C/x".
// A Windows host root carries its registry as regedit exports, `<root>/registry/*.reg`, merged in
// the order of their names when the view is created.
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
  Result<std::vector<std::string>> ListRegistrySubkeys(std::string_view key) const override;
  Result<registry::Value> ReadRegistryValue(std::string_view key,
                                            std::string_view name) const override;
  // Loaded hives are the HKEY_USERS\<sid> keys of the exports; the others are read from the
  // profile's NTUSER.DAT with libhivex.
  Result<std::unique_ptr<UserHive>> OpenUserHive(std::string_view sid,
                                                 std::string_view profile_path) const override;

 private:
  PosixSystemView(int root_fd, MachineFacts machine);
  // Opens `path` below the root; returns the descriptor or an error naming the path.
  Result<int> Open(std::string_view path, int flags) const;
  // Reads `<root>/registry/*.reg` into registry_.
  Status LoadRegistry();

  int root_fd_ = -1;
  MachineFacts machine_;
  registry::RegistrySnapshot registry_;
  // Why registry_ cannot be trusted, returned by every registry read: no registry on this
  // machine, or an export that could not be read (a partial registry would let a probe take a
  // key in the unreadable file for absent).
  Status registry_status_;
};

}  // namespace vigie::agent
