#include "collector/deployment.h"

namespace vigie::collector {

Result<std::unique_ptr<const Deployment>> Deployment::Load(const std::string& ministries_file,
                                                           const std::string& policy_file,
                                                           int stale_after_days) {
  auto ministries =
      ministries_file.empty() ? MinistryList::BuiltIn() : MinistryList::Load(ministries_file);
  if (!ministries.ok()) return ministries.status();
  auto policy =
      policy_file.empty() ? doctrine::Policy::BuiltIn() : doctrine::Policy::Load(policy_file);
  if (!policy.ok()) return policy.status();
  if (Status offers = ministries->CheckOffers(*policy); !offers.ok()) {
    return offers.Annotate(ministries_file.empty() ? "built-in ministries" : ministries_file);
  }
  return std::unique_ptr<const Deployment>(
      new Deployment(std::move(ministries).value(), std::move(policy).value(), stale_after_days));
}

JudgingRules Deployment::rules() const {
  JudgingRules rules;
  rules.policy = &policy_;
  rules.ministries = &ministries_;
  rules.stale_after_days = stale_after_days_;
  return rules;
}

}  // namespace vigie::collector
