#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collector/organisation_commands.h"
#include "collector/raw_sql.h"
#include "collector/store.h"
#include "collector/test_reports.h"
#include "common/wire.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using testing::At;
using ::testing::HasSubstr;
using testing::kNowSeconds;
using testing::ValidReport;

constexpr char kOrganisation[] = R"toml(
[[ministry]]
code = "MA"
name = "Ministère A"
[[ministry.org-unit]]
id = "DG1"
name = "Direction 1"
[[ministry.org-unit]]
id = "SITE"
name = "Site de Lyon"
parent = "DG1"
[[ministry.org-unit]]
id = "DG2"
name = "Direction 2"

[[ministry]]
code = "MB"
name = "Ministère B"
)toml";

MinistryList Organisation(std::string_view text = kOrganisation) {
  auto list = MinistryList::Parse(text, "o.toml");
  EXPECT_TRUE(list.ok()) << list.status().ToString();
  return std::move(list).value();
}

class OrganisationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_ / "collector.db");
    ASSERT_TRUE(store.ok());
    store_.emplace(std::move(store).value());
  }

  void Ingest(const std::string& report_id, const std::string& host, const std::string& ministry,
              const std::string& org_unit, std::int64_t at,
              VerdictStatus verdict = VerdictStatus::kCompliant) {
    InventoryReport report = ValidReport(report_id, host, ministry);
    report.scan_finished = At(at);
    ASSERT_TRUE(
        store_->Ingest(report, ToProto(report).SerializeAsString(), {verdict, {}}, At(at), org_unit)
            .ok());
  }

  std::string UnitOf(const std::string& host) {
    auto found = store_->FindHosts(host);
    EXPECT_TRUE(found.ok() && found->size() == 1);
    return found->front().placement.org_unit;
  }

  // Rows of host_moves as "from_ministry/from_unit>to_ministry/to_unit by actor".
  std::vector<std::string> Moves() {
    return testing::QueryColumn(
        dir_ / "collector.db",
        "SELECT from_ministry || '/' || from_org_unit || '>' || to_ministry || '/' || to_org_unit "
        "|| ' by ' || actor FROM host_moves ORDER BY id");
  }

  testing::TempDir dir_;
  std::optional<Store> store_;
};

TEST_F(OrganisationTest, EnrollmentPlacesANewHostAndManualMovesStick) {
  Ingest("r1", "h1", "MA", "SITE", kNowSeconds);
  EXPECT_EQ(UnitOf("h1"), "SITE");
  ASSERT_TRUE(store_->MoveHost("h1", "DG2", "alice", At(kNowSeconds + 1)).ok());
  Ingest("r2", "h1", "MA", "SITE", kNowSeconds + 2);
  EXPECT_EQ(UnitOf("h1"), "DG2") << "a report does not undo an operator's move";
  EXPECT_EQ(Moves(), (std::vector<std::string>{"MA/SITE>MA/DG2 by alice"}));
}

TEST_F(OrganisationTest, ChangingMinistryMovesTheHostAndIsRecorded) {
  Ingest("r1", "h1", "MA", "SITE", kNowSeconds);
  Ingest("r2", "h1", "MB", "", kNowSeconds + 10);
  auto found = store_->FindHosts("h1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->front().placement.ministry, "MB");
  EXPECT_EQ(found->front().placement.org_unit, "");
  EXPECT_EQ(Moves(), (std::vector<std::string>{"MA/SITE>MB/ by report"}));
}

TEST_F(OrganisationTest, CountsRollUpTheTreeInOrder) {
  Ingest("r1", "h1", "MA", "SITE", kNowSeconds, VerdictStatus::kNonCompliant);
  Ingest("r2", "h2", "MA", "DG1", kNowSeconds);
  Ingest("r3", "h3", "MA", "", kNowSeconds);
  Ingest("r4", "h4", "MA", "GONE", kNowSeconds);
  const MinistryList organisation = Organisation();
  auto direct = store_->CountHostsByOrgUnit("MA");
  ASSERT_TRUE(direct.ok());
  const auto units = RollUpOrgUnits(*organisation.Find("MA"), *direct);
  ASSERT_EQ(units.size(), 5u);
  EXPECT_EQ(units[0].id, "DG1");
  EXPECT_EQ(units[0].hosts, 2);
  EXPECT_EQ(units[0].hosts_by_verdict[static_cast<int>(VerdictStatus::kNonCompliant)], 1);
  EXPECT_EQ(units[1].id, "SITE");
  EXPECT_EQ(units[1].depth, 1);
  EXPECT_EQ(units[2].id, "DG2");
  EXPECT_EQ(units[2].hosts, 0);
  EXPECT_EQ(units[3].id, "");
  EXPECT_EQ(units[3].hosts, 1);
  EXPECT_EQ(units[4].id, "GONE");
  EXPECT_EQ(units[4].name, "Unité absente de la configuration");

  auto text = OrgUnitsToText(*store_, organisation, "MA");
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("Direction 1 [DG1] — 2 postes"));
  EXPECT_THAT(*text, HasSubstr("    Site de Lyon [SITE] — 1 poste : Non conforme 1"));
  EXPECT_EQ(OrgUnitsToText(*store_, organisation, "ZZ").status().code(), StatusCode::kNotFound);
}

TEST_F(OrganisationTest, MoveCommandFindsTheHostAndRefusesWhatCannotBe) {
  Ingest("r1", "h1", "MA", "", kNowSeconds);
  const MinistryList organisation = Organisation();
  const Timestamp now = At(kNowSeconds + 5);
  auto moved = MoveHost(*store_, organisation, "PC-A", "SITE", "alice", now);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_THAT(*moved, HasSubstr("déplacé de « aucune unité » vers « Site de Lyon (SITE) »"));

  EXPECT_EQ(MoveHost(*store_, organisation, "pc-zz", "SITE", "alice", now).status().code(),
            StatusCode::kNotFound);
  auto unknown_unit = MoveHost(*store_, organisation, "h1", "NOPE", "alice", now);
  EXPECT_EQ(unknown_unit.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(unknown_unit.status().message(), HasSubstr("org-unit list"));
  EXPECT_EQ(MoveHost(*store_, organisation, "h1", "SITE", "alice", now).status().code(),
            StatusCode::kFailedPrecondition);

  Ingest("r2", "h2", "MA", "", kNowSeconds);  // Also named pc-a.
  auto ambiguous = MoveHost(*store_, organisation, "pc-a", "DG2", "alice", now);
  EXPECT_EQ(ambiguous.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(ambiguous.status().message(), HasSubstr("h2 (pc-a, MA)"));
}

TEST_F(OrganisationTest, ConfigurationChangesToTheTreeAreRecordedOnce) {
  EXPECT_EQ(*store_->SyncOrgUnits(Organisation(), At(kNowSeconds)), 3);
  EXPECT_EQ(*store_->SyncOrgUnits(Organisation(), At(kNowSeconds + 1)), 0);
  std::string moved = kOrganisation;
  moved.replace(moved.find("parent = \"DG1\""), 14, "parent = \"DG2\"");
  EXPECT_EQ(*store_->SyncOrgUnits(Organisation(moved), At(kNowSeconds + 2)), 1);
  const std::string without_units =
      "[[ministry]]\ncode = \"MA\"\nname = \"A\"\n[[ministry]]\ncode = \"MB\"\nname = \"B\"\n";
  EXPECT_EQ(*store_->SyncOrgUnits(Organisation(without_units), At(kNowSeconds + 3)), 3);
  EXPECT_EQ(*store_->SyncOrgUnits(Organisation(), At(kNowSeconds + 4)), 3);

  EXPECT_EQ(
      testing::QueryColumn(dir_ / "collector.db",
                           "SELECT change || ':' || from_parent || '>' || to_parent FROM "
                           "org_unit_changes WHERE org_unit = 'SITE' ORDER BY id"),
      (std::vector<std::string>{"added:>DG1", "moved:DG1>DG2", "removed:DG2>", "added:>DG1"}));
}

}  // namespace
}  // namespace vigie::collector
