#include "collector/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "collector/summary.h"
#include "common/crypto.h"
#include "common/enums.h"

namespace vigie::collector {
namespace {

using std::chrono::days;

constexpr int kVerdictCount = 6;

// Every per-ministry table starts with the ministry's code and name.
std::vector<std::string> MinistryColumns(std::initializer_list<std::string> columns) {
  std::vector<std::string> all = {"Code", "Ministère"};
  all.insert(all.end(), columns);
  return all;
}

std::vector<ReportCell> MinistryRow(const MinistrySummary& ministry,
                                    std::initializer_list<ReportCell> cells) {
  std::vector<ReportCell> row = {ReportCell::Text(ministry.code), ReportCell::Text(ministry.name)};
  row.insert(row.end(), cells);
  return row;
}

std::string LicenseLabel(LicenseModel model) {
  switch (model) {
    case LicenseModel::kPerpetual:
      return "Perpétuelle (licence en volume)";
    case LicenseModel::kSubscription:
      return "Abonnement Microsoft 365 Apps";
    default:
      return "Inconnue";
  }
}

std::int64_t Count(const std::array<std::int64_t, kVerdictCount>& counts, VerdictStatus verdict) {
  return counts[static_cast<int>(verdict)];
}

// The ministries the report covers, with their summaries; a requested ministry without any host
// is still shown, with zeros, so that its report is never missing.
std::vector<MinistrySummary> Covered(FleetSummary summary, const ReportRequest& request,
                                     const MinistryList& ministries) {
  if (!request.ministry.empty() && summary.ministries.empty()) {
    MinistrySummary empty;
    empty.code = request.ministry;
    empty.name = ministries.Find(request.ministry)->name;
    summary.ministries.push_back(std::move(empty));
  }
  return std::move(summary.ministries);
}

ReportSection Overview(const ComplianceReport& report, const std::vector<MinistrySummary>& covered,
                       ReportPeriod period) {
  ReportSection section;
  section.sheet = "Synthèse";
  section.title = "Synthèse";
  std::int64_t hosts = 0;
  std::array<std::int64_t, kVerdictCount> verdicts{};
  for (const auto& ministry : covered) {
    hosts += ministry.hosts;
    for (int i = 0; i < kVerdictCount; ++i) verdicts[i] += ministry.hosts_by_verdict[i];
  }
  section.facts = {{"Périmètre", ReportCell::Text(report.scope)},
                   {"Rapport", ReportCell::Text(std::string(PeriodLabel(period)))},
                   {"Début de la période", ReportCell::Day(report.first_day)},
                   {"Fin de la période", ReportCell::Day(report.last_day)},
                   {"Produit le", ReportCell::Day(report.generated_on)},
                   {"Postes suivis", ReportCell::Integer(hosts)}};
  section.columns = {"Verdict", "Postes", "Part"};
  for (auto verdict : kAllVerdicts) {
    section.rows.push_back({ReportCell::Text(std::string(FrenchLabel(verdict))),
                            ReportCell::Integer(Count(verdicts, verdict)),
                            ReportCell::Share(Count(verdicts, verdict), hosts)});
  }
  section.empty_text = "Aucun poste n'a encore fait de rapport.";
  return section;
}

Result<ReportSection> Verdicts(Store& store, const std::vector<MinistrySummary>& covered,
                               Date first_day) {
  ReportSection section;
  section.sheet = "Verdicts";
  section.title = "Postes par verdict et évolution depuis la période précédente";
  section.paragraphs = {
      "L'évolution compare l'état à la production du rapport avec l'instantané quotidien du "
      "dernier jour de la période précédente (" +
      FormatFrenchDate(first_day - days(1)) + ")."};
  section.columns = {"Code",     "Ministère", "Verdict",
                     "Postes",   "Part",      "Postes à la période précédente",
                     "Évolution"};
  for (const auto& ministry : covered) {
    auto trend = store.Trend(ministry.code, "", first_day - days(1), first_day - days(1));
    if (!trend.ok()) return trend.status();
    for (auto verdict : kAllVerdicts) {
      std::vector<ReportCell> row = MinistryRow(
          ministry, {ReportCell::Text(std::string(FrenchLabel(verdict))),
                     ReportCell::Integer(Count(ministry.hosts_by_verdict, verdict)),
                     ReportCell::Share(Count(ministry.hosts_by_verdict, verdict), ministry.hosts)});
      if (trend->empty()) {
        row.push_back(ReportCell::Empty());
        row.push_back(ReportCell::Text("aucun instantané de la période précédente"));
      } else {
        const std::int64_t before = Count(trend->back().hosts_by_verdict, verdict);
        row.push_back(ReportCell::Integer(before));
        row.push_back(ReportCell::Integer(Count(ministry.hosts_by_verdict, verdict) - before));
      }
      section.rows.push_back(std::move(row));
    }
  }
  section.empty_text = "Aucun poste n'a encore fait de rapport.";
  return section;
}

ReportSection Services(const std::vector<MinistrySummary>& covered) {
  ReportSection section;
  section.sheet = "Services";
  section.title = "Services du cloud Microsoft 365 en usage";
  section.paragraphs = {
      "Un service est « en usage » sur un poste quand un compte y est configuré ou connecté, ou "
      "qu'un usage a été constaté ; un client simplement installé ne compte pas."};
  section.columns = MinistryColumns({"Service", "Dérogeable", "Postes", "Part"});
  for (const auto& ministry : covered) {
    for (auto service : kAllServiceCategories) {
      if (!IsOnlineService(service)) continue;
      const std::int64_t hosts = ministry.hosts_by_service[static_cast<int>(service)];
      section.rows.push_back(MinistryRow(
          ministry, {ReportCell::Text(std::string(FrenchLabel(service))),
                     ReportCell::Text(IsDerogable(service) ? "oui" : "non"),
                     ReportCell::Integer(hosts), ReportCell::Share(hosts, ministry.hosts)}));
    }
  }
  section.empty_text = "Aucun poste n'a encore fait de rapport.";
  return section;
}

ReportSection Office(const std::vector<MinistrySummary>& covered) {
  ReportSection section;
  section.sheet = "Office";
  section.title = "Parc Office installé : perpétuel par version et abonnement";
  section.paragraphs = {
      "Office de bureau en licence perpétuelle reste autorisé ; la version par abonnement "
      "(Microsoft 365 Apps) met le poste « à qualifier »."};
  section.columns = MinistryColumns({"Produit", "Licence", "Postes", "Part"});
  for (const auto& ministry : covered) {
    auto installs = ministry.office_installs;
    std::stable_sort(installs.begin(), installs.end(), [](const auto& a, const auto& b) {
      return a.first.first != b.first.first ? a.first.first < b.first.first
                                            : a.first.second < b.first.second;
    });
    for (const auto& [install, hosts] : installs) {
      section.rows.push_back(MinistryRow(
          ministry,
          {ReportCell::Text(install.second), ReportCell::Text(LicenseLabel(install.first)),
           ReportCell::Integer(hosts), ReportCell::Share(hosts, ministry.hosts)}));
    }
  }
  section.empty_text = "Aucune installation d'Office n'a été vue.";
  return section;
}

ReportSection Tenants(const std::vector<MinistrySummary>& covered) {
  ReportSection section;
  section.sheet = "Locataires";
  section.title = "Locataires Microsoft vus, par classe";
  section.paragraphs = {
      "Un locataire est désigné par son domaine ou son identifiant, jamais par une adresse."};
  section.columns = MinistryColumns({"Locataire", "Classe", "Postes"});
  for (const auto& ministry : covered) {
    for (const auto& tenant : ministry.tenants) {
      section.rows.push_back(MinistryRow(
          ministry, {ReportCell::Text(tenant.tenant),
                     ReportCell::Text(std::string(doctrine::FrenchLabel(tenant.tenant_class))),
                     ReportCell::Integer(tenant.hosts)}));
    }
  }
  section.empty_text = "Aucun locataire Microsoft n'a été vu.";
  return section;
}

ReportSection Units(const std::vector<MinistrySummary>& covered) {
  ReportSection section;
  section.sheet = "Unités";
  section.title = "Unités classées par non-conformité";
  section.paragraphs = {
      "Les unités ayant au moins un poste non conforme, la plus forte part d'abord ; une unité "
      "compte les postes de ses sous-unités."};
  section.columns = MinistryColumns({"Unité", "Postes", "Non conformes", "Part non conforme"});
  for (const auto& ministry : covered) {
    for (const auto& unit : LeastCompliantUnits(ministry.org_units, ministry.org_units.size())) {
      const std::int64_t non_compliant = Count(unit.hosts_by_verdict, VerdictStatus::kNonCompliant);
      section.rows.push_back(MinistryRow(
          ministry,
          {ReportCell::Text(unit.name), ReportCell::Integer(unit.hosts),
           ReportCell::Integer(non_compliant), ReportCell::Share(non_compliant, unit.hosts)}));
    }
  }
  section.empty_text = "Aucune unité n'a de poste non conforme.";
  return section;
}

Result<ReportSection> Derogations(Store& store, const std::vector<MinistrySummary>& covered,
                                  Date today, int expiring_within_days) {
  ReportSection section;
  section.sheet = "Dérogations";
  section.title = "Dérogations en vigueur";
  section.paragraphs = {fmt::format(
      "Dérogations en vigueur au {} ; « Expire bientôt » signale celles qui prennent fin dans "
      "les {} jours.",
      FormatFrenchDate(today), expiring_within_days)};
  section.columns = {"Code",      "Ministère", "N°", "Service",       "Accordée par",
                     "Référence", "Du",        "Au", "Expire bientôt"};
  for (const auto& ministry : covered) {
    auto records = store.ListDerogations(ministry.code);
    if (!records.ok()) return records.status();
    for (const auto& record : *records) {
      const auto& d = record.derogation;
      if (record.revoked_at || d.from > today || d.until < today) continue;
      section.rows.push_back(MinistryRow(
          ministry,
          {ReportCell::Integer(record.id), ReportCell::Text(std::string(FrenchLabel(d.service))),
           ReportCell::Text(d.granted_by), ReportCell::Text(d.reference), ReportCell::Day(d.from),
           ReportCell::Day(d.until),
           ReportCell::Text(d.until <= today + days(expiring_within_days) ? "oui" : "non")}));
    }
  }
  section.empty_text = "Aucune dérogation n'est en vigueur.";
  return section;
}

ReportSection Stale(const std::vector<MinistrySummary>& covered, int stale_after_days) {
  ReportSection section;
  section.sheet = "Postes silencieux";
  section.title = "Postes sans rapport récent";
  section.paragraphs = {
      fmt::format("Postes dont le dernier rapport date de plus de {} jours ; leur verdict est « "
                  "{} ».",
                  stale_after_days, FrenchLabel(VerdictStatus::kUnknown))};
  section.columns = MinistryColumns({"Postes silencieux", "Part"});
  for (const auto& ministry : covered) {
    section.rows.push_back(
        MinistryRow(ministry, {ReportCell::Integer(ministry.stale_hosts),
                               ReportCell::Share(ministry.stale_hosts, ministry.hosts)}));
  }
  section.empty_text = "Aucun poste n'a encore fait de rapport.";
  return section;
}

ReportSection Alternatives(const std::vector<MinistrySummary>& covered) {
  ReportSection section;
  section.sheet = "Alternatives";
  section.title = "Adoption des alternatives souveraines";
  section.columns = MinistryColumns({"Produit", "Postes", "Part"});
  for (const auto& ministry : covered) {
    for (const auto& [product, hosts] : ministry.sovereign_alternatives) {
      section.rows.push_back(
          MinistryRow(ministry, {ReportCell::Text(product), ReportCell::Integer(hosts),
                                 ReportCell::Share(hosts, ministry.hosts)}));
    }
  }
  section.empty_text = "Aucune alternative souveraine n'a été vue.";
  return section;
}

ReportSection Hosts(Store& store, const MinistryList& ministries, const ReportRequest& request) {
  ReportSection section;
  section.sheet = "Postes";
  section.title = "Postes et leur verdict";
  const bool pseudonymous = request.host_names == HostNames::kPseudonymous;
  section.paragraphs = {
      pseudonymous
          ? "Les postes sont désignés par un pseudonyme (HMAC du nom du poste avec une clé propre "
            "au déploiement) : le même poste garde le même pseudonyme d'un rapport à l'autre ; "
            "le collecteur seul peut le rapprocher du nom du poste."
          : "Les postes sont désignés par leur nom, tel que l'agent l'a transmis."};
  section.columns = {"Code",    pseudonymous ? "Poste (pseudonyme)" : "Poste",
                     "Unité",   "Système",
                     "Verdict", "Dernier rapport"};
  section.empty_text = "Aucun poste n'a encore fait de rapport.";
  section.not_printed_text =
      "La liste des postes figure dans les versions XLSX et CSV de ce rapport.";
  section.streamed_rows = [&store, &ministries, request](const ReportRowSink& sink) {
    // Unit names by ministry and id, looked up once per ministry rather than once per host.
    std::string names_of;
    std::unordered_map<std::string, std::string> unit_names;
    std::vector<ReportCell> row(6);
    return store.ForEachHost(request.ministry, [&](const ListedHost& host) {
      if (host.ministry != names_of) {
        names_of = host.ministry;
        unit_names.clear();
        if (const Ministry* ministry = ministries.Find(host.ministry)) {
          for (const OrgUnit& unit : ministry->org_units) unit_names[unit.id] = unit.name;
        }
      }
      const auto unit = unit_names.find(host.org_unit);
      row[0] = ReportCell::Text(host.ministry);
      row[1] = ReportCell::Text(request.host_names == HostNames::kPseudonymous
                                    ? HostPseudonym(request.host_name_key, host.hostname)
                                    : host.hostname);
      row[2] = ReportCell::Text(unit != unit_names.end() ? unit->second : host.org_unit);
      row[3] = ReportCell::Text(host.os_name);
      row[4] = ReportCell::Text(std::string(FrenchLabel(host.verdict)));
      row[5] = ReportCell::Day(Today(host.last_seen));
      return sink(row);
    });
  };
  return section;
}

ReportSection Methodology(int stale_after_days) {
  ReportSection section;
  section.sheet = "Méthodologie";
  section.title = "Méthodologie";
  section.paragraphs = {
      "Ce qui est mesuré : un agent Vigie installé sur chaque poste relève ce qui est installé "
      "(Office et sa licence, clients Teams et OneDrive, alternatives souveraines) et ce qui est "
      "utilisé (comptes configurés ou connectés, locataires Microsoft). Le collecteur en déduit "
      "un verdict au regard de la doctrine « Cloud au centre » (circulaire 6282-SG du 5 juillet "
      "2021, note DINUM du 15 septembre 2021, circulaire 6404/SG du 31 mai 2023, loi SREN du 21 "
      "mai 2024, art. 31) : conforme, à qualifier, sous dérogation, non conforme ou inconnu.",
      "Ce qui n'est pas mesuré : les postes sans agent ; les usages depuis un appareil personnel "
      "ou un navigateur que l'agent ne lit pas ; la nature des données traitées. Un poste sans "
      "rapport depuis plus de " +
          std::to_string(stale_after_days) +
          " jours est « inconnu ». Les chiffres sont l'état du collecteur à la production du "
          "rapport ; l'évolution provient des instantanés quotidiens.",
      "Garanties de confidentialité : aucune adresse web, aucun nom de document, aucune adresse "
      "électronique ni aucun nom d'utilisateur ne quitte un poste. Les utilisateurs ne sont "
      "connus que par un pseudonyme (HMAC avec une clé propre au déploiement), les locataires par "
      "leur domaine ou leur identifiant. Ce rapport ne contient que des décomptes de postes."};
  return section;
}

}  // namespace

Result<ReportPeriod> ParseReportPeriod(std::string_view text) {
  if (text == "daily") return ReportPeriod::kDaily;
  if (text == "weekly") return ReportPeriod::kWeekly;
  if (text == "monthly") return ReportPeriod::kMonthly;
  return InvalidArgument("période inconnue « " + std::string(text) +
                         " » : daily, weekly ou monthly");
}

Result<HostNames> ParseHostNames(std::string_view text) {
  if (text == "pseudonymous") return HostNames::kPseudonymous;
  if (text == "clear") return HostNames::kClear;
  return InvalidArgument("noms de poste inconnus « " + std::string(text) +
                         " » : pseudonymous ou clear");
}

std::string HostPseudonym(std::string_view key, std::string_view hostname) {
  return "P-" + HmacSha256Hex(key, hostname).substr(0, 16);
}

std::string_view PeriodLabel(ReportPeriod period) {
  switch (period) {
    case ReportPeriod::kDaily:
      return "quotidien";
    case ReportPeriod::kWeekly:
      return "hebdomadaire";
    case ReportPeriod::kMonthly:
      return "mensuel";
  }
  return "";
}

std::string_view PeriodName(ReportPeriod period) {
  switch (period) {
    case ReportPeriod::kDaily:
      return "daily";
    case ReportPeriod::kWeekly:
      return "weekly";
    case ReportPeriod::kMonthly:
      return "monthly";
  }
  return "";
}

Date PeriodStart(Date last_day, ReportPeriod period) {
  switch (period) {
    case ReportPeriod::kDaily:
      return last_day;
    case ReportPeriod::kWeekly:
      return last_day - days(6);
    case ReportPeriod::kMonthly: {
      const std::chrono::year_month_day ymd(last_day);
      return std::chrono::sys_days(ymd.year() / ymd.month() / 1);
    }
  }
  return last_day;
}

ReportCell ReportCell::Text(std::string text) {
  ReportCell cell;
  cell.kind = Kind::kText;
  cell.text = std::move(text);
  return cell;
}

ReportCell ReportCell::Integer(std::int64_t value) {
  ReportCell cell;
  cell.kind = Kind::kInteger;
  cell.integer = value;
  return cell;
}

ReportCell ReportCell::Share(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return Empty();
  ReportCell cell;
  cell.kind = Kind::kShare;
  cell.share = static_cast<double>(part) / static_cast<double>(whole);
  return cell;
}

ReportCell ReportCell::Day(Date date) {
  ReportCell cell;
  cell.kind = Kind::kDate;
  cell.date = date;
  return cell;
}

Result<ComplianceReport> BuildComplianceReport(Store& store, const JudgingRules& rules,
                                               Timestamp now, const ReportRequest& request) {
  const MinistryList& ministries = *rules.ministries;
  if (!request.ministry.empty() && !ministries.Find(request.ministry)) {
    return NotFound("ministère inconnu « " + request.ministry + " »");
  }
  const Date today = Today(now);
  if (request.last_day > today) {
    return InvalidArgument("la période ne peut finir après aujourd'hui (" + FormatIsoDate(today) +
                           ")");
  }
  SummaryOptions options;
  options.ministry = request.ministry;
  options.stale_after_days = request.stale_after_days;
  options.expiring_within_days = request.expiring_within_days;
  auto summary = BuildSummary(store, rules, now, options);
  if (!summary.ok()) return summary.status();
  const std::vector<MinistrySummary> covered =
      Covered(std::move(summary).value(), request, ministries);

  ComplianceReport report;
  report.scope = request.ministry.empty() ? "Interministériel (tous les ministères)"
                                          : ministries.Find(request.ministry)->name;
  report.title = "Conformité à la doctrine « Cloud au centre » — " + report.scope;
  report.first_day = PeriodStart(request.last_day, request.period);
  report.last_day = request.last_day;
  report.generated_on = today;
  report.sections.push_back(Overview(report, covered, request.period));
  auto verdicts = Verdicts(store, covered, report.first_day);
  if (!verdicts.ok()) return verdicts.status();
  report.sections.push_back(std::move(verdicts).value());
  report.sections.push_back(Services(covered));
  report.sections.push_back(Office(covered));
  report.sections.push_back(Tenants(covered));
  report.sections.push_back(Units(covered));
  auto derogations = Derogations(store, covered, today, request.expiring_within_days);
  if (!derogations.ok()) return derogations.status();
  report.sections.push_back(std::move(derogations).value());
  report.sections.push_back(Stale(covered, request.stale_after_days));
  report.sections.push_back(Alternatives(covered));
  report.sections.push_back(Hosts(store, ministries, request));
  report.sections.push_back(Methodology(request.stale_after_days));
  return report;
}

}  // namespace vigie::collector
