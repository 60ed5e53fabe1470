#pragma once

#include <memory>
#include <string>

#include "collector/host_evaluator.h"
#include "common/doctrine/policy.h"
#include "common/ministries.h"
#include "common/status.h"

namespace vigie::collector {

// The organisation and the doctrine a deployment judges its hosts by, loaded once from the files
// its configuration names (the built-in ones when it names none) and checked against each other.
class Deployment {
 public:
  // `stale_after_days`: days of silence after which a host's verdict becomes UNKNOWN.
  static Result<std::unique_ptr<const Deployment>> Load(const std::string& ministries_file,
                                                        const std::string& policy_file,
                                                        int stale_after_days);

  const MinistryList& ministries() const { return ministries_; }
  const doctrine::Policy& policy() const { return policy_; }
  // Valid as long as this deployment.
  JudgingRules rules() const;

 private:
  Deployment(MinistryList ministries, doctrine::Policy policy, int stale_after_days)
      : ministries_(std::move(ministries)),
        policy_(std::move(policy)),
        stale_after_days_(stale_after_days) {}

  MinistryList ministries_;
  doctrine::Policy policy_;
  int stale_after_days_;
};

}  // namespace vigie::collector
