#pragma once

#include <string>

#include "common/status.h"

namespace vigie::agent {

// The agent's pseudonym key in `state_dir`\pseudonym.key (64 lowercase hex digits, as the
// native agent writes it). NOT_FOUND when the directory has none; DATA_LOSS when the file holds
// anything else.
Result<std::string> ReadPseudonymKey(const std::string& state_dir);

}  // namespace vigie::agent
