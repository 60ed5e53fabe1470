#include "common/enums.h"

#include <gtest/gtest.h>

#include "vigie/v1/inventory.pb.h"

namespace vigie {
namespace {

// The model's enums mirror the proto's by number and by name: the JSON output and the wire
// conversions depend on it.
template <typename Enum, typename ProtoEnum>
void ExpectMirrors(const google::protobuf::EnumDescriptor* descriptor, int count) {
  EXPECT_EQ(descriptor->value_count(), count) << descriptor->full_name();
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto* value = descriptor->value(i);
    const auto model = static_cast<Enum>(value->number());
    EXPECT_EQ(EnumName(model), value->name());
    EXPECT_EQ(ParseEnumName<Enum>(value->name()), model);
  }
}

TEST(EnumsTest, MirrorProtoEnums) {
  ExpectMirrors<OsFamily, v1::OsFamily>(v1::OsFamily_descriptor(), 4);
  ExpectMirrors<ServiceCategory, v1::ServiceCategory>(v1::ServiceCategory_descriptor(), 9);
  ExpectMirrors<LicenseModel, v1::LicenseModel>(v1::LicenseModel_descriptor(), 3);
  ExpectMirrors<EvidenceKind, v1::EvidenceKind>(v1::EvidenceKind_descriptor(), 6);
  ExpectMirrors<VerdictStatus, v1::VerdictStatus>(v1::VerdictStatus_descriptor(), 6);
}

TEST(EnumsTest, OnlyMailAndPersonalDriveAreDerogable) {
  for (auto category : kAllServiceCategories) {
    EXPECT_EQ(IsDerogable(category),
              category == ServiceCategory::kMail || category == ServiceCategory::kPersonalDrive)
        << EnumName(category);
  }
}

TEST(EnumsTest, EnablersAreNotServices) {
  EXPECT_FALSE(IsOnlineService(ServiceCategory::kCloudIdentity));
  EXPECT_FALSE(IsOnlineService(ServiceCategory::kCloudLicensing));
  EXPECT_FALSE(IsOnlineService(ServiceCategory::kUnspecified));
  EXPECT_TRUE(IsOnlineService(ServiceCategory::kConferencing));
}

TEST(EnumsTest, FrenchLabels) {
  EXPECT_EQ(FrenchLabel(VerdictStatus::kToReview), "À qualifier");
  EXPECT_EQ(FrenchLabel(VerdictStatus::kNonCompliant), "Non conforme");
  EXPECT_EQ(FrenchLabel(ServiceCategory::kInstantMessaging), "Messagerie instantanée");
  EXPECT_FALSE(ParseEnumName<VerdictStatus>("compliant").has_value());
}

}  // namespace
}  // namespace vigie
