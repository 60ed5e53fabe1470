#include "common/catalogue.h"

#include <algorithm>
#include <cctype>

namespace vigie {
namespace {

char FoldAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return FoldAscii(x) == FoldAscii(y);
         });
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoringCase(text.substr(0, prefix.size()), prefix);
}

bool EndsWithIgnoringCase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         EqualsIgnoringCase(text.substr(text.size() - suffix.size()), suffix);
}

// Sources: shared/reference/detection-signals.md §9. Only packages whose presence says something
// for the doctrine: cloud clients, identity brokers, sovereign alternatives, and Exchange-capable
// mail software whose configuration later probes examine.
constexpr PackageSignature kLinuxPackages[] = {
    {"teams", "microsoft-teams", ServiceCategory::kCollaboration},
    {"teams-insiders", "microsoft-teams", ServiceCategory::kCollaboration},
    {"teams-for-linux", "teams-for-linux", ServiceCategory::kCollaboration},
    {"onedrive", "onedrive-linux", ServiceCategory::kPersonalDrive},
    {"onedriver", "onedriver", ServiceCategory::kPersonalDrive},
    // Intune on Linux enrolls the device into Entra ID.
    {"intune-portal", "microsoft-intune", ServiceCategory::kCloudIdentity},
    {"microsoft-identity-broker", "microsoft-identity-broker", ServiceCategory::kCloudIdentity},
    {"microsoft-edge-stable", "microsoft-edge"},
    {"microsoft-edge-beta", "microsoft-edge"},
    {"microsoft-edge-dev", "microsoft-edge"},
    {"evolution-ews", "evolution-ews"},
    {"evolution", "evolution"},
    {"libreoffice-core", "libreoffice", ServiceCategory::kUnspecified, true},
    {"thunderbird", "thunderbird", ServiceCategory::kUnspecified, true},
    {"nextcloud-desktop", "nextcloud-desktop", ServiceCategory::kUnspecified, true},
    {"element-desktop", "element-desktop", ServiceCategory::kUnspecified, true},
    {"tchap-desktop", "tchap", ServiceCategory::kUnspecified, true},
    {"olvid", "olvid", ServiceCategory::kUnspecified, true},
};

// Flatpak ids from Flathub. Per-user and system installations look alike.
constexpr PackageSignature kFlatpakApps[] = {
    {"com.github.IsmaelMartinez.teams_for_linux", "teams-for-linux",
     ServiceCategory::kCollaboration},
    {"com.microsoft.Edge", "microsoft-edge"},
    {"io.github.jstaf.onedriver", "onedriver", ServiceCategory::kPersonalDrive},
    {"org.gnome.Evolution", "evolution"},
    {"org.libreoffice.LibreOffice", "libreoffice", ServiceCategory::kUnspecified, true},
    {"org.mozilla.Thunderbird", "thunderbird", ServiceCategory::kUnspecified, true},
    {"com.nextcloud.desktopclient.nextcloud", "nextcloud-desktop", ServiceCategory::kUnspecified,
     true},
    {"im.riot.Riot", "element-desktop", ServiceCategory::kUnspecified, true},
    {"fr.gouv.tchap", "tchap", ServiceCategory::kUnspecified, true},
    {"io.olvid.Olvid", "olvid", ServiceCategory::kUnspecified, true},
};

// Snap names from the Snap Store.
constexpr PackageSignature kSnaps[] = {
    {"teams-for-linux", "teams-for-linux", ServiceCategory::kCollaboration},
    {"teams", "microsoft-teams", ServiceCategory::kCollaboration},
    {"teams-insiders", "microsoft-teams", ServiceCategory::kCollaboration},
    {"onedrive", "onedrive-linux", ServiceCategory::kPersonalDrive},
    {"libreoffice", "libreoffice", ServiceCategory::kUnspecified, true},
    {"thunderbird", "thunderbird", ServiceCategory::kUnspecified, true},
    {"nextcloud-desktop-client", "nextcloud-desktop", ServiceCategory::kUnspecified, true},
    {"element-desktop", "element-desktop", ServiceCategory::kUnspecified, true},
};

// Hosts of Exchange Online's client protocols, worldwide and national clouds (§11.1, §11.2).
constexpr std::string_view kExchangeOnlineHosts[] = {
    "outlook.office365.com", "outlook.office.com",      "smtp.office365.com",
    "outlook.office365.us",  "outlook.office.de",       "partner.outlook.cn",
    "outlook.sovcloud.fr",   "smtp-mail.outlook.com",   "outlook.live.com",
    "imap-mail.outlook.com", "outlook.cloud.microsoft",
};

struct OfficeChannel {
  std::string_view guid;
  std::string_view name;
};

// Sources: shared/reference/detection-signals.md §1.3. Names are the Office Deployment Tool's;
// the PerpetualVL and internal rings come from community sources only.
constexpr OfficeChannel kOfficeChannels[] = {
    {"492350f6-3a01-4f97-b9c0-c7c6ddf67d60", "Current"},
    {"64256afe-f5d9-4f86-8936-8840a6a4f5be", "CurrentPreview"},
    {"5440fd1f-7ecb-4221-8110-145efaa6372f", "BetaChannel"},
    {"55336b82-a18d-4dd6-b5f6-9e5095c314a6", "MonthlyEnterprise"},
    {"7ffbc6bf-bc32-4f92-8982-f9dd17fd3114", "SemiAnnual"},
    {"b8f9b850-328d-4355-9145-c59439a0c4cf", "SemiAnnualPreview"},
    {"f2e724c1-748f-4b47-8fb8-8e0d210e9208", "PerpetualVL2019"},
    {"5030841d-c919-4594-8d2d-84ae4f96e58e", "PerpetualVL2021"},
    {"7983bac0-e531-40cf-be00-fd24fe66619c", "PerpetualVL2024"},
    {"1d2d2ea6-1680-4c56-ac58-a441c8c24ff9", "Microsoft::LTSC"},
    {"86752282-5841-4120-ac80-db03ae6b5fdb", "Microsoft::LTSC2021"},
    {"c02d8fe6-5242-4da8-972f-82ee55e00671", "Microsoft::LTSC2024"},
    {"b61285dd-d9f7-41f2-9757-8f61cba4e9c8", "Microsoft::DevMain"},
    {"ea4a4090-de26-49d7-93c1-91bff9e53fc3", "Dogfood::DevMain"},
    {"f4f024c8-d611-4748-a7e0-02b6e754c0fe", "Microsoft::DC"},
    {"f3260cf1-a92c-4c75-b02e-d64c0a86a968", "Dogfood::CC"},
    {"5462eee5-1e97-495b-9370-853cd873bb07", "Microsoft::CC"},
};

}  // namespace

LicenseModel OfficeLicenseModel(std::string_view product_release_id) {
  // Sources: shared/reference/detection-signals.md §1.2 (Microsoft's product id list).
  const std::string_view id = product_release_id;
  if (StartsWithIgnoringCase(id, "O365") || StartsWithIgnoringCase(id, "Microsoft365")) {
    return LicenseModel::kSubscription;
  }
  const bool volume = EndsWithIgnoringCase(id, "Volume");
  if (!volume && !EndsWithIgnoringCase(id, "Retail")) return LicenseModel::kUnspecified;
  for (const std::string_view year : {"2016", "2019", "2021", "2024"}) {
    if (id.find(year) != std::string_view::npos) return LicenseModel::kPerpetual;
  }
  // Without a year: the 2016 generation. Volume licences (KMS, MAK) are perpetual, but retail
  // ids such as VisioProRetail and ProjectProRetail also name the Visio and Project subscription
  // plans, so they say nothing alone.
  return volume ? LicenseModel::kPerpetual : LicenseModel::kUnspecified;
}

std::string_view OfficeChannelName(std::string_view guid) {
  for (const auto& channel : kOfficeChannels) {
    if (EqualsIgnoringCase(channel.guid, guid)) return channel.name;
  }
  return {};
}

const PackageSignature* FindFlatpakApp(std::string_view app_id) {
  for (const auto& signature : kFlatpakApps) {
    if (signature.package == app_id) return &signature;
  }
  return nullptr;
}

const PackageSignature* FindSnap(std::string_view snap) {
  for (const auto& signature : kSnaps) {
    if (signature.package == snap) return &signature;
  }
  return nullptr;
}

bool IsExchangeOnlineHost(std::string_view host) {
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  for (const auto known : kExchangeOnlineHosts) {
    if (EqualsIgnoringCase(host, known)) return true;
  }
  return false;
}

std::string TenantOfAddress(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0) return {};
  const std::string_view domain = address.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos ||
      domain.find_first_of(" \t/:") != std::string_view::npos) {
    return {};
  }
  for (const std::string_view consumer : {"outlook.com", "outlook.fr", "hotmail.com", "hotmail.fr",
                                          "live.com", "live.fr", "msn.com"}) {
    if (EqualsIgnoringCase(domain, consumer)) return std::string(kConsumerTenantId);
  }
  std::string tenant(domain);
  for (char& c : tenant) c = FoldAscii(c);
  return tenant;
}

std::string StateDomainOf(std::string_view host) {
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  constexpr std::string_view kStateSuffix = ".gouv.fr";
  if (!EndsWithIgnoringCase(host, kStateSuffix)) return {};
  const std::string_view below = host.substr(0, host.size() - kStateSuffix.size());
  const auto dot = below.rfind('.');
  const std::string_view label = dot == std::string_view::npos ? below : below.substr(dot + 1);
  if (label.empty()) return {};
  std::string domain(label);
  domain += kStateSuffix;
  for (char& c : domain) c = FoldAscii(c);
  return domain;
}

const PackageSignature* FindLinuxPackage(std::string_view package) {
  for (const auto& signature : kLinuxPackages) {
    if (signature.package == package) return &signature;
  }
  return nullptr;
}

std::span<const MacOfficeApplication> MacOfficeApplications() {
  // Sources: shared/reference/detection-signals.md §8.1 (bundle paths and preference domains).
  static constexpr MacOfficeApplication kApplications[] = {
      {"/Applications/Microsoft Word.app", "com.microsoft.Word"},
      {"/Applications/Microsoft Excel.app", "com.microsoft.Excel"},
      {"/Applications/Microsoft PowerPoint.app", "com.microsoft.Powerpoint"},
      {"/Applications/Microsoft Outlook.app", "com.microsoft.Outlook"},
      {"/Applications/Microsoft OneNote.app", "com.microsoft.onenote.mac"},
  };
  return kApplications;
}

namespace {

struct MsiProductName {
  std::string_view code;  // The PPPP field.
  std::string_view name;
};

// Sources: shared/reference/detection-signals.md §1.4. Suites and applications only; names as in
// the Click-to-Run product ids.
constexpr MsiProductName kMsiProducts[] = {
    {"0011", "ProPlus"},  {"0012", "Standard"}, {"0013", "Basic"},      {"0014", "Professional"},
    {"0015", "Access"},   {"0016", "Excel"},    {"0018", "PowerPoint"}, {"0019", "Publisher"},
    {"001A", "Outlook"},  {"001B", "Word"},     {"003A", "ProjectStd"}, {"003B", "ProjectPro"},
    {"0051", "VisioPro"}, {"0053", "VisioStd"}, {"00A1", "OneNote"},
};

bool AllHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isxdigit(c) != 0; });
}

}  // namespace

std::optional<OfficeMsiProduct> DecodeOfficeMsiProductCode(std::string_view code) {
  // {BRMMmmmm-PPPP-LLLL-p000-D000000FF1CE}
  if (code.size() != 38 || code.front() != '{' || code.back() != '}' ||
      !EndsWithIgnoringCase(code, "0FF1CE}") || code[9] != '-' || code[14] != '-' ||
      code[19] != '-' || code[24] != '-') {
    return std::nullopt;
  }
  const std::string_view release = code.substr(2, 1);
  const std::string_view major = code.substr(3, 2);
  const std::string_view product = code.substr(10, 4);
  const std::string_view language = code.substr(15, 4);
  const std::string_view platform = code.substr(20, 1);
  if (!AllHex(code.substr(1, 8)) || !AllHex(product) || language != "0000") return std::nullopt;
  std::string_view year;
  if (major == "14") {
    year = "2010";
  } else if (major == "15") {
    year = "2013";
  } else if (major == "16") {
    year = "2016";
  } else {
    return std::nullopt;
  }
  const auto name = std::find_if(
      std::begin(kMsiProducts), std::end(kMsiProducts),
      [&](const MsiProductName& entry) { return EqualsIgnoringCase(entry.code, product); });
  if (name == std::end(kMsiProducts)) return std::nullopt;
  // Release type: 0 volume licence; 1 retail or OEM; 2 trial; 5 download.
  std::string_view channel;
  if (release == "0") {
    channel = "Volume";
  } else if (release == "1" || release == "5") {
    channel = "Retail";
  } else if (release == "2") {
    channel = "Trial";
  } else {
    return std::nullopt;
  }
  OfficeMsiProduct decoded;
  decoded.product_id = std::string(name->name) + std::string(year) + std::string(channel);
  // Windows Installer Office never carried a Microsoft 365 subscription: those are Click-to-Run.
  decoded.license_model = LicenseModel::kPerpetual;
  decoded.platform = platform == "1" ? "x64" : "x86";
  return decoded;
}

}  // namespace vigie
