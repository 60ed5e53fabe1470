#include <fmt/format.h>

#include <set>
#include <utility>

#include "agent/probes/m365_hosts.h"
#include "agent/probes/windows_probes.h"
#include "agent/probes/windows_users.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {

Status WindowsOfficeIdentityProbe::Run(const SystemView& system, ScanFacts& facts) const {
  constexpr std::string_view kIdentities =
      "Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities";
  return ForEachUserHive(
      system, pseudonyms_, name(), facts, [&](const WindowsUser& user, const UserHive& hive) {
        auto identities = hive.ListSubkeys(kIdentities);
        if (!identities.ok()) {
          return identities.status().code() == StatusCode::kNotFound ? Status::Ok()
                                                                     : identities.status();
        }
        std::set<std::string> tenants;
        for (const auto& identity : *identities) {
          const std::string key = std::string(kIdentities) + "\\" + identity;
          auto provider = OptionalString(hive.ReadValue(key, "ProviderId"));
          VIGIE_RETURN_IF_ERROR(provider.status());
          auto address = OptionalString(hive.ReadValue(key, "EmailAddress"));
          VIGIE_RETURN_IF_ERROR(address.status());
          auto tenant_id = OptionalString(hive.ReadValue(key, "TenantId"));
          VIGIE_RETURN_IF_ERROR(tenant_id.status());
          const std::string lowered_key = AsciiLowercase(identity);
          const bool personal = AsciiLowercase(provider->value_or("")) == "liveid" ||
                                lowered_key.ends_with("_liveid");
          std::string tenant;
          if (personal) {
            tenant = kConsumerTenantId;
          } else if (IsTenantId(TrimWhitespace(tenant_id->value_or("")))) {
            tenant = AsciiLowercase(TrimWhitespace(**tenant_id));
          } else {
            // The sign-in name's domain is one of the tenant's verified domains.
            tenant = TenantOfAddress(address->value_or(""));
          }
          if (!tenants.insert(tenant).second) continue;
          Evidence evidence;
          evidence.product = "Office";
          evidence.service = ServiceCategory::kCloudIdentity;
          evidence.kind = EvidenceKind::kSignedIn;
          evidence.tenant = std::move(tenant);
          evidence.source = name();
          evidence.user_pseudonym = user.pseudonym;
          facts.evidence.push_back(std::move(evidence));
        }
        return Status::Ok();
      });
}

}  // namespace vigie::agent
