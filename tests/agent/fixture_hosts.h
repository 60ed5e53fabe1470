#pragma once

#include <string>

#include "agent/scanner.h"

namespace vigie::testing {

// The fixture host directory `name` under tests/fixtures/hosts.
inline std::string FixtureHost(const std::string& name) {
  return std::string(VIGIE_FIXTURES_DIR) + "/hosts/" + name;
}

// Probe options of every test scan: a fixed pseudonym key, so that expected pseudonyms are stable.
inline const agent::ProbeOptions kTestProbeOptions{.pseudonym_key = "vigie-test-pseudonym-key"};

}  // namespace vigie::testing
