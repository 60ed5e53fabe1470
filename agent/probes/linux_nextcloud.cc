// The Nextcloud desktop client (~/.config/Nextcloud/nextcloud.cfg, QSettings INI; Flatpak:
// below ~/.var/app). A client pointed at a state service shows migration to the sovereign
// offer: only that fact and the service's state domain are reported, never the server URL or the
// account. Servers elsewhere are not reported at all.

#include <fmt/format.h>

#include <set>

#include "agent/probes/linux_keyfile.h"
#include "agent/probes/linux_user_files.h"
#include "common/catalogue.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kSource = "linux.nextcloud";
constexpr std::size_t kMaxConfigBytes = 4 * 1024 * 1024;

constexpr std::string_view kConfigFiles[] = {
    ".config/Nextcloud/nextcloud.cfg",
    ".var/app/com.nextcloud.desktopclient.nextcloud/config/Nextcloud/nextcloud.cfg",
};

std::string HostOfUrl(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme != std::string_view::npos) url = url.substr(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  const auto at = url.rfind('@');
  if (at != std::string_view::npos) url = url.substr(at + 1);
  return std::string(url.substr(0, url.find(':')));
}

}  // namespace

void ReadNextcloudClient(const UserFiles& user) {
  std::set<std::string> domains;
  for (const auto relative : kConfigFiles) {
    const auto text = user.ReadFile(kSource, relative, kMaxConfigBytes);
    if (!text) continue;
    const KeyFile config = ParseKeyFile(*text, KeyFileDialect::kQSettings);
    if (config.malformed_lines > 0) {
      user.AddError(kSource, relative,
                    fmt::format("damaged: {} line(s) are not INI syntax (first at line {}); the "
                                "accounts around them were still read",
                                config.malformed_lines, config.first_malformed_line));
    }
    const KeyFileGroup* accounts = config.FindGroup("Accounts");
    if (accounts == nullptr) continue;
    // One "<n>\url" key per account (QSettings writes the "<n>/url" subkey with a backslash).
    for (const auto& [key, value] : accounts->entries) {
      if (!key.ends_with("\\url")) continue;
      std::string domain = StateDomainOf(HostOfUrl(value));
      if (!domain.empty()) domains.insert(std::move(domain));
    }
  }
  for (const auto& domain : domains) {
    Evidence evidence;
    evidence.product = kProductNextcloudDesktop;
    evidence.kind = EvidenceKind::kConfigured;
    evidence.tenant = domain;
    evidence.source = kSource;
    evidence.sovereign_alternative = true;
    user.AddEvidence(std::move(evidence));
  }
}

}  // namespace vigie::agent
