#include "collector/report_validator.h"

#include <fmt/format.h>

#include <string_view>

namespace vigie::collector {
namespace {

// 2020-01-01: no Vigie report predates it; earlier means a broken clock.
constexpr std::int64_t kEarliestSeconds = 1577836800;

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length;
    std::uint32_t code_point;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xe0) == 0xc0) {
      length = 2;
      code_point = byte & 0x1f;
    } else if ((byte & 0xf0) == 0xe0) {
      length = 3;
      code_point = byte & 0x0f;
    } else if ((byte & 0xf8) == 0xf0) {
      length = 4;
      code_point = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3f);
    }
    // Overlong forms, surrogates and values past Unicode are not UTF-8.
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || code_point > 0x10ffff ||
        (code_point >= 0xd800 && code_point <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

class Checker {
 public:
  Checker(const ReportLimits& limits, Timestamp now) : limits_(limits), now_(now) {}

  Status Text(std::string_view field, const std::string& value, bool required = false) const {
    if (required && value.empty()) return Error(field, "required");
    if (value.size() > limits_.max_string_bytes) {
      return Error(field, fmt::format("{} bytes, more than the {} allowed", value.size(),
                                      limits_.max_string_bytes));
    }
    if (!IsValidUtf8(value)) return Error(field, "not valid UTF-8");
    for (char c : value) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
        return Error(field, "contains control characters");
      }
    }
    return Status::Ok();
  }

  template <typename IsValid>
  Status Enum(std::string_view field, int value, IsValid is_valid, bool required = false) const {
    if (!is_valid(value)) return Error(field, fmt::format("unknown value {}", value));
    if (required && value == 0) return Error(field, "required");
    return Status::Ok();
  }

  Status Time(std::string_view field, const google::protobuf::Timestamp& time) const {
    if (time.nanos() < 0 || time.nanos() > 999'999'999) return Error(field, "invalid nanoseconds");
    if (time.seconds() < kEarliestSeconds) return Error(field, "before 2020: the clock is wrong");
    if (time.seconds() > (now_ + limits_.max_clock_skew).time_since_epoch().count()) {
      return Error(field, "in the future: the workstation's clock is wrong");
    }
    return Status::Ok();
  }

  Status Count(std::string_view field, std::size_t count, std::size_t max) const {
    if (count > max)
      return Error(field, fmt::format("{} items, more than the {} allowed", count, max));
    return Status::Ok();
  }

  Status AtMost(std::string_view field, std::uint64_t value, std::uint64_t max,
                std::string_view unit) const {
    if (value > max) {
      return Error(field, fmt::format("{} {}, more than the {} a working agent can report", value,
                                      unit, max));
    }
    return Status::Ok();
  }

  static Status Error(std::string_view field, std::string_view problem) {
    return InvalidArgument(fmt::format("report.{}: {}", field, problem));
  }

 private:
  const ReportLimits& limits_;
  Timestamp now_;
};

bool IsPrintableId(std::string_view id) {
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

}  // namespace

Status ValidateReport(const v1::InventoryReport& report, const MinistryList& ministries,
                      Timestamp now, const ReportLimits& limits) {
  const Checker check(limits, now);
  if (report.report_id().empty()) return check.Error("report_id", "required");
  if (report.report_id().size() > 64 || !IsPrintableId(report.report_id())) {
    return check.Error("report_id",
                       "must be at most 64 characters among A-Z, a-z, 0-9, -, _ and .");
  }
  VIGIE_RETURN_IF_ERROR(check.Text("agent_version", report.agent_version()));

  if (!report.has_host()) return check.Error("host", "required");
  const auto& host = report.host();
  if (host.host_id().empty()) return check.Error("host.host_id", "required");
  if (host.host_id().size() > 128 || !IsPrintableId(host.host_id())) {
    return check.Error("host.host_id",
                       "must be at most 128 characters among A-Z, a-z, 0-9, -, _ and .");
  }
  VIGIE_RETURN_IF_ERROR(check.Text("host.hostname", host.hostname()));
  if (host.hostname().size() > 255) return check.Error("host.hostname", "longer than 255 bytes");
  VIGIE_RETURN_IF_ERROR(check.Enum("host.os_family", host.os_family(), v1::OsFamily_IsValid, true));
  VIGIE_RETURN_IF_ERROR(check.Text("host.os_name", host.os_name()));
  VIGIE_RETURN_IF_ERROR(check.Text("host.os_version", host.os_version()));
  VIGIE_RETURN_IF_ERROR(check.Text("host.architecture", host.architecture()));

  if (report.ministry().empty()) return check.Error("ministry", "required");
  if (!IsWellFormedMinistryCode(report.ministry())) {
    return check.Error("ministry", "not a ministry code (2 to 32 characters among A-Z, 0-9, _, -)");
  }
  if (!ministries.Find(report.ministry())) {
    return NotFound(fmt::format("report.ministry: unknown ministry code '{}'", report.ministry()));
  }

  if (!report.has_scan_finished()) return check.Error("scan_finished", "required");
  VIGIE_RETURN_IF_ERROR(check.Time("scan_finished", report.scan_finished()));
  if (report.has_scan_started()) {
    VIGIE_RETURN_IF_ERROR(check.Time("scan_started", report.scan_started()));
    if (report.scan_started().seconds() > report.scan_finished().seconds()) {
      return check.Error("scan_started", "after scan_finished");
    }
  }

  VIGIE_RETURN_IF_ERROR(
      check.Count("office_installs", report.office_installs_size(), limits.max_office_installs));
  for (int i = 0; i < report.office_installs_size(); ++i) {
    const auto& install = report.office_installs(i);
    const std::string prefix = fmt::format("office_installs[{}].", i);
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "product_id", install.product_id(), true));
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "version", install.version()));
    VIGIE_RETURN_IF_ERROR(
        check.Enum(prefix + "license_model", install.license_model(), v1::LicenseModel_IsValid));
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "technology", install.technology()));
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "channel", install.channel()));
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "platform", install.platform()));
  }

  VIGIE_RETURN_IF_ERROR(check.Count("evidence", report.evidence_size(), limits.max_evidence));
  for (int i = 0; i < report.evidence_size(); ++i) {
    const auto& evidence = report.evidence(i);
    const std::string prefix = fmt::format("evidence[{}].", i);
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "product", evidence.product(), true));
    VIGIE_RETURN_IF_ERROR(
        check.Enum(prefix + "service", evidence.service(), v1::ServiceCategory_IsValid));
    VIGIE_RETURN_IF_ERROR(
        check.Enum(prefix + "kind", evidence.kind(), v1::EvidenceKind_IsValid, true));
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "tenant", evidence.tenant()));
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "source", evidence.source()));
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "user_pseudonym", evidence.user_pseudonym()));
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "version", evidence.version()));
    if (evidence.count() > limits.max_count) {
      return check.Error(prefix + "count", fmt::format("{}, more than the {} allowed",
                                                       evidence.count(), limits.max_count));
    }
    if (evidence.has_last_seen()) {
      VIGIE_RETURN_IF_ERROR(check.Time(prefix + "last_seen", evidence.last_seen()));
    }
  }

  VIGIE_RETURN_IF_ERROR(
      check.Count("probe_errors", report.probe_errors_size(), limits.max_probe_errors));
  for (int i = 0; i < report.probe_errors_size(); ++i) {
    const std::string prefix = fmt::format("probe_errors[{}].", i);
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "probe", report.probe_errors(i).probe(), true));
    VIGIE_RETURN_IF_ERROR(check.Text(prefix + "reason", report.probe_errors(i).reason()));
  }

  VIGIE_RETURN_IF_ERROR(
      check.Enum("verdict.status", report.verdict().status(), v1::VerdictStatus_IsValid));
  VIGIE_RETURN_IF_ERROR(
      check.Count("verdict.reasons", report.verdict().reasons_size(), limits.max_reasons));
  for (int i = 0; i < report.verdict().reasons_size(); ++i) {
    VIGIE_RETURN_IF_ERROR(
        check.Text(fmt::format("verdict.reasons[{}]", i), report.verdict().reasons(i)));
  }

  if (report.has_agent_health()) {
    const auto& health = report.agent_health();
    VIGIE_RETURN_IF_ERROR(check.AtMost("agent_health.spool_dropped", health.spool_dropped(),
                                       limits.max_spool_counter, "reports"));
    VIGIE_RETURN_IF_ERROR(check.AtMost("agent_health.spool_depth", health.spool_depth(),
                                       limits.max_spool_depth, "reports"));
    VIGIE_RETURN_IF_ERROR(check.AtMost("agent_health.spool_write_failures",
                                       health.spool_write_failures(), limits.max_spool_counter,
                                       "reports"));
    VIGIE_RETURN_IF_ERROR(
        check.AtMost("agent_health.scan_cpu_ms", health.scan_cpu_ms(), limits.max_scan_ms, "ms"));
    VIGIE_RETURN_IF_ERROR(
        check.AtMost("agent_health.scan_wall_ms", health.scan_wall_ms(), limits.max_scan_ms, "ms"));
    VIGIE_RETURN_IF_ERROR(check.AtMost("agent_health.peak_rss_kib", health.peak_rss_kib(),
                                       limits.max_peak_rss_kib, "KiB"));
  }
  return Status::Ok();
}

}  // namespace vigie::collector
