#include "tools/loadgen/fleet.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "agent/posix_system_view.h"
#include "agent/scanner.h"
#include "common/crypto.h"
#include "common/wire.h"

namespace vigie::loadgen {

Result<Fleet> Fleet::FromFixtures(const std::string& fixtures) {
  std::error_code error;
  std::vector<std::filesystem::path> hosts;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures, error)) {
    if (std::filesystem::exists(entry.path() / "host.toml")) hosts.push_back(entry.path());
  }
  if (error) return NotFound("cannot list fixture hosts in " + fixtures + ": " + error.message());
  std::sort(hosts.begin(), hosts.end());
  Fleet fleet;
  for (const auto& host : hosts) {
    auto view = agent::PosixSystemView::ForRoot(host);
    if (!view.ok()) return view.status().Annotate("fixture host " + host.string());
    agent::ProbeOptions options;
    options.pseudonym_key = "vigie-loadgen";
    const auto probes = agent::ProbesFor(view->machine().os_family, options);
    auto report = agent::Scan(*view, probes, {});
    if (!report.ok()) return report.status().Annotate("fixture host " + host.string());
    fleet.templates_.push_back(ToProto(*report));
  }
  if (fleet.templates_.empty()) return NotFound("no fixture host (host.toml) in " + fixtures);
  return fleet;
}

v1::HostIdentity Fleet::Host(const std::string& prefix, std::size_t agent) const {
  v1::HostIdentity host = templates_[agent % templates_.size()].host();
  host.set_host_id(prefix + "-" + std::to_string(agent));
  host.set_hostname("pc-" + prefix + "-" + std::to_string(agent));
  return host;
}

Result<v1::InventoryReport> Fleet::NextReport(const std::string& prefix, std::size_t agent,
                                              std::uint64_t sequence) const {
  v1::InventoryReport report = templates_[agent % templates_.size()];
  auto id = RandomUuid();
  if (!id.ok()) return id.status();
  report.set_report_id(*id);
  *report.mutable_host() = Host(prefix, agent);
  report.clear_ministry();
  // Versions drift between agents and over time, as updates roll out.
  report.set_agent_version("0.1." + std::to_string(sequence % 3));
  for (auto& install : *report.mutable_office_installs()) {
    install.set_version(install.version() + "." + std::to_string((agent + sequence) % 5));
  }
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  *report.mutable_scan_finished() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(seconds.count());
  *report.mutable_scan_started() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(seconds.count() - 2);
  return report;
}

}  // namespace vigie::loadgen
