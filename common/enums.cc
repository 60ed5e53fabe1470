#include "common/enums.h"

namespace vigie {
namespace {

template <typename Enum>
struct EnumEntry {
  Enum value;
  std::string_view name;
  std::string_view label;
};

constexpr EnumEntry<OsFamily> kOsFamilies[] = {
    {OsFamily::kUnspecified, "OS_FAMILY_UNSPECIFIED", "Inconnu"},
    {OsFamily::kWindows, "WINDOWS", "Windows"},
    {OsFamily::kLinux, "LINUX", "Linux"},
    {OsFamily::kMacos, "MACOS", "macOS"},
};

constexpr EnumEntry<ServiceCategory> kServiceCategories[] = {
    {ServiceCategory::kUnspecified, "SERVICE_CATEGORY_UNSPECIFIED", "Aucun service"},
    {ServiceCategory::kMail, "MAIL", "Messagerie"},
    {ServiceCategory::kPersonalDrive, "PERSONAL_DRIVE", "Espace de stockage personnel"},
    {ServiceCategory::kDocuments, "DOCUMENTS", "Services documentaires"},
    {ServiceCategory::kCollaboration, "COLLABORATION", "Outils collaboratifs"},
    {ServiceCategory::kInstantMessaging, "INSTANT_MESSAGING", "Messagerie instantanée"},
    {ServiceCategory::kConferencing, "CONFERENCING", "Audio et visioconférence"},
    {ServiceCategory::kCloudIdentity, "CLOUD_IDENTITY", "Identité cloud (Entra ID)"},
    {ServiceCategory::kCloudLicensing, "CLOUD_LICENSING", "Licence par abonnement Microsoft 365"},
};

constexpr EnumEntry<LicenseModel> kLicenseModels[] = {
    {LicenseModel::kUnspecified, "LICENSE_MODEL_UNSPECIFIED", "Inconnue"},
    {LicenseModel::kPerpetual, "PERPETUAL", "Licence perpétuelle"},
    {LicenseModel::kSubscription, "SUBSCRIPTION", "Abonnement"},
};

constexpr EnumEntry<EvidenceKind> kEvidenceKinds[] = {
    {EvidenceKind::kUnspecified, "EVIDENCE_KIND_UNSPECIFIED", "Indéterminé"},
    {EvidenceKind::kInstalled, "INSTALLED", "Installé"},
    {EvidenceKind::kConfigured, "CONFIGURED", "Configuré"},
    {EvidenceKind::kSignedIn, "SIGNED_IN", "Compte connecté"},
    {EvidenceKind::kUsed, "USED", "Utilisé"},
    {EvidenceKind::kPolicy, "POLICY", "Stratégie de restriction"},
};

constexpr EnumEntry<VerdictStatus> kVerdicts[] = {
    {VerdictStatus::kUnspecified, "VERDICT_STATUS_UNSPECIFIED", "Non évalué"},
    {VerdictStatus::kCompliant, "COMPLIANT", "Conforme"},
    {VerdictStatus::kToReview, "TO_REVIEW", "À qualifier"},
    {VerdictStatus::kDerogation, "DEROGATION", "Sous dérogation"},
    {VerdictStatus::kNonCompliant, "NON_COMPLIANT", "Non conforme"},
    {VerdictStatus::kUnknown, "UNKNOWN", "Inconnu"},
};

template <typename Enum, std::size_t N>
const EnumEntry<Enum>* Find(const EnumEntry<Enum> (&table)[N], Enum value) {
  for (const auto& entry : table) {
    if (entry.value == value) return &entry;
  }
  return nullptr;
}

template <typename Enum, std::size_t N>
std::string_view NameIn(const EnumEntry<Enum> (&table)[N], Enum value) {
  const auto* entry = Find(table, value);
  return entry ? entry->name : table[0].name;
}

template <typename Enum, std::size_t N>
std::string_view LabelIn(const EnumEntry<Enum> (&table)[N], Enum value) {
  const auto* entry = Find(table, value);
  return entry ? entry->label : table[0].label;
}

template <typename Enum, std::size_t N>
std::optional<Enum> ParseIn(const EnumEntry<Enum> (&table)[N], std::string_view name) {
  for (const auto& entry : table) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view EnumName(OsFamily value) { return NameIn(kOsFamilies, value); }
std::string_view EnumName(ServiceCategory value) { return NameIn(kServiceCategories, value); }
std::string_view EnumName(LicenseModel value) { return NameIn(kLicenseModels, value); }
std::string_view EnumName(EvidenceKind value) { return NameIn(kEvidenceKinds, value); }
std::string_view EnumName(VerdictStatus value) { return NameIn(kVerdicts, value); }

std::string_view FrenchLabel(ServiceCategory value) { return LabelIn(kServiceCategories, value); }
std::string_view FrenchLabel(VerdictStatus value) { return LabelIn(kVerdicts, value); }
std::string_view FrenchLabel(EvidenceKind value) { return LabelIn(kEvidenceKinds, value); }

template <>
std::optional<OsFamily> ParseEnumName(std::string_view name) {
  return ParseIn(kOsFamilies, name);
}
template <>
std::optional<ServiceCategory> ParseEnumName(std::string_view name) {
  return ParseIn(kServiceCategories, name);
}
template <>
std::optional<LicenseModel> ParseEnumName(std::string_view name) {
  return ParseIn(kLicenseModels, name);
}
template <>
std::optional<EvidenceKind> ParseEnumName(std::string_view name) {
  return ParseIn(kEvidenceKinds, name);
}
template <>
std::optional<VerdictStatus> ParseEnumName(std::string_view name) {
  return ParseIn(kVerdicts, name);
}

bool IsDerogable(ServiceCategory value) {
  return value == ServiceCategory::kMail || value == ServiceCategory::kPersonalDrive;
}

bool IsOnlineService(ServiceCategory value) {
  switch (value) {
    case ServiceCategory::kMail:
    case ServiceCategory::kPersonalDrive:
    case ServiceCategory::kDocuments:
    case ServiceCategory::kCollaboration:
    case ServiceCategory::kInstantMessaging:
    case ServiceCategory::kConferencing:
      return true;
    default:
      return false;
  }
}

}  // namespace vigie
