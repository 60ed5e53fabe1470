#include "agent/probes/linux_user_config_probe.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "agent/probes/linux_wine.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::size_t kMaxPasswdBytes = 16 * 1024 * 1024;
constexpr unsigned kFirstHumanUid = 1000;
constexpr unsigned kNobodyUid = 65534;

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const auto colon = line.find(':');
    fields.push_back(line.substr(0, colon));
    if (colon == std::string_view::npos) return fields;
    line = line.substr(colon + 1);
  }
}

std::string WithoutTrailingSlashes(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return std::string(path);
}

}  // namespace

std::string UserFiles::PathOf(std::string_view relative) const {
  return relative.empty() ? home_.path : home_.path + "/" + std::string(relative);
}

std::string UserFiles::Redact(std::string message) const {
  for (auto at = message.find(home_.path); at != std::string::npos;
       at = message.find(home_.path, at + 1)) {
    message.replace(at, home_.path.size(), "~");
  }
  return message;
}

void UserFiles::AddError(std::string_view source, std::string_view relative,
                         std::string_view what) const {
  const std::string where = relative.empty() ? "~" : fmt::format("~/{}", relative);
  facts_.errors.push_back(
      {std::string(source), Redact(fmt::format("{} of user {}: {}", where, pseudonym_, what))});
}

std::optional<std::string> UserFiles::ReadFile(std::string_view source, std::string_view relative,
                                               std::size_t max_bytes,
                                               std::string_view shown_as) const {
  const std::string path = PathOf(relative);
  auto content = system_.ReadFile(path, max_bytes);
  if (content.ok()) return std::move(content).value();
  if (content.status().code() != StatusCode::kNotFound) {
    if (shown_as.empty()) {
      AddError(source, relative, content.status().message());
    } else {
      AddError(source, shown_as, StatusCodeName(content.status().code()));
    }
  }
  return std::nullopt;
}

std::vector<DirectoryEntry> UserFiles::ListDirectory(std::string_view source,
                                                     std::string_view relative) const {
  auto entries = system_.ListDirectory(PathOf(relative));
  if (!entries.ok()) {
    if (entries.status().code() != StatusCode::kNotFound) {
      AddError(source, relative, entries.status().message());
    }
    return {};
  }
  std::sort(entries->begin(), entries->end(),
            [](const DirectoryEntry& a, const DirectoryEntry& b) { return a.name < b.name; });
  return std::move(entries).value();
}

void UserFiles::AddEvidence(Evidence evidence) const {
  evidence.user_pseudonym = pseudonym_;
  if (std::find(facts_.evidence.begin(), facts_.evidence.end(), evidence) !=
      facts_.evidence.end()) {
    return;
  }
  facts_.evidence.push_back(std::move(evidence));
}

void UserFiles::AddOfficeInstalls(std::vector<OfficeInstall> installs) const {
  for (auto& install : installs) {
    if (std::find(facts_.office_installs.begin(), facts_.office_installs.end(), install) ==
        facts_.office_installs.end()) {
      facts_.office_installs.push_back(std::move(install));
    }
  }
}

Result<std::vector<LinuxHome>> ListLinuxHomes(const SystemView& system) {
  std::vector<LinuxHome> homes;
  std::set<std::string> seen;
  auto passwd = system.ReadFile(LinuxUserConfigProbe::kPasswdPath, kMaxPasswdBytes);
  if (!passwd.ok() && passwd.status().code() != StatusCode::kNotFound) return passwd.status();
  if (passwd.ok()) {
    std::string_view rest = *passwd;
    while (!rest.empty()) {
      const auto end = rest.find('\n');
      const std::string_view line = TrimWhitespace(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      if (line.empty() || line.front() == '#') continue;
      // name:password:uid:gid:gecos:home:shell; NIS "+" lines and short lines name no home.
      const auto fields = SplitFields(line);
      if (fields.size() < 7 || fields[0].empty() || fields[0].front() == '+') continue;
      unsigned uid = 0;
      const auto [end_uid, error] =
          std::from_chars(fields[2].data(), fields[2].data() + fields[2].size(), uid);
      if (error != std::errc() || end_uid != fields[2].data() + fields[2].size()) continue;
      if (uid < kFirstHumanUid || uid == kNobodyUid) continue;
      std::string path = WithoutTrailingSlashes(fields[5]);
      if (path.size() < 2 || path.front() != '/') continue;
      if (seen.insert(path).second) homes.push_back({std::string(fields[0]), std::move(path)});
    }
  }
  auto entries = system.ListDirectory(LinuxUserConfigProbe::kHomesPath);
  if (entries.ok()) {
    for (const auto& entry : *entries) {
      if (entry.name == "lost+found") continue;
      std::string path = std::string(LinuxUserConfigProbe::kHomesPath) + "/" + entry.name;
      if (seen.insert(path).second) homes.push_back({entry.name, std::move(path)});
    }
  } else if (entries.status().code() != StatusCode::kNotFound) {
    return entries.status();
  }
  std::sort(homes.begin(), homes.end(),
            [](const LinuxHome& a, const LinuxHome& b) { return a.path < b.path; });
  return homes;
}

Status LinuxUserConfigProbe::Run(const SystemView& system, ScanFacts& facts) const {
  auto homes = ListLinuxHomes(system);
  if (!homes.ok()) return homes.status();
  for (const auto& home : *homes) {
    const UserFiles user(system, home, pseudonyms_.Of(home.account), facts);
    // The home itself first: an account without one (a service account, a user never logged
    // in) has nothing to read, while one that cannot be listed hides all of its signals.
    auto listing = system.ListDirectory(home.path);
    if (!listing.ok()) {
      if (listing.status().code() != StatusCode::kNotFound) {
        user.AddError(name(), "",
                      fmt::format("the home directory cannot be read, none of this "
                                  "user's signals were checked ({})",
                                  listing.status().message()));
      }
      continue;
    }
    ReadOneDriveClient(user);
    ReadGnomeOnlineAccounts(user);
    ReadEvolutionSources(user);
    ReadThunderbirdProfiles(user);
    ReadNextcloudClient(user);
    ReadFlatpakUserInstallation(user);
    ReadWinePrefixes(user);
  }
  ReadSystemCrossOverBottles(system, facts);
  return Status::Ok();
}

}  // namespace vigie::agent
