#include "agent/host_identity.h"

#include <string_view>

#if !VIGIE_WINDOWS_ONLY
#include "agent/plist/plist.h"
#endif
#include "common/crypto.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

std::string ReadSmallFile(const SystemView& system, std::string_view path) {
  auto text = system.ReadFile(path, 64 * 1024);
  return text.ok() ? std::string(TrimWhitespace(*text)) : std::string();
}

// The value of KEY=value in os-release(5), unquoted.
std::string OsReleaseValue(std::string_view text, std::string_view key) {
  std::size_t position = 0;
  while (position < text.size()) {
    auto end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = TrimWhitespace(text.substr(position, end - position));
    position = end + 1;
    if (line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != '=') {
      continue;
    }
    std::string_view value = line.substr(key.size() + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    std::string unescaped;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\\' && i + 1 < value.size()) ++i;
      unescaped.push_back(value[i]);
    }
    return unescaped;
  }
  return {};
}

// Windows names itself in the registry, and its installation's MachineGuid (set at setup, kept
// across renames, changed by sysprep) is what /etc/machine-id is on Linux.
constexpr std::string_view kWindowsVersionKey =
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

std::string RegistryString(const SystemView& system, std::string_view key, std::string_view name) {
  auto value = system.ReadRegistryValue(key, name);
  if (!value.ok()) return {};
  auto text = value->AsString();
  return text.ok() ? std::string(TrimWhitespace(*text)) : std::string();
}

void ReadWindowsVersion(const SystemView& system, HostIdentity& host) {
  host.os_name = RegistryString(system, kWindowsVersionKey, "ProductName");
  if (host.os_name.empty()) host.os_name = "Windows";
  host.os_version = RegistryString(system, kWindowsVersionKey, "CurrentBuild");
}

#if !VIGIE_WINDOWS_ONLY
// macOS names itself in SystemVersion.plist: ProductName ("macOS", "Mac OS X" before 10.12) and
// ProductVersion ("14.5"). A missing or damaged file leaves the name generic: the probes still
// run, and identifying the host does not depend on it.
void ReadMacosVersion(const SystemView& system, HostIdentity& host) {
  host.os_name = "macOS";
  auto bytes = system.ReadFile("/System/Library/CoreServices/SystemVersion.plist", 1024 * 1024);
  if (!bytes.ok()) return;
  auto version = plist::Parse(*bytes);
  if (!version.ok()) return;
  const std::string product = version->StringAt("ProductName").value_or("macOS");
  host.os_version = version->StringAt("ProductVersion").value_or("");
  host.os_name = host.os_version.empty() ? product : product + " " + host.os_version;
}
#endif

}  // namespace

Result<HostIdentity> IdentifyHost(const SystemView& system) {
  const MachineFacts& machine = system.machine();
  HostIdentity host;
  host.os_family = machine.os_family;
  host.architecture = machine.architecture;
  host.hostname = machine.hostname;
  if (host.hostname.empty()) host.hostname = ReadSmallFile(system, "/etc/hostname");

  if (machine.os_family == OsFamily::kLinux) {
    std::string os_release = ReadSmallFile(system, "/etc/os-release");
    if (os_release.empty()) os_release = ReadSmallFile(system, "/usr/lib/os-release");
    host.os_name = OsReleaseValue(os_release, "PRETTY_NAME");
    host.os_version = OsReleaseValue(os_release, "VERSION_ID");
    if (host.os_name.empty()) host.os_name = "Linux";
  } else if (machine.os_family == OsFamily::kWindows) {
    ReadWindowsVersion(system, host);
#if !VIGIE_WINDOWS_ONLY
  } else if (machine.os_family == OsFamily::kMacos) {
    ReadMacosVersion(system, host);
#endif
  }

  const std::string machine_guid =
      machine.os_family == OsFamily::kWindows
          ? RegistryString(system, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography",
                           "MachineGuid")
          : std::string();
  const std::string machine_id = ReadSmallFile(system, "/etc/machine-id");
  if (!machine_guid.empty()) {
    host.host_id = Sha256Hex("vigie.host-id.v1:machine-guid:" + machine_guid).substr(0, 32);
  } else if (!machine_id.empty()) {
    host.host_id = Sha256Hex("vigie.host-id.v1:machine-id:" + machine_id).substr(0, 32);
  } else if (!host.hostname.empty()) {
    host.host_id = Sha256Hex("vigie.host-id.v1:hostname:" + host.hostname).substr(0, 32);
  } else {
    return FailedPrecondition(
        "cannot identify this host: it has neither /etc/machine-id nor a host name");
  }
  return host;
}

}  // namespace vigie::agent
