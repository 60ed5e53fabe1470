// The OneDrive client for Linux (abraunegg/onedrive, Debian package `onedrive`): its
// configuration directories, ~/.config/onedrive and the per-account ~/.config/onedrive-<name>
// that its documentation recommends for several accounts (detection-signals.md §9.3).

#include <fmt/format.h>
#include <sqlite3.h>

#include <cctype>

#include "agent/probes/linux_onedrive_config.h"
#include "agent/probes/linux_user_files.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kSource = "linux.onedrive";
constexpr std::size_t kMaxConfigBytes = 1024 * 1024;
// The client's item database grows with the drive: a few MiB per ten thousand files.
constexpr std::size_t kMaxItemDatabaseBytes = 256 * 1024 * 1024;

enum class DriveType { kUnknown, kPersonal, kBusiness };

// A personal drive id is 16 hexadecimal digits; OneDrive for Business and SharePoint drive ids
// are base64 starting with "b!" (detection-signals.md §9.3, from the client's own code).
DriveType DriveTypeOf(std::string_view drive_id) {
  if (drive_id.starts_with("b!")) return DriveType::kBusiness;
  if (drive_id.size() != 16) return DriveType::kUnknown;
  for (const char c : drive_id) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return DriveType::kUnknown;
  }
  return DriveType::kPersonal;
}

// The drive ids of the client's item database (items.sqlite3), read from `bytes` in memory so
// that the file is read through SystemView and the client's own database is never locked.
// The client keeps it in WAL mode, which an in-memory copy cannot replay: the header is switched
// to rollback mode and the log ignored; drive ids are written on the first sync, long checkpointed
// by then.
Result<DriveType> ReadDriveType(std::string bytes) {
  if (bytes.size() < 100 || bytes.compare(0, 16, std::string_view("SQLite format 3\0", 16)) != 0) {
    return DataLoss("not an SQLite database");
  }
  bytes[18] = 1;
  bytes[19] = 1;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return Internal("cannot open an in-memory SQLite database");
  }
  const int deserialized =
      sqlite3_deserialize(db, "main", reinterpret_cast<unsigned char*>(bytes.data()),
                          static_cast<sqlite3_int64>(bytes.size()),
                          static_cast<sqlite3_int64>(bytes.size()), SQLITE_DESERIALIZE_READONLY);
  sqlite3_stmt* statement = nullptr;
  if (deserialized != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT DISTINCT driveId FROM item LIMIT 64", -1, &statement,
                         nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    return DataLoss(std::move(message));
  }
  DriveType type = DriveType::kUnknown;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(statement, 0);
    if (text == nullptr) continue;
    const DriveType found = DriveTypeOf(reinterpret_cast<const char*>(text));
    // Business wins: a personal-looking id may be another user's drive shared with a work account.
    if (found == DriveType::kBusiness) type = found;
    if (found == DriveType::kPersonal && type == DriveType::kUnknown) type = found;
  }
  std::string message = step == SQLITE_DONE ? std::string() : sqlite3_errmsg(db);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  if (!message.empty()) return DataLoss(std::move(message));
  return type;
}

void ReadConfigDirectory(const UserFiles& user, const std::string& directory) {
  bool has_config = false;
  bool signed_in = false;
  bool has_items = false;
  for (const auto& entry : user.ListDirectory(kSource, directory)) {
    if (entry.name == "config") has_config = true;
    if (entry.name == "items.sqlite3") has_items = true;
    // The OAuth refresh token: present once the user has authorised the client. Its content is
    // a credential and is never read.
    if (entry.name == "refresh_token" || entry.name == "intune_account") signed_in = true;
  }
  if (!has_config && !signed_in) return;

  OneDriveConfig config;
  if (has_config) {
    const auto relative = directory + "/config";
    if (auto text = user.ReadFile(kSource, relative, kMaxConfigBytes)) {
      config = ParseOneDriveConfig(*text);
      if (config.malformed_lines > 0) {
        user.AddError(kSource, relative,
                      fmt::format("{} line(s) are not `key = \"value\"` (first at line {}); the "
                                  "others were still read",
                                  config.malformed_lines, config.first_malformed_line));
      }
    }
  }
  Evidence evidence;
  evidence.product = kProductOneDriveLinux;
  evidence.source = kSource;
  evidence.kind = signed_in ? EvidenceKind::kSignedIn : EvidenceKind::kConfigured;
  // A tenant is configured only for work accounts (and required in national clouds); personal
  // accounts and work accounts on the default "common" endpoint leave it empty.
  const std::string tenant = AsciiLowercase(TrimWhitespace(config.Get("azure_tenant_id")));
  if (tenant != "common" && tenant != "organizations") evidence.tenant = tenant;
  if (tenant == "consumers") evidence.tenant = kConsumerTenantId;
  if (evidence.tenant.empty() && has_items) {
    const auto relative = directory + "/items.sqlite3";
    if (auto bytes = user.ReadFile(kSource, relative, kMaxItemDatabaseBytes)) {
      auto type = ReadDriveType(std::move(*bytes));
      if (!type.ok()) {
        user.AddError(kSource, relative,
                      fmt::format("cannot be read, business or personal account unknown ({})",
                                  type.status().message()));
      } else if (*type == DriveType::kPersonal) {
        evidence.tenant = kConsumerTenantId;
      }
    }
  }
  // A drive_id names a SharePoint document library to sync rather than the user's own drive.
  evidence.service = config.Get("drive_id").empty() ? ServiceCategory::kPersonalDrive
                                                    : ServiceCategory::kDocuments;
  user.AddEvidence(evidence);
}

}  // namespace

void ReadOneDriveClient(const UserFiles& user) {
  for (const auto& entry : user.ListDirectory(kSource, ".config")) {
    if (!entry.is_directory) continue;
    if (entry.name == "onedrive" || entry.name.starts_with("onedrive-")) {
      ReadConfigDirectory(user, ".config/" + entry.name);
    }
  }
}

}  // namespace vigie::agent
