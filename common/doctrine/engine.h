#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/doctrine/policy.h"
#include "common/model.h"

namespace vigie::doctrine {

// A derogation a ministry granted for one derogable service, valid from `from` to `until`
// inclusive.
struct Derogation {
  std::string ministry;
  ServiceCategory service = ServiceCategory::kUnspecified;
  std::string granted_by;
  std::string reference;
  Date from;
  Date until;
  // The org unit it is limited to (with the units it encloses); empty for the whole ministry.
  std::string org_unit;

  bool operator==(const Derogation&) const = default;
};

// A tenant a deployment knows: a ministry's own tenant (offer "microsoft-365"), or a tenant of
// another offer, acceptable once that offer is qualified.
struct KnownTenant {
  std::string tenant;    // Domain or id, compared without case.
  std::string ministry;  // The ministry it belongs to; empty for every ministry.
  std::string offer;     // An offer id of the policy.
};

enum class TenantClass {
  kUnknown,            // No tenant named, or one the ministry has not declared any of its own.
  kMinistry,           // A tenant of the host's ministry, on an offer not qualified at the date.
  kQualified,          // A tenant of an offer qualified at the date.
  kOtherOrganisation,  // Any other tenant, once the ministry has declared its own.
  kConsumer,           // A Microsoft personal account.
};

struct EvaluationInput {
  const Policy* policy = &Policy::BuiltIn();
  std::string ministry;  // The host's ministry.
  // The host's org unit and the units enclosing it (Ministry::LineageOf); empty when unplaced.
  std::span<const std::string> org_units;
  std::span<const Derogation> derogations;
  std::span<const KnownTenant> tenants;
  Date date;  // The day the verdict is for: derogations and qualifications are read on it.
  // The day the collector last heard from the host, and how many days of silence make its state
  // unknown; no staleness check without both.
  std::optional<Date> last_report;
  int stale_after_days = 0;
};

// "MINISTRY", "QUALIFIED", ... for machines; a French label for people.
std::string_view EnumName(TenantClass value);
std::string_view FrenchLabel(TenantClass value);

TenantClass ClassifyTenant(std::string_view tenant, const EvaluationInput& input);

// Whether the evidence shows an online service in use (configured, signed in or used), as opposed
// to a client merely installed.
bool IsServiceUse(const Evidence& evidence);

// The verdict of the « Cloud au centre » doctrine for one report. Pure: no I/O, no clock.
//   NON_COMPLIANT  an online service is configured, signed in or used on a tenant that is not
//                  qualified, and it is not derogable or no valid derogation of the ministry
//                  covers it (derogations cover only the ministry's own tenants);
//   DEROGATION     otherwise, when services are in use under valid derogations;
//   UNKNOWN        the host has been silent for more than `stale_after_days` (whatever its
//                  last report said); otherwise, when a probe failed (it might have hidden a
//                  service);
//   TO_REVIEW      otherwise, when cloud-capable components are present (subscription
//                  Microsoft 365 Apps, a cloud identity, an installed cloud client);
//   COMPLIANT      otherwise.
// Each reason, in French, names the evidence and, where one applies, the doctrine rule or the
// derogation behind it.
Verdict Evaluate(const InventoryReport& report, const EvaluationInput& input);

// One fact of a report (an Office install, an evidence, a failed probe) and what it means under
// the doctrine, in French.
struct ExplainedFact {
  std::string fact;     // "OneDrive (connecté), locataire contoso.onmicrosoft.com"
  std::string meaning;  // Why it matters, quoting the rule, derogation or offer that applies.
  VerdictStatus effect = VerdictStatus::kCompliant;  // The verdict this fact alone leads to.
};

struct Explanation {
  std::vector<ExplainedFact> facts;  // Office installs, then evidence, then failed probes.
  Verdict verdict;                   // As Evaluate() gives it.
};

// What `vigie-agent scan --explain` prints: each fact of the report judged on its own, and the
// verdict. Pure, like Evaluate().
Explanation Explain(const InventoryReport& report, const EvaluationInput& input);

// The built-in doctrine with no derogation and no known tenant, on the day the scan finished:
// what an agent can say on its own.
EvaluationInput DefaultInput(const InventoryReport& report);
Verdict EvaluateDefault(const InventoryReport& report);

}  // namespace vigie::doctrine
