// Thunderbird accounts on Exchange Online (detection-signals.md §9.6): the profiles listed by
// profiles.ini in the native, Flatpak and Snap locations, and in each profile's prefs.js the
// incoming servers (IMAP, POP, EWS) and SMTP servers whose host is one of Microsoft's.

#include <fmt/format.h>

#include <set>

#include "agent/probes/linux_keyfile.h"
#include "agent/probes/linux_prefs_js.h"
#include "agent/probes/linux_user_files.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kSource = "linux.thunderbird";
constexpr std::size_t kMaxProfilesIniBytes = 1024 * 1024;
// prefs.js grows with accounts and add-ons; tens of MiB would already be extraordinary.
constexpr std::size_t kMaxPrefsBytes = 64 * 1024 * 1024;

// Where Thunderbird keeps profiles.ini, below the home: native, Flatpak, Snap.
constexpr std::string_view kProfileRoots[] = {
    ".thunderbird",
    ".var/app/org.mozilla.Thunderbird/.thunderbird",
    "snap/thunderbird/common/.thunderbird",
};

// The account-name part of "mail.server.server3.hostname": "server3", for keys of `prefix`.
std::string_view ItemOf(std::string_view name, std::string_view prefix, std::string_view suffix) {
  if (!name.starts_with(prefix) || !name.ends_with(suffix) ||
      name.size() <= prefix.size() + suffix.size()) {
    return {};
  }
  return name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
}

std::string Pref(const PrefsJs& prefs, const std::string& name) {
  const std::string* value = prefs.Find(name);
  return value ? *value : std::string();
}

std::string HostOfUrl(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme != std::string_view::npos) url = url.substr(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  return std::string(url.substr(0, url.find(':')));
}

void AddMail(const UserFiles& user, std::string tenant) {
  Evidence evidence;
  evidence.product = kProductThunderbird;
  evidence.service = ServiceCategory::kMail;
  evidence.kind = EvidenceKind::kConfigured;
  evidence.tenant = std::move(tenant);
  evidence.source = kSource;
  user.AddEvidence(std::move(evidence));
}

void ReadPrefs(const UserFiles& user, const std::string& relative, std::string_view text) {
  const PrefsJs prefs = ParsePrefsJs(text);
  if (prefs.malformed_lines > 0) {
    user.AddError(kSource, relative,
                  fmt::format("damaged: {} line(s) are not complete user_pref statements (first "
                              "at line {}); the other preferences were still read",
                              prefs.malformed_lines, prefs.first_malformed_line));
  }
  std::set<std::string> tenants;
  for (const auto& [name, value] : prefs.values) {
    const std::string_view server = ItemOf(name, "mail.server.", ".hostname");
    const std::string_view smtp = ItemOf(name, "mail.smtpserver.", ".hostname");
    const std::string_view ews = ItemOf(name, "mail.server.", ".ews_url");
    if (!server.empty() && IsExchangeOnlineHost(value)) {
      const std::string type = Pref(prefs, fmt::format("mail.server.{}.type", server));
      if (type == "imap" || type == "pop3" || type == "ews" || type == "owl") {
        tenants.insert(
            TenantOfAddress(Pref(prefs, fmt::format("mail.server.{}.userName", server))));
      }
    } else if (!smtp.empty() && IsExchangeOnlineHost(value)) {
      tenants.insert(
          TenantOfAddress(Pref(prefs, fmt::format("mail.smtpserver.{}.username", smtp))));
    } else if (!ews.empty() && IsExchangeOnlineHost(HostOfUrl(value))) {
      tenants.insert(TenantOfAddress(Pref(prefs, fmt::format("mail.server.{}.userName", ews))));
    }
  }
  // A known tenant makes the anonymous "" of another server of the same account redundant.
  if (tenants.size() > 1) tenants.erase("");
  for (const auto& tenant : tenants) AddMail(user, tenant);
}

void ReadProfileRoot(const UserFiles& user, std::string_view root) {
  const std::string ini_path = std::string(root) + "/profiles.ini";
  const auto ini_text = user.ReadFile(kSource, ini_path, kMaxProfilesIniBytes);
  if (!ini_text) return;
  const KeyFile ini = ParseKeyFile(*ini_text, KeyFileDialect::kGKeyFile);
  if (ini.malformed_lines > 0) {
    user.AddError(kSource, ini_path,
                  fmt::format("damaged: {} line(s) are not INI syntax (first at line {}); the "
                              "profiles around them were still read",
                              ini.malformed_lines, ini.first_malformed_line));
  }
  std::set<std::string> seen;
  for (const auto& group : ini.groups) {
    if (!group.name.starts_with("Profile")) continue;
    const std::string* path = group.Find("Path");
    if (path == nullptr || path->empty()) continue;
    const std::string* relative_flag = group.Find("IsRelative");
    std::string prefs_path;
    if (relative_flag == nullptr || *relative_flag == "1") {
      prefs_path = std::string(root) + "/" + *path + "/prefs.js";
    } else if (path->starts_with(user.home() + "/")) {
      prefs_path = path->substr(user.home().size() + 1) + "/prefs.js";
    } else {
      // A profile outside the home (another disk): out of this reader's reach, and saying so
      // would mean reporting its path.
      continue;
    }
    if (!seen.insert(prefs_path).second) continue;
    // Profile directories may be named after their owner: errors name the profile's group.
    const std::string shown_as = fmt::format("{}/<{}>/prefs.js", root, group.name);
    if (auto text = user.ReadFile(kSource, prefs_path, kMaxPrefsBytes, shown_as)) {
      ReadPrefs(user, shown_as, *text);
    }
  }
}

}  // namespace

void ReadThunderbirdProfiles(const UserFiles& user) {
  for (const auto root : kProfileRoots) ReadProfileRoot(user, root);
}

}  // namespace vigie::agent
