#pragma once

// The signature catalogue: which software means what for the doctrine. Probes look products up
// here so that every platform names a product the same way.

#include <string_view>

#include "common/model.h"

namespace vigie {

struct PackageSignature {
  std::string_view package;  // Package name as the package manager knows it.
  std::string_view product;  // Vigie's stable product id, Evidence.product.
  // The service the product is a client of; unspecified for neutral software.
  ServiceCategory service = ServiceCategory::kUnspecified;
  // A sovereign alternative: installing it shows migration progress.
  bool sovereign_alternative = false;
};

// The signature of a Linux package (dpkg or rpm name), or nullptr when Vigie ignores it.
const PackageSignature* FindLinuxPackage(std::string_view package);

}  // namespace vigie
