// A deployment's organisation file (ministries-file: ministries, org-unit trees, opérateurs,
// declared tenants), checked against the built-in policy as the collector does at start-up.

#include "common/doctrine/policy.h"
#include "common/ministries.h"
#include "tests/fuzz/fuzz_target.h"

VIGIE_FUZZ_TARGET(organisation) {
  const auto list = vigie::MinistryList::Parse(data, "fuzz-organisation.toml");
  if (!list.ok()) return;
  (void)list->CheckOffers(vigie::doctrine::Policy::BuiltIn());
  for (const auto& ministry : list->all()) {
    (void)list->Find(ministry.code);
    for (const auto& unit : ministry.org_units) {
      (void)ministry.FindOrgUnit(unit.id);
      (void)ministry.LineageOf(unit.id);
    }
  }
}
