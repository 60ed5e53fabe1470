#pragma once

#include <string>

namespace vigie::testing {

// The fixture host directory `name` under tests/fixtures/hosts.
inline std::string FixtureHost(const std::string& name) {
  return std::string(VIGIE_FIXTURES_DIR) + "/hosts/" + name;
}

}  // namespace vigie::testing
