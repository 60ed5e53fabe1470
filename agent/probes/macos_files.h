#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/plist/plist.h"
#include "agent/system_view.h"
#include "common/status.h"

namespace vigie::agent {

// Preferences and Info.plist files are small; anything bigger is not what a probe expects.
inline constexpr std::size_t kMaxPlistBytes = 8 * 1024 * 1024;

// The property list at `path`, XML or binary. NOT_FOUND when the file does not exist; a damaged
// file gives INVALID_ARGUMENT naming the path.
Result<plist::Value> ReadPlistFile(const SystemView& system, std::string_view path);

// Whether `path` exists (file or directory). Errors other than "absent" are returned.
Result<bool> PathExists(const SystemView& system, std::string_view path);

// An application bundle's CFBundleShortVersionString ("16.89"), from <bundle>/Contents/Info.plist;
// nullopt when the bundle is not installed, "" when it says no version.
Result<std::optional<std::string>> BundleVersion(const SystemView& system, std::string_view bundle);

}  // namespace vigie::agent
