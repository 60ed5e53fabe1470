// The OneDrive client for Linux's configuration file (~/.config/onedrive/config).

#include "agent/probes/linux_onedrive_config.h"
#include "tests/fuzz/fuzz_target.h"

VIGIE_FUZZ_TARGET(onedrive_config) {
  const vigie::agent::OneDriveConfig config = vigie::agent::ParseOneDriveConfig(data);
  for (const auto& [key, value] : config.entries) (void)config.Get(key);
}
