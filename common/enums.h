#pragma once

// Names and French labels of the model's enums. The names are the proto enum value names
// (the JSON mapping and the CLI use them); the labels are what DSI staff read.

#include <optional>
#include <string_view>

#include "common/model.h"

namespace vigie {

std::string_view EnumName(OsFamily value);
std::string_view EnumName(ServiceCategory value);
std::string_view EnumName(LicenseModel value);
std::string_view EnumName(EvidenceKind value);
std::string_view EnumName(VerdictStatus value);

std::string_view FrenchLabel(ServiceCategory value);
std::string_view FrenchLabel(VerdictStatus value);
std::string_view FrenchLabel(EvidenceKind value);

// Parses a proto enum value name ("MAIL", "LINUX"...); nullopt for anything else.
template <typename Enum>
std::optional<Enum> ParseEnumName(std::string_view name);

// The verdicts in the order reports and summaries list them.
inline constexpr VerdictStatus kAllVerdicts[] = {
    VerdictStatus::kCompliant, VerdictStatus::kToReview, VerdictStatus::kDerogation,
    VerdictStatus::kNonCompliant, VerdictStatus::kUnknown};

// The service categories proper, the enablers last.
inline constexpr ServiceCategory kAllServiceCategories[] = {ServiceCategory::kMail,
                                                            ServiceCategory::kPersonalDrive,
                                                            ServiceCategory::kDocuments,
                                                            ServiceCategory::kCollaboration,
                                                            ServiceCategory::kInstantMessaging,
                                                            ServiceCategory::kConferencing,
                                                            ServiceCategory::kCloudIdentity,
                                                            ServiceCategory::kCloudLicensing};

// Derogations exist only for mail and the personal drive (DINUM note of 15 September 2021).
bool IsDerogable(ServiceCategory value);

// A service proper, as opposed to an enabler (cloud identity, cloud licensing).
bool IsOnlineService(ServiceCategory value);

}  // namespace vigie
