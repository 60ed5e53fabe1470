#include "collector/derogation_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "collector/host_evaluator.h"
#include "collector/test_reports.h"
#include "common/wire.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using ::testing::HasSubstr;

DerogationRequest MailRequest() {
  return {"MI", "MAIL", "Secrétaire général du MI", "SG-2021-042", "2026-01-01", "2026-12-31", ""};
}

Result<doctrine::Derogation> Check(const DerogationRequest& request) {
  return CheckDerogationRequest(request, doctrine::Policy::BuiltIn(), MinistryList::BuiltIn());
}

TEST(DerogationRequestTest, AcceptsMailAndPersonalDrive) {
  auto mail = Check(MailRequest());
  ASSERT_TRUE(mail.ok()) << mail.status().ToString();
  EXPECT_EQ(mail->service, ServiceCategory::kMail);
  EXPECT_EQ(FormatIsoDate(mail->until), "2026-12-31");
  DerogationRequest drive = MailRequest();
  drive.service = "PERSONAL_DRIVE";
  EXPECT_TRUE(Check(drive).ok());
}

TEST(DerogationRequestTest, RefusesWhatTheDoctrineForbids) {
  for (const char* service : {"DOCUMENTS", "COLLABORATION", "INSTANT_MESSAGING", "CONFERENCING"}) {
    DerogationRequest request = MailRequest();
    request.service = service;
    auto checked = Check(request);
    ASSERT_FALSE(checked.ok()) << service;
    EXPECT_THAT(checked.status().message(), HasSubstr("no derogation is possible for"));
    EXPECT_THAT(checked.status().message(), HasSubstr("Note DINUM du 15 septembre 2021"));
  }
}

TEST(DerogationRequestTest, RefusesIncompleteOrWrongRequests) {
  const struct {
    void (*damage)(DerogationRequest&);
    const char* message;
  } cases[] = {
      {[](auto& r) { r.ministry = "XX"; }, "unknown ministry code 'XX'"},
      {[](auto& r) { r.service = "CLOUD_IDENTITY"; }, "not a service category"},
      {[](auto& r) { r.granted_by.clear(); }, "--granted-by"},
      {[](auto& r) { r.reference.clear(); }, "--reference"},
      {[](auto& r) { r.until = "31/12/2026"; }, "--until: '31/12/2026' is not a date"},
      {[](auto& r) { r.from = "2026-02-30"; }, "--from: '2026-02-30' is not a calendar date"},
      {[](auto& r) { r.until = "2025-12-31"; }, "--until is before --from"},
  };
  for (const auto& test : cases) {
    DerogationRequest request = MailRequest();
    test.damage(request);
    auto checked = Check(request);
    ASSERT_FALSE(checked.ok()) << test.message;
    EXPECT_THAT(checked.status().message(), HasSubstr(test.message));
  }
}

class DerogationCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_ / "collector.db");
    ASSERT_TRUE(store.ok());
    store_.emplace(std::move(store).value());
    // A host of MI whose mail is on Exchange Online: non-compliant until a derogation covers it.
    InventoryReport report = testing::ValidReport("r1", "h1", "MI");
    Evidence mail;
    mail.product = "outlook";
    mail.service = ServiceCategory::kMail;
    mail.kind = EvidenceKind::kConfigured;
    report.evidence = {mail};
    ASSERT_TRUE(store_
                    ->Ingest(report, ToProto(report).SerializeAsString(),
                             Verdict{VerdictStatus::kNonCompliant, {}}, now_)
                    .ok());
  }

  VerdictStatus HostVerdict() {
    const auto all = store_->CountHostsByMinistry();
    for (const auto& counts : *all) {
      for (int v = 0; v < 6; ++v) {
        if (counts.hosts_by_verdict[v] > 0) return static_cast<VerdictStatus>(v);
      }
    }
    return VerdictStatus::kUnspecified;
  }

  testing::TempDir dir_;
  std::optional<Store> store_;
  Timestamp now_ = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 6 / 1}};
};

TEST_F(DerogationCommandsTest, AddingAndRevokingReevaluateAtOnce) {
  const JudgingRules policy;
  auto added = AddDerogation(*store_, *Check(MailRequest()), policy, "alice", now_);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_THAT(*added, HasSubstr("Dérogation n° 1 enregistrée : Messagerie pour MI, du 01/01/2026 "
                                "au 31/12/2026"));
  EXPECT_THAT(*added, HasSubstr("1 verdict(s) de poste mis à jour"));
  EXPECT_EQ(HostVerdict(), VerdictStatus::kDerogation);

  auto overlapping = AddDerogation(*store_, *Check(MailRequest()), policy, "alice", now_);
  ASSERT_TRUE(overlapping.ok());
  EXPECT_THAT(*overlapping, HasSubstr("chevauche la dérogation n° 1"));
  EXPECT_THAT(*overlapping, HasSubstr("Aucun verdict de poste n'a changé"));

  ASSERT_TRUE(RevokeDerogation(*store_, 1, policy, "bob", now_).ok());
  EXPECT_EQ(HostVerdict(), VerdictStatus::kDerogation);
  auto revoked = RevokeDerogation(*store_, 2, policy, "bob", now_);
  ASSERT_TRUE(revoked.ok());
  EXPECT_THAT(*revoked, HasSubstr("Dérogation n° 2 révoquée"));
  EXPECT_EQ(HostVerdict(), VerdictStatus::kNonCompliant);

  EXPECT_EQ(RevokeDerogation(*store_, 42, policy, "bob", now_).status().code(),
            StatusCode::kNotFound);
}

TEST_F(DerogationCommandsTest, ReevaluationFailureSaysTheChangeIsRecorded) {
  // A damaged stored report: the register must still record the decision, and say the rest.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "collector.db").c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(raw, "UPDATE reports SET payload = x'ffffffff'", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(raw);
  const JudgingRules rules;
  auto added = AddDerogation(*store_, *Check(MailRequest()), rules, "alice", now_);
  EXPECT_EQ(added.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(added.status().message(),
              HasSubstr("the derogation is recorded, but re-evaluation failed"));
  EXPECT_EQ(store_->ListDerogations("")->size(), 1u);

  auto revoked = RevokeDerogation(*store_, 1, rules, "bob", now_);
  EXPECT_THAT(revoked.status().message(),
              HasSubstr("the derogation is revoked, but re-evaluation failed"));
  EXPECT_TRUE(store_->ListDerogations("")->front().revoked_at.has_value());
}

TEST(DerogationRequestTest, AnOrgUnitMustBeOneOfTheMinistrys) {
  auto organisation = MinistryList::Parse(
      "[[ministry]]\ncode = \"MI\"\nname = \"Intérieur\"\n[[ministry.org-unit]]\nid = \"DGPN\"\n"
      "name = \"Police\"\n",
      "o.toml");
  ASSERT_TRUE(organisation.ok());
  DerogationRequest request = MailRequest();
  request.org_unit = "DGPN";
  auto checked = CheckDerogationRequest(request, doctrine::Policy::BuiltIn(), *organisation);
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  EXPECT_EQ(checked->org_unit, "DGPN");
  request.org_unit = "DGSI";
  auto refused = CheckDerogationRequest(request, doctrine::Policy::BuiltIn(), *organisation);
  EXPECT_EQ(refused.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(refused.status().message(), HasSubstr("no org unit 'DGSI'"));
}

TEST_F(DerogationCommandsTest, ListsWithStates) {
  const JudgingRules policy;
  ASSERT_TRUE(AddDerogation(*store_, *Check(MailRequest()), policy, "alice", now_).ok());
  DerogationRequest old = MailRequest();
  old.from = "2024-01-01";
  old.until = "2024-12-31";
  ASSERT_TRUE(AddDerogation(*store_, *Check(old), policy, "alice", now_).ok());
  const Date today = Today(now_);
  const auto records = *store_->ListDerogations("");
  EXPECT_THAT(DerogationsToText(records, today), HasSubstr("n° 1 [en vigueur]"));
  EXPECT_THAT(DerogationsToText(records, today), HasSubstr("n° 2 [expirée]"));
  const auto json = nlohmann::json::parse(DerogationsToJson(records, today));
  EXPECT_EQ(json[0]["state"], "VALID");
  EXPECT_EQ(json[0]["service"], "MAIL");
  EXPECT_EQ(json[1]["state"], "EXPIRED");
  EXPECT_EQ(json[1]["recordedBy"], "alice");
  EXPECT_EQ(DerogationsToText({}, today), "Aucune dérogation enregistrée.\n");
}

}  // namespace
}  // namespace vigie::collector
