// A deployment's doctrine policy file (policy-file; common/data/doctrine.toml is the built-in one).

#include "common/doctrine/policy.h"

#include "tests/fuzz/fuzz_target.h"

VIGIE_FUZZ_TARGET(policy) {
  const auto policy = vigie::doctrine::Policy::Parse(data, "fuzz-policy.toml");
  if (!policy.ok()) return;
  for (int category = 0; category <= static_cast<int>(vigie::ServiceCategory::kCloudLicensing);
       ++category) {
    (void)policy->Rule(static_cast<vigie::ServiceCategory>(category));
  }
  (void)policy->FindOffer("microsoft-365");
  (void)policy->IsConsumerTenant("9188040d-6c67-4c5b-b112-36a304b66dad");
}
