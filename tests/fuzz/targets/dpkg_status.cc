// dpkg's status database (/var/lib/dpkg/status).

#include "agent/probes/dpkg_status.h"

#include "tests/fuzz/fuzz_target.h"

VIGIE_FUZZ_TARGET(dpkg_status) {
  const vigie::agent::DpkgStatus status = vigie::agent::ParseDpkgStatus(data);
  for (const auto& package : status.packages) (void)vigie::agent::IsInstalled(package);
}
