#include "agent/probes/user_homes.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>

#include "common/text.h"

namespace vigie::agent {
namespace {

struct UsersFolder {
  std::string_view path;
  char separator;
  // Folders in it that are not a person's home.
  std::span<const std::string_view> skipped;
};

constexpr std::array<std::string_view, 2> kMacosSkipped = {"Shared", "Guest"};
constexpr std::array<std::string_view, 1> kLinuxSkipped = {"lost+found"};
constexpr std::array<std::string_view, 5> kWindowsSkipped = {"Public", "Default", "Default User",
                                                             "All Users", "WDAGUtilityAccount"};

std::optional<UsersFolder> FolderOf(OsFamily os) {
  switch (os) {
    case OsFamily::kMacos:
      return UsersFolder{"/Users", '/', kMacosSkipped};
    case OsFamily::kLinux:
      return UsersFolder{"/home", '/', kLinuxSkipped};
    case OsFamily::kWindows:
      return UsersFolder{"C:\\Users", '\\', kWindowsSkipped};
    case OsFamily::kUnspecified:
      break;
  }
  return std::nullopt;
}

bool IsSkipped(const UsersFolder& folder, std::string_view name) {
  if (name.empty() || name.front() == '.') return true;
  return std::any_of(folder.skipped.begin(), folder.skipped.end(), [&](std::string_view skipped) {
    return AsciiLowercase(skipped) == AsciiLowercase(name);
  });
}

}  // namespace

Result<std::vector<UserHome>> ListUserHomes(const SystemView& system, OsFamily os,
                                            const UserPseudonyms& pseudonyms) {
  std::vector<UserHome> homes;
  const auto folder = FolderOf(os);
  if (!folder) return homes;
  auto entries = system.ListDirectory(folder->path);
  if (!entries.ok()) {
    if (entries.status().code() == StatusCode::kNotFound) return homes;
    return entries.status();
  }
  for (const auto& entry : *entries) {
    if (!entry.is_directory || IsSkipped(*folder, entry.name)) continue;
    homes.push_back({entry.name, std::string(folder->path) + folder->separator + entry.name,
                     pseudonyms.Of(entry.name)});
  }
  std::sort(homes.begin(), homes.end(),
            [](const UserHome& a, const UserHome& b) { return a.account < b.account; });
  return homes;
}

std::string JoinUserPath(OsFamily os, std::string_view home, std::string_view relative) {
  const char separator = os == OsFamily::kWindows ? '\\' : '/';
  std::string path(home);
  path += separator;
  for (const char c : relative) path += c == '/' ? separator : c;
  return path;
}

std::string UserScopedReason(const UserHome& user, std::string_view message) {
  std::string reason;
  std::size_t position = 0;
  for (auto at = message.find(user.path); at != std::string_view::npos;
       at = message.find(user.path, position)) {
    reason.append(message.substr(position, at - position)).append("~");
    position = at + user.path.size();
  }
  reason.append(message.substr(position));
  return reason + " (user " + user.pseudonym + ")";
}

}  // namespace vigie::agent
