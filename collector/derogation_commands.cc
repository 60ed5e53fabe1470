#include "collector/derogation_commands.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "collector/host_evaluator.h"
#include "common/dates.h"
#include "common/enums.h"

namespace vigie::collector {
namespace {

std::string State(const DerogationRecord& record, Date today) {
  if (record.revoked_at) return "révoquée";
  if (record.derogation.until < today) return "expirée";
  if (record.derogation.from > today) return "à venir";
  return "en vigueur";
}

std::string Describe(const doctrine::Derogation& derogation) {
  return fmt::format("{} pour {}{}, du {} au {} (référence {}, accordée par {})",
                     FrenchLabel(derogation.service), derogation.ministry,
                     derogation.org_unit.empty() ? "" : ", unité " + derogation.org_unit,
                     FormatFrenchDate(derogation.from), FormatFrenchDate(derogation.until),
                     derogation.reference, derogation.granted_by);
}

std::string Reevaluated(std::int64_t changed) {
  return changed == 0 ? "Aucun verdict de poste n'a changé.\n"
                      : fmt::format("{} verdict(s) de poste mis à jour.\n", changed);
}

}  // namespace

Result<doctrine::Derogation> CheckDerogationRequest(const DerogationRequest& request,
                                                    const doctrine::Policy& policy,
                                                    const MinistryList& ministries) {
  const Ministry* ministry = ministries.Find(request.ministry);
  if (!ministry) return NotFound("unknown ministry code '" + request.ministry + "'");
  if (!request.org_unit.empty() && !ministry->FindOrgUnit(request.org_unit)) {
    return NotFound("ministry " + request.ministry + " has no org unit '" + request.org_unit +
                    "' in the configuration (see `vigie-collector org-unit list`)");
  }
  const auto service = ParseEnumName<ServiceCategory>(request.service);
  if (!service || !IsOnlineService(*service)) {
    return InvalidArgument("'" + request.service +
                           "' is not a service category (MAIL, PERSONAL_DRIVE, DOCUMENTS, "
                           "COLLABORATION, INSTANT_MESSAGING, CONFERENCING)");
  }
  const doctrine::ServiceRule& rule = policy.Rule(*service);
  if (!rule.derogable) {
    return InvalidArgument("no derogation is possible for " + request.service +
                           ", only for MAIL and PERSONAL_DRIVE. " + rule.rule);
  }
  if (request.granted_by.empty()) return InvalidArgument("--granted-by must name the grantor");
  if (request.reference.empty()) return InvalidArgument("--reference must name the decision");
  auto from = ParseIsoDate(request.from);
  if (!from.ok()) return from.status().Annotate("--from");
  auto until = ParseIsoDate(request.until);
  if (!until.ok()) return until.status().Annotate("--until");
  if (*until < *from) return InvalidArgument("--until is before --from");
  return doctrine::Derogation{request.ministry,  *service, request.granted_by,
                              request.reference, *from,    *until,
                              request.org_unit};
}

Result<std::string> AddDerogation(Store& store, const doctrine::Derogation& derogation,
                                  const JudgingRules& rules, const std::string& actor,
                                  Timestamp now) {
  auto existing = store.ListDerogations(derogation.ministry);
  if (!existing.ok()) return existing.status();
  auto id = store.AddDerogation(derogation, actor, now);
  if (!id.ok()) return id.status();
  std::string out = fmt::format("Dérogation n° {} enregistrée : {}.\n", *id, Describe(derogation));
  for (const auto& other : *existing) {
    const auto& d = other.derogation;
    if (other.revoked_at || d.service != derogation.service) continue;
    if (d.from <= derogation.until && derogation.from <= d.until) {
      out += fmt::format(
          "Elle chevauche la dérogation n° {} (du {} au {}) : un poste est couvert tant que l'une "
          "des deux est en vigueur.\n",
          other.id, FormatFrenchDate(d.from), FormatFrenchDate(d.until));
    }
  }
  auto changed = store.Reevaluate(derogation.ministry, MakeHostEvaluator(rules, Today(now)), now,
                                  fmt::format("derogation {} added by {}", *id, actor));
  if (!changed.ok())
    return changed.status().Annotate("the derogation is recorded, but re-evaluation failed");
  return out + Reevaluated(*changed);
}

Result<std::string> RevokeDerogation(Store& store, std::int64_t id, const JudgingRules& rules,
                                     const std::string& actor, Timestamp now) {
  auto records = store.ListDerogations("");
  if (!records.ok()) return records.status();
  const DerogationRecord* record = nullptr;
  for (const auto& candidate : *records) {
    if (candidate.id == id) record = &candidate;
  }
  if (!record) return NotFound("no derogation with id " + std::to_string(id));
  VIGIE_RETURN_IF_ERROR(store.RevokeDerogation(id, actor, now));
  auto changed = store.Reevaluate(record->derogation.ministry, MakeHostEvaluator(rules, Today(now)),
                                  now, fmt::format("derogation {} revoked by {}", id, actor));
  if (!changed.ok())
    return changed.status().Annotate("the derogation is revoked, but re-evaluation failed");
  return fmt::format("Dérogation n° {} révoquée : {}.\n", id, Describe(record->derogation)) +
         Reevaluated(*changed);
}

std::string DerogationsToText(const std::vector<DerogationRecord>& records, Date today) {
  if (records.empty()) return "Aucune dérogation enregistrée.\n";
  std::string out;
  for (const auto& record : records) {
    out += fmt::format("n° {} [{}] {}\n", record.id, State(record, today),
                       Describe(record.derogation));
    out += fmt::format("    enregistrée par {}{}\n", record.recorded_by,
                       record.revoked_at ? ", révoquée par " + record.revoked_by : "");
  }
  return out;
}

std::string DerogationsToJson(const std::vector<DerogationRecord>& records, Date today) {
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const auto& record : records) {
    const auto& d = record.derogation;
    nlohmann::ordered_json item;
    item["id"] = record.id;
    item["ministry"] = d.ministry;
    item["service"] = EnumName(d.service);
    item["grantedBy"] = d.granted_by;
    item["reference"] = d.reference;
    item["from"] = FormatIsoDate(d.from);
    item["until"] = FormatIsoDate(d.until);
    if (!d.org_unit.empty()) item["orgUnit"] = d.org_unit;
    item["state"] = record.revoked_at ? "REVOKED"
                    : d.until < today ? "EXPIRED"
                    : d.from > today  ? "FUTURE"
                                      : "VALID";
    item["recordedBy"] = record.recorded_by;
    if (record.revoked_at) item["revokedBy"] = record.revoked_by;
    json.push_back(std::move(item));
  }
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string CurrentActor() {
  for (const char* variable : {"SUDO_USER", "USER", "LOGNAME"}) {
    if (const char* value = std::getenv(variable); value && *value) return value;
  }
  if (const passwd* entry = ::getpwuid(::getuid())) return entry->pw_name;
  return "uid " + std::to_string(::getuid());
}

}  // namespace vigie::collector
