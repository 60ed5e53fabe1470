#include "common/report_json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/enums.h"

namespace vigie {
namespace {

using nlohmann::ordered_json;

void PutString(ordered_json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

template <typename Enum>
void PutEnum(ordered_json& object, const char* key, Enum value) {
  if (value != Enum::kUnspecified) object[key] = EnumName(value);
}

void PutTime(ordered_json& object, const char* key, const std::optional<Timestamp>& value) {
  if (value) object[key] = FormatTimestamp(*value);
}

ordered_json HostJson(const HostIdentity& host) {
  ordered_json json = ordered_json::object();
  PutString(json, "hostId", host.host_id);
  PutString(json, "hostname", host.hostname);
  PutEnum(json, "osFamily", host.os_family);
  PutString(json, "osName", host.os_name);
  PutString(json, "osVersion", host.os_version);
  PutString(json, "architecture", host.architecture);
  return json;
}

ordered_json OfficeInstallJson(const OfficeInstall& install) {
  ordered_json json = ordered_json::object();
  PutString(json, "productId", install.product_id);
  PutString(json, "version", install.version);
  PutEnum(json, "licenseModel", install.license_model);
  PutString(json, "technology", install.technology);
  PutString(json, "channel", install.channel);
  PutString(json, "platform", install.platform);
  if (install.shared_computer_licensing) json["sharedComputerLicensing"] = true;
  return json;
}

ordered_json EvidenceJson(const Evidence& evidence) {
  ordered_json json = ordered_json::object();
  PutString(json, "product", evidence.product);
  PutEnum(json, "service", evidence.service);
  PutEnum(json, "kind", evidence.kind);
  PutString(json, "tenant", evidence.tenant);
  PutString(json, "source", evidence.source);
  PutString(json, "userPseudonym", evidence.user_pseudonym);
  if (evidence.count != 0) json["count"] = evidence.count;
  PutTime(json, "lastSeen", evidence.last_seen);
  PutString(json, "version", evidence.version);
  if (evidence.sovereign_alternative) json["sovereignAlternative"] = true;
  return json;
}

template <typename T, typename ToJson>
void PutList(ordered_json& object, const char* key, const std::vector<T>& items, ToJson to_json) {
  if (items.empty()) return;
  ordered_json list = ordered_json::array();
  for (const auto& item : items) list.push_back(to_json(item));
  object[key] = std::move(list);
}

}  // namespace

std::string FormatTimestamp(Timestamp time) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{time - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

std::string ReportToJson(const InventoryReport& report, bool pretty) {
  ordered_json json = ordered_json::object();
  PutString(json, "reportId", report.report_id);
  PutString(json, "agentVersion", report.agent_version);
  json["host"] = HostJson(report.host);
  PutString(json, "ministry", report.ministry);
  PutTime(json, "scanStarted", report.scan_started);
  PutTime(json, "scanFinished", report.scan_finished);
  PutList(json, "officeInstalls", report.office_installs, OfficeInstallJson);
  PutList(json, "evidence", report.evidence, EvidenceJson);
  PutList(json, "probeErrors", report.probe_errors, [](const ProbeError& error) {
    ordered_json item = ordered_json::object();
    PutString(item, "probe", error.probe);
    PutString(item, "reason", error.reason);
    return item;
  });
  if (report.verdict != Verdict{}) {
    ordered_json verdict = ordered_json::object();
    PutEnum(verdict, "status", report.verdict.status);
    if (!report.verdict.reasons.empty()) verdict["reasons"] = report.verdict.reasons;
    json["verdict"] = std::move(verdict);
  }
  // Replace invalid UTF-8 rather than throw: agent-read strings are not trusted to be valid.
  return json.dump(pretty ? 2 : -1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace vigie
