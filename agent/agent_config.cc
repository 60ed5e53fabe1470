#include "agent/agent_config.h"

#include "common/config_file.h"

namespace vigie::agent {

Result<AgentConfig> LoadAgentConfig(const std::string& path) {
  auto file = ConfigFile::Load(path);
  if (!file.ok()) return file.status();
  static constexpr std::string_view kKeys[] = {"collector", "ca",           "tls-cert", "tls-key",
                                               "insecure",  "state-dir",    "token",    "timeout",
                                               "log-level", "pseudonym-key"};
  VIGIE_RETURN_IF_ERROR(file->CheckKeys(kKeys));
  AgentConfig config;
  const std::pair<std::string_view, std::optional<std::string>*> strings[] = {
      {"collector", &config.collector}, {"ca", &config.ca},
      {"tls-cert", &config.tls_cert},   {"tls-key", &config.tls_key},
      {"state-dir", &config.state_dir}, {"token", &config.token},
      {"log-level", &config.log_level}, {"pseudonym-key", &config.pseudonym_key}};
  for (const auto& [key, out] : strings) {
    auto value = file->GetString(key);
    if (!value.ok()) return value.status();
    *out = *value;
  }
  auto insecure = file->GetBool("insecure");
  if (!insecure.ok()) return insecure.status();
  config.insecure = *insecure;
  auto timeout = file->GetInteger("timeout");
  if (!timeout.ok()) return timeout.status();
  if (*timeout && (**timeout < 1 || **timeout > 3600)) {
    return InvalidArgument(path + ": timeout: between 1 and 3600 seconds");
  }
  config.timeout = *timeout;
  return config;
}

}  // namespace vigie::agent
