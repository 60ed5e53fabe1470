// Evolution's accounts: ~/.config/evolution/sources/*.source, GKeyFile (detection-signals.md
// §9.5). An EWS account is Exchange Online when its EWS URL is on one of Microsoft's hosts or it
// authenticates with the "Office365" OAuth method; the Microsoft 365 (Graph) backend is the cloud
// by definition.

#include <fmt/format.h>

#include "agent/probes/linux_keyfile.h"
#include "agent/probes/linux_user_files.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kSource = "linux.evolution";
constexpr std::string_view kSourcesDirectory = ".config/evolution/sources";
constexpr std::size_t kMaxSourceBytes = 1024 * 1024;

std::string HostOfUrl(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme != std::string_view::npos) url = url.substr(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  const auto at = url.rfind('@');
  if (at != std::string_view::npos) url = url.substr(at + 1);
  return std::string(url.substr(0, url.find(':')));
}

std::string Value(const KeyFile& file, std::string_view group, std::string_view key) {
  const KeyFileGroup* found = file.FindGroup(group);
  if (found == nullptr) return {};
  const std::string* value = found->Find(key);
  return value ? *value : std::string();
}

// The tenant an Office365 OAuth source names, else the domain of its address.
std::string TenantOf(const KeyFile& file, std::string_view backend_group) {
  const std::string tenant =
      AsciiLowercase(TrimWhitespace(Value(file, backend_group, "Oauth2Tenant")));
  if (Value(file, backend_group, "OverrideOauth2") == "true" && !tenant.empty() &&
      tenant != "common" && tenant != "organizations") {
    return tenant;
  }
  std::string address = Value(file, backend_group, "Email");
  if (address.empty()) address = Value(file, "Authentication", "User");
  return TenantOfAddress(address);
}

void ReadSource(const UserFiles& user, const std::string& relative, std::string_view text) {
  const KeyFile file = ParseKeyFile(text, KeyFileDialect::kGKeyFile);
  if (file.malformed_lines > 0) {
    user.AddError(kSource, relative,
                  fmt::format("damaged: {} line(s) are not key file syntax (first at line {}); "
                              "the rest was still read",
                              file.malformed_lines, file.first_malformed_line));
  }
  if (file.FindGroup("Data Source") == nullptr) return;
  if (Value(file, "Data Source", "Enabled") == "false") return;

  std::string backend_group;
  if (file.FindGroup("Microsoft365 Backend") != nullptr ||
      Value(file, "Collection", "BackendName") == "microsoft365") {
    backend_group = "Microsoft365 Backend";
  } else if (file.FindGroup("Ews Backend") != nullptr) {
    const bool online_host = IsExchangeOnlineHost(HostOfUrl(Value(file, "Ews Backend", "Hosturl")));
    const bool office365_oauth = Value(file, "Authentication", "Method") == "Office365";
    if (!online_host && !office365_oauth) return;  // Exchange Server on premises.
    backend_group = "Ews Backend";
  } else {
    return;
  }
  Evidence evidence;
  evidence.product = kProductEvolution;
  evidence.service = ServiceCategory::kMail;
  evidence.kind = EvidenceKind::kConfigured;
  evidence.tenant = TenantOf(file, backend_group);
  evidence.source = kSource;
  user.AddEvidence(std::move(evidence));
}

}  // namespace

void ReadEvolutionSources(const UserFiles& user) {
  for (const auto& entry : user.ListDirectory(kSource, kSourcesDirectory)) {
    if (entry.is_directory || !entry.name.ends_with(".source")) continue;
    const std::string relative = std::string(kSourcesDirectory) + "/" + entry.name;
    if (auto text = user.ReadFile(kSource, relative, kMaxSourceBytes)) {
      ReadSource(user, relative, *text);
    }
  }
}

}  // namespace vigie::agent
