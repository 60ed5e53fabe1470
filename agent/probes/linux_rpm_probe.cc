#include "agent/probes/linux_rpm_probe.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmts.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "common/catalogue.h"

namespace vigie::agent {
namespace {

// The files of each backend librpm can read: sqlite (with its write-ahead log, which may hold
// the latest transactions), Berkeley DB's Packages (read by bdb_ro), ndb's Packages.db and
// Index.db. Index files of Berkeley DB are not needed to list packages.
constexpr std::string_view kDatabaseFiles[] = {"rpmdb.sqlite", "rpmdb.sqlite-wal", "Packages",
                                               "Packages.db", "Index.db"};
// Databases of desktops are tens of MiB; servers with thousands of packages a few hundred.
constexpr std::size_t kMaxDatabaseBytes = 2ull * 1024 * 1024 * 1024;

// librpm's configuration is process-wide and read once.
Status ReadRpmConfiguration() {
  static std::once_flag once;
  static int result = 0;
  std::call_once(once, [] { result = rpmReadConfigFiles(nullptr, nullptr); });
  if (result != 0) return Internal("librpm could not read its configuration (rpmrc, macros)");
  return Status::Ok();
}

// A private temporary directory, removed with its content on destruction.
class TemporaryDirectory {
 public:
  static Result<TemporaryDirectory> Create() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vigie-rpmdb-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Unavailable("cannot create a temporary directory for the rpm database copy");
    }
    return TemporaryDirectory(std::move(pattern));
  }
  TemporaryDirectory(TemporaryDirectory&& other) noexcept : path_(std::move(other.path_)) {
    other.path_.clear();
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(TemporaryDirectory&&) = delete;
  ~TemporaryDirectory() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TemporaryDirectory(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Collects librpm's error messages during one read instead of letting it print them, and puts
// the previous logging back afterwards.
class RpmLogCapture {
 public:
  RpmLogCapture() : previous_(rpmlogSetCallback(&RpmLogCapture::Collect, this)) {}
  ~RpmLogCapture() { rpmlogSetCallback(previous_, nullptr); }
  RpmLogCapture(const RpmLogCapture&) = delete;
  RpmLogCapture& operator=(const RpmLogCapture&) = delete;

  const std::vector<std::string>& errors() const { return errors_; }

 private:
  static int Collect(rpmlogRec record, rpmlogCallbackData data) {
    auto* self = static_cast<RpmLogCapture*>(data);
    if (rpmlogRecPriority(record) <= RPMLOG_ERR) {
      std::string message = rpmlogRecMessage(record);
      while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
      }
      self->errors_.push_back(std::move(message));
    }
    return 0;  // Handled: nothing on stderr.
  }

  rpmlogCallback previous_;
  std::vector<std::string> errors_;
};

// Whether the sqlite database in `directory` (the private copy) can be read at all, checked before
// librpm opens it: librpm 4.18 leaks its connection when a damaged file fails its own opening.
Status CheckSqliteDatabase(const std::string& directory) {
  const std::string path = directory + "/rpmdb.sqlite";
  sqlite3* db = nullptr;
  int result = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  if (result == SQLITE_OK) {
    result = sqlite3_prepare_v2(db, "SELECT count(*) FROM Packages", -1, &statement, nullptr);
  }
  if (result == SQLITE_OK) result = sqlite3_step(statement);
  const std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  sqlite3_finalize(statement);
  sqlite3_close(db);
  if (result != SQLITE_ROW) return DataLoss(fmt::format("sqlite: {}", message));
  return Status::Ok();
}

struct RpmPackage {
  std::string name;
  std::string version;  // "[epoch:]version-release", as rpm -q --qf '%{EVR}' shows it.
};

// Lists the packages of the database in `directory` (a copy), in database order. Packages read
// before a failure are kept; the failure is returned alongside.
Status ListPackages(const std::string& directory, std::vector<RpmPackage>& packages,
                    std::vector<std::string>& log_errors) {
  VIGIE_RETURN_IF_ERROR(ReadRpmConfiguration());
  const RpmLogCapture log;
  rpmPushMacro(nullptr, "_dbpath", nullptr, directory.c_str(), RMIL_CMDLINE);
  rpmts transaction = rpmtsCreate();
  rpmtsSetRootDir(transaction, "/");
  // Reading what is installed needs no signature: the database is the system's own record.
  rpmtsSetVSFlags(transaction, RPMVSF_MASK_NOSIGNATURES);
  Status status;
  if (rpmtsOpenDB(transaction, O_RDONLY) != 0) {
    status = DataLoss("librpm cannot open the database");
  } else if (rpmdbMatchIterator iterator =
                 rpmtsInitIterator(transaction, RPMDBI_PACKAGES, nullptr, 0);
             iterator != nullptr) {
    while (Header header = rpmdbNextIterator(iterator)) {
      const char* name = headerGetString(header, RPMTAG_NAME);
      if (name == nullptr) continue;
      char* evr = headerGetAsString(header, RPMTAG_EVR);
      packages.push_back({name, evr ? evr : ""});
      free(evr);
    }
    rpmdbFreeIterator(iterator);
  }
  rpmtsFree(transaction);
  rpmPopMacro(nullptr, "_dbpath");
  log_errors = log.errors();
  return status;
}

}  // namespace

Status LinuxRpmProbe::Run(const SystemView& system, ScanFacts& facts) const {
  // The first directory holding a database; a symlinked /var/lib/rpm is then the same one.
  std::string directory;
  std::vector<std::string> files;
  for (const auto candidate : kDatabaseDirectories) {
    auto entries = system.ListDirectory(candidate);
    if (!entries.ok()) {
      if (entries.status().code() == StatusCode::kNotFound) continue;
      return entries.status();
    }
    for (const auto file : kDatabaseFiles) {
      for (const auto& entry : *entries) {
        if (!entry.is_directory && entry.name == file) files.emplace_back(file);
      }
    }
    if (!files.empty()) {
      directory = candidate;
      break;
    }
  }
  // No rpm database: a dpkg-only system, nothing failed.
  if (files.empty()) return Status::Ok();

  auto copy = TemporaryDirectory::Create();
  if (!copy.ok()) return copy.status();
  for (const auto& file : files) {
    const std::string source = directory + "/" + file;
    auto bytes = system.ReadFile(source, kMaxDatabaseBytes);
    if (!bytes.ok()) return bytes.status();
    std::ofstream out(copy->path() + "/" + file, std::ios::binary);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    if (!out.flush()) {
      return Unavailable(fmt::format("cannot copy {} to a temporary directory", source));
    }
  }

  std::vector<RpmPackage> packages;
  std::vector<std::string> log_errors;
  Status status;
  if (files.front() == "rpmdb.sqlite") {
    if (const Status readable = CheckSqliteDatabase(copy->path()); !readable.ok()) {
      log_errors.push_back(readable.message());
    }
  }
  if (log_errors.empty()) status = ListPackages(copy->path(), packages, log_errors);
  // The copy's path means nothing to the reader of a report: name the scanned database.
  auto located = [&](std::string message) {
    for (auto at = message.find(copy->path()); at != std::string::npos;
         at = message.find(copy->path(), at + 1)) {
      message.replace(at, copy->path().size(), directory);
    }
    return message;
  };
  if (!log_errors.empty()) {
    facts.errors.push_back(
        {std::string(name()),
         located(fmt::format("the rpm database in {} is damaged ({}); {} package(s) could still be "
                             "read",
                             directory, fmt::join(log_errors, "; "), packages.size()))});
  }
  for (const auto& package : packages) {
    const PackageSignature* signature = FindLinuxPackage(package.name);
    if (signature == nullptr) continue;
    Evidence evidence;
    evidence.product = signature->product;
    evidence.service = signature->service;
    evidence.kind = EvidenceKind::kInstalled;
    evidence.source = name();
    evidence.version = package.version;
    evidence.sovereign_alternative = signature->sovereign_alternative;
    facts.evidence.push_back(std::move(evidence));
  }
  if (!status.ok() && log_errors.empty()) return Status(status.code(), located(status.message()));
  return Status::Ok();
}

}  // namespace vigie::agent
