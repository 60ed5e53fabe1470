// vigie-agent-uplink: the agent's only process that links gRPC and TLS. `vigie-agent` runs it
// for each enrollment and each delivery of its spool, so that the service waiting between scans
// maps none of those libraries (docs/architecture.md, "Agent processes"). It prints one JSON
// answer on stdout for the process that ran it; its logs go where that process's go.
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>

#include "agent/agent_logging.h"
#include "agent/agent_state.h"
#include "agent/enrollment.h"
#include "agent/in_process_deliverer.h"
#include "agent/spool.h"
#include "agent/uplink_answer.h"
#include "common/logging.h"
#include "common/version.h"

namespace vigie::agent {
namespace {

// The enrollment token comes in the environment, never on the command line, which every user
// of the workstation can read in the process list.
constexpr char kTokenVariable[] = "VIGIE_UPLINK_TOKEN";

// Runs `work` while a thread waits for SIGTERM or SIGINT and cancels it, so that a stopping
// service does not wait for a collector's timeout.
template <typename Work>
auto CancellableOnSignal(Deliverer& deliverer, Work work) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread watcher([&deliverer, signals] {
    int received = 0;
    ::sigwait(&signals, &received);
    if (received != SIGUSR1) deliverer.Cancel();
  });
  auto result = work();
  // SIGUSR1 ends the watcher when no stop signal came.
  ::pthread_kill(watcher.native_handle(), SIGUSR1);
  watcher.join();
  return result;
}

}  // namespace
}  // namespace vigie::agent

int main(int argc, char** argv) {
  using namespace vigie;
  using namespace vigie::agent;

  CLI::App app{
      "Vigie agent's uplink: enrollment and delivery of the spool over gRPC, run by vigie-agent",
      "vigie-agent-uplink"};
  app.set_version_flag("--version", std::string("vigie-agent-uplink ") + kVersion);
  app.require_subcommand(1);
  std::string log_level = "warn";
  std::string log_target = "console";
  std::string state_dir = kDefaultStateDir;
  UplinkOptions uplink;
  int timeout_seconds = 30;
  HostIdentity host;
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")
      ->capture_default_str();
  app.add_option("--log-target", log_target,
                 "console (errors on stderr, for commands), auto, journald, stderr or a file path")
      ->capture_default_str();
  app.add_option("--state-dir", state_dir, "The agent's state directory")->capture_default_str();
  app.add_option("--collector", uplink.collector,
                 "Collector gRPC address, HOST:PORT (default: the one enrolled with)");
  app.add_option("--ca", uplink.ca_file, "PEM CA the collector's certificate must chain to");
  app.add_option("--tls-cert", uplink.client_cert_file, "PEM client certificate (mutual TLS)");
  app.add_option("--tls-key", uplink.client_key_file, "PEM private key of --tls-cert");
  app.add_flag("--insecure", uplink.insecure, "Plain-text gRPC");
  app.add_option("--timeout", timeout_seconds, "Seconds to wait for the collector")
      ->capture_default_str();
  app.add_option("--host-id", host.host_id, "Host id to enroll with");
  app.add_option("--hostname", host.hostname, "Host name to enroll with");
  app.add_option("--os-name", host.os_name, "Operating system to enroll with");

  app.add_subcommand("enroll", "Enroll with the token in $VIGIE_UPLINK_TOKEN");
  auto* deliver = app.add_subcommand(
      "deliver",
      "Deliver the spool oldest first (enrolling first when not enrolled and a token is given); "
      "exit 0 when it is empty, 2 when reports wait, 1 on an error");
  RetrySettings retry;
  std::int64_t retry_initial = 30;
  std::int64_t retry_max = 3600;
  Spool::Limits limits;
  std::string unspooled_id;
  deliver->add_option("--retry-initial", retry_initial, "First wait after a failure, seconds")
      ->capture_default_str();
  deliver->add_option("--retry-max", retry_max, "Longest wait between tries, seconds")
      ->capture_default_str();
  deliver->add_option("--spool-max-reports", limits.max_reports, "Spool bound, reports")
      ->capture_default_str();
  deliver->add_option("--spool-max-bytes", limits.max_bytes, "Spool bound, bytes")
      ->capture_default_str();
  deliver->add_option("--unspooled-id", unspooled_id,
                      "Deliver first the report with this id read from stdin (one the spool "
                      "could not keep)");
  CLI11_PARSE(app, argc, argv);

  const Status logging = log_target == "console" ? SetupLogging(LogStyle::kConsole, log_level)
                                                 : SetupServiceLogging(log_target, log_level);
  if (!logging.ok()) {
    std::fprintf(stderr, "vigie-agent-uplink: error: %s\n", logging.message().c_str());
    return 1;
  }
  uplink.timeout = std::chrono::seconds(timeout_seconds);
  retry.initial = std::chrono::seconds(retry_initial);
  retry.max = std::chrono::seconds(retry_max);
  const char* token = std::getenv(kTokenVariable);
  const AgentState state(state_dir);

  if (!deliver->parsed()) {
    // Not cancellable: a stop signal ends the process, and the call's deadline bounds it.
    const Status enrolled = [&]() -> Status {
      if (token == nullptr || *token == '\0') {
        return InvalidArgument(std::string("no enrollment token in $") + kTokenVariable);
      }
      auto identity = Enroll(token, host, uplink);
      if (!identity.ok()) return identity.status();
      return state.SaveIdentity(*identity);
    }();
    std::cout << AnswerJson(enrolled) << "\n";
    return enrolled.ok() ? 0 : 1;
  }
  auto spool = Spool::Open(state.dir() + "/spool.db", limits);
  if (!spool.ok()) {
    DeliveryOutcome failed;
    failed.failure = spool.status();
    std::cout << AnswerJson(failed) << "\n";
    return 1;
  }
  InProcessDeliverer deliverer(state, **spool, uplink, retry, token ? token : "", host);
  std::optional<SpooledReport> unspooled;
  if (!unspooled_id.empty()) {
    unspooled = SpooledReport{unspooled_id, std::string(std::istreambuf_iterator<char>(std::cin),
                                                        std::istreambuf_iterator<char>())};
  }
  const DeliveryOutcome outcome =
      CancellableOnSignal(deliverer, [&] { return deliverer.Deliver(unspooled); });
  std::cout << AnswerJson(outcome) << "\n";
  if (outcome.retry_in) return 2;
  return outcome.refused > 0 ? 1 : 0;
}
