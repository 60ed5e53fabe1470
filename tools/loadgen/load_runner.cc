#include "tools/loadgen/load_runner.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <queue>
#include <random>
#include <sstream>
#include <thread>

#include "vigie/v1/agent_service.grpc.pb.h"

namespace vigie::loadgen {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kAgentIdMetadata[] = "vigie-agent-id";
constexpr char kAgentSecretMetadata[] = "vigie-agent-secret";
constexpr char kRetryAfterMetadata[] = "vigie-retry-after";

std::string CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  const auto index = static_cast<std::size_t>(code);
  return index < std::size(kNames) ? kNames[index] : "CODE_" + std::to_string(index);
}

// Codes after which the same report is sent again: the collector could not take it now.
bool IsRetryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::RESOURCE_EXHAUSTED ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED || code == grpc::StatusCode::CANCELLED ||
         code == grpc::StatusCode::UNKNOWN || code == grpc::StatusCode::INTERNAL;
}

Result<std::shared_ptr<grpc::ChannelCredentials>> Credentials(const LoadOptions& options) {
  if (options.insecure) return grpc::InsecureChannelCredentials();
  std::ifstream file(options.ca_file);
  if (!file) return NotFound("cannot read the CA file " + options.ca_file);
  std::stringstream pem;
  pem << file.rdbuf();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = pem.str();
  return grpc::SslCredentials(ssl);
}

struct Spooled {
  std::shared_ptr<const v1::ReportRequest> request;
};

struct SimulatedAgent {
  std::string id;
  std::string secret;
  std::deque<Spooled> spool;
  std::uint64_t sequence = 0;
};

struct Call {
  grpc::ClientContext context;
  v1::ReportResponse response;
  std::size_t agent = 0;
  Clock::time_point started;
};

class Runner {
 public:
  Runner(const Fleet& fleet, const LoadOptions& options) : fleet_(fleet), options_(options) {}

  Status Connect() {
    auto credentials = Credentials(options_);
    if (!credentials.ok()) return credentials.status();
    for (std::size_t i = 0; i < std::max<std::size_t>(options_.channels, 1); ++i) {
      grpc::ChannelArguments arguments;
      // A distinct argument gives each channel its own connection.
      arguments.SetInt("vigie.loadgen.channel", static_cast<int>(i));
      // Reconnect quickly after the collector restarts (crash tests).
      arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
      arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
      arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
      arguments.SetMaxReceiveMessageSize(16 * 1024 * 1024);
      stubs_.push_back(v1::AgentService::NewStub(
          grpc::CreateCustomChannel(options_.collector, *credentials, arguments)));
    }
    return Status::Ok();
  }

  // Enrolls every agent, a few at a time, retrying what the collector asks to retry.
  Status Enroll() {
    agents_.resize(options_.agents);
    std::atomic<std::size_t> next{0};
    std::mutex failure_mutex;
    Status failure;
    std::vector<std::thread> workers;
    for (int w = 0; w < 8; ++w) {
      workers.emplace_back([&] {
        for (std::size_t i; (i = next++) < agents_.size();) {
          grpc::Status status;
          for (int attempt = 0; attempt < 50; ++attempt) {
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + options_.call_timeout);
            v1::EnrollRequest request;
            request.set_token(options_.token);
            *request.mutable_host() = fleet_.Host(options_.host_prefix, i);
            v1::EnrollResponse response;
            status = Stub(i).Enroll(&context, request, &response);
            if (status.ok()) {
              agents_[i].id = response.agent_id();
              agents_[i].secret = response.agent_secret();
              break;
            }
            if (!IsRetryable(status.error_code())) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
          }
          if (!status.ok()) {
            std::lock_guard lock(failure_mutex);
            failure = Unavailable("cannot enroll agent " + std::to_string(i) + ": " +
                                  CodeName(status.error_code()) + ": " + status.error_message());
            next = agents_.size();
          }
        }
      });
    }
    for (auto& worker : workers) worker.join();
    return failure;
  }

  Result<LoadResult> Run() {
    const auto start = Clock::now();
    generate_until_ = options_.storm ? start : start + options_.duration;
    if (options_.storm) {
      for (std::size_t i = 0; i < agents_.size(); ++i) {
        for (std::size_t k = 0; k < options_.spooled; ++k) {
          VIGIE_RETURN_IF_ERROR(Spool(i));
        }
      }
    }
    for (std::size_t i = 0; i < agents_.size(); ++i) ready_.push_back(i);
    const std::size_t concurrency =
        options_.storm ? agents_.size() : std::max<std::size_t>(options_.concurrency, 1);
    const auto interval = options_.rate > 0
                              ? std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(1.0 / options_.rate))
                              : Clock::duration::zero();
    auto next_send = start;
    Clock::time_point drain_deadline = Clock::time_point::max();

    std::unique_lock lock(mutex_);
    while (true) {
      const auto now = Clock::now();
      while (!waiting_.empty() && waiting_.top().first <= now) {
        ready_.push_back(waiting_.top().second);
        waiting_.pop();
      }
      const bool generating = now < generate_until_;
      if (!generating && drain_deadline == Clock::time_point::max()) {
        window_acknowledged_ = acknowledged_;
        drain_deadline = now + options_.drain_timeout;
      }
      if (in_flight_ < concurrency && !ready_.empty() && now >= next_send) {
        const std::size_t agent = ready_.front();
        ready_.pop_front();
        if (agents_[agent].spool.empty()) {
          if (!generating) continue;  // this agent has nothing left to send
          VIGIE_RETURN_IF_ERROR(Spool(agent));
        }
        Send(agent, now);
        if (interval != Clock::duration::zero()) next_send = std::max(next_send + interval, now);
        continue;
      }
      if (!generating && in_flight_ == 0 && waiting_.empty() &&
          std::all_of(ready_.begin(), ready_.end(),
                      [this](std::size_t a) { return agents_[a].spool.empty(); })) {
        break;
      }
      if (now >= drain_deadline && in_flight_ == 0) break;
      auto wake = now + std::chrono::milliseconds(20);
      if (!waiting_.empty()) wake = std::min(wake, waiting_.top().first);
      if (next_send > now) wake = std::min(wake, next_send);
      if (generating) wake = std::min(wake, generate_until_);
      changed_.wait_until(lock, wake);
    }
    const double seconds =
        std::chrono::duration<double>(options_.storm ? Clock::now() - start : options_.duration)
            .count();
    return Summarize(seconds);
  }

 private:
  v1::AgentService::Stub& Stub(std::size_t agent) { return *stubs_[agent % stubs_.size()]; }

  // Called with mutex_ held, or before the calls start.
  Status Spool(std::size_t agent) {
    auto report = fleet_.NextReport(options_.host_prefix, agent, agents_[agent].sequence++);
    if (!report.ok()) return report.status();
    auto request = std::make_shared<v1::ReportRequest>();
    *request->mutable_report() = std::move(report).value();
    agents_[agent].spool.push_back({std::move(request)});
    return Status::Ok();
  }

  // Called with mutex_ held.
  void Send(std::size_t agent, Clock::time_point now) {
    auto call = std::make_shared<Call>();
    call->agent = agent;
    call->started = now;
    call->context.set_deadline(std::chrono::system_clock::now() + options_.call_timeout);
    call->context.AddMetadata(kAgentIdMetadata, agents_[agent].id);
    call->context.AddMetadata(kAgentSecretMetadata, agents_[agent].secret);
    std::shared_ptr<const v1::ReportRequest> request = agents_[agent].spool.front().request;
    ++in_flight_;
    ++sent_;
    Stub(agent).async()->Report(
        &call->context, request.get(), &call->response,
        [this, call, request](grpc::Status status) { Complete(*call, *request, status); });
  }

  void Complete(Call& call, const v1::ReportRequest& request, const grpc::Status& status) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    --in_flight_;
    SimulatedAgent& agent = agents_[call.agent];
    if (status.ok()) {
      latencies_ms_.push_back(
          std::chrono::duration<double, std::milli>(now - call.started).count());
      ++acknowledged_;
      if (call.response.duplicate()) ++duplicates_;
      acknowledged_ids_.push_back(request.report().report_id());
      agent.spool.pop_front();
      ready_.push_back(call.agent);
    } else {
      ++errors_[CodeName(status.error_code())];
      if (!IsRetryable(status.error_code())) {
        ++refused_;
        agent.spool.pop_front();
        ready_.push_back(call.agent);
      } else {
        waiting_.push({now + RetryDelay(call.context), call.agent});
      }
    }
    changed_.notify_one();
  }

  // The collector's vigie-retry-after, spread over up to half as long again so that refused
  // agents do not all come back in the same instant; a short pause otherwise.
  Clock::duration RetryDelay(const grpc::ClientContext& context) {
    const auto& trailers = context.GetServerTrailingMetadata();
    const auto found = trailers.find(kRetryAfterMetadata);
    double seconds = 0.2;
    if (found != trailers.end()) {
      try {
        seconds = std::stod(std::string(found->second.data(), found->second.size()));
      } catch (const std::exception&) {
        seconds = 1;
      }
      seconds *= std::uniform_real_distribution<double>(1.0, 1.5)(random_);
    }
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  LoadResult Summarize(double seconds) {
    LoadResult result;
    result.agents = agents_.size();
    result.seconds = seconds;
    const std::uint64_t in_window = options_.storm ? acknowledged_ : window_acknowledged_;
    result.reports_per_second = seconds > 0 ? static_cast<double>(in_window) / seconds : 0;
    result.sent = sent_;
    result.acknowledged = acknowledged_;
    result.duplicates = duplicates_;
    result.refused = refused_;
    for (const auto& agent : agents_) result.undelivered += agent.spool.size();
    std::sort(latencies_ms_.begin(), latencies_ms_.end());
    const auto percentile = [this](double p) {
      if (latencies_ms_.empty()) return 0.0;
      const auto index =
          static_cast<std::size_t>(p * static_cast<double>(latencies_ms_.size() - 1));
      return latencies_ms_[index];
    };
    result.p50_ms = percentile(0.50);
    result.p90_ms = percentile(0.90);
    result.p99_ms = percentile(0.99);
    result.max_ms = latencies_ms_.empty() ? 0 : latencies_ms_.back();
    result.errors = errors_;
    result.acknowledged_ids = std::move(acknowledged_ids_);
    return result;
  }

  const Fleet& fleet_;
  const LoadOptions& options_;
  std::vector<std::unique_ptr<v1::AgentService::Stub>> stubs_;
  std::vector<SimulatedAgent> agents_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::size_t> ready_;
  using Due = std::pair<Clock::time_point, std::size_t>;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> waiting_;
  Clock::time_point generate_until_;
  std::size_t in_flight_ = 0;
  std::uint64_t sent_ = 0, acknowledged_ = 0, window_acknowledged_ = 0, duplicates_ = 0,
                refused_ = 0;
  std::vector<double> latencies_ms_;
  std::map<std::string, std::uint64_t> errors_;
  std::vector<std::string> acknowledged_ids_;
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace

Result<LoadResult> RunLoad(const Fleet& fleet, const LoadOptions& options) {
  Runner runner(fleet, options);
  VIGIE_RETURN_IF_ERROR(runner.Connect());
  VIGIE_RETURN_IF_ERROR(runner.Enroll());
  return runner.Run();
}

}  // namespace vigie::loadgen
