#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/doctrine/engine.h"
#include "common/enums.h"

namespace vigie::doctrine {
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

TEST(StalenessTest, SilentHostBecomesUnknownSayingSinceWhenAndItsLastState) {
  InventoryReport report;
  report.office_installs.push_back(Office("ProPlus2021Volume", LicenseModel::kPerpetual));
  EvaluationInput input;
  input.date = Date{std::chrono::year{2026} / 11 / 23};
  input.stale_after_days = 30;
  input.last_report = input.date - std::chrono::days(30);
  EXPECT_EQ(Evaluate(report, input).status, VerdictStatus::kCompliant)
      << "30 days is not yet stale";

  input.last_report = input.date - std::chrono::days(31);
  const Verdict stale = Evaluate(report, input);
  EXPECT_EQ(stale.status, VerdictStatus::kUnknown);
  ASSERT_EQ(stale.reasons.size(), 1u);
  EXPECT_THAT(stale.reasons[0],
              AllOf(HasSubstr("23/10/2026"), HasSubstr("30 jours"),
                    HasSubstr(std::string(FrenchLabel(VerdictStatus::kCompliant)))));

  input.stale_after_days = 0;
  EXPECT_EQ(Evaluate(report, input).status, VerdictStatus::kCompliant) << "0 disables the check";
}

TEST(ExplainTest, EachFactIsJudgedOnItsOwn) {
  InventoryReport report;
  report.office_installs.push_back(Office("ProPlus2021Volume", LicenseModel::kPerpetual));
  report.office_installs.push_back(Office("O365ProPlusRetail", LicenseModel::kSubscription));
  report.evidence.push_back(
      Make("OneDrive", ServiceCategory::kPersonalDrive, EvidenceKind::kSignedIn, "a.example"));
  report.evidence.push_back(
      Make("Teams", ServiceCategory::kCollaboration, EvidenceKind::kInstalled));
  Evidence libreoffice =
      Make("LibreOffice", ServiceCategory::kUnspecified, EvidenceKind::kInstalled);
  libreoffice.sovereign_alternative = true;
  report.evidence.push_back(libreoffice);
  report.evidence.push_back(
      Make("Stratégie Office", ServiceCategory::kUnspecified, EvidenceKind::kPolicy));
  report.probe_errors.push_back({"windows.outlook", "profil illisible"});

  const Explanation explanation = Explain(report, EvaluationInput{});
  ASSERT_EQ(explanation.facts.size(), 7u);
  EXPECT_EQ(explanation.facts[0].effect, VerdictStatus::kCompliant);
  EXPECT_THAT(explanation.facts[0].meaning, HasSubstr("licence perpétuelle"));
  EXPECT_EQ(explanation.facts[1].effect, VerdictStatus::kToReview);
  EXPECT_EQ(explanation.facts[2].effect, VerdictStatus::kNonCompliant);
  EXPECT_THAT(explanation.facts[2].fact, HasSubstr("locataire a.example"));
  EXPECT_EQ(explanation.facts[3].effect, VerdictStatus::kToReview);
  EXPECT_THAT(explanation.facts[4].meaning, HasSubstr("Alternative souveraine"));
  EXPECT_THAT(explanation.facts[5].meaning, HasSubstr("réduit l'exposition"));
  EXPECT_EQ(explanation.facts[6].effect, VerdictStatus::kUnknown);
  EXPECT_EQ(explanation.verdict.status, VerdictStatus::kNonCompliant);
  EXPECT_EQ(explanation.verdict.status, Evaluate(report, EvaluationInput{}).status);
}

TEST(OrgUnitDerogationTest, CoversTheUnitAndTheUnitsItEnclosesOnly) {
  InventoryReport report;
  report.evidence.push_back(
      Make("Outlook", ServiceCategory::kMail, EvidenceKind::kConfigured, "mi.onmicrosoft.com"));
  const Date day{std::chrono::year{2026} / 6 / 1};
  const std::vector<Derogation> derogations = {
      {"MI", ServiceCategory::kMail, "SG", "DEC-DG1", day, day, "DG1"}};
  EvaluationInput input;
  input.ministry = "MI";
  input.date = day;
  input.derogations = derogations;
  const std::vector<std::string> in_site = {"SITE", "DG1"};
  input.org_units = in_site;
  EXPECT_EQ(Evaluate(report, input).status, VerdictStatus::kDerogation);
  const std::vector<std::string> elsewhere = {"DG2"};
  input.org_units = elsewhere;
  EXPECT_EQ(Evaluate(report, input).status, VerdictStatus::kNonCompliant);
  input.org_units = {};
  EXPECT_EQ(Evaluate(report, input).status, VerdictStatus::kNonCompliant)
      << "an unplaced host is not in the unit";
}

TEST(TenantClassTest, NamesForMachinesAndPeople) {
  EXPECT_EQ(EnumName(TenantClass::kOtherOrganisation), "OTHER_ORGANISATION");
  EXPECT_EQ(FrenchLabel(TenantClass::kConsumer), "compte personnel");
  EXPECT_EQ(EnumName(TenantClass::kUnknown), "UNKNOWN");
}

TEST(DefaultDoctrineTest, NothingFoundIsCompliant) {
  const Verdict verdict = EvaluateDefault({});
  EXPECT_EQ(verdict.status, VerdictStatus::kCompliant);
  EXPECT_THAT(verdict.reasons, Contains(HasSubstr("Aucun service cloud")));
}

TEST(DefaultDoctrineTest, PerpetualOfficeIsCompliantAndSaidSo) {
  InventoryReport report;
  report.office_installs.push_back(Office("ProPlus2021Volume", LicenseModel::kPerpetual));
  const Verdict verdict = EvaluateDefault(report);
  EXPECT_EQ(verdict.status, VerdictStatus::kCompliant);
  EXPECT_THAT(verdict.reasons, Contains(HasSubstr("ProPlus2021Volume")));
}

TEST(DefaultDoctrineTest, SubscriptionOfficeIsToReview) {
  InventoryReport report;
  report.office_installs.push_back(Office("O365ProPlusRetail", LicenseModel::kSubscription));
  const Verdict verdict = EvaluateDefault(report);
  EXPECT_EQ(verdict.status, VerdictStatus::kToReview);
  EXPECT_THAT(verdict.reasons,
              Contains(AllOf(HasSubstr("O365ProPlusRetail"), HasSubstr("abonnement"))));
}

TEST(DefaultDoctrineTest, InstalledCloudClientIsToReview) {
  InventoryReport report;
  report.evidence.push_back(
      Make("teams-for-linux", ServiceCategory::kCollaboration, EvidenceKind::kInstalled));
  EXPECT_EQ(EvaluateDefault(report).status, VerdictStatus::kToReview);
}

TEST(DefaultDoctrineTest, SovereignAlternativeAndNeutralSoftwareStayCompliant) {
  InventoryReport report;
  Evidence libreoffice =
      Make("libreoffice", ServiceCategory::kUnspecified, EvidenceKind::kInstalled);
  libreoffice.sovereign_alternative = true;
  report.evidence.push_back(libreoffice);
  report.evidence.push_back(
      Make("microsoft-edge", ServiceCategory::kUnspecified, EvidenceKind::kInstalled));
  EXPECT_EQ(EvaluateDefault(report).status, VerdictStatus::kCompliant);
}

TEST(DefaultDoctrineTest, EveryServiceInUseIsNonCompliantWithoutDerogation) {
  for (auto service : {ServiceCategory::kMail, ServiceCategory::kPersonalDrive,
                       ServiceCategory::kDocuments, ServiceCategory::kCollaboration,
                       ServiceCategory::kInstantMessaging, ServiceCategory::kConferencing}) {
    for (auto kind : {EvidenceKind::kConfigured, EvidenceKind::kSignedIn, EvidenceKind::kUsed}) {
      InventoryReport report;
      report.evidence.push_back(Make("client", service, kind, "ministere.onmicrosoft.com"));
      const Verdict verdict = EvaluateDefault(report);
      EXPECT_EQ(verdict.status, VerdictStatus::kNonCompliant);
      EXPECT_THAT(verdict.reasons, Contains(HasSubstr("ministere.onmicrosoft.com")));
    }
  }
}

TEST(DefaultDoctrineTest, NonDerogableServiceIsSaidSo) {
  InventoryReport report;
  report.evidence.push_back(Make("teams", ServiceCategory::kConferencing, EvidenceKind::kUsed));
  EXPECT_THAT(EvaluateDefault(report).reasons, Contains(HasSubstr("non dérogeable")));
  report.evidence[0].service = ServiceCategory::kMail;
  EXPECT_THAT(EvaluateDefault(report).reasons, Contains(HasSubstr("sans dérogation")));
}

TEST(DefaultDoctrineTest, SignedInIdentityAloneIsToReview) {
  InventoryReport report;
  report.evidence.push_back(
      Make("office-identity", ServiceCategory::kCloudIdentity, EvidenceKind::kSignedIn));
  EXPECT_EQ(EvaluateDefault(report).status, VerdictStatus::kToReview);
}

TEST(DefaultDoctrineTest, PolicyEvidenceDoesNotRaiseRisk) {
  InventoryReport report;
  report.evidence.push_back(
      Make("office-policy", ServiceCategory::kDocuments, EvidenceKind::kPolicy));
  EXPECT_EQ(EvaluateDefault(report).status, VerdictStatus::kCompliant);
}

TEST(DefaultDoctrineTest, FailedProbeMakesAbsenceUnknownButNotUse) {
  InventoryReport report;
  report.probe_errors.push_back({"linux.dpkg", "permission denied"});
  const Verdict unknown = EvaluateDefault(report);
  EXPECT_EQ(unknown.status, VerdictStatus::kUnknown);
  EXPECT_THAT(unknown.reasons,
              Contains(AllOf(HasSubstr("linux.dpkg"), HasSubstr("permission denied"))));

  report.evidence.push_back(
      Make("onedrive", ServiceCategory::kPersonalDrive, EvidenceKind::kConfigured));
  EXPECT_EQ(EvaluateDefault(report).status, VerdictStatus::kNonCompliant);
}

enum class DerogationState { kNone, kValid, kExpired, kFuture };

constexpr Date kDay = std::chrono::sys_days{std::chrono::year{2026} / 11 / 23};

// The rule matrix of the doctrine, written out independently of the engine: every service category
// x derogation state x tenant class.
VerdictStatus Expected(ServiceCategory service, DerogationState derogation, TenantClass tenant) {
  if (tenant == TenantClass::kQualified) return VerdictStatus::kCompliant;
  const bool derogable =
      service == ServiceCategory::kMail || service == ServiceCategory::kPersonalDrive;
  if (derogable && derogation == DerogationState::kValid && tenant == TenantClass::kMinistry) {
    return VerdictStatus::kDerogation;
  }
  return VerdictStatus::kNonCompliant;
}

class DoctrineMatrixTest : public ::testing::Test {
 protected:
  DoctrineMatrixTest() {
    auto policy = Policy::Parse(R"(
version = "test"
consumer-tenants = ["9188040d-6c67-4c5b-b112-36a304b66dad"]
[[service]]
category = "MAIL"
derogable = true
rule = "R-MAIL"
[[service]]
category = "PERSONAL_DRIVE"
derogable = true
rule = "R-DRIVE"
[[service]]
category = "DOCUMENTS"
derogable = false
rule = "R-DOCS"
[[service]]
category = "COLLABORATION"
derogable = false
rule = "R-COLLAB"
[[service]]
category = "INSTANT_MESSAGING"
derogable = false
rule = "R-IM"
[[service]]
category = "CONFERENCING"
derogable = false
rule = "R-CONF"
[[offer]]
id = "microsoft-365"
name = "Microsoft 365"
[[offer]]
id = "qualified-cloud"
name = "Offre qualifiée"
qualified-from = 2026-01-15
[[offer]]
id = "later-cloud"
name = "Offre qualifiée plus tard"
qualified-from = 2027-01-01
)",
                                "test-policy.toml");
    EXPECT_TRUE(policy.ok()) << policy.status().ToString();
    policy_ = std::move(policy).value();
    tenants_ = {{"interieur.onmicrosoft.com", "MI", "microsoft-365"},
                {"bleu-mi.example", "MI", "qualified-cloud"},
                {"future-mi.example", "MI", "later-cloud"},
                {"finances.onmicrosoft.com", "MEFSIN", "microsoft-365"}};
  }

  std::string TenantFor(TenantClass tenant) const {
    switch (tenant) {
      case TenantClass::kMinistry:
        return "INTERIEUR.onmicrosoft.com";
      case TenantClass::kQualified:
        return "bleu-mi.example";
      case TenantClass::kOtherOrganisation:
        return "finances.onmicrosoft.com";
      case TenantClass::kConsumer:
        return "9188040d-6c67-4c5b-b112-36a304b66dad";
      case TenantClass::kUnknown:
        return "";
    }
    return "";
  }

  std::vector<Derogation> DerogationsFor(ServiceCategory service, DerogationState state) const {
    using std::chrono::days;
    switch (state) {
      case DerogationState::kNone:
        return {};
      case DerogationState::kValid:
        return {{"MI", service, "SG MI", "DER-1", kDay - days(30), kDay, ""}};
      case DerogationState::kExpired:
        return {{"MI", service, "SG MI", "DER-2", kDay - days(400), kDay - days(1), ""}};
      case DerogationState::kFuture:
        return {{"MI", service, "SG MI", "DER-3", kDay + days(1), kDay + days(365), ""}};
    }
    return {};
  }

  Verdict Judge(ServiceCategory service, const std::string& tenant,
                const std::vector<Derogation>& derogations, Date date = kDay) const {
    InventoryReport report;
    Evidence evidence;
    evidence.product = "client";
    evidence.service = service;
    evidence.kind = EvidenceKind::kSignedIn;
    evidence.tenant = tenant;
    report.evidence.push_back(evidence);
    EvaluationInput input;
    input.policy = &policy_;
    input.ministry = "MI";
    input.derogations = derogations;
    input.tenants = tenants_;
    input.date = date;
    return Evaluate(report, input);
  }

  Policy policy_;
  std::vector<KnownTenant> tenants_;
};

TEST_F(DoctrineMatrixTest, EveryCategoryDerogationStateAndTenantClass) {
  const ServiceCategory services[] = {ServiceCategory::kMail,
                                      ServiceCategory::kPersonalDrive,
                                      ServiceCategory::kDocuments,
                                      ServiceCategory::kCollaboration,
                                      ServiceCategory::kInstantMessaging,
                                      ServiceCategory::kConferencing};
  const DerogationState states[] = {DerogationState::kNone, DerogationState::kValid,
                                    DerogationState::kExpired, DerogationState::kFuture};
  const TenantClass tenants[] = {TenantClass::kMinistry, TenantClass::kQualified,
                                 TenantClass::kOtherOrganisation, TenantClass::kConsumer};
  int cases = 0;
  for (auto service : services) {
    for (auto state : states) {
      for (auto tenant : tenants) {
        const Verdict verdict = Judge(service, TenantFor(tenant), DerogationsFor(service, state));
        EXPECT_EQ(verdict.status, Expected(service, state, tenant))
            << EnumName(service) << " state " << static_cast<int>(state) << " tenant "
            << static_cast<int>(tenant) << ": " << ::testing::PrintToString(verdict.reasons);
        EXPECT_FALSE(verdict.reasons.empty());
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 96);
}

TEST_F(DoctrineMatrixTest, ReasonsQuoteTheRuleAndTheDerogation) {
  EXPECT_THAT(Judge(ServiceCategory::kConferencing, "", {}).reasons[0], HasSubstr("R-CONF"));
  const auto valid = DerogationsFor(ServiceCategory::kMail, DerogationState::kValid);
  EXPECT_THAT(Judge(ServiceCategory::kMail, TenantFor(TenantClass::kMinistry), valid).reasons[0],
              HasSubstr("DER-1 accordée par SG MI, valable jusqu'au 23/11/2026"));
  const auto expired = DerogationsFor(ServiceCategory::kMail, DerogationState::kExpired);
  EXPECT_THAT(Judge(ServiceCategory::kMail, TenantFor(TenantClass::kMinistry), expired).reasons[0],
              HasSubstr("DER-2 a expiré le 22/11/2026"));
  const auto future = DerogationsFor(ServiceCategory::kMail, DerogationState::kFuture);
  EXPECT_THAT(Judge(ServiceCategory::kMail, TenantFor(TenantClass::kMinistry), future).reasons[0],
              HasSubstr("à partir du 24/11/2026"));
}

TEST_F(DoctrineMatrixTest, DerogationOfAnotherMinistryOrServiceDoesNotApply) {
  std::vector<Derogation> other = DerogationsFor(ServiceCategory::kMail, DerogationState::kValid);
  other[0].ministry = "MEFSIN";
  EXPECT_EQ(Judge(ServiceCategory::kMail, TenantFor(TenantClass::kMinistry), other).status,
            VerdictStatus::kNonCompliant);
  const auto drive = DerogationsFor(ServiceCategory::kPersonalDrive, DerogationState::kValid);
  EXPECT_EQ(Judge(ServiceCategory::kMail, TenantFor(TenantClass::kMinistry), drive).status,
            VerdictStatus::kNonCompliant);
}

TEST_F(DoctrineMatrixTest, UnknownTenantCanBeCoveredByADerogation) {
  const auto valid = DerogationsFor(ServiceCategory::kPersonalDrive, DerogationState::kValid);
  EXPECT_EQ(Judge(ServiceCategory::kPersonalDrive, "", valid).status, VerdictStatus::kDerogation);
}

TEST_F(DoctrineMatrixTest, QualificationCountsFromItsDate) {
  using std::chrono::days;
  const Date qualified = std::chrono::sys_days{std::chrono::year{2026} / 1 / 15};
  EXPECT_EQ(Judge(ServiceCategory::kDocuments, "bleu-mi.example", {}, qualified - days(1)).status,
            VerdictStatus::kNonCompliant);
  EXPECT_EQ(Judge(ServiceCategory::kDocuments, "bleu-mi.example", {}, qualified).status,
            VerdictStatus::kCompliant);
  EXPECT_EQ(Judge(ServiceCategory::kDocuments, "future-mi.example", {}).status,
            VerdictStatus::kNonCompliant);
  EXPECT_THAT(Judge(ServiceCategory::kDocuments, "bleu-mi.example", {}).reasons,
              ::testing::Contains(HasSubstr("qualifiée SecNumCloud depuis le 15/01/2026")));
}

TEST_F(DoctrineMatrixTest, UndeclaredTenantsAreUnknownUntilTheMinistryDeclaresItsOwn) {
  EvaluationInput input;
  input.policy = &policy_;
  input.ministry = "MEN";
  const std::vector<KnownTenant> others = {{"interieur.onmicrosoft.com", "MI", "microsoft-365"}};
  input.tenants = others;
  input.date = kDay;
  EXPECT_EQ(ClassifyTenant("education.onmicrosoft.com", input), TenantClass::kUnknown);
  EXPECT_EQ(ClassifyTenant("interieur.onmicrosoft.com", input), TenantClass::kOtherOrganisation);
}

TEST_F(DoctrineMatrixTest, ClassifiesTenants) {
  EvaluationInput input;
  input.policy = &policy_;
  input.ministry = "MI";
  input.tenants = tenants_;
  input.date = kDay;
  EXPECT_EQ(ClassifyTenant("", input), TenantClass::kUnknown);
  EXPECT_EQ(ClassifyTenant("Interieur.OnMicrosoft.com", input), TenantClass::kMinistry);
  EXPECT_EQ(ClassifyTenant("finances.onmicrosoft.com", input), TenantClass::kOtherOrganisation);
  EXPECT_EQ(ClassifyTenant("somebody-else.example", input), TenantClass::kOtherOrganisation);
  EXPECT_EQ(ClassifyTenant("9188040D-6C67-4C5B-B112-36A304B66DAD", input), TenantClass::kConsumer);
  EXPECT_EQ(ClassifyTenant("bleu-mi.example", input), TenantClass::kQualified);
}

}  // namespace
}  // namespace vigie::doctrine
