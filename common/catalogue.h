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

// The licence model of an Office Click-to-Run product release id ("O365ProPlusRetail",
// "ProPlus2021Volume"...), ASCII case ignored; kUnspecified when the id alone does not tell.
LicenseModel OfficeLicenseModel(std::string_view product_release_id);

// The name of an Office update channel from the GUID that ends its CDN URL, ASCII case ignored:
// "55336b82-a18d-4dd6-b5f6-9e5095c314a6" -> "MonthlyEnterprise". Empty for an unknown GUID.
std::string_view OfficeChannelName(std::string_view guid);

}  // namespace vigie
