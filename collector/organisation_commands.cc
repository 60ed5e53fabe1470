#include "collector/organisation_commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "common/enums.h"

namespace vigie::collector {
namespace {

using VerdictCounts = std::array<std::int64_t, 6>;

std::int64_t Sum(const VerdictCounts& counts) {
  std::int64_t total = 0;
  for (auto count : counts) total += count;
  return total;
}

std::string UnitLabel(const Ministry& ministry, const std::string& id) {
  if (id.empty()) return "aucune unité";
  const OrgUnit* unit = ministry.FindOrgUnit(id);
  return unit ? fmt::format("{} ({})", unit->name, id) : id;
}

std::string VerdictBreakdown(const OrgUnitTotals& totals) {
  std::string out = fmt::format("{} poste{}", totals.hosts, totals.hosts > 1 ? "s" : "");
  std::string parts;
  for (VerdictStatus verdict : kAllVerdicts) {
    const auto count = totals.hosts_by_verdict[static_cast<int>(verdict)];
    if (count == 0) continue;
    parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", FrenchLabel(verdict), count);
  }
  return parts.empty() ? out : out + " : " + parts;
}

}  // namespace

std::vector<OrgUnitTotals> RollUpOrgUnits(const Ministry& ministry,
                                          const std::vector<UnitCounts>& direct) {
  std::map<std::string, std::array<std::int64_t, 6>> own;
  for (const UnitCounts& counts : direct) own[counts.org_unit] = counts.hosts_by_verdict;

  std::map<std::string, std::vector<const OrgUnit*>> children;
  for (const OrgUnit& unit : ministry.org_units) children[unit.parent].push_back(&unit);
  for (auto& [parent, units] : children) {
    std::sort(units.begin(), units.end(),
              [](const OrgUnit* a, const OrgUnit* b) { return a->id < b->id; });
  }

  std::vector<OrgUnitTotals> ordered;
  const auto visit = [&](auto&& self, const OrgUnit& unit, int depth) -> VerdictCounts {
    const std::size_t index = ordered.size();
    ordered.push_back({unit.id, unit.name, depth, {}, 0});
    VerdictCounts total{};
    if (auto found = own.find(unit.id); found != own.end()) {
      total = found->second;
      own.erase(found);
    }
    for (const OrgUnit* child : children[unit.id]) {
      const VerdictCounts enclosed = self(self, *child, depth + 1);
      for (std::size_t v = 0; v < total.size(); ++v) total[v] += enclosed[v];
    }
    ordered[index].hosts_by_verdict = total;
    ordered[index].hosts = Sum(total);
    return total;
  };
  for (const OrgUnit* top : children[""]) visit(visit, *top, 0);
  for (const auto& [id, counts] : own) {
    if (Sum(counts) == 0) continue;
    ordered.push_back(
        {id, id.empty() ? "Postes rattachés à aucune unité" : "Unité absente de la configuration",
         0, counts, Sum(counts)});
  }
  return ordered;
}

Result<std::string> MoveHost(Store& store, const MinistryList& ministries, const std::string& name,
                             const std::string& org_unit, const std::string& actor, Timestamp now) {
  auto hosts = store.FindHosts(name);
  if (!hosts.ok()) return hosts.status();
  if (hosts->empty()) return NotFound("no host named or identified as '" + name + "'");
  if (hosts->size() > 1) {
    std::string ids;
    for (const HostRef& host : *hosts) {
      ids += fmt::format("\n  {} ({}, {})", host.host_key, host.hostname, host.placement.ministry);
    }
    return FailedPrecondition(fmt::format(
        "{} hosts are named '{}': pass the host id instead, one of:{}", hosts->size(), name, ids));
  }
  const HostRef& host = hosts->front();
  const Ministry* ministry = ministries.Find(host.placement.ministry);
  if (!org_unit.empty() && (!ministry || !ministry->FindOrgUnit(org_unit))) {
    return NotFound(fmt::format(
        "ministry {} has no org unit '{}' in the configuration (see `vigie-collector org-unit "
        "list`)",
        host.placement.ministry, org_unit));
  }
  VIGIE_RETURN_IF_ERROR(store.MoveHost(host.host_key, org_unit, actor, now));
  const Ministry unknown{host.placement.ministry, host.placement.ministry, "", {}};
  const Ministry& where = ministry ? *ministry : unknown;
  return fmt::format("Poste {} ({}) déplacé de « {} » vers « {} ».\n", host.hostname, where.code,
                     UnitLabel(where, host.placement.org_unit), UnitLabel(where, org_unit));
}

Result<std::string> OrgUnitsToText(Store& store, const MinistryList& ministries,
                                   const std::string& only_ministry) {
  if (!only_ministry.empty() && !ministries.Find(only_ministry)) {
    return NotFound("unknown ministry code '" + only_ministry + "'");
  }
  std::string out;
  for (const Ministry& ministry : ministries.all()) {
    if (!only_ministry.empty() && ministry.code != only_ministry) continue;
    auto direct = store.CountHostsByOrgUnit(ministry.code);
    if (!direct.ok()) return direct.status();
    const auto units = RollUpOrgUnits(ministry, *direct);
    if (units.empty() && only_ministry.empty()) continue;
    out += fmt::format("{} : {}{}\n", ministry.code, ministry.name,
                       ministry.is_operator()
                           ? fmt::format(" (opérateur sous tutelle de {})", ministry.tutelle)
                           : "");
    if (units.empty()) out += "  Aucune unité déclarée et aucun poste.\n";
    for (const OrgUnitTotals& unit : units) {
      out += fmt::format("  {}{}{} — {}\n", std::string(unit.depth * 2, ' '), unit.name,
                         unit.id.empty() ? "" : " [" + unit.id + "]", VerdictBreakdown(unit));
    }
  }
  return out.empty() ? "Aucune unité déclarée et aucun poste.\n" : out;
}

}  // namespace vigie::collector
