#include "agent/win32_agent_state.h"

#include <fstream>

namespace vigie::agent {
namespace {

bool IsHexKey(const std::string& key) {
  if (key.size() != 64) return false;
  for (char c : key) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Result<std::string> ReadPseudonymKey(const std::string& state_dir) {
  const std::string path = state_dir + "\\pseudonym.key";
  std::ifstream file(path, std::ios::binary);
  if (!file) return NotFound(path + " does not exist");
  std::string key;
  std::getline(file, key);
  while (!key.empty() && (key.back() == '\r' || key.back() == '\n')) key.pop_back();
  if (!IsHexKey(key)) return DataLoss(path + ": not a pseudonym key (64 hexadecimal digits)");
  return key;
}

}  // namespace vigie::agent
