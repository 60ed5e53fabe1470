#include "common/catalogue.h"

namespace vigie {
namespace {

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

}  // namespace

const PackageSignature* FindLinuxPackage(std::string_view package) {
  for (const auto& signature : kLinuxPackages) {
    if (signature.package == package) return &signature;
  }
  return nullptr;
}

}  // namespace vigie
