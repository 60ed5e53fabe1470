#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/probe.h"
#include "agent/system_view.h"
#include "agent/user_pseudonyms.h"

namespace vigie::agent {

// A person's account with a profile on a Windows machine.
struct WindowsUser {
  std::string sid;           // "S-1-5-21-...", or "S-1-12-1-..." for an Entra ID account.
  std::string profile_path;  // "C:\Users\alice", never sent: it names the user.
  std::string pseudonym;     // What reports carry instead (UserPseudonyms of the SID).
};

// The accounts of people with a profile on this machine, from
// HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList, in SID order. The built-in
// service accounts (SYSTEM, LOCAL SERVICE, NETWORK SERVICE) and any SID that is neither a local
// or domain account (S-1-5-21-) nor an Entra ID one (S-1-12-1-) are skipped, and so are the
// ".bak" copies Windows leaves after a temporary profile. A profile whose path cannot be read is
// a per-item error of `probe`. An absent ProfileList means no profile; any other registry error
// is returned.
Result<std::vector<WindowsUser>> ListWindowsUsers(const SystemView& system,
                                                  const UserPseudonyms& pseudonyms,
                                                  std::string_view probe, ScanFacts& facts);

// Calls `read` with the registry hive of each user (see SystemView::OpenUserHive). A hive that
// cannot be opened ("the registry of user..."), or a `read` that fails ("the profile of user..."),
// is one per-item error of `probe` naming the user by
// pseudonym (the profile path and SID in a message are replaced), and the next user is read.
// A user without any hive (a profile never logged on to) is skipped.
using UserHiveReader = std::function<Status(const WindowsUser&, const UserHive&)>;
Status ForEachUserHive(const SystemView& system, const UserPseudonyms& pseudonyms,
                       std::string_view probe, ScanFacts& facts, const UserHiveReader& read);

// `message` with the user's profile path and SID replaced, fit to leave the workstation.
std::string WithoutUserNames(std::string message, const WindowsUser& user);

// A registry read as an optional: nullopt when the key or value is absent, the error otherwise.
Result<std::optional<std::string>> OptionalString(Result<registry::Value> value);
Result<std::optional<std::uint32_t>> OptionalDword(Result<registry::Value> value);

// Where a document or folder address points in the Microsoft cloud.
struct CloudDocumentLocation {
  ServiceCategory service = ServiceCategory::kUnspecified;
  std::string tenant;
};

// The Microsoft 365 storage service an address (a synced library, a recent document) belongs to:
// a OneDrive for Business host is PERSONAL_DRIVE, any other SharePoint Online host DOCUMENTS,
// both of the tenant the host names (m365_hosts.h); "d.docs.live.net", where Office opens
// personal OneDrive files, is PERSONAL_DRIVE of the consumer tenant. nullopt for any other
// address (local paths, file shares, SharePoint Server on premises).
std::optional<CloudDocumentLocation> CloudDocumentLocationOf(std::string_view url);

}  // namespace vigie::agent
