#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "collector/host_evaluator.h"
#include "collector/store.h"
#include "common/status.h"

namespace vigie::collector {

// The one thread that writes reports into the collector's database (docs/architecture.md,
// "Ingest"). gRPC threads authenticate and validate a report, then Submit it; the writer takes
// whatever is queued (up to a batch), evaluates and stores it in one transaction with its own
// connection, commits durably, and only then calls each report's `done`: an acknowledgement
// always means the report is on disk. The queue is bounded in reports and in bytes, so memory
// stays bounded whatever arrives: past the bound, Submit refuses and the agent is told when to
// come back.
//
// Thread-safety: Submit may be called from any thread; `done` runs on the writer thread.
class IngestWriter {
 public:
  struct Options {
    // Reports committed in one transaction at most.
    std::size_t max_batch = 512;
    // Queue bounds; a report that would go past either is refused.
    std::size_t max_queued_reports = 4096;
    std::size_t max_queued_bytes = std::size_t{64} << 20;
    // The delay suggested to agents when the store cannot write (disk full, read-only).
    std::chrono::seconds retry_after_failure{5};
  };
  using Clock = std::function<Timestamp()>;
  // The report's outcome: stored, a duplicate, or why it was not stored (UNAVAILABLE for a
  // storage failure: the agent keeps it and retries).
  using Done = std::function<void(Result<IngestOutcome> outcome)>;

  // Opens its own connection to `database`, which the Store has created, and starts the thread.
  // The policy and organisation `rules` points to must outlive the writer.
  static Result<std::unique_ptr<IngestWriter>> Start(const std::string& database,
                                                     const JudgingRules& rules, Clock clock,
                                                     Options options);
  static Result<std::unique_ptr<IngestWriter>> Start(const std::string& database,
                                                     const JudgingRules& rules, Clock clock) {
    return Start(database, rules, std::move(clock), Options{});
  }

  IngestWriter(const IngestWriter&) = delete;
  IngestWriter& operator=(const IngestWriter&) = delete;
  // Writes what is queued, then stops.
  ~IngestWriter();

  // Queues a validated report. Returns nullopt when it is queued (`done` will be called once),
  // or, when the queue is full, the number of seconds the agent should wait before sending it
  // again (`done` is not called).
  std::optional<std::chrono::seconds> Submit(PendingReport report, Done done);

  // The delay to suggest after a storage failure.
  std::chrono::seconds retry_after_failure() const { return options_.retry_after_failure; }

 private:
  struct Entry {
    PendingReport report;
    Done done;
  };

  IngestWriter(Store store, const JudgingRules& rules, Clock clock, Options options);
  void Loop();
  // How long a refused agent should wait: the time to write what is queued, at the rate the
  // writer has been committing.
  std::chrono::seconds RetryAfterLocked() const;

  Store store_;
  JudgingRules rules_;
  Clock clock_;
  Options options_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Entry> queue_;
  std::size_t queued_bytes_ = 0;
  double reports_per_second_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vigie::collector
