#include "collector/agent_commands.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/dates.h"
#include "common/report_json.h"

namespace vigie::collector {
namespace {

std::string FrenchDay(Timestamp time) {
  return FormatFrenchDate(std::chrono::floor<std::chrono::days>(time));
}

}  // namespace

Result<std::string> RevokeAgentCommand(AgentRegistry& registry, const std::string& agent_id,
                                       const std::string& actor, Timestamp now) {
  VIGIE_RETURN_IF_ERROR(registry.RevokeAgent(agent_id, actor, now));
  return fmt::format(
      "Agent {} révoqué : ses rapports sont refusés dès maintenant. Le poste et son historique "
      "sont conservés ; pour qu'il rapporte à nouveau, réenrôlez-le avec un jeton.\n",
      agent_id);
}

std::string AgentsToText(const std::vector<AgentListing>& agents) {
  if (agents.empty()) return "Aucun agent enrôlé.\n";
  std::string text;
  for (const AgentListing& agent : agents) {
    text += fmt::format("{}  {}{}  {}  enrôlé le {}", agent.agent_id, agent.ministry,
                        agent.org_unit.empty() ? "" : "/" + agent.org_unit,
                        agent.hostname.empty() ? "(sans nom)" : agent.hostname,
                        FrenchDay(agent.enrolled_at));
    if (agent.last_enrolled != agent.enrolled_at) {
      text += fmt::format(" (réenrôlé le {})", FrenchDay(agent.last_enrolled));
    }
    text += agent.last_report_at
                ? fmt::format(", dernier rapport le {}", FrenchDay(*agent.last_report_at))
                : ", aucun rapport";
    if (agent.spool_dropped && *agent.spool_dropped > 0) {
      text += fmt::format(", {} rapport(s) perdu(s) par l'agent", *agent.spool_dropped);
    }
    if (agent.spool_write_failures && *agent.spool_write_failures > 0) {
      text += fmt::format(", {} rapport(s) non mis en file", *agent.spool_write_failures);
    }
    if (agent.health_unreadable) text += ", dernier rapport illisible dans la base";
    text += agent.revoked_at ? fmt::format(", révoqué le {} par {}", FrenchDay(*agent.revoked_at),
                                           agent.revoked_by)
                             : ", actif";
    text += "\n";
  }
  return text;
}

std::string AgentsToJson(const std::vector<AgentListing>& agents) {
  nlohmann::json list = nlohmann::json::array();
  for (const AgentListing& agent : agents) {
    nlohmann::json entry = {{"agentId", agent.agent_id},
                            {"ministry", agent.ministry},
                            {"hostname", agent.hostname},
                            {"enrolledAt", FormatTimestamp(agent.enrolled_at)},
                            {"lastEnrolledAt", FormatTimestamp(agent.last_enrolled)},
                            {"revoked", agent.revoked_at.has_value()}};
    if (!agent.org_unit.empty()) entry["orgUnit"] = agent.org_unit;
    if (agent.last_report_at) entry["lastReportAt"] = FormatTimestamp(*agent.last_report_at);
    if (agent.revoked_at) {
      entry["revokedAt"] = FormatTimestamp(*agent.revoked_at);
      entry["revokedBy"] = agent.revoked_by;
    }
    if (agent.spool_dropped) entry["spoolDropped"] = *agent.spool_dropped;
    if (agent.spool_write_failures) entry["spoolWriteFailures"] = *agent.spool_write_failures;
    if (agent.health_unreadable) entry["healthUnreadable"] = true;
    list.push_back(entry);
  }
  return list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace vigie::collector
