#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/model.h"

namespace vigie::collector {

// What the summaries count about a host, kept per host and counted per ministry by the store.
enum class FactKind {
  kServiceInUse = 1,   // key: the ServiceCategory name ("MAIL").
  kOfficeInstall = 2,  // key: "<LicenseModel name>:<product id>" ("PERPETUAL:ProPlus2021Volume").
  kTenant = 3,         // key: the tenant domain or id, lowercase.
  kSovereignAlternative = 4,  // key: the product id ("libreoffice").
};

struct HostFact {
  FactKind kind;
  std::string key;

  bool operator==(const HostFact&) const = default;
};

// The facts of a host's latest report, each once.
std::vector<HostFact> FactsOf(const InventoryReport& report);

}  // namespace vigie::collector
