#include "agent/probes/windows_users.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "agent/probes/m365_hosts.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kProfileList =
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList";

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

bool EndsWithIgnoringCase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         AsciiLowercase(text.substr(text.size() - suffix.size())) == AsciiLowercase(suffix);
}

// Profile paths are REG_EXPAND_SZ. Only %SystemDrive% appears in the paths of people's profiles
// (Windows writes "C:\Users\x" or "%SystemDrive%\Users\x"); the system drive of an offline
// machine is its C: drive.
std::optional<std::string> ExpandProfilePath(std::string path) {
  constexpr std::string_view kSystemDrive = "%systemdrive%";
  if (AsciiLowercase(path.substr(0, kSystemDrive.size())) == kSystemDrive) {
    path.replace(0, kSystemDrive.size(), "C:");
  }
  if (path.find('%') != std::string::npos) return std::nullopt;
  return path;
}

void ReplaceAll(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (std::size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

}  // namespace

std::optional<CloudDocumentLocation> CloudDocumentLocationOf(std::string_view url) {
  const auto host = HttpHost(url);
  if (!host) return std::nullopt;
  if (*host == "d.docs.live.net") {
    return CloudDocumentLocation{ServiceCategory::kPersonalDrive, std::string(kConsumerTenantId)};
  }
  auto tenant = SharePointTenant(*host);
  if (!tenant) return std::nullopt;
  return CloudDocumentLocation{
      IsOneDriveBusinessHost(*host) ? ServiceCategory::kPersonalDrive : ServiceCategory::kDocuments,
      std::move(*tenant)};
}

Result<std::optional<std::string>> OptionalString(Result<registry::Value> value) {
  if (!value.ok()) {
    if (value.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return value.status();
  }
  auto text = value->AsString();
  if (!text.ok()) return text.status().Annotate("value " + value->name);
  return std::optional<std::string>(std::move(text).value());
}

Result<std::optional<std::uint32_t>> OptionalDword(Result<registry::Value> value) {
  if (!value.ok()) {
    if (value.status().code() == StatusCode::kNotFound) return std::optional<std::uint32_t>();
    return value.status();
  }
  auto number = value->AsDword();
  if (!number.ok()) return number.status().Annotate("value " + value->name);
  return std::optional<std::uint32_t>(*number);
}

std::string WithoutUserNames(std::string message, const WindowsUser& user) {
  ReplaceAll(message, user.profile_path, "%USERPROFILE%");
  ReplaceAll(message, user.sid, user.pseudonym);
  return message;
}

Result<std::vector<WindowsUser>> ListWindowsUsers(const SystemView& system,
                                                  const UserPseudonyms& pseudonyms,
                                                  std::string_view probe, ScanFacts& facts) {
  std::vector<WindowsUser> users;
  auto sids = system.ListRegistrySubkeys(kProfileList);
  if (!sids.ok()) {
    if (sids.status().code() == StatusCode::kNotFound) return users;
    return sids.status();
  }
  for (const auto& sid : *sids) {
    if (!(StartsWith(sid, "S-1-5-21-") || StartsWith(sid, "S-1-12-1-")) ||
        EndsWithIgnoringCase(sid, ".bak")) {
      continue;
    }
    WindowsUser user;
    user.sid = sid;
    user.pseudonym = pseudonyms.Of(sid);
    auto path = OptionalString(
        system.ReadRegistryValue(std::string(kProfileList) + "\\" + sid, "ProfileImagePath"));
    std::optional<std::string> expanded;
    if (path.ok() && *path) expanded = ExpandProfilePath(**path);
    if (!expanded) {
      const std::string why = !path.ok() ? path.status().message()
                              : !*path   ? std::string("it has no ProfileImagePath")
                                         : std::string("its ProfileImagePath is not a path");
      facts.errors.push_back(
          {std::string(probe), WithoutUserNames(fmt::format("the profile of user {} cannot be "
                                                            "located: {}",
                                                            user.pseudonym, why),
                                                user)});
      continue;
    }
    user.profile_path = std::move(*expanded);
    users.push_back(std::move(user));
  }
  std::sort(users.begin(), users.end(),
            [](const WindowsUser& a, const WindowsUser& b) { return a.sid < b.sid; });
  return users;
}

Status ForEachUserHive(const SystemView& system, const UserPseudonyms& pseudonyms,
                       std::string_view probe, ScanFacts& facts, const UserHiveReader& read) {
  auto users = ListWindowsUsers(system, pseudonyms, probe, facts);
  if (!users.ok()) return users.status();
  for (const auto& user : *users) {
    auto hive = system.OpenUserHive(user.sid, user.profile_path);
    Status status = hive.ok() ? read(user, **hive) : hive.status();
    if (hive.status().code() == StatusCode::kNotFound) continue;
    if (!status.ok()) {
      // The hive itself, or something else of the profile the reader needed (a value, a file).
      const std::string_view what = hive.ok() ? "profile" : "registry";
      facts.errors.push_back(
          {std::string(probe), WithoutUserNames(fmt::format("the {} of user {} cannot be read: {}",
                                                            what, user.pseudonym, status.message()),
                                                user)});
    }
  }
  return Status::Ok();
}

}  // namespace vigie::agent
