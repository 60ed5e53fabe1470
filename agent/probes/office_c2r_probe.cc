#include "agent/probes/office_c2r_probe.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

bool IsGuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// The channel a CDN URL ("http://officecdn.microsoft.com/pr/<GUID>") points to: its name, else
// the GUID. nullopt for any other update source (a file share), whose path must not leave the
// workstation and says nothing about the channel.
std::optional<std::string> ChannelOf(std::string_view url) {
  while (!url.empty() && (url.back() == '/' || url.back() == '\\')) url.remove_suffix(1);
  const auto separator = url.find_last_of("/\\");
  const std::string_view last =
      separator == std::string_view::npos ? url : url.substr(separator + 1);
  if (!IsGuid(last)) return std::nullopt;
  const std::string_view name = OfficeChannelName(last);
  return name.empty() ? AsciiLowercase(last) : std::string(name);
}

// Reads the configuration key of one registry view.
class ConfigurationReader {
 public:
  ConfigurationReader(const SystemView& system, std::string_view key, std::string_view probe,
                      ScanFacts& facts)
      : system_(system), key_(key), probe_(probe), facts_(facts) {}

  // The REG_SZ value `name`: nullopt when absent. A value of another type is recorded as an
  // error of this probe and read as absent, so that one odd value costs only itself; a registry
  // that cannot be read is returned.
  Result<std::optional<std::string>> String(std::string_view name) const {
    auto value = system_.ReadRegistryValue(key_, name);
    if (!value.ok()) {
      if (value.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
      return value.status();
    }
    auto text = value->AsString();
    if (!text.ok()) {
      AddError(fmt::format("{}\\{} cannot be read as a string ({})", key_, name,
                           text.status().message()));
      return std::optional<std::string>();
    }
    return std::optional<std::string>(std::move(text).value());
  }

  void AddError(std::string reason) const {
    facts_.errors.push_back({std::string(probe_), std::move(reason)});
  }

 private:
  const SystemView& system_;
  std::string_view key_;
  std::string_view probe_;
  ScanFacts& facts_;
};

// Appends the products of the configuration key `key`, skipping those already in `seen`
// (lowercased ids): a product listed in both registry views is one install.
Status ReadConfiguration(const SystemView& system, std::string_view key, std::string_view probe,
                         std::set<std::string>& seen, ScanFacts& facts) {
  // Existence of the key first: its absence means no Click-to-Run Office in this view.
  if (auto subkeys = system.ListRegistrySubkeys(key); !subkeys.ok()) {
    if (subkeys.status().code() == StatusCode::kNotFound) return Status::Ok();
    return subkeys.status();
  }
  const ConfigurationReader reader(system, key, probe, facts);
  auto ids = reader.String("ProductReleaseIds");
  if (!ids.ok()) return ids.status();
  auto version = reader.String("VersionToReport");
  if (!version.ok()) return version.status();
  auto platform = reader.String("Platform");
  if (!platform.ok()) return platform.status();
  auto shared = reader.String("SharedComputerLicensing");
  if (!shared.ok()) return shared.status();
  // UpdateChannel is the channel in effect after policies; CDNBaseUrl the one installed from,
  // the lowest in Office's own order of precedence.
  std::optional<std::string> channel;
  for (const std::string_view name : {"UpdateChannel", "CDNBaseUrl"}) {
    auto url = reader.String(name);
    if (!url.ok()) return url.status();
    if (*url && !channel) channel = ChannelOf(**url);
  }

  std::vector<std::string> products;
  if (*ids) {
    std::string_view rest = **ids;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view id = TrimWhitespace(rest.substr(0, comma));
      if (!id.empty()) products.emplace_back(id);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (products.empty()) {
    // Office is there but which products, and so which licences, is unknown: never assume none.
    reader.AddError(fmt::format(
        "{} lists no ProductReleaseIds: the Click-to-Run Office products installed are unknown",
        key));
    return Status::Ok();
  }
  for (auto& product : products) {
    if (!seen.insert(AsciiLowercase(product)).second) continue;
    OfficeInstall install;
    install.product_id = product;
    install.version = version->value_or("");
    install.license_model = OfficeLicenseModel(product);
    install.technology = OfficeC2rProbe::kTechnology;
    install.channel = channel.value_or("");
    install.platform = platform->value_or("");
    install.shared_computer_licensing = *shared && TrimWhitespace(**shared) == "1";
    if (install.license_model == LicenseModel::kSubscription) {
      Evidence evidence;
      evidence.product = product;
      evidence.service = ServiceCategory::kCloudLicensing;
      evidence.kind = EvidenceKind::kInstalled;
      evidence.source = probe;
      evidence.version = install.version;
      facts.evidence.push_back(std::move(evidence));
    }
    facts.office_installs.push_back(std::move(install));
  }
  return Status::Ok();
}

}  // namespace

Status OfficeC2rProbe::Run(const SystemView& system, ScanFacts& facts) const {
  std::set<std::string> seen;
  for (const std::string_view key : {kConfigurationKey, kWow64ConfigurationKey}) {
    VIGIE_RETURN_IF_ERROR(ReadConfiguration(system, key, name(), seen, facts));
  }
  return Status::Ok();
}

}  // namespace vigie::agent
