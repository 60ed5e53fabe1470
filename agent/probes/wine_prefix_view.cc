#include "agent/probes/wine_prefix_view.h"

#include <fmt/format.h>

namespace vigie::agent {

Result<std::vector<std::string>> WinePrefixView::ListRegistrySubkeys(std::string_view key) const {
  if (registry_.FindKey(key) == nullptr) {
    return NotFound(fmt::format("registry key {} does not exist in the Wine prefix", key));
  }
  return registry_.ListSubkeys(key);
}

Result<registry::Value> WinePrefixView::ReadRegistryValue(std::string_view key,
                                                          std::string_view name) const {
  if (registry_.FindKey(key) == nullptr) {
    return NotFound(fmt::format("registry key {} does not exist in the Wine prefix", key));
  }
  const registry::Value* value = registry_.FindValue(key, name);
  if (value == nullptr) {
    return NotFound(fmt::format("registry key {} has no value {} in the Wine prefix", key, name));
  }
  return *value;
}

}  // namespace vigie::agent
