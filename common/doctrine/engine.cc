#include "common/doctrine/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "common/dates.h"
#include "common/enums.h"

namespace vigie::doctrine {
namespace {

bool SameTenant(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
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

const KnownTenant* FindTenant(std::string_view tenant, const EvaluationInput& input) {
  for (const auto& known : input.tenants) {
    if (SameTenant(known.tenant, tenant)) return &known;
  }
  return nullptr;
}

struct Finding {
  VerdictStatus status;
  std::string reason;
};

// The finding for one piece of evidence showing a service in use.
Finding JudgeServiceUse(const Evidence& evidence, const EvaluationInput& input) {
  const std::string service = std::string(FrenchLabel(evidence.service));
  const std::string what = Describe(evidence);
  const TenantClass tenant = ClassifyTenant(evidence.tenant, input);
  if (tenant == TenantClass::kQualified) {
    const Offer* offer = input.policy->FindOffer(FindTenant(evidence.tenant, input)->offer);
    return {VerdictStatus::kCompliant,
            fmt::format("Service « {} » sur une offre qualifiée SecNumCloud depuis le {} ({}) : "
                        "autorisé. {}.",
                        service, FormatFrenchDate(*offer->qualified_from), offer->name, what)};
  }
  const ServiceRule& rule = input.policy->Rule(evidence.service);
  if (!rule.derogable) {
    return {VerdictStatus::kNonCompliant,
            fmt::format("Service « {} » du cloud Microsoft 365 en usage, non dérogeable : {}. {}",
                        service, what, rule.rule)};
  }
  if (tenant == TenantClass::kConsumer) {
    return {VerdictStatus::kNonCompliant,
            fmt::format("Service « {} » sur un compte Microsoft personnel, qu'aucune dérogation ne "
                        "couvre : {}.",
                        service, what)};
  }
  if (tenant == TenantClass::kOtherOrganisation) {
    return {VerdictStatus::kNonCompliant,
            fmt::format("Service « {} » sur le locataire d'une autre organisation ; une dérogation "
                        "ne couvre que les locataires du ministère : {}.",
                        service, what)};
  }
  const Derogation* expired = nullptr;
  const Derogation* future = nullptr;
  for (const auto& derogation : input.derogations) {
    if (derogation.ministry != input.ministry || derogation.service != evidence.service) continue;
    if (!derogation.org_unit.empty() && std::find(input.org_units.begin(), input.org_units.end(),
                                                  derogation.org_unit) == input.org_units.end()) {
      continue;
    }
    if (derogation.from <= input.date && input.date <= derogation.until) {
      return {VerdictStatus::kDerogation,
              fmt::format("Service « {} » couvert par la dérogation {} accordée par {}, valable "
                          "jusqu'au {} : {}.",
                          service, derogation.reference, derogation.granted_by,
                          FormatFrenchDate(derogation.until), what)};
    }
    if (derogation.until < input.date && (!expired || expired->until < derogation.until)) {
      expired = &derogation;
    }
    if (derogation.from > input.date && (!future || future->from > derogation.from)) {
      future = &derogation;
    }
  }
  std::string missing = "sans dérogation";
  if (expired) {
    missing = fmt::format("sans dérogation en vigueur (la dérogation {} a expiré le {})",
                          expired->reference, FormatFrenchDate(expired->until));
  } else if (future) {
    missing = fmt::format(
        "sans dérogation en vigueur (la dérogation {} ne s'applique qu'à partir "
        "du {})",
        future->reference, FormatFrenchDate(future->from));
  }
  return {VerdictStatus::kNonCompliant,
          fmt::format("Service « {} » du cloud Microsoft 365 en usage {} : {}. {}", service,
                      missing, what, rule.rule)};
}

}  // namespace

bool IsServiceUse(const Evidence& evidence) {
  return IsOnlineService(evidence.service) &&
         (evidence.kind == EvidenceKind::kConfigured || evidence.kind == EvidenceKind::kSignedIn ||
          evidence.kind == EvidenceKind::kUsed);
}

std::string_view EnumName(TenantClass value) {
  switch (value) {
    case TenantClass::kMinistry:
      return "MINISTRY";
    case TenantClass::kQualified:
      return "QUALIFIED";
    case TenantClass::kOtherOrganisation:
      return "OTHER_ORGANISATION";
    case TenantClass::kConsumer:
      return "CONSUMER";
    case TenantClass::kUnknown:
      break;
  }
  return "UNKNOWN";
}

std::string_view FrenchLabel(TenantClass value) {
  switch (value) {
    case TenantClass::kMinistry:
      return "locataire du ministère";
    case TenantClass::kQualified:
      return "offre qualifiée";
    case TenantClass::kOtherOrganisation:
      return "autre organisation";
    case TenantClass::kConsumer:
      return "compte personnel";
    case TenantClass::kUnknown:
      break;
  }
  return "non déclaré";
}

TenantClass ClassifyTenant(std::string_view tenant, const EvaluationInput& input) {
  if (tenant.empty()) return TenantClass::kUnknown;
  if (input.policy->IsConsumerTenant(tenant)) return TenantClass::kConsumer;
  const KnownTenant* known = FindTenant(tenant, input);
  if (!known) {
    // Only a ministry that declared its tenants lets Vigie tell another organisation's apart.
    const bool declared =
        std::any_of(input.tenants.begin(), input.tenants.end(), [&](const KnownTenant& entry) {
          return entry.ministry.empty() || entry.ministry == input.ministry;
        });
    return declared ? TenantClass::kOtherOrganisation : TenantClass::kUnknown;
  }
  const Offer* offer = input.policy->FindOffer(known->offer);
  if (offer && offer->QualifiedOn(input.date)) return TenantClass::kQualified;
  if (known->ministry.empty() || known->ministry == input.ministry) return TenantClass::kMinistry;
  return TenantClass::kOtherOrganisation;
}

namespace {

Verdict EvaluateReport(const InventoryReport& report, const EvaluationInput& input) {
  std::vector<Finding> findings;
  for (const auto& evidence : report.evidence) {
    if (IsServiceUse(evidence)) findings.push_back(JudgeServiceUse(evidence, input));
  }
  const auto with_status = [&](VerdictStatus status) {
    Verdict verdict{status, {}};
    for (const auto& finding : findings) {
      if (finding.status == status) verdict.reasons.push_back(finding.reason);
    }
    return verdict;
  };
  const auto has = [&](VerdictStatus status) {
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& finding) { return finding.status == status; });
  };
  if (has(VerdictStatus::kNonCompliant)) return with_status(VerdictStatus::kNonCompliant);
  if (has(VerdictStatus::kDerogation)) return with_status(VerdictStatus::kDerogation);

  Verdict verdict;
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
    if (IsCloudCapable(evidence) && !IsServiceUse(evidence) &&
        ClassifyTenant(evidence.tenant, input) != TenantClass::kQualified) {
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
  verdict.reasons.push_back(
      findings.empty() ? "Aucun service cloud Microsoft 365 ni composant lié au cloud détecté."
                       : "Aucun service du cloud Microsoft 365 hors offre qualifiée.");
  for (const auto& finding : findings) verdict.reasons.push_back(finding.reason);
  for (const auto& install : report.office_installs) {
    if (install.license_model == LicenseModel::kPerpetual) {
      verdict.reasons.push_back(
          fmt::format("Office en licence perpétuelle ({}) : usage bureautique local autorisé.",
                      install.product_id));
    }
  }
  return verdict;
}

}  // namespace

Verdict Evaluate(const InventoryReport& report, const EvaluationInput& input) {
  const Verdict from_report = EvaluateReport(report, input);
  if (!input.last_report || input.stale_after_days <= 0 ||
      input.date - *input.last_report <= std::chrono::days(input.stale_after_days)) {
    return from_report;
  }
  return {VerdictStatus::kUnknown,
          {fmt::format("Aucun rapport depuis le {} (plus de {} jours) : l'état actuel du poste "
                       "n'est pas connu. Dernier état connu : {}.",
                       FormatFrenchDate(*input.last_report), input.stale_after_days,
                       FrenchLabel(from_report.status))}};
}

Explanation Explain(const InventoryReport& report, const EvaluationInput& input) {
  Explanation explanation;
  for (const auto& install : report.office_installs) {
    ExplainedFact fact;
    fact.fact = fmt::format("Office {} {}", install.product_id, install.version);
    if (install.license_model == LicenseModel::kSubscription) {
      fact.meaning =
          "Office par abonnement Microsoft 365 : version liée au cloud (activation, comptes), à "
          "qualifier même sans usage des services en ligne.";
      fact.effect = VerdictStatus::kToReview;
    } else if (install.license_model == LicenseModel::kPerpetual) {
      fact.meaning = "Office en licence perpétuelle : usage bureautique local autorisé.";
    } else {
      fact.meaning = "Licence inconnue : Office installé, sans effet sur le verdict.";
    }
    explanation.facts.push_back(std::move(fact));
  }
  for (const auto& evidence : report.evidence) {
    ExplainedFact fact;
    fact.fact = Describe(evidence);
    if (evidence.service != ServiceCategory::kUnspecified) {
      fact.fact += fmt::format(" — {}", FrenchLabel(evidence.service));
    }
    if (IsServiceUse(evidence)) {
      Finding finding = JudgeServiceUse(evidence, input);
      fact.meaning = std::move(finding.reason);
      fact.effect = finding.status;
    } else if (evidence.kind == EvidenceKind::kPolicy) {
      fact.meaning = "Stratégie qui réduit l'exposition au cloud : ne dégrade pas le verdict.";
    } else if (evidence.sovereign_alternative) {
      fact.meaning = "Alternative souveraine installée : va dans le sens de la doctrine.";
    } else if (IsCloudCapable(evidence) &&
               ClassifyTenant(evidence.tenant, input) != TenantClass::kQualified) {
      fact.meaning =
          "Composant lié au cloud Microsoft 365 sans usage constaté d'un service : à qualifier.";
      fact.effect = VerdictStatus::kToReview;
    } else {
      fact.meaning = "Sans lien avec un service du cloud Microsoft 365.";
    }
    explanation.facts.push_back(std::move(fact));
  }
  for (const auto& error : report.probe_errors) {
    explanation.facts.push_back(
        {fmt::format("Sonde {} en échec : {}", error.probe, error.reason),
         "Un usage du cloud a pu échapper à l'analyse : tant qu'aucun usage n'est constaté par "
         "ailleurs, le poste ne peut pas être déclaré conforme.",
         VerdictStatus::kUnknown});
  }
  explanation.verdict = Evaluate(report, input);
  return explanation;
}

EvaluationInput DefaultInput(const InventoryReport& report) {
  EvaluationInput input;
  input.ministry = report.ministry;
  if (report.scan_finished) {
    input.date = std::chrono::floor<std::chrono::days>(*report.scan_finished);
  }
  return input;
}

Verdict EvaluateDefault(const InventoryReport& report) {
  return Evaluate(report, DefaultInput(report));
}

}  // namespace vigie::doctrine
