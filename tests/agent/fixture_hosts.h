#pragma once

#include <chrono>
#include <string>

#include "agent/scanner.h"

namespace vigie::testing {

// The fixture host directory `name` under tests/fixtures/hosts.
inline std::string FixtureHost(const std::string& name) {
  return std::string(VIGIE_FIXTURES_DIR) + "/hosts/" + name;
}

// Probe options of every test scan: a fixed pseudonym key, so that expected pseudonyms are stable,
// and a fixed time (2026-11-20 12:00 UTC), so that browser history windows are.
inline const agent::ProbeOptions kTestProbeOptions{
    .pseudonym_key = "vigie-test-pseudonym-key",
    .now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} + std::chrono::hours{12}};

// kTestProbeOptions with every optional probe on (browser history).
inline agent::ProbeOptions AllProbesOn() {
  agent::ProbeOptions options = kTestProbeOptions;
  options.browser_history = true;
  return options;
}

}  // namespace vigie::testing
