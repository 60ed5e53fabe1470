#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/sqlite.h"
#include "common/status.h"

namespace vigie::agent {

// One report waiting for the collector's acknowledgement.
struct SpooledReport {
  std::string report_id;
  std::string payload;  // the serialized vigie.v1.InventoryReport
};

struct SpoolStats {
  std::int64_t depth = 0;  // reports waiting
  std::int64_t bytes = 0;  // their payloads' total size
  // Reports dropped (oldest first when full, or refused for good by the collector) since the
  // spool file was created.
  std::int64_t dropped = 0;
};

// The delivery schedule, kept in the spool file with the reports: each uplink process goes on
// with the previous one's backoff, and a restarted service still waits as the collector asked.
struct DeliverySchedule {
  int failures = 0;  // consecutive failed delivery attempts
  // When the collector said to come back (vigie-retry-after); none: no such request pending.
  std::optional<std::chrono::system_clock::time_point> next_attempt;
};

// The agent's store-and-forward queue: a SQLite file (WAL) in the state directory. A report is
// added before it is sent and removed only once the collector acknowledged it, so it survives
// restarts, reboots and collector outages. Bounded: adding past the limits drops the oldest
// reports and counts them. Delivery order is the order of addition; adding a report id already
// there changes nothing. Thread-safe (one connection behind a mutex).
//
// A damaged file is not fatal: it is logged, renamed `<file>.corrupt-<UTC time>` (kept for
// forensics) and replaced by an empty spool, at open or when an operation finds the damage.
class Spool {
 public:
  struct Limits {
    std::int64_t max_reports = 1000;
    std::int64_t max_bytes = std::int64_t{64} << 20;
  };

  static Result<std::unique_ptr<Spool>> Open(const std::string& path, const Limits& limits);

  // Adds a report at the end of the queue, then drops the oldest others until the limits hold
  // (the new one is always kept: it is the freshest state of the host).
  Status Add(const SpooledReport& report);
  // The oldest report, if any.
  Result<std::optional<SpooledReport>> Oldest();
  // Removes a report (acknowledged, or refused for good when `dropped`, which counts it).
  Status Remove(const std::string& report_id, bool dropped = false);
  Result<SpoolStats> Stats();
  Result<DeliverySchedule> Schedule();
  Status SetSchedule(const DeliverySchedule& schedule);

  const std::string& path() const { return path_; }

 private:
  Spool(std::string path, const Limits& limits, sqlite::Database db)
      : path_(std::move(path)), limits_(limits), db_(std::move(db)) {}

  sqlite::Database& db() { return *db_; }

  // Opens the file, or moves a damaged one aside and starts afresh.
  static Result<sqlite::Database> OpenOrReplace(const std::string& path);
  // After a failed operation: when the file turned out damaged, replaces it and returns the
  // original error annotated; otherwise returns `status` unchanged.
  Status RecoverFrom(Status status);
  // Reopens the file when an earlier replacement failed halfway.
  Status Ready();
  Status AddLocked(const SpooledReport& report);
  Status TrimLocked(const std::string& keep_id);

  std::string path_;
  Limits limits_;
  std::mutex mutex_;
  // Empty only while a damaged file is being replaced.
  std::optional<sqlite::Database> db_;
};

}  // namespace vigie::agent
