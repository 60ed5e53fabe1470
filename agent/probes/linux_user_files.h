#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/probe.h"
#include "agent/system_view.h"

namespace vigie::agent {

// One local account's home directory, as the user configuration probes see it.
struct LinuxHome {
  std::string account;  // The login name: never reported, only its pseudonym.
  std::string path;     // Absolute, without a trailing slash.
};

// What a reader of one kind of per-user file gets: the home, the user's pseudonym, and helpers
// that keep the user's name out of everything reported (paths are shown relative to "~").
class UserFiles {
 public:
  UserFiles(const SystemView& system, const LinuxHome& home, std::string pseudonym,
            ScanFacts& facts)
      : system_(system), home_(home), pseudonym_(std::move(pseudonym)), facts_(facts) {}

  const SystemView& system() const { return system_; }
  const std::string& home() const { return home_.path; }
  const std::string& pseudonym() const { return pseudonym_; }

  // `relative` ("~/" omitted) below the home, as an absolute path.
  std::string PathOf(std::string_view relative) const;

  // The file's content; nullopt when absent. Any other failure is recorded as an error of
  // `source` and read as absent, so that one unreadable file costs only itself. `shown_as`
  // replaces `relative` in that error when the path has a part the user named (a profile).
  std::optional<std::string> ReadFile(std::string_view source, std::string_view relative,
                                      std::size_t max_bytes, std::string_view shown_as = {}) const;
  // The entries of a directory below the home, sorted by name; empty when absent or unreadable
  // (recorded as for ReadFile).
  std::vector<DirectoryEntry> ListDirectory(std::string_view source,
                                            std::string_view relative) const;

  // Records a per-item error of `source` about `relative` ("~/.config/goa-1.0/accounts.conf
  // of user u-…: what").
  void AddError(std::string_view source, std::string_view relative, std::string_view what) const;

  // Evidence of `source` about this user, deduplicated: the same fact read twice (an account
  // seen by two files) is one piece of evidence.
  void AddEvidence(Evidence evidence) const;
  // Office installs found in this user's files (Wine prefixes); an install already reported
  // (the same Office in two prefixes) is not repeated.
  void AddOfficeInstalls(std::vector<OfficeInstall> installs) const;

 private:
  // `message` with the home directory's path replaced by "~", so that a login name in it does
  // not leave the workstation.
  std::string Redact(std::string message) const;

  const SystemView& system_;
  const LinuxHome& home_;
  std::string pseudonym_;
  ScanFacts& facts_;
};

// Readers of one kind of per-user configuration each. They append evidence and per-item errors
// and never fail as a whole: a user's damaged file is that user's problem only.
void ReadOneDriveClient(const UserFiles& user);
void ReadGnomeOnlineAccounts(const UserFiles& user);
void ReadEvolutionSources(const UserFiles& user);
void ReadThunderbirdProfiles(const UserFiles& user);
void ReadNextcloudClient(const UserFiles& user);
void ReadFlatpakUserInstallation(const UserFiles& user);
void ReadWinePrefixes(const UserFiles& user);

}  // namespace vigie::agent
