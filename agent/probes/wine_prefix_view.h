#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/registry/registry.h"
#include "agent/system_view.h"

namespace vigie::agent {

// A Wine prefix seen as the Windows machine it emulates: its registry is the prefix's hive files
// (system.reg as HKEY_LOCAL_MACHINE, user.reg as HKEY_CURRENT_USER), files and the machine facts
// are the host's. Lets the Windows probes (Click-to-Run Office...) run unchanged on a prefix.
class WinePrefixView : public SystemView {
 public:
  WinePrefixView(const SystemView& host, registry::RegistrySnapshot registry)
      : host_(host), registry_(std::move(registry)) {}

  const MachineFacts& machine() const override { return host_.machine(); }
  Result<std::string> ReadFile(std::string_view path, std::size_t max_bytes) const override {
    return host_.ReadFile(path, max_bytes);
  }
  Result<std::vector<DirectoryEntry>> ListDirectory(std::string_view path) const override {
    return host_.ListDirectory(path);
  }
  Result<std::vector<std::string>> ListRegistrySubkeys(std::string_view key) const override;
  Result<registry::Value> ReadRegistryValue(std::string_view key,
                                            std::string_view name) const override;

 private:
  const SystemView& host_;
  registry::RegistrySnapshot registry_;
};

}  // namespace vigie::agent
