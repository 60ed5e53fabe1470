#include "agent/report_text.h"

#include <fmt/format.h>

#include "common/doctrine/engine.h"
#include "common/enums.h"

namespace vigie::agent {

std::string ReportToText(const InventoryReport& report) {
  std::string out;
  const auto& host = report.host;
  out += fmt::format("Poste : {} ({}{}{})\n", host.hostname.empty() ? "(sans nom)" : host.hostname,
                     host.os_name.empty() ? std::string(EnumName(host.os_family)) : host.os_name,
                     host.architecture.empty() ? "" : ", ", host.architecture);
  if (!report.ministry.empty()) out += fmt::format("Ministère : {}\n", report.ministry);
  out += fmt::format("Verdict : {}\n", FrenchLabel(report.verdict.status));
  for (const auto& reason : report.verdict.reasons) out += fmt::format("  - {}\n", reason);

  out += "Office installé :";
  if (report.office_installs.empty()) out += " aucun";
  out += "\n";
  for (const auto& install : report.office_installs) {
    out += fmt::format("  - {} {} ({}, {})\n", install.product_id, install.version,
                       install.license_model == LicenseModel::kSubscription ? "abonnement"
                       : install.license_model == LicenseModel::kPerpetual  ? "licence perpétuelle"
                                                                            : "licence inconnue",
                       install.technology);
  }

  out += "Éléments relevés :";
  if (report.evidence.empty()) out += " aucun";
  out += "\n";
  for (const auto& evidence : report.evidence) {
    std::string line = fmt::format("  - {}", evidence.product);
    if (!evidence.version.empty()) line += " " + evidence.version;
    line += fmt::format(" : {}", FrenchLabel(evidence.kind));
    if (evidence.service != ServiceCategory::kUnspecified) {
      line += fmt::format(", {}", FrenchLabel(evidence.service));
    }
    if (evidence.sovereign_alternative) line += ", alternative souveraine";
    if (!evidence.tenant.empty()) line += fmt::format(", locataire {}", evidence.tenant);
    out += line + "\n";
  }

  out += "Sondes en échec :";
  if (report.probe_errors.empty()) out += " aucune";
  out += "\n";
  for (const auto& error : report.probe_errors) {
    out += fmt::format("  - {} : {}\n", error.probe, error.reason);
  }
  return out;
}

std::string ExplainReport(const InventoryReport& report) {
  const doctrine::Explanation explanation =
      doctrine::Explain(report, doctrine::DefaultInput(report));
  const auto& host = report.host;
  std::string out = fmt::format(
      "Explication de l'analyse du poste {} ({})\n"
      "Doctrine « Cloud au centre » par défaut : sans dérogation ni locataire déclaré ; le "
      "collecteur du ministère applique ses dérogations et ses locataires, et peut conclure "
      "autrement.\n\n",
      host.hostname.empty() ? "(sans nom)" : host.hostname,
      host.os_name.empty() ? std::string(EnumName(host.os_family)) : host.os_name);
  out += "Constats :";
  if (explanation.facts.empty()) out += " aucun (ni Office, ni client ou service du cloud)";
  out += "\n";
  for (const auto& fact : explanation.facts) {
    out += fmt::format("  [{}] {}\n      {}\n", FrenchLabel(fact.effect), fact.fact, fact.meaning);
  }
  out += fmt::format("\nVerdict : {}\nPourquoi :\n", FrenchLabel(explanation.verdict.status));
  for (const auto& reason : explanation.verdict.reasons) out += fmt::format("  - {}\n", reason);
  return out;
}

}  // namespace vigie::agent
