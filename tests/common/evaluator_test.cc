#include "common/evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vigie {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;

OfficeInstall Office(std::string product_id, LicenseModel license_model) {
  OfficeInstall install;
  install.product_id = std::move(product_id);
  install.license_model = license_model;
  return install;
}

Evidence Make(std::string product, ServiceCategory service, EvidenceKind kind,
              std::string tenant = "") {
  Evidence evidence;
  evidence.product = std::move(product);
  evidence.service = service;
  evidence.kind = kind;
  evidence.tenant = std::move(tenant);
  return evidence;
}

TEST(EvaluatorTest, NothingFoundIsCompliant) {
  const Verdict verdict = Evaluate({});
  EXPECT_EQ(verdict.status, VerdictStatus::kCompliant);
  EXPECT_THAT(verdict.reasons, Contains(HasSubstr("Aucun service cloud")));
}

TEST(EvaluatorTest, PerpetualOfficeIsCompliantAndSaidSo) {
  InventoryReport report;
  report.office_installs.push_back(Office("ProPlus2021Volume", LicenseModel::kPerpetual));
  const Verdict verdict = Evaluate(report);
  EXPECT_EQ(verdict.status, VerdictStatus::kCompliant);
  EXPECT_THAT(verdict.reasons, Contains(HasSubstr("ProPlus2021Volume")));
}

TEST(EvaluatorTest, SubscriptionOfficeIsToReview) {
  InventoryReport report;
  report.office_installs.push_back(Office("O365ProPlusRetail", LicenseModel::kSubscription));
  const Verdict verdict = Evaluate(report);
  EXPECT_EQ(verdict.status, VerdictStatus::kToReview);
  EXPECT_THAT(verdict.reasons,
              Contains(AllOf(HasSubstr("O365ProPlusRetail"), HasSubstr("abonnement"))));
}

TEST(EvaluatorTest, InstalledCloudClientIsToReview) {
  InventoryReport report;
  report.evidence.push_back(
      Make("teams-for-linux", ServiceCategory::kCollaboration, EvidenceKind::kInstalled));
  EXPECT_EQ(Evaluate(report).status, VerdictStatus::kToReview);
}

TEST(EvaluatorTest, SovereignAlternativeAndNeutralSoftwareStayCompliant) {
  InventoryReport report;
  Evidence libreoffice =
      Make("libreoffice", ServiceCategory::kUnspecified, EvidenceKind::kInstalled);
  libreoffice.sovereign_alternative = true;
  report.evidence.push_back(libreoffice);
  report.evidence.push_back(
      Make("microsoft-edge", ServiceCategory::kUnspecified, EvidenceKind::kInstalled));
  EXPECT_EQ(Evaluate(report).status, VerdictStatus::kCompliant);
}

TEST(EvaluatorTest, EveryServiceInUseIsNonCompliantWithoutDerogation) {
  for (auto service : {ServiceCategory::kMail, ServiceCategory::kPersonalDrive,
                       ServiceCategory::kDocuments, ServiceCategory::kCollaboration,
                       ServiceCategory::kInstantMessaging, ServiceCategory::kConferencing}) {
    for (auto kind : {EvidenceKind::kConfigured, EvidenceKind::kSignedIn, EvidenceKind::kUsed}) {
      InventoryReport report;
      report.evidence.push_back(Make("client", service, kind, "ministere.onmicrosoft.com"));
      const Verdict verdict = Evaluate(report);
      EXPECT_EQ(verdict.status, VerdictStatus::kNonCompliant);
      EXPECT_THAT(verdict.reasons, Contains(HasSubstr("ministere.onmicrosoft.com")));
    }
  }
}

TEST(EvaluatorTest, NonDerogableServiceIsSaidSo) {
  InventoryReport report;
  report.evidence.push_back(Make("teams", ServiceCategory::kConferencing, EvidenceKind::kUsed));
  EXPECT_THAT(Evaluate(report).reasons, Contains(HasSubstr("non dérogeable")));
  report.evidence[0].service = ServiceCategory::kMail;
  EXPECT_THAT(Evaluate(report).reasons, Contains(HasSubstr("sans dérogation")));
}

TEST(EvaluatorTest, SignedInIdentityAloneIsToReview) {
  InventoryReport report;
  report.evidence.push_back(
      Make("office-identity", ServiceCategory::kCloudIdentity, EvidenceKind::kSignedIn));
  EXPECT_EQ(Evaluate(report).status, VerdictStatus::kToReview);
}

TEST(EvaluatorTest, PolicyEvidenceDoesNotRaiseRisk) {
  InventoryReport report;
  report.evidence.push_back(
      Make("office-policy", ServiceCategory::kDocuments, EvidenceKind::kPolicy));
  EXPECT_EQ(Evaluate(report).status, VerdictStatus::kCompliant);
}

TEST(EvaluatorTest, FailedProbeMakesAbsenceUnknownButNotUse) {
  InventoryReport report;
  report.probe_errors.push_back({"linux.dpkg", "permission denied"});
  const Verdict unknown = Evaluate(report);
  EXPECT_EQ(unknown.status, VerdictStatus::kUnknown);
  EXPECT_THAT(unknown.reasons,
              Contains(AllOf(HasSubstr("linux.dpkg"), HasSubstr("permission denied"))));

  report.evidence.push_back(
      Make("onedrive", ServiceCategory::kPersonalDrive, EvidenceKind::kConfigured));
  EXPECT_EQ(Evaluate(report).status, VerdictStatus::kNonCompliant);
}

}  // namespace
}  // namespace vigie
