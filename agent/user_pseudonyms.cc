#include "agent/user_pseudonyms.h"

#include "common/crypto.h"
#include "common/text.h"

namespace vigie::agent {

std::string UserPseudonyms::Of(std::string_view account) const {
  // 64 bits: collisions stay negligible among the accounts of one workstation.
  return "u-" + HmacSha256Hex(key_, AsciiLowercase(account)).substr(0, 16);
}

}  // namespace vigie::agent
