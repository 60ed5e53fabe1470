#include "collector/ingest_writer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace vigie::collector {
namespace {

std::size_t SizeOf(const PendingReport& report) {
  // The payload dominates; the decoded copy is about as large again.
  return 2 * report.payload.size() + sizeof(PendingReport);
}

}  // namespace

Result<std::unique_ptr<IngestWriter>> IngestWriter::Start(const std::string& database,
                                                          const JudgingRules& rules, Clock clock,
                                                          Options options) {
  auto store = Store::Open(database, Store::Mode::kExisting);
  if (!store.ok()) return store.status();
  VIGIE_RETURN_IF_ERROR(store->MakeCommitsDurable());
  return std::unique_ptr<IngestWriter>(
      new IngestWriter(std::move(store).value(), rules, std::move(clock), options));
}

IngestWriter::IngestWriter(Store store, const JudgingRules& rules, Clock clock, Options options)
    : store_(std::move(store)),
      rules_(rules),
      clock_(std::move(clock)),
      options_(options),
      thread_([this] { Loop(); }) {}

IngestWriter::~IngestWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::optional<std::chrono::seconds> IngestWriter::Submit(PendingReport report, Done done) {
  const std::size_t size = SizeOf(report);
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.max_queued_reports ||
        (!queue_.empty() && queued_bytes_ + size > options_.max_queued_bytes)) {
      return RetryAfterLocked();
    }
    queued_bytes_ += size;
    queue_.push_back({std::move(report), std::move(done)});
  }
  wake_.notify_one();
  return std::nullopt;
}

std::chrono::seconds IngestWriter::RetryAfterLocked() const {
  const double rate = std::max(reports_per_second_, 100.0);
  const double seconds = std::ceil(static_cast<double>(queue_.size()) / rate);
  return std::chrono::seconds(std::clamp(static_cast<long>(seconds), 1L, 60L));
}

void IngestWriter::Loop() {
  std::vector<PendingReport> batch;
  std::vector<Done> dones;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      // Group commit: whatever arrived while the previous batch was being written goes together.
      const std::size_t count = std::min(queue_.size(), options_.max_batch);
      for (std::size_t i = 0; i < count; ++i) {
        queued_bytes_ -= SizeOf(queue_.front().report);
        batch.push_back(std::move(queue_.front().report));
        dones.push_back(std::move(queue_.front().done));
        queue_.pop_front();
      }
    }
    const auto started = std::chrono::steady_clock::now();
    auto outcomes = store_.IngestBatch(batch, MakeHostEvaluator(rules_, Today(clock_())));
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    if (!outcomes.ok()) {
      spdlog::error("cannot store {} report(s): {}", batch.size(), outcomes.status().message());
      for (Done& done : dones) done(outcomes.status());
    } else {
      for (std::size_t i = 0; i < dones.size(); ++i) {
        if (!(*outcomes)[i].ok()) {
          spdlog::error("cannot store report {}: {}", batch[i].report.report_id,
                        (*outcomes)[i].status().message());
        }
        dones[i](std::move((*outcomes)[i]));
      }
      {
        std::lock_guard lock(mutex_);
        const double rate = static_cast<double>(batch.size()) / std::max(took.count(), 1e-6);
        reports_per_second_ =
            reports_per_second_ == 0 ? rate : 0.8 * reports_per_second_ + 0.2 * rate;
      }
    }
    batch.clear();
    dones.clear();
  }
}

}  // namespace vigie::collector
