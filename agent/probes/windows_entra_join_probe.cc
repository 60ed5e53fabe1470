#include "agent/probes/m365_hosts.h"
#include "agent/probes/windows_probes.h"
#include "agent/probes/windows_users.h"
#include "common/text.h"

namespace vigie::agent {

Status WindowsEntraJoinProbe::Run(const SystemView& system, ScanFacts& facts) const {
  constexpr std::string_view kJoinInfo =
      "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\CloudDomainJoin\\JoinInfo";
  auto joins = system.ListRegistrySubkeys(kJoinInfo);
  if (!joins.ok()) {
    if (joins.status().code() == StatusCode::kNotFound) return Status::Ok();
    return joins.status();
  }
  for (const auto& join : *joins) {
    auto tenant =
        OptionalString(system.ReadRegistryValue(std::string(kJoinInfo) + "\\" + join, "TenantId"));
    if (!tenant.ok()) return tenant.status();
    const std::string id = AsciiLowercase(TrimWhitespace(tenant->value_or("")));
    if (!IsTenantId(id)) {
      // Joined, but to which tenant is unknown: a tenant could be a ministry's or not.
      facts.errors.push_back(
          {std::string(name()),
           "the device is joined to Entra ID but JoinInfo\\" + join + " has no tenant id"});
    }
    Evidence evidence;
    evidence.product = "Entra ID";
    evidence.service = ServiceCategory::kCloudIdentity;
    evidence.kind = EvidenceKind::kConfigured;
    evidence.tenant = IsTenantId(id) ? id : "";
    evidence.source = name();
    facts.evidence.push_back(std::move(evidence));
  }
  return Status::Ok();
}

}  // namespace vigie::agent
