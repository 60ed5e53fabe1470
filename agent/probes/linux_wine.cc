// Office under Wine, CrossOver and Bottles (detection-signals.md §9.7): every prefix's
// system.reg is read with the Wine hive parser and served to the Windows Click-to-Run probe, so
// that a prefix's Office is judged exactly as on Windows; MSI Office is found by its uninstall
// entries. Installs are marked as running under Wine in their technology. The prefix's user.reg
// gives the accounts signed in to that Office (§2.1), as on Windows.

#include "agent/probes/linux_wine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "agent/probes/linux_user_files.h"
#include "agent/probes/office_c2r_probe.h"
#include "agent/probes/wine_prefix_view.h"
#include "agent/registry/wine_registry.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kSource = "linux.wine";
// An Office prefix's system.reg is tens of MiB.
constexpr std::size_t kMaxHiveBytes = 512 * 1024 * 1024;
constexpr std::string_view kSystemBottles = "/opt/cxoffice/support";

// Directories below a home that hold one prefix each, or prefixes as subdirectories.
constexpr std::string_view kPrefixRoots[] = {
    ".local/share/wineprefixes",
    ".cxoffice",
    ".local/share/bottles/bottles",
    ".var/app/com.usebottles.bottles/data/bottles/bottles",
};

constexpr std::string_view kUninstallKeys[] = {
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
};

// Where an error about a prefix is reported: as a user's file or as a system path.
struct PrefixErrors {
  const UserFiles* user = nullptr;  // Null for system bottles.
  ScanFacts* facts = nullptr;

  // How a file of the prefix is named in a message: "~/..." for a user's, as is for the system's.
  std::string Shown(std::string_view path) const {
    return user != nullptr ? fmt::format("~/{}", path) : std::string(path);
  }

  void Add(std::string_view shown_path, std::string_view what) const {
    if (user != nullptr) {
      user->AddError(kSource, shown_path, what);
    } else {
      facts->errors.push_back({std::string(kSource), fmt::format("{}: {}", shown_path, what)});
    }
  }
};

std::string StringValue(const registry::Key& key, std::string_view name) {
  const registry::Value* value = key.FindValue(name);
  if (value == nullptr) return {};
  auto text = value->AsString();
  return text.ok() ? std::move(text).value() : std::string();
}

// MSI Office 2007 to 2016 registers one uninstall entry per suite, named "Office<version>.<SKU>"
// ("Office16.PROPLUS"): always a perpetual licence, MSI Office has no subscription edition.
void ReadMsiOffice(const registry::RegistrySnapshot& hive, ScanFacts& facts) {
  for (const auto uninstall : kUninstallKeys) {
    for (const auto& name : hive.ListSubkeys(uninstall)) {
      if (name.size() < 10 || !name.starts_with("Office") || name[8] != '.' ||
          !std::isdigit(static_cast<unsigned char>(name[6])) ||
          !std::isdigit(static_cast<unsigned char>(name[7]))) {
        continue;
      }
      const registry::Key* key = hive.FindKey(std::string(uninstall) + "\\" + name);
      if (key == nullptr) continue;
      OfficeInstall install;
      install.product_id = name;
      install.version = StringValue(*key, "DisplayVersion");
      install.license_model = LicenseModel::kPerpetual;
      install.technology = "MSI (Wine)";
      const bool duplicate =
          std::any_of(facts.office_installs.begin(), facts.office_installs.end(),
                      [&](const OfficeInstall& known) { return known == install; });
      if (!duplicate) facts.office_installs.push_back(std::move(install));
    }
  }
}

bool IsGuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// Office's signed-in identities in the prefix's HKEY_CURRENT_USER: CLOUD_IDENTITY evidence per
// tenant, with the rules of the Windows identity probe (a LiveId provider is a personal account;
// a TenantId GUID names the tenant; else the sign-in address's domain does).
void ReadOfficeIdentities(const registry::RegistrySnapshot& hive, ScanFacts& facts) {
  constexpr std::string_view kIdentities =
      "HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities";
  for (const auto& identity : hive.ListSubkeys(kIdentities)) {
    const registry::Key* key = hive.FindKey(std::string(kIdentities) + "\\" + identity);
    if (key == nullptr) continue;
    const std::string lowered = AsciiLowercase(identity);
    const std::string tenant_id = AsciiLowercase(TrimWhitespace(StringValue(*key, "TenantId")));
    std::string tenant;
    if (AsciiLowercase(StringValue(*key, "ProviderId")) == "liveid" ||
        lowered.ends_with("_liveid")) {
      tenant = kConsumerTenantId;
    } else if (IsGuid(tenant_id)) {
      tenant = tenant_id;
    } else {
      tenant = TenantOfAddress(StringValue(*key, "EmailAddress"));
    }
    Evidence evidence;
    evidence.product = "Office";
    evidence.service = ServiceCategory::kCloudIdentity;
    evidence.kind = EvidenceKind::kSignedIn;
    evidence.tenant = std::move(tenant);
    evidence.source = kSource;
    if (std::find(facts.evidence.begin(), facts.evidence.end(), evidence) == facts.evidence.end()) {
      facts.evidence.push_back(std::move(evidence));
    }
  }
}

// Reads the prefix at `prefix` (absolute); `shown` is how errors name it.
void ReadPrefix(const SystemView& system, const std::string& prefix, const std::string& shown,
                const std::string& pseudonym, const PrefixErrors& errors, ScanFacts& facts) {
  auto bytes = system.ReadFile(prefix + "/system.reg", kMaxHiveBytes);
  if (!bytes.ok()) {
    if (bytes.status().code() != StatusCode::kNotFound) {
      errors.Add(shown + "/system.reg", bytes.status().message());
    }
    return;
  }
  registry::RegistrySnapshot hive;
  const std::string source_name = shown + "/system.reg";
  if (const Status parsed = registry::ParseWineRegistry(*bytes, errors.Shown(source_name),
                                                        "HKEY_LOCAL_MACHINE", hive);
      !parsed.ok()) {
    errors.Add(source_name,
               fmt::format("damaged, the Office of this prefix is unknown ({})", parsed.message()));
    return;
  }
  ScanFacts found;
  ReadMsiOffice(hive, found);
  if (auto user_bytes = system.ReadFile(prefix + "/user.reg", kMaxHiveBytes); user_bytes.ok()) {
    registry::RegistrySnapshot user_hive;
    const std::string user_source = shown + "/user.reg";
    if (const Status parsed = registry::ParseWineRegistry(*user_bytes, errors.Shown(user_source),
                                                          "HKEY_CURRENT_USER", user_hive);
        parsed.ok()) {
      ReadOfficeIdentities(user_hive, found);
    } else {
      errors.Add(user_source, fmt::format("damaged, the Office accounts of this prefix are "
                                          "unknown ({})",
                                          parsed.message()));
    }
  } else if (user_bytes.status().code() != StatusCode::kNotFound) {
    errors.Add(shown + "/user.reg", user_bytes.status().message());
  }
  const WinePrefixView view(system, std::move(hive));
  if (const Status status = OfficeC2rProbe().Run(view, found); !status.ok()) {
    errors.Add(source_name, status.message());
  }
  for (auto& install : found.office_installs) {
    if (install.technology == OfficeC2rProbe::kTechnology) install.technology += " (Wine)";
    facts.office_installs.push_back(std::move(install));
  }
  for (auto& evidence : found.evidence) {
    evidence.source = kSource;
    evidence.user_pseudonym = pseudonym;
    facts.evidence.push_back(std::move(evidence));
  }
  for (auto& error : found.errors) errors.Add(source_name, error.reason);
}

}  // namespace

void ReadWinePrefixes(const UserFiles& user) {
  std::vector<std::string> prefixes;
  // WINEPREFIX-style prefixes anywhere directly in the home, ~/.wine included.
  for (const auto& entry : user.ListDirectory(kSource, "")) {
    if (entry.is_directory) prefixes.push_back(entry.name);
  }
  for (const auto root : kPrefixRoots) {
    for (const auto& entry : user.ListDirectory(kSource, root)) {
      if (entry.is_directory) prefixes.push_back(std::string(root) + "/" + entry.name);
    }
  }
  // Errors go to this scan's facts through the user, evidence straight into a local list first
  // so that every piece carries the user's pseudonym and is deduplicated.
  ScanFacts found;
  const PrefixErrors errors{&user, nullptr};
  for (const auto& prefix : prefixes) {
    ReadPrefix(user.system(), user.PathOf(prefix), prefix, user.pseudonym(), errors, found);
  }
  user.AddOfficeInstalls(std::move(found.office_installs));
  for (auto& evidence : found.evidence) user.AddEvidence(std::move(evidence));
}

void ReadSystemCrossOverBottles(const SystemView& system, ScanFacts& facts) {
  auto entries = system.ListDirectory(kSystemBottles);
  if (!entries.ok()) {
    if (entries.status().code() != StatusCode::kNotFound) {
      facts.errors.push_back({std::string(kSource), entries.status().message()});
    }
    return;
  }
  std::sort(entries->begin(), entries->end(),
            [](const DirectoryEntry& a, const DirectoryEntry& b) { return a.name < b.name; });
  const PrefixErrors errors{nullptr, &facts};
  ScanFacts found;
  for (const auto& entry : *entries) {
    if (!entry.is_directory) continue;
    const std::string prefix = std::string(kSystemBottles) + "/" + entry.name;
    ReadPrefix(system, prefix, prefix, "", errors, found);
  }
  // A suite a user also installed in a bottle of their own is one install of the host.
  for (auto& install : found.office_installs) {
    if (std::find(facts.office_installs.begin(), facts.office_installs.end(), install) ==
        facts.office_installs.end()) {
      facts.office_installs.push_back(std::move(install));
    }
  }
  std::move(found.evidence.begin(), found.evidence.end(), std::back_inserter(facts.evidence));
}

}  // namespace vigie::agent
