#include <fmt/format.h>

#include <set>

#include "agent/probes/windows_probes.h"
#include "agent/probes/windows_users.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {

Status WindowsOfficeMsiProbe::Run(const SystemView& system, ScanFacts& facts) const {
  std::set<std::string> seen;
  for (const std::string_view uninstall :
       {"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\"
        "Uninstall"}) {
    auto codes = system.ListRegistrySubkeys(uninstall);
    if (!codes.ok()) {
      if (codes.status().code() == StatusCode::kNotFound) continue;
      return codes.status();
    }
    for (const auto& code : *codes) {
      auto product = DecodeOfficeMsiProductCode(code);
      if (!product || !seen.insert(AsciiLowercase(code)).second) continue;
      auto version = OptionalString(
          system.ReadRegistryValue(std::string(uninstall) + "\\" + code, "DisplayVersion"));
      if (!version.ok()) {
        // The product is known from its code alone; only its version is lost.
        facts.errors.push_back({std::string(name()), fmt::format("{}\\{}: {}", uninstall, code,
                                                                 version.status().message())});
      }
      OfficeInstall install;
      install.product_id = product->product_id;
      install.version = version.ok() ? version->value_or("") : "";
      install.license_model = product->license_model;
      install.technology = kTechnology;
      install.platform = product->platform;
      facts.office_installs.push_back(std::move(install));
    }
  }
  return Status::Ok();
}

}  // namespace vigie::agent
