#pragma once

#include "collector/store.h"
#include "common/dates.h"
#include "common/doctrine/policy.h"

namespace vigie::collector {

// How the collector judges a host on `date`: the doctrine `policy` with the derogations of the
// host's ministry. The deployment's known tenants join when they are configured (#4).
HostEvaluator MakeHostEvaluator(const doctrine::Policy& policy, Date date);

// Today, on the collector's clock.
Date Today(Timestamp now);

}  // namespace vigie::collector
