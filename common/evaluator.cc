#include "common/evaluator.h"

#include <fmt/format.h>

#include "common/enums.h"

namespace vigie {
namespace {

bool IsServiceUse(const Evidence& evidence) {
  return IsOnlineService(evidence.service) &&
         (evidence.kind == EvidenceKind::kConfigured || evidence.kind == EvidenceKind::kSignedIn ||
          evidence.kind == EvidenceKind::kUsed);
}

bool IsCloudCapable(const Evidence& evidence) {
  if (evidence.kind == EvidenceKind::kPolicy || evidence.sovereign_alternative) return false;
  return evidence.service != ServiceCategory::kUnspecified;
}

std::string Describe(const Evidence& evidence) {
  std::string text = fmt::format("{} ({})", evidence.product, FrenchLabel(evidence.kind));
  if (!evidence.tenant.empty()) text += fmt::format(", locataire {}", evidence.tenant);
  return text;
}

}  // namespace

Verdict Evaluate(const InventoryReport& report) {
  Verdict verdict;
  for (const auto& evidence : report.evidence) {
    if (!IsServiceUse(evidence)) continue;
    verdict.reasons.push_back(
        IsDerogable(evidence.service)
            ? fmt::format("Service « {} » du cloud Microsoft 365 en usage sans dérogation : {}.",
                          FrenchLabel(evidence.service), Describe(evidence))
            : fmt::format("Service « {} » du cloud Microsoft 365 en usage, non dérogeable selon "
                          "la doctrine « Cloud au centre » : {}.",
                          FrenchLabel(evidence.service), Describe(evidence)));
  }
  if (!verdict.reasons.empty()) {
    verdict.status = VerdictStatus::kNonCompliant;
    return verdict;
  }

  for (const auto& error : report.probe_errors) {
    verdict.reasons.push_back(
        fmt::format("La sonde {} a échoué ({}) : un usage du cloud pourrait ne pas avoir été vu.",
                    error.probe, error.reason));
  }
  if (!verdict.reasons.empty()) {
    verdict.status = VerdictStatus::kUnknown;
    return verdict;
  }

  for (const auto& install : report.office_installs) {
    if (install.license_model == LicenseModel::kSubscription) {
      verdict.reasons.push_back(fmt::format(
          "Office par abonnement Microsoft 365 installé ({}) : version liée au cloud, à qualifier.",
          install.product_id));
    }
  }
  for (const auto& evidence : report.evidence) {
    if (IsCloudCapable(evidence)) {
      verdict.reasons.push_back(
          fmt::format("Composant cloud présent sans usage constaté ({}) : {}.",
                      FrenchLabel(evidence.service), Describe(evidence)));
    }
  }
  if (!verdict.reasons.empty()) {
    verdict.status = VerdictStatus::kToReview;
    return verdict;
  }

  verdict.status = VerdictStatus::kCompliant;
  verdict.reasons.push_back("Aucun service cloud Microsoft 365 ni composant lié au cloud détecté.");
  for (const auto& install : report.office_installs) {
    if (install.license_model == LicenseModel::kPerpetual) {
      verdict.reasons.push_back(
          fmt::format("Office en licence perpétuelle ({}) : usage bureautique local autorisé.",
                      install.product_id));
    }
  }
  return verdict;
}

}  // namespace vigie
