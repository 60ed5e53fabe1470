#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace vigie::agent {

// Turns a local account name into the only form of it that may leave the workstation: a keyed
// hash under the deployment's secret, which agents hold and the collector does not
// (docs/privacy.md). The same account gives the same pseudonym on every scan, so a collector can
// count distinct users of a service without learning who they are, and cannot test guesses
// without the key.
class UserPseudonyms {
 public:
  explicit UserPseudonyms(std::string key) : key_(std::move(key)) {}

  // "u-" and 16 hex digits. Account names compare case-insensitively on Windows and macOS, so
  // ASCII case is folded first: "Alice" and "alice" are one person.
  std::string Of(std::string_view account) const;

 private:
  std::string key_;
};

}  // namespace vigie::agent
