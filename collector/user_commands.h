#pragma once

#include <cstdio>
#include <string>

#include "collector/users.h"
#include "common/ministries.h"
#include "common/status.h"

namespace vigie::collector {

struct UserRequest {
  std::string name;
  std::string role;
  std::string ministry;
};

// `vigie-collector user ...`: each returns the French text to print.
Result<std::string> AddUser(UserDirectory& users, const UserRequest& request,
                            const MinistryList& ministries, const std::string& password,
                            Timestamp now);
Result<std::string> RemoveUser(UserDirectory& users, const std::string& name);
Result<std::string> ListUsers(UserDirectory& users);
Result<std::string> AddToken(UserDirectory& users, const std::string& name,
                             const std::string& label, Timestamp now);
Result<std::string> ListTokens(UserDirectory& users);
Result<std::string> RevokeToken(UserDirectory& users, std::int64_t id);

// Reads a password: from a terminal, prompted on stderr without echo and asked twice; otherwise
// the first line of `in` (scripts pipe it), so that it never appears in argv or the shell history.
Result<std::string> ReadPassword(std::FILE* in);

}  // namespace vigie::collector
