// The OneDrive client for Linux (abraunegg/onedrive, Debian package `onedrive`): its
// configuration directories, ~/.config/onedrive and the per-account ~/.config/onedrive-<name>
// that its documentation recommends for several accounts (detection-signals.md §9.3).

#include <fmt/format.h>

#include "agent/probes/linux_user_files.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kSource = "linux.onedrive";
constexpr std::size_t kMaxConfigBytes = 1024 * 1024;

// The client's `key = "value"` lines (its own format, read by its config.d): `#` comments, the
// value double-quoted, the last line for a key winning.
struct OneDriveConfig {
  std::vector<std::pair<std::string, std::string>> entries;
  int malformed_lines = 0;
  int first_malformed_line = 0;

  std::string Get(std::string_view key) const {
    for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {
      if (entry->first == key) return entry->second;
    }
    return {};
  }
};

OneDriveConfig ParseConfig(std::string_view text) {
  OneDriveConfig config;
  int line_number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = TrimWhitespace(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const auto equals = line.find('=');
    const std::string_view key =
        TrimWhitespace(line.substr(0, equals == std::string_view::npos ? 0 : equals));
    std::string_view value = equals == std::string_view::npos
                                 ? std::string_view()
                                 : TrimWhitespace(line.substr(equals + 1));
    if (key.empty() || value.size() < 2 || value.front() != '"' || value.back() != '"') {
      if (config.malformed_lines++ == 0) config.first_malformed_line = line_number;
      continue;
    }
    value = value.substr(1, value.size() - 2);
    config.entries.emplace_back(std::string(key), std::string(value));
  }
  return config;
}

void ReadConfigDirectory(const UserFiles& user, const std::string& directory) {
  bool has_config = false;
  bool signed_in = false;
  for (const auto& entry : user.ListDirectory(kSource, directory)) {
    if (entry.name == "config") has_config = true;
    // The OAuth refresh token: present once the user has authorised the client. Its content is
    // a credential and is never read.
    if (entry.name == "refresh_token" || entry.name == "intune_account") signed_in = true;
  }
  if (!has_config && !signed_in) return;

  OneDriveConfig config;
  if (has_config) {
    const auto relative = directory + "/config";
    if (auto text = user.ReadFile(kSource, relative, kMaxConfigBytes)) {
      config = ParseConfig(*text);
      if (config.malformed_lines > 0) {
        user.AddError(kSource, relative,
                      fmt::format("{} line(s) are not `key = \"value\"` (first at line {}); the "
                                  "others were still read",
                                  config.malformed_lines, config.first_malformed_line));
      }
    }
  }
  Evidence evidence;
  evidence.product = kProductOneDriveLinux;
  evidence.source = kSource;
  evidence.kind = signed_in ? EvidenceKind::kSignedIn : EvidenceKind::kConfigured;
  // A tenant is configured only for work accounts (and required in national clouds); personal
  // accounts and work accounts on the default "common" endpoint leave it empty.
  const std::string tenant = AsciiLowercase(TrimWhitespace(config.Get("azure_tenant_id")));
  if (tenant != "common" && tenant != "organizations") evidence.tenant = tenant;
  if (tenant == "consumers") evidence.tenant = kConsumerTenantId;
  // A drive_id names a SharePoint document library to sync rather than the user's own drive.
  evidence.service = config.Get("drive_id").empty() ? ServiceCategory::kPersonalDrive
                                                    : ServiceCategory::kDocuments;
  user.AddEvidence(evidence);
}

}  // namespace

void ReadOneDriveClient(const UserFiles& user) {
  for (const auto& entry : user.ListDirectory(kSource, ".config")) {
    if (!entry.is_directory) continue;
    if (entry.name == "onedrive" || entry.name.starts_with("onedrive-")) {
      ReadConfigDirectory(user, ".config/" + entry.name);
    }
  }
}

}  // namespace vigie::agent
