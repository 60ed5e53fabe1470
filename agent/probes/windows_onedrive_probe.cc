#include <fmt/format.h>

#include <map>
#include <utility>

#include "agent/probes/m365_hosts.h"
#include "agent/probes/windows_probes.h"
#include "agent/probes/windows_users.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kAccounts = "Software\\Microsoft\\OneDrive\\Accounts";
constexpr std::string_view kSyncedLibraries = "Software\\SyncEngines\\Providers\\OneDrive";
constexpr std::string_view kProduct = "OneDrive";

// The tenant of a business account: its Entra tenant id, else the tenant of its SharePoint host.
// Empty when neither says the account is in the Microsoft cloud (a SharePoint Server on
// premises, or an account not signed in).
Result<std::string> BusinessTenant(const UserHive& hive, const std::string& key) {
  auto tenant_id = OptionalString(hive.ReadValue(key, "ConfiguredTenantId"));
  if (!tenant_id.ok()) return tenant_id.status();
  if (*tenant_id && IsTenantId(TrimWhitespace(**tenant_id))) {
    return AsciiLowercase(TrimWhitespace(**tenant_id));
  }
  for (const std::string_view value : {"SPOResourceId", "ServiceEndpointUri"}) {
    auto url = OptionalString(hive.ReadValue(key, value));
    if (!url.ok()) return url.status();
    if (!*url) continue;
    if (auto location = CloudDocumentLocationOf(**url)) return location->tenant;
  }
  return std::string();
}

}  // namespace

Status WindowsOneDriveProbe::Run(const SystemView& system, ScanFacts& facts) const {
  return ForEachUserHive(
      system, pseudonyms_, name(), facts, [&](const WindowsUser& user, const UserHive& hive) {
        const auto add = [&](ServiceCategory service, EvidenceKind kind, std::string tenant,
                             std::uint32_t count) {
          Evidence evidence;
          evidence.product = kProduct;
          evidence.service = service;
          evidence.kind = kind;
          evidence.tenant = std::move(tenant);
          evidence.source = name();
          evidence.user_pseudonym = user.pseudonym;
          evidence.count = count;
          facts.evidence.push_back(std::move(evidence));
        };
        auto accounts = hive.ListSubkeys(kAccounts);
        if (!accounts.ok() && accounts.status().code() != StatusCode::kNotFound) {
          return accounts.status();
        }
        for (const auto& account : accounts.ok() ? *accounts : std::vector<std::string>()) {
          const std::string key = std::string(kAccounts) + "\\" + account;
          const std::string lowered = AsciiLowercase(account);
          if (lowered == "personal") {
            // The key stays after sign-out with no account in it.
            auto address = OptionalString(hive.ReadValue(key, "UserEmail"));
            VIGIE_RETURN_IF_ERROR(address.status());
            auto cid = OptionalString(hive.ReadValue(key, "cid"));
            VIGIE_RETURN_IF_ERROR(cid.status());
            if (*address || *cid) {
              add(ServiceCategory::kPersonalDrive, EvidenceKind::kSignedIn,
                  std::string(kConsumerTenantId), 0);
            }
          } else if (lowered.starts_with("business")) {
            auto tenant = BusinessTenant(hive, key);
            VIGIE_RETURN_IF_ERROR(tenant.status());
            if (!tenant->empty()) {
              add(ServiceCategory::kPersonalDrive, EvidenceKind::kSignedIn, std::move(*tenant), 0);
            }
          }
        }

        // Team sites synced to the PC: SharePoint document libraries in use.
        auto libraries = hive.ListSubkeys(kSyncedLibraries);
        if (!libraries.ok()) {
          return libraries.status().code() == StatusCode::kNotFound ? Status::Ok()
                                                                    : libraries.status();
        }
        std::map<std::string, std::uint32_t> team_sites;  // By tenant.
        for (const auto& library : *libraries) {
          const std::string key = std::string(kSyncedLibraries) + "\\" + library;
          auto type = OptionalString(hive.ReadValue(key, "LibraryType"));
          VIGIE_RETURN_IF_ERROR(type.status());
          if (AsciiLowercase(type->value_or("")) != "teamsite") continue;
          auto url = OptionalString(hive.ReadValue(key, "UrlNamespace"));
          VIGIE_RETURN_IF_ERROR(url.status());
          const auto location = CloudDocumentLocationOf(url->value_or(""));
          if (location && location->service == ServiceCategory::kDocuments) {
            ++team_sites[location->tenant];
          }
        }
        for (auto& [tenant, count] : team_sites) {
          add(ServiceCategory::kDocuments, EvidenceKind::kConfigured, tenant, count);
        }
        return Status::Ok();
      });
}

}  // namespace vigie::agent
