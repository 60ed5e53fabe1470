#pragma once

#include <chrono>
#include <string>

#include "common/model.h"

namespace vigie::testing {

inline constexpr std::int64_t kNowSeconds = 1795000000;  // 2026-11-19

inline Timestamp At(std::int64_t seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

// A valid report of one Linux host, with one cloud client installed.
inline InventoryReport ValidReport(std::string report_id = "11111111-2222-4333-8444-555555555555",
                                   std::string host_id = "host-a", std::string ministry = "MI") {
  InventoryReport report;
  report.report_id = std::move(report_id);
  report.agent_version = "0.1.0";
  report.host = {std::move(host_id), "pc-a", OsFamily::kLinux, "Debian 12", "12", "x86_64"};
  report.ministry = std::move(ministry);
  report.scan_started = At(kNowSeconds - 60);
  report.scan_finished = At(kNowSeconds - 58);
  Evidence teams;
  teams.product = "teams-for-linux";
  teams.service = ServiceCategory::kCollaboration;
  teams.kind = EvidenceKind::kInstalled;
  teams.source = "linux.dpkg";
  report.evidence.push_back(teams);
  return report;
}

}  // namespace vigie::testing
