#include "collector/summary.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "collector/host_evaluator.h"
#include "common/dates.h"
#include "common/enums.h"

namespace vigie::collector {
namespace {

std::string NameOf(const std::string& code, const MinistryList& ministries) {
  const Ministry* ministry = ministries.Find(code);
  return ministry ? ministry->name : "(ministère absent de la configuration)";
}

// Display width of UTF-8 text: one column per code point, enough for French labels.
std::size_t Width(std::string_view text) {
  std::size_t width = 0;
  for (char c : text) width += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return width;
}

std::string Pad(std::string_view text, std::size_t width, bool left) {
  std::string padding;
  for (std::size_t w = Width(text); w < width; ++w) padding += ' ';
  return left ? padding + std::string(text) : std::string(text) + padding;
}

std::string Cell(std::int64_t count, std::int64_t total) {
  if (count == 0 || total == 0) return "0";
  return fmt::format("{} ({} %)", count, (count * 100 + total / 2) / total);
}

std::string Hosts(std::int64_t count) {
  return fmt::format("{} poste{}", count, count > 1 ? "s" : "");
}

MinistrySummary* Find(std::vector<MinistrySummary>& ministries, const std::string& code) {
  for (auto& ministry : ministries) {
    if (ministry.code == code) return &ministry;
  }
  return nullptr;
}

std::string VerdictTable(const FleetSummary& summary) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"Ministère", "Postes"};
  for (auto verdict : kAllVerdicts) header.emplace_back(FrenchLabel(verdict));
  rows.push_back(header);
  MinistrySummary total;
  for (const auto& ministry : summary.ministries) {
    std::vector<std::string> row = {ministry.code, std::to_string(ministry.hosts)};
    for (auto verdict : kAllVerdicts) {
      row.push_back(Cell(ministry.hosts_by_verdict[static_cast<int>(verdict)], ministry.hosts));
      total.hosts_by_verdict[static_cast<int>(verdict)] +=
          ministry.hosts_by_verdict[static_cast<int>(verdict)];
    }
    total.hosts += ministry.hosts;
    rows.push_back(std::move(row));
  }
  if (summary.ministries.size() > 1) {
    std::vector<std::string> row = {"Total", std::to_string(total.hosts)};
    for (auto verdict : kAllVerdicts) {
      row.push_back(Cell(total.hosts_by_verdict[static_cast<int>(verdict)], total.hosts));
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], Width(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = Pad(row[0], widths[0], false);
    for (std::size_t i = 1; i < row.size(); ++i) line += "  " + Pad(row[i], widths[i], true);
    out += line + "\n";
  }
  return out;
}

template <typename Item, typename Format>
std::string JoinOrNone(const std::vector<Item>& items, Format format, std::string_view none) {
  if (items.empty()) return std::string(none);
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += " · ";
    out += format(item);
  }
  return out;
}

}  // namespace

std::vector<OrgUnitTotals> LeastCompliantUnits(const std::vector<OrgUnitTotals>& units,
                                               std::size_t limit) {
  const auto non_compliant = [](const OrgUnitTotals& unit) {
    return unit.hosts_by_verdict[static_cast<int>(VerdictStatus::kNonCompliant)];
  };
  std::vector<OrgUnitTotals> ranked;
  for (const auto& unit : units) {
    if (non_compliant(unit) > 0) ranked.push_back(unit);
  }
  // By share of non-compliant hosts, then by their number: a unit of 2 hosts both non-compliant
  // comes before one of 100 with 3.
  std::stable_sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    const auto left = non_compliant(a) * b.hosts;
    const auto right = non_compliant(b) * a.hosts;
    return left != right ? left > right : non_compliant(a) > non_compliant(b);
  });
  if (ranked.size() > limit) ranked.resize(limit);
  return ranked;
}

Result<FleetSummary> BuildSummary(Store& store, const JudgingRules& rules, Timestamp now,
                                  const SummaryOptions& options) {
  const MinistryList& ministries = *rules.ministries;
  if (!options.ministry.empty() && !ministries.Find(options.ministry)) {
    return NotFound("unknown ministry code '" + options.ministry + "'");
  }
  FleetSummary summary;
  summary.today = Today(now);
  summary.stale_after_days = options.stale_after_days;
  summary.expiring_within_days = options.expiring_within_days;

  auto verdicts = store.CountHostsByMinistry();
  if (!verdicts.ok()) return verdicts.status();
  for (const auto& counts : *verdicts) {
    if (!options.ministry.empty() && counts.ministry != options.ministry) continue;
    MinistrySummary ministry;
    ministry.code = counts.ministry;
    ministry.name = NameOf(counts.ministry, ministries);
    if (const Ministry* known = ministries.Find(counts.ministry)) {
      ministry.tutelle = known->tutelle;
      if (!known->org_units.empty()) {
        auto units = store.CountHostsByOrgUnit(counts.ministry);
        if (!units.ok()) return units.status();
        ministry.org_units = RollUpOrgUnits(*known, *units);
      }
    }
    ministry.hosts = counts.hosts;
    ministry.hosts_by_verdict = counts.hosts_by_verdict;
    summary.ministries.push_back(std::move(ministry));
  }

  auto facts = store.CountFacts();
  if (!facts.ok()) return facts.status();
  for (const auto& fact : *facts) {
    MinistrySummary* ministry = Find(summary.ministries, fact.ministry);
    if (!ministry) continue;
    switch (fact.kind) {
      case FactKind::kServiceInUse:
        if (auto service = ParseEnumName<ServiceCategory>(fact.key)) {
          ministry->hosts_by_service[static_cast<int>(*service)] = fact.hosts;
        }
        break;
      case FactKind::kOfficeInstall: {
        const auto colon = fact.key.find(':');
        const auto model = ParseEnumName<LicenseModel>(fact.key.substr(0, colon));
        ministry->office_installs.push_back(
            {{model.value_or(LicenseModel::kUnspecified),
              colon == std::string::npos ? fact.key : fact.key.substr(colon + 1)},
             fact.hosts});
        break;
      }
      case FactKind::kTenant: {
        doctrine::EvaluationInput input;
        input.policy = rules.policy;
        input.ministry = fact.ministry;
        input.tenants = ministries.tenants();
        input.date = summary.today;
        ministry->tenants.push_back(
            {fact.key, doctrine::ClassifyTenant(fact.key, input), fact.hosts});
        break;
      }
      case FactKind::kSovereignAlternative:
        ministry->sovereign_alternatives.emplace_back(fact.key, fact.hosts);
        break;
    }
  }

  auto stale = store.CountStaleHosts(now - std::chrono::days(options.stale_after_days));
  if (!stale.ok()) return stale.status();
  for (const auto& [code, hosts] : *stale) {
    if (MinistrySummary* ministry = Find(summary.ministries, code)) ministry->stale_hosts = hosts;
  }

  auto derogations = store.ListDerogations("");
  if (!derogations.ok()) return derogations.status();
  const Date horizon = summary.today + std::chrono::days(options.expiring_within_days);
  for (auto& record : *derogations) {
    const auto& d = record.derogation;
    if (record.revoked_at || d.until < summary.today || d.until > horizon ||
        d.from > summary.today) {
      continue;
    }
    if (MinistrySummary* ministry = Find(summary.ministries, d.ministry)) {
      ministry->derogations_expiring.push_back(std::move(record));
    }
  }
  return summary;
}

std::string SummaryToText(const FleetSummary& summary) {
  if (summary.ministries.empty()) return "Aucun poste n'a encore fait de rapport.\n";
  std::string out =
      fmt::format("Conformité à la doctrine « Cloud au centre », par ministère, au {}\n\n",
                  FormatFrenchDate(summary.today));
  out += VerdictTable(summary);
  for (const auto& ministry : summary.ministries) {
    out += fmt::format("\n{} : {}{}\n", ministry.code, ministry.name,
                       ministry.tutelle.empty()
                           ? ""
                           : fmt::format(" (opérateur sous tutelle de {})", ministry.tutelle));
    std::vector<std::pair<ServiceCategory, std::int64_t>> services;
    for (auto service : kAllServiceCategories) {
      if (IsOnlineService(service) && ministry.hosts_by_service[static_cast<int>(service)] > 0) {
        services.emplace_back(service, ministry.hosts_by_service[static_cast<int>(service)]);
      }
    }
    out += "  Services du cloud Microsoft 365 en usage : " +
           JoinOrNone(
               services,
               [](const auto& item) {
                 return fmt::format("{} ({})", FrenchLabel(item.first), Hosts(item.second));
               },
               "aucun") +
           "\n";
    out += "  Office installé : " +
           JoinOrNone(
               ministry.office_installs,
               [](const auto& item) {
                 const auto model = item.first.first;
                 return fmt::format("{} [{}] ({})", item.first.second,
                                    model == LicenseModel::kSubscription ? "abonnement"
                                    : model == LicenseModel::kPerpetual  ? "perpétuel"
                                                                         : "licence inconnue",
                                    Hosts(item.second));
               },
               "aucun") +
           "\n";
    out += "  Locataires Microsoft vus : " +
           JoinOrNone(
               ministry.tenants,
               [](const TenantCount& item) {
                 return fmt::format("{} [{}] ({})", item.tenant,
                                    doctrine::FrenchLabel(item.tenant_class), Hosts(item.hosts));
               },
               "aucun") +
           "\n";
    out +=
        "  Alternatives souveraines installées : " +
        JoinOrNone(
            ministry.sovereign_alternatives,
            [](const auto& item) { return fmt::format("{} ({})", item.first, Hosts(item.second)); },
            "aucune") +
        "\n";
    out += fmt::format("  Postes sans rapport depuis plus de {} jours : {}\n",
                       summary.stale_after_days, ministry.stale_hosts);
    out +=
        fmt::format("  Dérogations expirant dans les {} jours : ", summary.expiring_within_days) +
        JoinOrNone(
            ministry.derogations_expiring,
            [](const DerogationRecord& record) {
              return fmt::format(
                  "n° {} {} jusqu'au {} ({})", record.id, FrenchLabel(record.derogation.service),
                  FormatFrenchDate(record.derogation.until), record.derogation.reference);
            },
            "aucune") +
        "\n";
    if (!ministry.org_units.empty()) {
      out +=
          "  Unités les moins conformes : " +
          JoinOrNone(
              LeastCompliantUnits(ministry.org_units, 5),
              [](const OrgUnitTotals& unit) {
                return fmt::format(
                    "{} ({} non conforme{} sur {})", unit.name,
                    unit.hosts_by_verdict[static_cast<int>(VerdictStatus::kNonCompliant)],
                    unit.hosts_by_verdict[static_cast<int>(VerdictStatus::kNonCompliant)] > 1 ? "s"
                                                                                              : "",
                    Hosts(unit.hosts));
              },
              "aucune unité n'a de poste non conforme") +
          "\n";
    }
  }
  return out;
}

std::string SummaryToJson(const FleetSummary& summary) {
  using nlohmann::ordered_json;
  const auto verdicts_json = [](const std::array<std::int64_t, 6>& counts) {
    ordered_json verdicts = ordered_json::object();
    for (auto verdict : kAllVerdicts) {
      verdicts[std::string(EnumName(verdict))] = counts[static_cast<int>(verdict)];
    }
    return verdicts;
  };
  ordered_json json;
  json["date"] = FormatIsoDate(summary.today);
  json["ministries"] = ordered_json::array();
  std::array<std::int64_t, 6> total_verdicts{};
  std::int64_t total_hosts = 0;
  for (const auto& ministry : summary.ministries) {
    ordered_json item;
    item["code"] = ministry.code;
    item["name"] = ministry.name;
    item["hosts"] = ministry.hosts;
    item["verdicts"] = verdicts_json(ministry.hosts_by_verdict);
    ordered_json services = ordered_json::object();
    for (auto service : kAllServiceCategories) {
      if (IsOnlineService(service)) {
        services[std::string(EnumName(service))] =
            ministry.hosts_by_service[static_cast<int>(service)];
      }
    }
    item["servicesInUse"] = std::move(services);
    item["officeInstalls"] = ordered_json::array();
    for (const auto& [install, hosts] : ministry.office_installs) {
      item["officeInstalls"].push_back({{"productId", install.second},
                                        {"licenseModel", EnumName(install.first)},
                                        {"hosts", hosts}});
    }
    item["tenants"] = ordered_json::array();
    for (const auto& tenant : ministry.tenants) {
      item["tenants"].push_back({{"tenant", tenant.tenant},
                                 {"class", doctrine::EnumName(tenant.tenant_class)},
                                 {"hosts", tenant.hosts}});
    }
    item["sovereignAlternatives"] = ordered_json::array();
    for (const auto& [product, hosts] : ministry.sovereign_alternatives) {
      item["sovereignAlternatives"].push_back({{"product", product}, {"hosts", hosts}});
    }
    item["staleHosts"] = ministry.stale_hosts;
    item["derogationsExpiring"] = ordered_json::array();
    for (const auto& record : ministry.derogations_expiring) {
      item["derogationsExpiring"].push_back({{"id", record.id},
                                             {"service", EnumName(record.derogation.service)},
                                             {"until", FormatIsoDate(record.derogation.until)},
                                             {"reference", record.derogation.reference}});
    }
    item["orgUnits"] = ordered_json::array();
    for (const auto& unit : ministry.org_units) {
      item["orgUnits"].push_back({{"id", unit.id},
                                  {"name", unit.name},
                                  {"depth", unit.depth},
                                  {"hosts", unit.hosts},
                                  {"verdicts", verdicts_json(unit.hosts_by_verdict)}});
    }
    if (!ministry.tutelle.empty()) item["tutelle"] = ministry.tutelle;
    json["ministries"].push_back(std::move(item));
    total_hosts += ministry.hosts;
    for (std::size_t i = 0; i < total_verdicts.size(); ++i) {
      total_verdicts[i] += ministry.hosts_by_verdict[i];
    }
  }
  json["total"] = {{"hosts", total_hosts}, {"verdicts", verdicts_json(total_verdicts)}};
  return json.dump(2, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace vigie::collector
