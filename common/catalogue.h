#pragma once

// The signature catalogue: which software means what for the doctrine. Probes look products up
// here so that every platform names a product the same way.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/model.h"

namespace vigie {

struct PackageSignature {
  std::string_view package;  // Package name as the package manager knows it.
  std::string_view product;  // Vigie's stable product id, Evidence.product.
  // The service the product is a client of; unspecified for neutral software.
  ServiceCategory service = ServiceCategory::kUnspecified;
  // A sovereign alternative: installing it shows migration progress.
  bool sovereign_alternative = false;
};

// The signature of a Linux package (dpkg or rpm name), or nullptr when Vigie ignores it.
const PackageSignature* FindLinuxPackage(std::string_view package);

// The signature of a Flatpak application id ("com.github.IsmaelMartinez.teams_for_linux"), or
// nullptr when Vigie ignores it. Products are named as for the distribution packages.
const PackageSignature* FindFlatpakApp(std::string_view app_id);

// The signature of a snap name ("teams-for-linux"), or nullptr when Vigie ignores it.
const PackageSignature* FindSnap(std::string_view snap);

// Product ids of the clients whose configuration Linux probes read (Evidence.product).
inline constexpr std::string_view kProductGnomeOnlineAccounts = "gnome-online-accounts";
inline constexpr std::string_view kProductEvolution = "evolution";
inline constexpr std::string_view kProductThunderbird = "thunderbird";
inline constexpr std::string_view kProductOneDriveLinux = "onedrive-linux";
inline constexpr std::string_view kProductNextcloudDesktop = "nextcloud-desktop";

// The tenant id Microsoft personal accounts sign in to (common/data/doctrine.toml
// consumer-tenants).
inline constexpr std::string_view kConsumerTenantId = "9188040d-6c67-4c5b-b112-36a304b66dad";

// The tenant an account signs in to, from its address: the consumer tenant id for Microsoft's
// personal mail domains (outlook.com, hotmail.*, live.*, msn.com), else the address's domain,
// lowercased ("agent@interieur.gouv.fr" -> "interieur.gouv.fr"). Empty when `address` is not an
// e-mail address. Only the domain ever leaves the workstation, never the address.
std::string TenantOfAddress(std::string_view address);

// Whether `host` (a DNS name, ASCII case ignored) serves Exchange Online mail to clients: IMAP,
// POP, SMTP submission, EWS (shared/reference/detection-signals.md §11).
bool IsExchangeOnlineHost(std::string_view host);

// The state domain `host` belongs to, lowercased, for a host of the French state's services:
// "nuage.interieur.gouv.fr" -> "interieur.gouv.fr", "gouv.fr" hosts keep their first label below
// gouv.fr. Empty for any other host: its name must not leave the workstation.
std::string StateDomainOf(std::string_view host);

// The licence model of an Office Click-to-Run product release id ("O365ProPlusRetail",
// "ProPlus2021Volume"...), ASCII case ignored; kUnspecified when the id alone does not tell.
LicenseModel OfficeLicenseModel(std::string_view product_release_id);

// The name of an Office update channel from the GUID that ends its CDN URL, ASCII case ignored:
// "55336b82-a18d-4dd6-b5f6-9e5095c314a6" -> "MonthlyEnterprise". Empty for an unknown GUID.
std::string_view OfficeChannelName(std::string_view guid);

// An Office application for Mac: its bundle and the product id Vigie reports it under (its
// bundle identifier, the same for Microsoft 365 and for LTSC volume licences).
struct MacOfficeApplication {
  std::string_view bundle;      // "/Applications/Microsoft Word.app"
  std::string_view product_id;  // "com.microsoft.Word"
};

// Word, Excel, PowerPoint, Outlook and OneNote for Mac, in that order.
std::span<const MacOfficeApplication> MacOfficeApplications();
// An Office product installed with Windows Installer (Office 2010, 2013 and 2016 MSI).
struct OfficeMsiProduct {
  std::string product_id;  // "ProPlus2016Volume": edition, year, Volume or Retail.
  LicenseModel license_model = LicenseModel::kUnspecified;
  std::string platform;  // "x86" or "x64".
};

// Decodes an Office MSI product code, "{90160000-0011-0000-1000-0000000FF1CE}" (Microsoft's
// numbering scheme, shared/reference/detection-signals.md §1.4). nullopt for anything that is not
// the language-neutral code of an Office suite or application of the 2010-2016 generations
// (language packs, proofing tools, components).
std::optional<OfficeMsiProduct> DecodeOfficeMsiProductCode(std::string_view code);

}  // namespace vigie
