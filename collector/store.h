#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collector/host_facts.h"
#include "common/dates.h"
#include "common/doctrine/engine.h"
#include "common/ministries.h"
#include "common/model.h"
#include "common/sqlite.h"
#include "common/status.h"

namespace vigie::collector {

struct IngestOutcome {
  // The report id was already stored: nothing was written.
  bool duplicate = false;
  // The verdict stored with the report (the earlier one for a duplicate).
  Verdict verdict;
};

// Host counts of one ministry, indexed by VerdictStatus.
struct MinistryCounts {
  std::string ministry;
  std::array<std::int64_t, 6> hosts_by_verdict{};
  std::int64_t hosts = 0;
};

// How many hosts of a ministry have one fact.
struct FactCount {
  std::string ministry;
  FactKind kind;
  std::string key;
  std::int64_t hosts = 0;
};

// A derogation as the register keeps it: who recorded it, and whether it was revoked.
struct DerogationRecord {
  std::int64_t id = 0;
  doctrine::Derogation derogation;
  Timestamp recorded_at;
  std::string recorded_by;
  std::optional<Timestamp> revoked_at;
  std::string revoked_by;
};

// Where a host sits.
struct Placement {
  std::string ministry;
  std::string org_unit;
};

// A host as an operator names it.
struct HostRef {
  std::string host_key;
  std::string hostname;
  Placement placement;
};

// Host counts of one org unit (the hosts placed directly in it), indexed by VerdictStatus.
struct UnitCounts {
  std::string org_unit;  // '' for hosts not placed in any unit.
  std::array<std::int64_t, 6> hosts_by_verdict{};
};

// One day of a ministry's or an org unit's trend, indexed by VerdictStatus.
struct SnapshotDay {
  Date day;
  std::array<std::int64_t, 6> hosts_by_verdict{};
};

// The store's schema migrations, for other connections to the same database (users, dashboard).
std::span<const std::string_view> StoreMigrations();

// Computes a host's verdict from its latest report, its ministry's derogations, when the
// collector last heard from it and the org unit it sits in.
using HostEvaluator = std::function<Verdict(const InventoryReport& report,
                                            const std::vector<doctrine::Derogation>& derogations,
                                            Timestamp last_seen, const std::string& org_unit)>;

// A validated report waiting for the ingest writer (collector/ingest_writer.h).
struct PendingReport {
  InventoryReport report;
  // The report as received, stored verbatim.
  std::string payload;
  // When the collector received it (its clock).
  Timestamp received;
  // The org unit of the agent's enrollment, where a new host is placed.
  std::string enrolled_org_unit;
};

// The collector's SQLite database (docs/architecture.md, "Collector store"): every report as
// received (history) and the latest state of each host, kept apart so that summaries read only
// the latter. One connection, serialized by a mutex; every write is one transaction.
// A host as the hosts sheet of a report lists it.
struct ListedHost {
  std::string ministry;
  std::string hostname;
  std::string org_unit;  // Id; empty when the host is in no unit.
  std::string os_name;
  VerdictStatus verdict = VerdictStatus::kUnspecified;
  Timestamp last_seen;
};

class Store {
 public:
  // kReadOnly: a second connection for readers (the dashboard) that never takes the write lock.
  enum class Mode { kCreate, kExisting, kReadOnly };

  static Result<Store> Open(const std::string& path, Mode mode = Mode::kCreate);

  Store(Store&& other) noexcept : db_(std::move(other.db_)) {}
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores a validated report and its verdict, and makes it the host's latest state unless the
  // host already has a newer scan (reports may arrive out of order after an outage). `payload` is
  // the report as received, kept verbatim. Idempotent by report id. A new host, or one that
  // changed ministry or was never placed, goes to `org_unit` (its enrollment's); otherwise it
  // stays where it was put.
  Result<IngestOutcome> Ingest(const InventoryReport& report, std::string_view payload,
                               const Verdict& verdict, Timestamp received,
                               std::string_view org_unit = {});

  // Stores a batch of reports in one transaction (group commit: one disk sync for all of them),
  // evaluating each with `evaluate`, the ministry's derogations and where the host sits, as it is
  // just before that report. Each report is idempotent by report id, within the batch as across
  // batches, and is its own savepoint: one that fails leaves the others stored. The outer result
  // fails, and nothing is stored, when the transaction cannot begin or commit (disk full,
  // read-only database...). collector/store_ingest.cc.
  Result<std::vector<Result<IngestOutcome>>> IngestBatch(std::span<const PendingReport> reports,
                                                         const HostEvaluator& evaluate);
  // FAILED_PRECONDITION when this connection cannot write (SQLite opens a file it may not write
  // read-only): `serve` refuses to start rather than refuse every report.
  Status CheckWritable();
  // Makes this connection's commits durable across a power cut (PRAGMA synchronous=FULL), not
  // only across a crash of the process: the ingest writer acknowledges only what is on disk.
  Status MakeCommitsDurable();

  // Host counts per ministry and verdict, from the latest state of each host (kept as counters:
  // the cost does not grow with the number of hosts).
  Result<std::vector<MinistryCounts>> CountHostsByMinistry();
  // Host counts per ministry and fact (services in use, Office installs, tenants, alternatives).
  Result<std::vector<FactCount>> CountFacts();
  // Hosts per ministry whose last report arrived before `seen_before`.
  Result<std::map<std::string, std::int64_t>> CountStaleHosts(Timestamp seen_before);

  Result<std::int64_t> CountReports();

  // Organisation (collector/store_organisation.cc).
  //
  // Records how the configured org-unit tree differs from the last one seen (units added,
  // moved to another parent, renamed, removed), so that the history says when each happened.
  // Returns how many changes were recorded.
  Result<std::int64_t> SyncOrgUnits(const MinistryList& ministries, Timestamp now);
  // Hosts whose key or host name is `name` (a host name may be shared).
  Result<std::vector<HostRef>> FindHosts(const std::string& name);
  // Where the host with this key sits; nullopt for a host never seen.
  Result<std::optional<Placement>> PlacementOf(const std::string& host_key);
  // Puts a host in another org unit of its ministry, recording who did it.
  Status MoveHost(const std::string& host_key, const std::string& org_unit,
                  const std::string& actor, Timestamp now);
  // Hosts of `ministry` per org unit and verdict, now.
  Result<std::vector<UnitCounts>> CountHostsByOrgUnit(const std::string& ministry);

  // History (collector/store_history.cc).
  //
  // Writes the day's snapshot of every ministry and org unit (an org unit counting the units it
  // encloses in `ministries`' tree); false when that day was already written.
  Result<bool> WriteDailySnapshot(Date day, const MinistryList& ministries);
  // The snapshots of a ministry (org_unit '') or one of its units, from `from` to `to` inclusive.
  Result<std::vector<SnapshotDay>> Trend(const std::string& ministry, const std::string& org_unit,
                                         Date from, Date to);
  // Deletes raw reports received before `received_before`, except each host's latest one (its
  // state is re-evaluated from it). Returns how many were deleted.
  Result<std::int64_t> DeleteReportsBefore(Timestamp received_before);

  // The derogation register. Every change is recorded with who made it and when.
  Result<std::int64_t> AddDerogation(const doctrine::Derogation& derogation,
                                     const std::string& actor, Timestamp now);
  // NOT_FOUND for an unknown id, FAILED_PRECONDITION when it is already revoked.
  Status RevokeDerogation(std::int64_t id, const std::string& actor, Timestamp now);
  // Every derogation, revoked ones included, of one ministry or (empty) all, by id.
  Result<std::vector<DerogationRecord>> ListDerogations(const std::string& ministry);
  // The ministry's derogations that are not revoked, whatever their dates.
  Result<std::vector<doctrine::Derogation>> DerogationsOf(const std::string& ministry);

  // Compliance reports (collector/store_reports.cc).
  //
  // Calls `each` with every host of `ministry` (empty: every ministry), by ministry and host
  // name, inside one read transaction: a consistent list, read row by row so that memory does not
  // grow with the fleet. Stops at the first error `each` returns.
  Status ForEachHost(const std::string& ministry,
                     const std::function<Status(const ListedHost&)>& each);
  // The deployment's secret named `name`, 32 random bytes as hex, created on first use and kept
  // in the database (e.g. the key of host pseudonyms in reports, stable across reports).
  Result<std::string> DeploymentKey(const std::string& name);

  // Re-evaluates the latest report of every host of `ministry` (empty: every ministry) and stores
  // the verdicts that changed, with `cause` in the history. Returns how many changed. Works in
  // batches of short transactions, so that ingest and the dashboard's writes go on meanwhile; a
  // host that reported during the pass keeps the verdict its new report got.
  Result<std::int64_t> Reevaluate(const std::string& ministry, const HostEvaluator& evaluate,
                                  Timestamp now, const std::string& cause);

 private:
  explicit Store(sqlite::Database db) : db_(std::move(db)) {}
  Result<std::vector<doctrine::Derogation>> DerogationsOfLocked(const std::string& ministry);
  // The outcome stored for a report id, as a duplicate; nullopt when it is not stored.
  Result<std::optional<IngestOutcome>> StoredOutcome(const std::string& report_id);
  // Ingest's work inside a transaction the caller holds.
  Result<IngestOutcome> IngestLocked(const InventoryReport& report, std::string_view payload,
                                     const Verdict& verdict, Timestamp received,
                                     std::string_view org_unit);
  Status ReplaceFacts(const InventoryReport& report);
  Status RecordHostMove(const std::string& host_key, Timestamp at, const Placement& from,
                        const Placement& to, const std::string& actor);
  Status RecordVerdictChange(const std::string& host_key, Timestamp at, const Verdict& verdict,
                             const std::string& cause);

  std::mutex mutex_;
  sqlite::Database db_;
};

}  // namespace vigie::collector
