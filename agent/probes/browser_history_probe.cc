#include "agent/probes/browser_history_probe.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "agent/probes/browser_history_reader.h"
#include "agent/probes/browser_history_snapshot.h"
#include "agent/probes/m365_hosts.h"
#include "agent/probes/user_homes.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

// Where a browser keeps its profiles, relative to the user's home ('/' separated).
struct BrowserLocation {
  std::string_view browser;
  HistoryFormat format;
  std::string_view folder;
};

// Reference §10.1 (profile folders per OS); Brave and Vivaldi follow Chromium's layout.
constexpr BrowserLocation kLinuxBrowsers[] = {
    {"Chrome", HistoryFormat::kChromium, ".config/google-chrome"},
    {"Chrome Beta", HistoryFormat::kChromium, ".config/google-chrome-beta"},
    {"Chromium", HistoryFormat::kChromium, ".config/chromium"},
    {"Chromium", HistoryFormat::kChromium, "snap/chromium/common/chromium"},
    {"Edge", HistoryFormat::kChromium, ".config/microsoft-edge"},
    {"Edge Beta", HistoryFormat::kChromium, ".config/microsoft-edge-beta"},
    {"Edge Dev", HistoryFormat::kChromium, ".config/microsoft-edge-dev"},
    {"Brave", HistoryFormat::kChromium, ".config/BraveSoftware/Brave-Browser"},
    {"Vivaldi", HistoryFormat::kChromium, ".config/vivaldi"},
    {"Firefox", HistoryFormat::kFirefox, ".mozilla/firefox"},
    {"Firefox", HistoryFormat::kFirefox, "snap/firefox/common/.mozilla/firefox"},
    {"Firefox", HistoryFormat::kFirefox, ".var/app/org.mozilla.firefox/.mozilla/firefox"},
};
constexpr BrowserLocation kMacosBrowsers[] = {
    {"Chrome", HistoryFormat::kChromium, "Library/Application Support/Google/Chrome"},
    {"Chromium", HistoryFormat::kChromium, "Library/Application Support/Chromium"},
    {"Edge", HistoryFormat::kChromium, "Library/Application Support/Microsoft Edge"},
    {"Brave", HistoryFormat::kChromium, "Library/Application Support/BraveSoftware/Brave-Browser"},
    {"Vivaldi", HistoryFormat::kChromium, "Library/Application Support/Vivaldi"},
    {"Firefox", HistoryFormat::kFirefox, "Library/Application Support/Firefox"},
};
constexpr BrowserLocation kWindowsBrowsers[] = {
    {"Chrome", HistoryFormat::kChromium, "AppData/Local/Google/Chrome/User Data"},
    {"Chromium", HistoryFormat::kChromium, "AppData/Local/Chromium/User Data"},
    {"Edge", HistoryFormat::kChromium, "AppData/Local/Microsoft/Edge/User Data"},
    {"Brave", HistoryFormat::kChromium, "AppData/Local/BraveSoftware/Brave-Browser/User Data"},
    {"Vivaldi", HistoryFormat::kChromium, "AppData/Local/Vivaldi/User Data"},
    {"Firefox", HistoryFormat::kFirefox, "AppData/Roaming/Mozilla/Firefox"},
};

std::span<const BrowserLocation> BrowsersOf(OsFamily os) {
  switch (os) {
    case OsFamily::kLinux:
      return kLinuxBrowsers;
    case OsFamily::kMacos:
      return kMacosBrowsers;
    case OsFamily::kWindows:
      return kWindowsBrowsers;
    case OsFamily::kUnspecified:
      break;
  }
  return {};
}

// `message` with every occurrence of `path` replaced by `replacement`: SystemView's messages name
// the file, and a path in a Firefox profile folder carries a name the user chose.
std::string Replaced(std::string_view message, std::string_view path,
                     std::string_view replacement) {
  std::string out;
  std::size_t position = 0;
  for (auto at = message.find(path); !path.empty() && at != std::string_view::npos;
       at = message.find(path, position)) {
    out.append(message.substr(position, at - position)).append(replacement);
    position = at + path.size();
  }
  out.append(message.substr(position));
  return out;
}

// One profile's history database, and how a probe error names it.
struct HistoryDatabase {
  std::string path;
  std::string_view file_name;  // "History", "places.sqlite"
  std::string label;  // "Chrome, profile Default", "Firefox, profile Profile0 of profiles.ini"
};

// Profile directories of a Chromium user data folder holding a History file ("Default",
// "Profile 1"...; Chromium names them, users do not).
Result<std::vector<HistoryDatabase>> ChromiumDatabases(const SystemView& system, OsFamily os,
                                                       const BrowserLocation& browser,
                                                       const std::string& folder) {
  std::vector<HistoryDatabase> databases;
  auto entries = system.ListDirectory(folder);
  if (!entries.ok()) {
    if (entries.status().code() == StatusCode::kNotFound) return databases;
    return entries.status();
  }
  std::vector<std::string> profiles;
  for (const auto& entry : *entries) {
    if (entry.is_directory) profiles.push_back(entry.name);
  }
  std::sort(profiles.begin(), profiles.end());
  for (const auto& profile : profiles) {
    databases.push_back({JoinUserPath(os, folder, profile + "/History"), "History",
                         fmt::format("{}, profile {}", browser.browser, profile)});
  }
  return databases;
}

// Profiles listed in Firefox's profiles.ini: "[ProfileN]" sections with Path= and IsRelative=.
Result<std::vector<HistoryDatabase>> FirefoxDatabases(const SystemView& system, OsFamily os,
                                                      const std::string& folder) {
  std::vector<HistoryDatabase> databases;
  auto ini = system.ReadFile(JoinUserPath(os, folder, "profiles.ini"), 1024 * 1024);
  if (!ini.ok()) {
    if (ini.status().code() == StatusCode::kNotFound) return databases;
    return ini.status();
  }
  struct Section {
    std::string name;
    std::string path;
    bool relative = true;
  };
  std::vector<Section> sections;
  std::string_view rest = *ini;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const std::string_view line = TrimWhitespace(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.size() > 2 && line.front() == '[' && line.back() == ']') {
      sections.push_back({std::string(line.substr(1, line.size() - 2)), "", true});
      continue;
    }
    const auto equals = line.find('=');
    if (sections.empty() || equals == std::string_view::npos) continue;
    const std::string_view key = TrimWhitespace(line.substr(0, equals));
    const std::string_view value = TrimWhitespace(line.substr(equals + 1));
    if (key == "Path") sections.back().path = std::string(value);
    if (key == "IsRelative") sections.back().relative = value != "0";
  }
  for (const auto& section : sections) {
    if (section.name.rfind("Profile", 0) != 0 || section.path.empty()) continue;
    const std::string profile =
        section.relative ? JoinUserPath(os, folder, section.path) : section.path;
    databases.push_back({JoinUserPath(os, profile, "places.sqlite"), "places.sqlite",
                         fmt::format("Firefox, profile {} of profiles.ini", section.name)});
  }
  return databases;
}

Timestamp StartOfDay(Timestamp time) {
  return std::chrono::time_point_cast<std::chrono::seconds>(
      std::chrono::floor<std::chrono::days>(time));
}

struct Counter {
  std::uint32_t visits = 0;
  Timestamp last_seen{};
};

// Counters keyed so that output is sorted: user (by account name, as ListUserHomes orders them),
// service, product, tenant.
using CounterKey = std::tuple<std::size_t, int, std::string, std::string>;

}  // namespace

Status BrowserHistoryProbe::Run(const SystemView& system, ScanFacts& facts) const {
  if (days_ < kMinDays || days_ > kMaxDays) {
    return InvalidArgument(
        fmt::format("history window of {} days: expected {} to {}", days_, kMinDays, kMaxDays));
  }
  const Timestamp from = now_ - std::chrono::days(days_);
  auto users = ListUserHomes(system, os_, pseudonyms_);
  if (!users.ok()) return users.status();

  std::map<CounterKey, Counter> counters;
  for (std::size_t index = 0; index < users->size(); ++index) {
    const UserHome& user = (*users)[index];
    // Reasons name the user by pseudonym and the user's home as "~" (UserScopedReason).
    const auto add_error = [&](const std::string& what, const std::string& message) {
      facts.errors.push_back({std::string(name()), UserScopedReason(user, what + ": " + message)});
    };
    for (const BrowserLocation& browser : BrowsersOf(os_)) {
      const std::string folder = JoinUserPath(os_, user.path, browser.folder);
      auto databases = browser.format == HistoryFormat::kChromium
                           ? ChromiumDatabases(system, os_, browser, folder)
                           : FirefoxDatabases(system, os_, folder);
      if (!databases.ok()) {
        add_error(std::string(browser.browser) + " profiles", databases.status().message());
        continue;
      }
      for (const HistoryDatabase& database : *databases) {
        auto snapshot = HistorySnapshot::Take(system, database.path);
        if (!snapshot.ok()) {
          if (snapshot.status().code() != StatusCode::kNotFound) {
            add_error(database.label,
                      Replaced(snapshot.status().message(), database.path, database.file_name));
          }
          continue;
        }
        const Status read = ForEachVisit(
            snapshot->database(), browser.format, from, now_,
            [&](std::string_view url, Timestamp when) {
              auto use = ClassifyUrl(url);
              if (!use) return;
              Counter& counter = counters[CounterKey(index, static_cast<int>(use->service),
                                                     std::string(use->product), use->tenant)];
              ++counter.visits;
              counter.last_seen = std::max(counter.last_seen, StartOfDay(when));
            });
        if (!read.ok()) add_error(database.label, read.message());
      }
    }
  }
  for (const auto& [key, counter] : counters) {
    Evidence evidence;
    evidence.user_pseudonym = (*users)[std::get<0>(key)].pseudonym;
    evidence.service = static_cast<ServiceCategory>(std::get<1>(key));
    evidence.product = std::get<2>(key);
    evidence.tenant = std::get<3>(key);
    evidence.kind = EvidenceKind::kUsed;
    evidence.source = name();
    evidence.count = counter.visits;
    evidence.last_seen = counter.last_seen;
    facts.evidence.push_back(std::move(evidence));
  }
  return Status::Ok();
}

}  // namespace vigie::agent
