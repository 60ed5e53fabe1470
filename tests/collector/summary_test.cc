#include "collector/summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "collector/host_evaluator.h"
#include "collector/test_reports.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using testing::At;
using ::testing::HasSubstr;
using testing::kNowSeconds;

class SummaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_ / "collector.db");
    ASSERT_TRUE(store.ok());
    store_.emplace(std::move(store).value());
  }

  void Ingest(const std::string& id, const std::string& host, const std::string& ministry,
              VerdictStatus verdict, std::int64_t received, std::vector<Evidence> evidence,
              std::vector<OfficeInstall> office = {}) {
    InventoryReport report = testing::ValidReport(id, host, ministry);
    report.evidence = std::move(evidence);
    report.office_installs = std::move(office);
    ASSERT_TRUE(store_->Ingest(report, "p", {verdict, {}}, At(received)).ok());
  }

  static Evidence Use(ServiceCategory service, std::string tenant) {
    Evidence evidence;
    evidence.product = "client";
    evidence.service = service;
    evidence.kind = EvidenceKind::kSignedIn;
    evidence.tenant = std::move(tenant);
    return evidence;
  }

  static Evidence Alternative(std::string product) {
    Evidence evidence;
    evidence.product = std::move(product);
    evidence.kind = EvidenceKind::kInstalled;
    evidence.sovereign_alternative = true;
    return evidence;
  }

  static OfficeInstall Office(std::string id, LicenseModel model) {
    OfficeInstall install;
    install.product_id = std::move(id);
    install.license_model = model;
    return install;
  }

  FleetSummary Build() {
    auto summary = BuildSummary(*store_, JudgingRules{}, At(kNowSeconds), {});
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return std::move(summary).value();
  }

  testing::TempDir dir_;
  std::optional<Store> store_;
};

TEST_F(SummaryTest, CountsVerdictsServicesOfficeTenantsAlternativesAndStaleHosts) {
  Ingest("r1", "h1", "MI", VerdictStatus::kNonCompliant, kNowSeconds,
         {Use(ServiceCategory::kMail, "Interieur.onmicrosoft.com"),
          Use(ServiceCategory::kConferencing, "interieur.onmicrosoft.com")},
         {Office("O365ProPlusRetail", LicenseModel::kSubscription)});
  Ingest("r2", "h2", "MI", VerdictStatus::kCompliant, kNowSeconds - 40 * 86400,
         {Alternative("libreoffice")}, {Office("ProPlus2021Volume", LicenseModel::kPerpetual)});
  Ingest("r3", "h3", "MEN", VerdictStatus::kCompliant, kNowSeconds, {Alternative("libreoffice")});
  ASSERT_TRUE(store_
                  ->AddDerogation({"MI", ServiceCategory::kMail, "SG", "DEC-1",
                                   Today(At(kNowSeconds)) - std::chrono::days(100),
                                   Today(At(kNowSeconds)) + std::chrono::days(20), ""},
                                  "alice", At(kNowSeconds))
                  .ok());

  const FleetSummary summary = Build();
  ASSERT_EQ(summary.ministries.size(), 2u);
  const MinistrySummary& mi = summary.ministries[1];
  EXPECT_EQ(mi.code, "MI");
  EXPECT_EQ(mi.hosts, 2);
  EXPECT_EQ(mi.hosts_by_verdict[static_cast<int>(VerdictStatus::kNonCompliant)], 1);
  EXPECT_EQ(mi.hosts_by_service[static_cast<int>(ServiceCategory::kMail)], 1);
  EXPECT_EQ(mi.hosts_by_service[static_cast<int>(ServiceCategory::kConferencing)], 1);
  ASSERT_EQ(mi.tenants.size(), 1u);
  EXPECT_EQ(mi.tenants[0].tenant, "interieur.onmicrosoft.com");
  EXPECT_EQ(mi.tenants[0].tenant_class, doctrine::TenantClass::kUnknown);
  EXPECT_EQ(mi.office_installs.size(), 2u);
  EXPECT_EQ(mi.stale_hosts, 1);
  ASSERT_EQ(mi.derogations_expiring.size(), 1u);

  const std::string text = SummaryToText(summary);
  EXPECT_THAT(text, HasSubstr("Non conforme"));
  EXPECT_THAT(text, HasSubstr("1 (50 %)"));
  EXPECT_THAT(text, HasSubstr("Total"));
  EXPECT_THAT(text, HasSubstr("MI : Ministère de l'Intérieur"));
  EXPECT_THAT(text, HasSubstr("Messagerie (1 poste)"));
  EXPECT_THAT(text, HasSubstr("O365ProPlusRetail [abonnement] (1 poste)"));
  EXPECT_THAT(text, HasSubstr("libreoffice (1 poste)"));
  EXPECT_THAT(text, HasSubstr("Postes sans rapport depuis plus de 30 jours : 1"));
  EXPECT_THAT(text, HasSubstr("n° 1 Messagerie jusqu'au"));

  const auto json = nlohmann::json::parse(SummaryToJson(summary));
  EXPECT_EQ(json["ministries"][1]["verdicts"]["TO_REVIEW"], 0);
  EXPECT_EQ(json["ministries"][1]["servicesInUse"]["MAIL"], 1);
  EXPECT_EQ(json["ministries"][1]["servicesInUse"]["DOCUMENTS"], 0);
  EXPECT_EQ(json["ministries"][1]["staleHosts"], 1);
  EXPECT_EQ(json["ministries"][1]["derogationsExpiring"][0]["reference"], "DEC-1");
  EXPECT_EQ(json["ministries"][0]["sovereignAlternatives"][0]["product"], "libreoffice");
  EXPECT_EQ(json["total"]["hosts"], 3);
  EXPECT_EQ(json["total"]["verdicts"]["COMPLIANT"], 2);
}

TEST_F(SummaryTest, NewerReportReplacesTheHostsFacts) {
  Ingest("r1", "h1", "MI", VerdictStatus::kNonCompliant, kNowSeconds,
         {Use(ServiceCategory::kMail, "a.onmicrosoft.com")});
  InventoryReport later = testing::ValidReport("r2", "h1", "MEN");
  later.scan_finished = At(kNowSeconds + 100);
  later.evidence = {};
  ASSERT_TRUE(
      store_->Ingest(later, "p", {VerdictStatus::kCompliant, {}}, At(kNowSeconds + 100)).ok());
  const FleetSummary summary = Build();
  ASSERT_EQ(summary.ministries.size(), 1u);
  EXPECT_EQ(summary.ministries[0].code, "MEN");
  EXPECT_EQ(summary.ministries[0].hosts_by_service[static_cast<int>(ServiceCategory::kMail)], 0);
  EXPECT_TRUE(summary.ministries[0].tenants.empty());
}

TEST_F(SummaryTest, OneMinistryWithTenantClassesOrgUnitsAndOperators) {
  auto organisation = MinistryList::Parse(R"toml(
[[ministry]]
code = "MA"
name = "Ministère A"
[[ministry.org-unit]]
id = "DG1"
name = "Direction 1"
[[ministry.org-unit]]
id = "DG2"
name = "Direction 2"
[[ministry.tenant]]
id = "a.onmicrosoft.com"
[[ministry]]
code = "OPA"
name = "Opérateur A"
tutelle = "MA"
)toml",
                                          "o.toml");
  ASSERT_TRUE(organisation.ok()) << organisation.status().ToString();
  JudgingRules rules;
  rules.ministries = &*organisation;
  const auto ingest = [&](const std::string& id, const std::string& ministry,
                          const std::string& unit, VerdictStatus verdict, Evidence evidence) {
    InventoryReport report = testing::ValidReport(id, id, ministry);
    report.evidence = {std::move(evidence)};
    ASSERT_TRUE(store_->Ingest(report, "p", {verdict, {}}, At(kNowSeconds), unit).ok());
  };
  ingest("h1", "MA", "DG1", VerdictStatus::kNonCompliant,
         Use(ServiceCategory::kMail, "a.onmicrosoft.com"));
  ingest("h2", "MA", "DG2", VerdictStatus::kNonCompliant,
         Use(ServiceCategory::kMail, "other.onmicrosoft.com"));
  ingest("h3", "MA", "DG2", VerdictStatus::kCompliant, Alternative("libreoffice"));
  ingest("h4", "OPA", "", VerdictStatus::kCompliant, Alternative("libreoffice"));

  SummaryOptions options;
  options.ministry = "MA";
  auto only = BuildSummary(*store_, rules, At(kNowSeconds), options);
  ASSERT_TRUE(only.ok()) << only.status().ToString();
  ASSERT_EQ(only->ministries.size(), 1u);
  const MinistrySummary& ma = only->ministries[0];
  ASSERT_EQ(ma.tenants.size(), 2u);
  EXPECT_EQ(ma.tenants[0].tenant_class, doctrine::TenantClass::kMinistry);
  EXPECT_EQ(ma.tenants[1].tenant_class, doctrine::TenantClass::kOtherOrganisation);
  ASSERT_EQ(ma.org_units.size(), 2u);
  const auto ranked = LeastCompliantUnits(ma.org_units, 5);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].id, "DG1") << "1 of 1 comes before 1 of 2";

  const std::string text = SummaryToText(*only);
  EXPECT_THAT(text, HasSubstr("a.onmicrosoft.com [locataire du ministère] (1 poste)"));
  EXPECT_THAT(text, HasSubstr("other.onmicrosoft.com [autre organisation] (1 poste)"));
  EXPECT_THAT(text, HasSubstr("Unités les moins conformes : Direction 1 (1 non conforme sur 1 "
                              "poste) · Direction 2 (1 non conforme sur 2 postes)"));
  const auto json = nlohmann::json::parse(SummaryToJson(*only));
  EXPECT_EQ(json["ministries"][0]["tenants"][1]["class"], "OTHER_ORGANISATION");
  EXPECT_EQ(json["ministries"][0]["orgUnits"][1]["verdicts"]["COMPLIANT"], 1);

  auto all = BuildSummary(*store_, rules, At(kNowSeconds), {});
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(SummaryToText(*all), HasSubstr("OPA : Opérateur A (opérateur sous tutelle de MA)"));
  EXPECT_EQ(nlohmann::json::parse(SummaryToJson(*all))["ministries"][1]["tutelle"], "MA");

  options.ministry = "ZZ";
  EXPECT_EQ(BuildSummary(*store_, rules, At(kNowSeconds), options).status().code(),
            StatusCode::kNotFound);
}

TEST_F(SummaryTest, EmptyDatabaseSaysSo) {
  const FleetSummary summary = Build();
  EXPECT_EQ(SummaryToText(summary), "Aucun poste n'a encore fait de rapport.\n");
  const auto json = nlohmann::json::parse(SummaryToJson(summary));
  EXPECT_TRUE(json["ministries"].empty());
  EXPECT_EQ(json["total"]["hosts"], 0);
}

TEST_F(SummaryTest, MinistryMissingFromTheConfigurationIsStillShown) {
  Ingest("r1", "h1", "OLD", VerdictStatus::kUnknown, kNowSeconds, {});
  EXPECT_THAT(SummaryToText(Build()), HasSubstr("OLD : (ministère absent de la configuration)"));
}

}  // namespace
}  // namespace vigie::collector
