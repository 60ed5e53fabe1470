#include "common/wire.h"

namespace vigie {
namespace {

template <typename To, typename From>
To CastEnum(From value) {
  return static_cast<To>(static_cast<int>(value));
}

void SetTime(const std::optional<Timestamp>& time, google::protobuf::Timestamp* message) {
  message->set_seconds(time->time_since_epoch().count());
}

std::optional<Timestamp> GetTime(bool present, const google::protobuf::Timestamp& message) {
  if (!present) return std::nullopt;
  return Timestamp{std::chrono::seconds{message.seconds()}};
}

}  // namespace

v1::Verdict ToProto(const Verdict& verdict) {
  v1::Verdict message;
  message.set_status(CastEnum<v1::VerdictStatus>(verdict.status));
  for (const auto& reason : verdict.reasons) message.add_reasons(reason);
  return message;
}

v1::InventoryReport ToProto(const InventoryReport& report) {
  v1::InventoryReport message;
  message.set_report_id(report.report_id);
  message.set_agent_version(report.agent_version);
  auto* host = message.mutable_host();
  host->set_host_id(report.host.host_id);
  host->set_hostname(report.host.hostname);
  host->set_os_family(CastEnum<v1::OsFamily>(report.host.os_family));
  host->set_os_name(report.host.os_name);
  host->set_os_version(report.host.os_version);
  host->set_architecture(report.host.architecture);
  message.set_ministry(report.ministry);
  if (report.scan_started) SetTime(report.scan_started, message.mutable_scan_started());
  if (report.scan_finished) SetTime(report.scan_finished, message.mutable_scan_finished());
  for (const auto& install : report.office_installs) {
    auto* item = message.add_office_installs();
    item->set_product_id(install.product_id);
    item->set_version(install.version);
    item->set_license_model(CastEnum<v1::LicenseModel>(install.license_model));
    item->set_technology(install.technology);
    item->set_channel(install.channel);
    item->set_platform(install.platform);
    item->set_shared_computer_licensing(install.shared_computer_licensing);
  }
  for (const auto& evidence : report.evidence) {
    auto* item = message.add_evidence();
    item->set_product(evidence.product);
    item->set_service(CastEnum<v1::ServiceCategory>(evidence.service));
    item->set_kind(CastEnum<v1::EvidenceKind>(evidence.kind));
    item->set_tenant(evidence.tenant);
    item->set_source(evidence.source);
    item->set_user_pseudonym(evidence.user_pseudonym);
    item->set_count(evidence.count);
    if (evidence.last_seen) SetTime(evidence.last_seen, item->mutable_last_seen());
    item->set_version(evidence.version);
    item->set_sovereign_alternative(evidence.sovereign_alternative);
  }
  for (const auto& error : report.probe_errors) {
    auto* item = message.add_probe_errors();
    item->set_probe(error.probe);
    item->set_reason(error.reason);
  }
  if (report.verdict != Verdict{}) *message.mutable_verdict() = ToProto(report.verdict);
  return message;
}

InventoryReport FromProto(const v1::InventoryReport& message) {
  InventoryReport report;
  report.report_id = message.report_id();
  report.agent_version = message.agent_version();
  const auto& host = message.host();
  report.host = {host.host_id(), host.hostname(),   CastEnum<OsFamily>(host.os_family()),
                 host.os_name(), host.os_version(), host.architecture()};
  report.ministry = message.ministry();
  report.scan_started = GetTime(message.has_scan_started(), message.scan_started());
  report.scan_finished = GetTime(message.has_scan_finished(), message.scan_finished());
  for (const auto& item : message.office_installs()) {
    report.office_installs.push_back(
        {item.product_id(), item.version(), CastEnum<LicenseModel>(item.license_model()),
         item.technology(), item.channel(), item.platform(), item.shared_computer_licensing()});
  }
  for (const auto& item : message.evidence()) {
    report.evidence.push_back({item.product(), CastEnum<ServiceCategory>(item.service()),
                               CastEnum<EvidenceKind>(item.kind()), item.tenant(), item.source(),
                               item.user_pseudonym(), item.count(),
                               GetTime(item.has_last_seen(), item.last_seen()), item.version(),
                               item.sovereign_alternative()});
  }
  for (const auto& item : message.probe_errors()) {
    report.probe_errors.push_back({item.probe(), item.reason()});
  }
  report.verdict = FromProto(message.verdict());
  return report;
}

Verdict FromProto(const v1::Verdict& message) {
  Verdict verdict;
  verdict.status = CastEnum<VerdictStatus>(message.status());
  verdict.reasons.assign(message.reasons().begin(), message.reasons().end());
  return verdict;
}

}  // namespace vigie
