#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/system_view.h"
#include "agent/user_pseudonyms.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

// One local account's home directory, as probes of per-user files see it.
struct UserHome {
  std::string account;    // Never leaves the workstation: only `pseudonym` does.
  std::string path;       // "/Users/alice", "/home/alice" or "C:\Users\alice".
  std::string pseudonym;  // UserPseudonyms::Of(account).
};

// The homes of the machine's users, sorted by account name, so that probe output is
// deterministic: /Users/* on macOS, /home/* on Linux, C:\Users\* on Windows, without the
// system's shared and template profiles. An empty list when the users' folder does not exist;
// an error when it cannot be read.
Result<std::vector<UserHome>> ListUserHomes(const SystemView& system, OsFamily os,
                                            const UserPseudonyms& pseudonyms);

// `relative` ("Library/Preferences/x.plist") below `home`, with the separator of `os`.
std::string JoinUserPath(OsFamily os, std::string_view home, std::string_view relative);

// A probe error reason about one user's file: `message` with the home directory replaced by "~"
// and the user named by pseudonym, because reasons leave the workstation and account names must
// not ("~/Library/x.plist: damaged binary property list (user u-0123456789abcdef)").
std::string UserScopedReason(const UserHome& user, std::string_view message);

}  // namespace vigie::agent
