#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "collector/host_evaluator.h"
#include "collector/store.h"
#include "collector/summary.h"
#include "common/model.h"
#include "common/sqlite.h"
#include "common/status.h"

namespace vigie::collector::http {

struct HostFilter {
  std::optional<std::string> ministry;
  std::optional<VerdictStatus> verdict;
  std::optional<ServiceCategory> service;  // In use on the host.
  std::optional<OsFamily> os;
  // Hosts placed in any of these units of `ministry` (a unit and the units it encloses).
  std::vector<std::string> org_units;
  // Part of the host name, without case; from 3 characters anywhere in the name, 1 or 2 at its
  // start.
  std::string search;
};

enum class HostSort { kHostname, kLastSeen, kVerdict };

struct HostRow {
  std::int64_t id = 0;  // The store's row id: where a page of the list starts (HostCursor).
  std::string host_key;
  std::string ministry;
  std::string hostname;
  std::string org_unit;
  OsFamily os_family = OsFamily::kUnspecified;
  std::string os_name;
  VerdictStatus verdict = VerdictStatus::kUnspecified;
  Timestamp first_seen;
  Timestamp last_seen;
};

// A page of the host list starts right after (or ends right before) the host with this row id,
// in the list's order: keyset paging, so that a page deep in a million hosts costs what the first
// one does (an OFFSET reads and drops every row before it).
struct HostCursor {
  std::int64_t host_id = 0;
  bool before = false;
};

struct HostPage {
  std::int64_t total = 0;
  std::vector<HostRow> hosts;
  bool more_before = false;  // Hosts precede the first one in the list's order.
  bool more_after = false;   // Hosts follow the last one.
};

struct VerdictChange {
  Timestamp at;
  VerdictStatus verdict = VerdictStatus::kUnspecified;
  std::string cause;
};

struct HostDetail {
  HostRow host;
  Timestamp last_scan;
  std::vector<std::string> reasons;
  InventoryReport report;              // The latest report, as the agent sent it.
  std::vector<VerdictChange> history;  // Most recent first.
};

// The dashboard's reads, on read-only connections of their own: a query never takes the write
// lock, so the dashboard cannot slow ingest down (SQLite WAL readers do not block the writer).
class FleetReader {
 public:
  static Result<FleetReader> Open(const std::string& database);

  FleetReader(FleetReader&& other) noexcept
      : store_(std::move(other.store_)), db_(std::move(other.db_)) {}

  Result<FleetSummary> Summary(const JudgingRules& rules, Timestamp now,
                               const SummaryOptions& options);
  Result<std::vector<MinistryCounts>> CountHostsByMinistry();
  // NotFound when the cursor's host is no longer stored (the page cannot be placed).
  Result<HostPage> ListHosts(const HostFilter& filter, HostSort sort, bool descending,
                             const std::optional<HostCursor>& cursor, std::int64_t limit);
  Result<std::optional<HostDetail>> FindHost(const std::string& host_key);
  Result<std::vector<DerogationRecord>> Derogations(const std::string& ministry);
  // Hosts per verdict each day of [from, to], for a ministry or one of its org units.
  Result<std::vector<SnapshotDay>> Trend(const std::string& ministry, const std::string& org_unit,
                                         Date from, Date to);
  // The number of reports ever stored (the rowid only grows).
  Result<std::int64_t> ReportsStored();

 private:
  FleetReader(Store store, sqlite::Database db) : store_(std::move(store)), db_(std::move(db)) {}

  // The number of hosts matching `filter`: from the trigger-kept counters when they answer it
  // exactly (ministry, org units, verdict; ministry, system, verdict; or ministry and service),
  // else counted.
  Result<std::int64_t> CountHostsLocked(const HostFilter& filter);

  Store store_;
  std::mutex mutex_;  // Guards db_.
  sqlite::Database db_;
};

}  // namespace vigie::collector::http
