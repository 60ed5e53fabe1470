#pragma once

// The plain C++ model of an inventory report. Probes, the evaluator and the JSON writer work
// on these types so that they build without protobuf (e.g. for the Windows cross build);
// common/wire.h converts to and from the wire messages of proto/vigie/v1/inventory.proto.
// Enumerator values equal the proto enum numbers.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigie {

using Timestamp = std::chrono::sys_seconds;

enum class OsFamily { kUnspecified = 0, kWindows = 1, kLinux = 2, kMacos = 3 };

enum class ServiceCategory {
  kUnspecified = 0,
  kMail = 1,
  kPersonalDrive = 2,
  kDocuments = 3,
  kCollaboration = 4,
  kInstantMessaging = 5,
  kConferencing = 6,
  kCloudIdentity = 7,
  kCloudLicensing = 8,
};

enum class LicenseModel { kUnspecified = 0, kPerpetual = 1, kSubscription = 2 };

enum class EvidenceKind {
  kUnspecified = 0,
  kInstalled = 1,
  kConfigured = 2,
  kSignedIn = 3,
  kUsed = 4,
  kPolicy = 5,
};

enum class VerdictStatus {
  kUnspecified = 0,
  kCompliant = 1,
  kToReview = 2,
  kDerogation = 3,
  kNonCompliant = 4,
  kUnknown = 5,
};

struct HostIdentity {
  std::string host_id;
  std::string hostname;
  OsFamily os_family = OsFamily::kUnspecified;
  std::string os_name;
  std::string os_version;
  std::string architecture;

  bool operator==(const HostIdentity&) const = default;
};

struct OfficeInstall {
  std::string product_id;
  std::string version;
  LicenseModel license_model = LicenseModel::kUnspecified;
  std::string technology;
  std::string channel;
  std::string platform;
  bool shared_computer_licensing = false;

  bool operator==(const OfficeInstall&) const = default;
};

struct Evidence {
  std::string product;
  ServiceCategory service = ServiceCategory::kUnspecified;
  EvidenceKind kind = EvidenceKind::kUnspecified;
  std::string tenant;
  std::string source;
  std::string user_pseudonym;
  std::uint32_t count = 0;
  std::optional<Timestamp> last_seen;
  std::string version;
  bool sovereign_alternative = false;

  bool operator==(const Evidence&) const = default;
};

struct ProbeError {
  std::string probe;
  std::string reason;

  bool operator==(const ProbeError&) const = default;
};

struct Verdict {
  VerdictStatus status = VerdictStatus::kUnspecified;
  std::vector<std::string> reasons;

  bool operator==(const Verdict&) const = default;
};

struct InventoryReport {
  std::string report_id;
  std::string agent_version;
  HostIdentity host;
  std::string ministry;
  std::optional<Timestamp> scan_started;
  std::optional<Timestamp> scan_finished;
  std::vector<OfficeInstall> office_installs;
  std::vector<Evidence> evidence;
  std::vector<ProbeError> probe_errors;
  Verdict verdict;

  bool operator==(const InventoryReport&) const = default;
};

}  // namespace vigie
