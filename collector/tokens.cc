#include "collector/tokens.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/dates.h"

namespace vigie::collector {
namespace {

Date Day(Timestamp time) { return std::chrono::floor<std::chrono::days>(time); }

// "actif", "révoqué", "expiré" or "épuisé".
std::string StateOf(const TokenRecord& token, Timestamp now) {
  if (token.revoked_at) return "révoqué";
  if (token.expires_at && *token.expires_at <= now) return "expiré";
  if (token.max_uses && token.uses >= *token.max_uses) return "épuisé";
  return "actif";
}

std::string StateName(const TokenRecord& token, Timestamp now) {
  if (token.revoked_at) return "REVOKED";
  if (token.expires_at && *token.expires_at <= now) return "EXPIRED";
  if (token.max_uses && token.uses >= *token.max_uses) return "USED_UP";
  return "ACTIVE";
}

}  // namespace

Result<std::string> CreateTokenCommand(AgentRegistry& registry, const TokenRequest& request,
                                       const MinistryList& ministries, const std::string& actor,
                                       Timestamp now) {
  const Ministry* ministry = ministries.Find(request.ministry);
  if (!ministry) return NotFound("unknown ministry code '" + request.ministry + "'");
  if (!request.org_unit.empty() && !ministry->FindOrgUnit(request.org_unit)) {
    return NotFound("--org-unit: '" + request.org_unit + "' is not an org unit of " +
                    request.ministry + " (org units are declared in the ministries file)");
  }
  if (request.expires_in_days && *request.expires_in_days < 1) {
    return InvalidArgument("--expires: at least 1 day");
  }
  if (request.max_uses && *request.max_uses < 1) {
    return InvalidArgument("--uses: at least 1");
  }
  auto issued = registry.CreateToken(request, actor, now);
  if (!issued.ok()) return issued.status();
  const TokenRecord& record = issued->record;
  std::string text = fmt::format("Jeton d'enrôlement n° {} pour {}", record.id, record.ministry);
  if (!record.org_unit.empty()) text += fmt::format(" (unité {})", record.org_unit);
  text += record.expires_at
              ? fmt::format(", valable jusqu'au {}", FormatFrenchDate(Day(*record.expires_at)))
              : ", sans date d'expiration";
  text += record.max_uses ? fmt::format(", {} enrôlement(s) au plus", *record.max_uses)
                          : ", sans limite d'enrôlements";
  text += " :\n" + issued->token + "\n";
  text +=
      "Notez-le maintenant : il ne sera plus affiché (le collecteur n'en garde que l'empreinte).\n";
  return text;
}

Result<std::string> RevokeTokenCommand(AgentRegistry& registry, std::int64_t id,
                                       const std::string& actor, Timestamp now) {
  VIGIE_RETURN_IF_ERROR(registry.RevokeToken(id, actor, now));
  return fmt::format(
      "Jeton n° {} révoqué : il n'enrôle plus aucun poste. Les agents déjà enrôlés avec lui "
      "continuent de rapporter.\n",
      id);
}

std::string TokensToText(const std::vector<TokenRecord>& tokens, Timestamp now) {
  if (tokens.empty()) return "Aucun jeton d'enrôlement.\n";
  std::string text;
  for (const TokenRecord& token : tokens) {
    text += fmt::format("n° {}  {}…  {}{}  {}  {} enrôlement(s){}  créé le {} par {}", token.id,
                        token.prefix, token.ministry,
                        token.org_unit.empty() ? "" : "/" + token.org_unit, StateOf(token, now),
                        token.uses, token.max_uses ? fmt::format(" sur {}", *token.max_uses) : "",
                        FormatFrenchDate(Day(token.created_at)), token.created_by);
    if (token.expires_at) {
      text += fmt::format(", expire le {}", FormatFrenchDate(Day(*token.expires_at)));
    }
    if (token.revoked_at) {
      text += fmt::format(", révoqué le {} par {}", FormatFrenchDate(Day(*token.revoked_at)),
                          token.revoked_by);
    }
    text += "\n";
  }
  return text;
}

std::string TokensToJson(const std::vector<TokenRecord>& tokens, Timestamp now) {
  nlohmann::json list = nlohmann::json::array();
  for (const TokenRecord& token : tokens) {
    nlohmann::json entry = {{"id", token.id},
                            {"prefix", token.prefix},
                            {"ministry", token.ministry},
                            {"state", StateName(token, now)},
                            {"uses", token.uses},
                            {"createdAt", FormatIsoDate(Day(token.created_at))},
                            {"createdBy", token.created_by}};
    if (!token.org_unit.empty()) entry["orgUnit"] = token.org_unit;
    if (token.max_uses) entry["maxUses"] = *token.max_uses;
    if (token.expires_at) entry["expiresAt"] = FormatIsoDate(Day(*token.expires_at));
    if (token.revoked_at) entry["revokedAt"] = FormatIsoDate(Day(*token.revoked_at));
    list.push_back(entry);
  }
  return list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace vigie::collector
