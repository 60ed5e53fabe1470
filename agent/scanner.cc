#include "agent/scanner.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "agent/host_identity.h"
#include "agent/probes/office_c2r_probe.h"
#include "agent/probes/windows_probes.h"
#include "agent/user_pseudonyms.h"
#include "common/crypto.h"
#include "common/doctrine/engine.h"
#include "common/enums.h"
#include "common/text.h"
#include "common/version.h"

// The MinGW build (cmake/mingw-build.cmake) scans Windows only: the Linux and macOS probes and
// the browser history need librpm, libplist and SQLite, which Debian does not ship for MinGW.
#if !VIGIE_WINDOWS_ONLY
#include "agent/probes/browser_history_probe.h"
#include "agent/probes/dpkg_probe.h"
#include "agent/probes/linux_flatpak_probe.h"
#include "agent/probes/linux_rpm_probe.h"
#include "agent/probes/linux_snap_probe.h"
#include "agent/probes/linux_user_config_probe.h"
#include "agent/probes/macos_office_probe.h"
#include "agent/probes/macos_onedrive_probe.h"
#include "agent/probes/macos_outlook_probe.h"
#include "agent/probes/macos_teams_probe.h"
#endif

namespace vigie::agent {
namespace {

Timestamp Now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A product id alone does not always tell the licence model: VisioProRetail names both Visio 2016
// retail and the Visio Plan 2 subscription (shared/reference/detection-signals.md §1.2). A user's
// subscription licence for that very product (CLOUD_LICENSING SIGNED_IN, e.g. from LicensingNext)
// settles it, so the install is reported as what it is rather than as unknown.
void SettleLicenceModels(InventoryReport& report) {
  for (auto& install : report.office_installs) {
    if (install.license_model != LicenseModel::kUnspecified) continue;
    const bool subscribed =
        std::any_of(report.evidence.begin(), report.evidence.end(), [&](const Evidence& evidence) {
          return evidence.service == ServiceCategory::kCloudLicensing &&
                 evidence.kind == EvidenceKind::kSignedIn &&
                 AsciiLowercase(evidence.product) == AsciiLowercase(install.product_id);
        });
    if (subscribed) install.license_model = LicenseModel::kSubscription;
  }
}

}  // namespace

std::vector<std::unique_ptr<Probe>> ProbesFor(OsFamily os, const ProbeOptions& options) {
  std::vector<std::unique_ptr<Probe>> probes;
  switch (os) {
#if !VIGIE_WINDOWS_ONLY
    case OsFamily::kLinux:
      probes.push_back(std::make_unique<DpkgProbe>());
      probes.push_back(std::make_unique<LinuxRpmProbe>());
      probes.push_back(std::make_unique<LinuxFlatpakProbe>());
      probes.push_back(std::make_unique<LinuxSnapProbe>());
      probes.push_back(std::make_unique<LinuxUserConfigProbe>(options.pseudonym_key));
      break;
#endif
    case OsFamily::kWindows:
      probes.push_back(std::make_unique<OfficeC2rProbe>());
      probes.push_back(std::make_unique<WindowsOfficeMsiProbe>());
      probes.push_back(std::make_unique<WindowsEntraJoinProbe>());
      probes.push_back(
          std::make_unique<WindowsOfficeIdentityProbe>(UserPseudonyms(options.pseudonym_key)));
      probes.push_back(
          std::make_unique<WindowsOneDriveProbe>(UserPseudonyms(options.pseudonym_key)));
      probes.push_back(std::make_unique<WindowsTeamsProbe>(UserPseudonyms(options.pseudonym_key)));
      probes.push_back(
          std::make_unique<WindowsOutlookProbe>(UserPseudonyms(options.pseudonym_key)));
      probes.push_back(
          std::make_unique<WindowsOfficeLicensingProbe>(UserPseudonyms(options.pseudonym_key)));
      probes.push_back(
          std::make_unique<WindowsOfficePolicyProbe>(UserPseudonyms(options.pseudonym_key)));
      probes.push_back(
          std::make_unique<WindowsOfficeMruProbe>(UserPseudonyms(options.pseudonym_key)));
      break;
#if !VIGIE_WINDOWS_ONLY
    case OsFamily::kMacos:
      probes.push_back(std::make_unique<MacosOfficeProbe>(UserPseudonyms(options.pseudonym_key)));
      probes.push_back(std::make_unique<MacosOneDriveProbe>(UserPseudonyms(options.pseudonym_key)));
      probes.push_back(std::make_unique<MacosTeamsProbe>(UserPseudonyms(options.pseudonym_key)));
      probes.push_back(std::make_unique<MacosOutlookProbe>(UserPseudonyms(options.pseudonym_key)));
      break;
#endif
    default:
      break;
  }
#if !VIGIE_WINDOWS_ONLY
  if (options.browser_history && !probes.empty()) {
    probes.push_back(
        std::make_unique<BrowserHistoryProbe>(os, UserPseudonyms(options.pseudonym_key),
                                              options.history_days, options.now.value_or(Now())));
  }
#endif
  return probes;
}

Result<InventoryReport> Scan(const SystemView& system,
                             std::span<const std::unique_ptr<Probe>> probes,
                             const ScanRequest& request) {
  InventoryReport report;
  auto report_id = RandomUuid();
  if (!report_id.ok()) return report_id.status();
  report.report_id = std::move(report_id).value();
  report.agent_version = kVersion;
  report.ministry = request.ministry;
  report.scan_started = Now();
  auto host = IdentifyHost(system);
  if (!host.ok()) return host.status();
  report.host = std::move(host).value();

  if (probes.empty()) {
    report.probe_errors.push_back({"scanner", "this agent has no probe for " +
                                                  std::string(EnumName(report.host.os_family)) +
                                                  " yet: nothing could be checked"});
  }
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::string> skipped;
  for (const auto& probe : probes) {
    if (request.cancelled && request.cancelled()) {
      return Unavailable("scan cancelled: the agent is stopping");
    }
    if (request.budget.count() > 0 &&
        std::chrono::steady_clock::now() - started >= request.budget) {
      skipped.emplace_back(probe->name());
      continue;
    }
    ScanFacts facts;
    Status status;
    try {
      status = probe->Run(system, facts);
    } catch (const std::exception& error) {
      // A probe defect must cost one signal, not the whole scan.
      status = Internal(std::string("probe raised an exception: ") + error.what());
    }
    std::move(facts.office_installs.begin(), facts.office_installs.end(),
              std::back_inserter(report.office_installs));
    std::move(facts.evidence.begin(), facts.evidence.end(), std::back_inserter(report.evidence));
    std::move(facts.errors.begin(), facts.errors.end(), std::back_inserter(report.probe_errors));
    if (!status.ok()) report.probe_errors.push_back({std::string(probe->name()), status.message()});
  }
  if (!skipped.empty()) {
    std::string names;
    for (const auto& name : skipped) names += (names.empty() ? "" : ", ") + name;
    report.probe_errors.push_back({kScanBudgetProbe, "the scan reached its time budget of " +
                                                         std::to_string(request.budget.count()) +
                                                         " ms; skipped probes: " + names});
  }
  SettleLicenceModels(report);
  report.scan_finished = Now();
  report.verdict = doctrine::EvaluateDefault(report);
  return report;
}

}  // namespace vigie::agent
