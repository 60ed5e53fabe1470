#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

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

// The collector's SQLite database (docs/architecture.md, "Collector store"): every report as
// received (history) and the latest state of each host, kept apart so that summaries read only
// the latter. One connection, serialized by a mutex; every write is one transaction.
class Store {
 public:
  enum class Mode { kCreate, kExisting };

  static Result<Store> Open(const std::string& path, Mode mode = Mode::kCreate);

  Store(Store&& other) noexcept : db_(std::move(other.db_)) {}
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores a validated report and its verdict, and makes it the host's latest state unless the
  // host already has a newer scan (reports may arrive out of order after an outage). `payload` is
  // the report as received, kept verbatim. Idempotent by report id.
  Result<IngestOutcome> Ingest(const InventoryReport& report, std::string_view payload,
                               const Verdict& verdict, Timestamp received);

  // Host counts per ministry and verdict, from the latest state of each host.
  Result<std::vector<MinistryCounts>> CountHostsByMinistry();

  Result<std::int64_t> CountReports();

 private:
  explicit Store(sqlite::Database db) : db_(std::move(db)) {}

  std::mutex mutex_;
  sqlite::Database db_;
};

}  // namespace vigie::collector
