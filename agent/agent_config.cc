#include "agent/agent_config.h"

#include <fmt/format.h>

#include "common/config_file.h"

namespace vigie::agent {

Result<AgentConfig> LoadAgentConfig(const std::string& path) {
  auto file = ConfigFile::Load(path);
  if (!file.ok()) return file.status();
  static constexpr std::string_view kKeys[] = {
      "collector",         "ca",           "tls-cert",      "tls-key",
      "insecure",          "state-dir",    "token",         "timeout",
      "log-level",         "log-target",   "pseudonym-key", "first-scan-delay",
      "scan-period",       "scan-budget",  "retry-initial", "retry-max",
      "spool-max-reports", "spool-max-mib"};
  VIGIE_RETURN_IF_ERROR(file->CheckKeys(kKeys));
  AgentConfig config;
  const std::pair<std::string_view, std::optional<std::string>*> strings[] = {
      {"collector", &config.collector},        {"ca", &config.ca},
      {"tls-cert", &config.tls_cert},          {"tls-key", &config.tls_key},
      {"state-dir", &config.state_dir},        {"token", &config.token},
      {"log-level", &config.log_level},        {"log-target", &config.log_target},
      {"pseudonym-key", &config.pseudonym_key}};
  for (const auto& [key, out] : strings) {
    auto value = file->GetString(key);
    if (!value.ok()) return value.status();
    *out = *value;
  }
  auto insecure = file->GetBool("insecure");
  if (!insecure.ok()) return insecure.status();
  config.insecure = *insecure;
  const std::tuple<std::string_view, IntegerRange, std::optional<std::int64_t>*> integers[] = {
      {"timeout", kTimeoutRange, &config.timeout},
      {"first-scan-delay", kFirstScanDelayRange, &config.first_scan_delay},
      {"scan-period", kScanPeriodRange, &config.scan_period},
      {"scan-budget", kScanBudgetRange, &config.scan_budget},
      {"retry-initial", kRetryRange, &config.retry_initial},
      {"retry-max", kRetryRange, &config.retry_max},
      {"spool-max-reports", kSpoolMaxReportsRange, &config.spool_max_reports},
      {"spool-max-mib", kSpoolMaxMibRange, &config.spool_max_mib}};
  for (const auto& [key, range, out] : integers) {
    auto value = file->GetInteger(key);
    if (!value.ok()) return value.status();
    if (*value && (**value < range.min || **value > range.max)) {
      return file->ErrorAt(*file->table().get(key), key,
                           fmt::format("between {} and {}", range.min, range.max));
    }
    *out = *value;
  }
  return config;
}

}  // namespace vigie::agent
