#include <fmt/format.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <utility>

#include "agent/probes/windows_probes.h"
#include "agent/probes/windows_users.h"

namespace vigie::agent {
namespace {

// A DWORD policy that restricts the cloud when it holds one of `restricting` values.
struct DwordPolicy {
  std::string_view key;  // Below the hive's root: "Software\Policies\...".
  std::string_view value;
  std::initializer_list<std::uint32_t> restricting;
  ServiceCategory service;
};

// Sources: shared/reference/detection-signals.md §6 (Office privacy controls, 1 = allowed,
// 2 = disabled; SignInOptions 3 = on-premises accounts only, 4 = no sign-in) and §3.4 (OneDrive).
// The privacy values restrict every connected service, hence no category.
constexpr DwordPolicy kDwordPolicies[] = {
    {"Software\\Policies\\Microsoft\\Office\\16.0\\Common\\Privacy",
     "DisconnectedState",
     {2},
     ServiceCategory::kUnspecified},
    {"Software\\Policies\\Microsoft\\Office\\16.0\\Common\\Privacy",
     "UserContentDisabled",
     {2},
     ServiceCategory::kUnspecified},
    {"Software\\Policies\\Microsoft\\Office\\16.0\\Common\\Privacy",
     "DownloadContentDisabled",
     {2},
     ServiceCategory::kUnspecified},
    {"Software\\Policies\\Microsoft\\Office\\16.0\\Common\\Privacy",
     "ControllerConnectedServicesEnabled",
     {2},
     ServiceCategory::kUnspecified},
    {"Software\\Policies\\Microsoft\\Office\\16.0\\Common\\SignIn",
     "SignInOptions",
     {3, 4},
     ServiceCategory::kCloudIdentity},
    {"Software\\Microsoft\\Office\\16.0\\Common\\SignIn",
     "SignInOptions",
     {3, 4},
     ServiceCategory::kCloudIdentity},
    {"Software\\Policies\\Microsoft\\OneDrive",
     "DisablePersonalSync",
     {1},
     ServiceCategory::kPersonalDrive},
    {"Software\\Policies\\Microsoft\\Windows\\OneDrive",
     "DisableFileSyncNGSC",
     {1},
     ServiceCategory::kPersonalDrive},
};
constexpr std::string_view kAllowTenantList =
    "Software\\Policies\\Microsoft\\OneDrive\\AllowTenantList";

std::string_view ProductOf(std::string_view key) {
  return key.find("OneDrive") != std::string_view::npos ? "OneDrive" : "Office";
}

using ValueReader = std::function<Result<registry::Value>(std::string_view, std::string_view)>;
// Whether a key exists: NOT_FOUND is false, any other error is returned.
using KeyExists = std::function<Result<bool>(std::string_view)>;

// Appends the policies in force in one hive (the machine's or a user's).
Status ReadPolicies(const ValueReader& read, const KeyExists& exists, std::string_view probe,
                    const std::string& pseudonym, ScanFacts& facts) {
  const auto add = [&](std::string product, ServiceCategory service) {
    Evidence evidence;
    evidence.product = std::move(product);
    evidence.service = service;
    evidence.kind = EvidenceKind::kPolicy;
    evidence.source = probe;
    evidence.user_pseudonym = pseudonym;
    facts.evidence.push_back(std::move(evidence));
  };
  for (const DwordPolicy& policy : kDwordPolicies) {
    auto value = OptionalDword(read(policy.key, policy.value));
    if (!value.ok()) return value.status().Annotate(std::string(policy.key));
    if (!*value) continue;
    for (const std::uint32_t restricting : policy.restricting) {
      if (**value != restricting) continue;
      add(fmt::format("{} {}={}", ProductOf(policy.key), policy.value, restricting),
          policy.service);
    }
  }
  // The allowed tenants are the key's value names; the key set is the policy in force.
  auto allow_list = exists(kAllowTenantList);
  if (!allow_list.ok()) return allow_list.status();
  if (*allow_list) add("OneDrive AllowTenantList", ServiceCategory::kPersonalDrive);
  return Status::Ok();
}

Result<bool> Exists(const Result<std::vector<std::string>>& subkeys) {
  if (subkeys.ok()) return true;
  if (subkeys.status().code() == StatusCode::kNotFound) return false;
  return subkeys.status();
}

}  // namespace

Status WindowsOfficePolicyProbe::Run(const SystemView& system, ScanFacts& facts) const {
  const std::string machine = "HKEY_LOCAL_MACHINE\\";
  const Status machine_policies = ReadPolicies(
      [&](std::string_view key, std::string_view value) {
        return system.ReadRegistryValue(machine + std::string(key), value);
      },
      [&](std::string_view key) {
        return Exists(system.ListRegistrySubkeys(machine + std::string(key)));
      },
      name(), "", facts);
  VIGIE_RETURN_IF_ERROR(machine_policies);
  return ForEachUserHive(
      system, pseudonyms_, name(), facts, [&](const WindowsUser& user, const UserHive& hive) {
        return ReadPolicies([&](std::string_view key,
                                std::string_view value) { return hive.ReadValue(key, value); },
                            [&](std::string_view key) { return Exists(hive.ListSubkeys(key)); },
                            name(), user.pseudonym, facts);
      });
}

}  // namespace vigie::agent
