#include "common/ministries.h"

#include <gtest/gtest.h>

namespace vigie {
namespace {

TEST(MinistriesTest, BuiltInListIsTheCurrentGovernment) {
  const auto& list = MinistryList::BuiltIn();
  EXPECT_EQ(list.all().size(), 20u);
  ASSERT_NE(list.Find("MEFSIN"), nullptr);
  EXPECT_NE(list.Find("MEFSIN")->name.find("Économie"), std::string::npos);
  EXPECT_EQ(list.Find("XX"), nullptr);
}

TEST(MinistriesTest, ParsesADeploymentList) {
  auto list = MinistryList::Parse(
      "[[ministry]]\ncode = \"MA\"\nname = \"A\"\n[[ministry]]\ncode = \"MB\"\nname = \"B\"\n",
      "m.toml");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->all().size(), 2u);
  EXPECT_EQ(list->Find("MB")->name, "B");
}

TEST(MinistriesTest, RefusesBadEntriesWithTheirLine) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"[[ministry]]\ncode = \"ma\"\nname = \"A\"\n", "m.toml:1: ministry.code: 'ma' is not"},
      {"[[ministry]]\ncode = \"MA\"\n", "m.toml:1: ministry.name: missing for MA"},
      {"[[ministry]]\ncode = \"MA\"\nname = \"A\"\n[[ministry]]\ncode = \"MA\"\nname = \"B\"\n",
       "m.toml:4: ministry.code: duplicate code MA"},
      {"[[ministry]]\ncode = \"MA\"\nname = \"A\"\ncolour = \"red\"\n",
       "m.toml:4: ministry.colour: unknown key"},
      {"ministry = 3\n", "m.toml:1: ministry: must be written as [[ministry]] tables"},
      {"", "m.toml: no [[ministry]] table"},
  };
  for (const auto& test : cases) {
    auto list = MinistryList::Parse(test.text, "m.toml");
    ASSERT_FALSE(list.ok()) << test.text;
    EXPECT_EQ(list.status().message().rfind(test.message, 0), 0) << list.status().message();
  }
}

constexpr char kOrganisation[] = R"toml(
[[tenant]]
id = "Bleu-Shared.Example"
offer = "bleu"

[[ministry]]
code = "MA"
name = "Ministère A"

[[ministry.org-unit]]
id = "DG1"
name = "Direction générale 1"

[[ministry.org-unit]]
id = "dg1.site-lyon"
name = "Site de Lyon"
parent = "DG1"

[[ministry.org-unit]]
id = "DG2"
name = "Direction générale 2"

[[ministry.tenant]]
id = "0d5c2d1e-1b1a-4a4b-9c9d-000000000001"

[[ministry]]
code = "OPA"
name = "Opérateur de A"
tutelle = "MA"
)toml";

TEST(MinistriesTest, ReadsOrgUnitTreesOperatorsAndTenants) {
  auto list = MinistryList::Parse(kOrganisation, "o.toml");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  const Ministry& a = *list->Find("MA");
  ASSERT_EQ(a.org_units.size(), 3u);
  EXPECT_EQ(a.FindOrgUnit("dg1.site-lyon")->parent, "DG1");
  EXPECT_EQ(a.LineageOf("dg1.site-lyon"), (std::vector<std::string>{"dg1.site-lyon", "DG1"}));
  EXPECT_TRUE(a.LineageOf("nope").empty());
  EXPECT_FALSE(a.is_operator());
  EXPECT_TRUE(list->Find("OPA")->is_operator());
  EXPECT_EQ(list->Find("OPA")->tutelle, "MA");

  ASSERT_EQ(list->tenants().size(), 2u);
  // The ministry's own first, in file order of the ministries; ids are compared without case.
  EXPECT_EQ(list->tenants()[0].tenant, "0d5c2d1e-1b1a-4a4b-9c9d-000000000001");
  EXPECT_EQ(list->tenants()[0].ministry, "MA");
  EXPECT_EQ(list->tenants()[0].offer, "microsoft-365");
  EXPECT_EQ(list->tenants()[1].tenant, "bleu-shared.example");
  EXPECT_EQ(list->tenants()[1].ministry, "");
  EXPECT_TRUE(list->CheckOffers(doctrine::Policy::BuiltIn()).ok());
}

TEST(MinistriesTest, ShippedExampleIsValid) {
  auto list = MinistryList::Load(std::string(VIGIE_FIXTURES_DIR) +
                                 "/../../installers/config/organisation.example.toml");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_TRUE(list->CheckOffers(doctrine::Policy::BuiltIn()).ok());
  EXPECT_EQ(list->Find("OFB")->tutelle, "MTE");
}

TEST(MinistriesTest, RefusesATenantOnAnOfferThePolicyLacks) {
  auto list = MinistryList::Parse(
      "[[ministry]]\ncode = \"MA\"\nname = \"A\"\n[[ministry.tenant]]\nid = \"t\"\noffer = "
      "\"cloud-x\"\n",
      "o.toml");
  ASSERT_TRUE(list.ok());
  const Status status = list->CheckOffers(doctrine::Policy::BuiltIn());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("'cloud-x'"), std::string::npos) << status.message();
}

TEST(MinistriesTest, RefusesBrokenOrganisationsWithTheirLine) {
  const std::string ministry = "[[ministry]]\ncode = \"MA\"\nname = \"A\"\n";
  const struct {
    std::string text;
    const char* message;
  } cases[] = {
      {ministry + "[[ministry.org-unit]]\nid = \"a b\"\nname = \"X\"\n",
       "o.toml:4: ministry.org-unit.id: 'a b' is not an org-unit id"},
      {ministry + "[[ministry.org-unit]]\nid = \"U\"\n",
       "o.toml:4: ministry.org-unit.name: missing for U"},
      {ministry + "[[ministry.org-unit]]\nid = \"U\"\nname = \"X\"\n[[ministry.org-unit]]\nid = "
                  "\"U\"\nname = \"Y\"\n",
       "o.toml:7: ministry.org-unit.id: duplicate id U in MA"},
      {ministry + "[[ministry.org-unit]]\nid = \"U\"\nname = \"X\"\nparent = \"V\"\n",
       "o.toml:4: ministry.org-unit.parent: no unit V in MA"},
      {ministry + "[[ministry.org-unit]]\nid = \"U\"\nname = \"X\"\nparent = \"V\"\n"
                  "[[ministry.org-unit]]\nid = \"V\"\nname = \"Y\"\nparent = \"U\"\n",
       "o.toml:4: ministry.org-unit.parent: unit U would enclose itself"},
      {ministry + "[[ministry.org-unit]]\nid = \"U\"\nname = \"X\"\ncolour = \"red\"\n",
       "o.toml:7: ministry.org-unit.colour: unknown key"},
      {ministry + "tutelle = \"ZZ\"\n", "o.toml:1: ministry.tutelle: no ministry ZZ for MA"},
      {ministry + "[[ministry]]\ncode = \"OP\"\nname = \"O\"\ntutelle = \"MA\"\n[[ministry]]\ncode "
                  "= \"OP2\"\nname = \"O2\"\ntutelle = \"OP\"\n",
       "o.toml:8: ministry.tutelle: OP is itself an opérateur, not a ministry"},
      {ministry + "[[ministry.tenant]]\noffer = \"bleu\"\n",
       "o.toml:4: ministry.tenant.id: missing"},
      {ministry + "[[tenant]]\nid = \"t\"\nministry = \"ZZ\"\n",
       "o.toml:4: tenant.ministry: no ministry ZZ"},
      {ministry + "org-unit = 3\n",
       "o.toml:4: ministry.org-unit: must be written as [[ministry.org-unit]] tables"},
  };
  for (const auto& test : cases) {
    auto list = MinistryList::Parse(test.text, "o.toml");
    ASSERT_FALSE(list.ok()) << test.text;
    EXPECT_EQ(list.status().message().rfind(test.message, 0), 0)
        << list.status().message() << "\nexpected: " << test.message;
  }
}

TEST(MinistriesTest, CodeShape) {
  EXPECT_TRUE(IsWellFormedMinistryCode("MI"));
  EXPECT_TRUE(IsWellFormedMinistryCode("DGFIP_NUBO-2"));
  EXPECT_FALSE(IsWellFormedMinistryCode("M"));
  EXPECT_FALSE(IsWellFormedMinistryCode("mi"));
  EXPECT_FALSE(IsWellFormedMinistryCode("MI NT"));
  EXPECT_FALSE(IsWellFormedMinistryCode(std::string(33, 'A')));
  EXPECT_TRUE(IsWellFormedOrgUnitId("dgfip.drfip-75_a"));
  EXPECT_FALSE(IsWellFormedOrgUnitId(""));
  EXPECT_FALSE(IsWellFormedOrgUnitId("é"));
  EXPECT_FALSE(IsWellFormedOrgUnitId(std::string(65, 'a')));
}

}  // namespace
}  // namespace vigie
