#pragma once

// The Teams clients' own settings files, read the same way on every platform
// (shared/reference/detection-signals.md §4): only the tenant comes out, never the account.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vigie::agent {

// The tenant classic Teams is signed in to, from its desktop-config.json (`userTid`, else
// `homeTenantId`, when it has the form of a tenant id); empty when the user logged out
// (`isLoggedOut`) or no tenant is named. InvalidArgument for a file that is not a JSON object.
Result<std::string> ClassicTeamsTenant(std::string_view desktop_config);

// One account the new Teams is signed in to, from its tma_settings.json.
struct NewTeamsAccount {
  // The domain of the account's sign-in name (`account_upn`), or the consumer tenant id for a
  // Microsoft personal address; empty when the name is not an address.
  std::string tenant;
};

// The accounts of `primary_user.accounts` in the new Teams' tma_settings.json; empty when nobody
// is signed in. InvalidArgument for a file that is not a JSON object or whose accounts are not a
// list of objects.
Result<std::vector<NewTeamsAccount>> NewTeamsAccounts(std::string_view tma_settings);

}  // namespace vigie::agent
