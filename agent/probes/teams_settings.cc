#include "agent/probes/teams_settings.h"

#include <nlohmann/json.hpp>

#include "agent/probes/m365_hosts.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {

Result<std::string> ClassicTeamsTenant(std::string_view desktop_config) {
  const auto configuration =
      nlohmann::json::parse(desktop_config, nullptr, /*allow_exceptions=*/false);
  if (configuration.is_discarded() || !configuration.is_object()) {
    return InvalidArgument("not a JSON object");
  }
  const auto logged_out = configuration.find("isLoggedOut");
  if (logged_out != configuration.end() && logged_out->is_boolean() && logged_out->get<bool>()) {
    return std::string();
  }
  for (const char* key : {"userTid", "homeTenantId"}) {
    const auto tenant = configuration.find(key);
    if (tenant == configuration.end() || !tenant->is_string()) continue;
    const std::string id = AsciiLowercase(TrimWhitespace(tenant->get<std::string>()));
    if (IsTenantId(id)) return id;
  }
  return std::string();
}

Result<std::vector<NewTeamsAccount>> NewTeamsAccounts(std::string_view tma_settings) {
  const auto settings = nlohmann::json::parse(tma_settings, nullptr, /*allow_exceptions=*/false);
  if (settings.is_discarded() || !settings.is_object()) return InvalidArgument("not a JSON object");
  std::vector<NewTeamsAccount> accounts;
  const auto user = settings.find("primary_user");
  if (user == settings.end() || user->is_null()) return accounts;
  if (!user->is_object()) return InvalidArgument("primary_user is not an object");
  const auto list = user->find("accounts");
  if (list == user->end() || list->is_null()) return accounts;
  if (!list->is_array()) return InvalidArgument("primary_user.accounts is not a list");
  for (const auto& account : *list) {
    if (!account.is_object()) return InvalidArgument("an account is not an object");
    const auto upn = account.find("account_upn");
    NewTeamsAccount found;
    if (upn != account.end() && upn->is_string()) {
      found.tenant = TenantOfAddress(TrimWhitespace(upn->get<std::string>()));
    }
    accounts.push_back(std::move(found));
  }
  return accounts;
}

}  // namespace vigie::agent
