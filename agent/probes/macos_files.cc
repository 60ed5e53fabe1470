#include "agent/probes/macos_files.h"

#include <string>

namespace vigie::agent {

Result<plist::Value> ReadPlistFile(const SystemView& system, std::string_view path) {
  auto bytes = system.ReadFile(path, kMaxPlistBytes);
  if (!bytes.ok()) return bytes.status();
  auto value = plist::Parse(*bytes);
  if (!value.ok()) return value.status().Annotate(path);
  return value;
}

Result<bool> PathExists(const SystemView& system, std::string_view path) {
  // A directory cannot be read as a file and a file cannot be listed: one of the two answers.
  auto listing = system.ListDirectory(path);
  if (listing.ok()) return true;
  auto file = system.ReadFile(path, 0);
  if (file.ok()) return true;
  if (file.status().code() == StatusCode::kNotFound) return false;
  if (file.status().code() == StatusCode::kInvalidArgument) return true;
  return file.status();
}

Result<std::optional<std::string>> BundleVersion(const SystemView& system,
                                                 std::string_view bundle) {
  auto info = ReadPlistFile(system, std::string(bundle) + "/Contents/Info.plist");
  if (!info.ok()) {
    if (info.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return info.status();
  }
  return std::optional<std::string>(info->StringAt("CFBundleShortVersionString").value_or(""));
}

}  // namespace vigie::agent
