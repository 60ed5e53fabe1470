#include "collector/host_facts.h"

#include <algorithm>

#include "common/doctrine/engine.h"
#include "common/enums.h"
#include "common/text.h"

namespace vigie::collector {

std::vector<HostFact> FactsOf(const InventoryReport& report) {
  std::vector<HostFact> facts;
  const auto add = [&](FactKind kind, std::string key) {
    HostFact fact{kind, std::move(key)};
    if (std::find(facts.begin(), facts.end(), fact) == facts.end())
      facts.push_back(std::move(fact));
  };
  for (const auto& evidence : report.evidence) {
    if (doctrine::IsServiceUse(evidence))
      add(FactKind::kServiceInUse, std::string(EnumName(evidence.service)));
    if (!evidence.tenant.empty()) add(FactKind::kTenant, AsciiLowercase(evidence.tenant));
    if (evidence.sovereign_alternative) add(FactKind::kSovereignAlternative, evidence.product);
  }
  for (const auto& install : report.office_installs) {
    add(FactKind::kOfficeInstall,
        std::string(EnumName(install.license_model)) + ":" + install.product_id);
  }
  return facts;
}

}  // namespace vigie::collector
