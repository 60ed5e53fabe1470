#pragma once

#include "collector/store.h"
#include "common/dates.h"
#include "common/doctrine/policy.h"
#include "common/ministries.h"

namespace vigie::collector {

// What the collector judges hosts with: the deployment's doctrine policy, its organisation (the
// tenants each ministry declared) and how long a silent host keeps its verdict.
struct JudgingRules {
  const doctrine::Policy* policy = &doctrine::Policy::BuiltIn();
  const MinistryList* ministries = &MinistryList::BuiltIn();
  int stale_after_days = 30;
};

// How the collector judges a host on `date`: the rules with the derogations of the host's
// ministry. The references in `rules` must outlive the evaluator.
HostEvaluator MakeHostEvaluator(const JudgingRules& rules, Date date);

// Today, on the collector's clock.
Date Today(Timestamp now);

}  // namespace vigie::collector
