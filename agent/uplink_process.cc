#include "agent/uplink_process.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "agent/child_process.h"
#include "agent/uplink_answer.h"

namespace vigie::agent {
namespace {

constexpr char kUplinkName[] = "vigie-agent-uplink";
constexpr char kTokenVariable[] = "VIGIE_UPLINK_TOKEN=";

bool IsExecutableFile(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

Result<std::string> FindUplinkExecutable() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    return FailedPrecondition("impossible de situer vigie-agent (/proc/self/exe : " +
                              error.message() + ") pour y trouver " + kUplinkName);
  }
  const std::string beside = (self.parent_path() / kUplinkName).string();
  const std::string packaged =
      (self.parent_path().parent_path() / "lib/vigie" / kUplinkName).string();
  for (const std::string& candidate : {beside, packaged}) {
    if (IsExecutableFile(candidate)) return candidate;
  }
  return FailedPrecondition("programme d'envoi " + std::string(kUplinkName) +
                            " introuvable ou non exécutable (cherché : " + beside + ", " +
                            packaged + ") : réinstallez le paquet vigie-agent");
}

UplinkProcess::UplinkProcess(Settings settings)
    : settings_(std::move(settings)),
      silent_backoff_(settings_.retry.initial, settings_.retry.max),
      random_(std::random_device{}()) {}

std::vector<std::string> UplinkProcess::CommonArguments() const {
  const UplinkOptions& uplink = settings_.uplink;
  std::vector<std::string> args = {
      "--state-dir", settings_.state_dir, "--log-target", settings_.log_target,
      "--log-level", settings_.log_level, "--timeout",    std::to_string(uplink.timeout.count())};
  const std::pair<const char*, const std::string*> files[] = {
      {"--collector", &uplink.collector},       {"--ca", &uplink.ca_file},
      {"--tls-cert", &uplink.client_cert_file}, {"--tls-key", &uplink.client_key_file},
      {"--host-id", &settings_.host.host_id},   {"--hostname", &settings_.host.hostname},
      {"--os-name", &settings_.host.os_name}};
  for (const auto& [flag, value] : files) {
    if (!value->empty()) args.insert(args.end(), {flag, *value});
  }
  if (uplink.insecure) args.push_back("--insecure");
  return args;
}

Result<std::string> UplinkProcess::Run(const std::string& command,
                                       const std::vector<std::string>& extra,
                                       const std::string& input) {
  auto path = FindUplinkExecutable();
  if (!path.ok()) return path.status();
  std::vector<std::string> argv = {*path};
  const auto common = CommonArguments();
  argv.insert(argv.end(), common.begin(), common.end());
  argv.push_back(command);
  argv.insert(argv.end(), extra.begin(), extra.end());
  // The token this uplink needs, and no other.
  auto ran = RunChild(argv, {std::string(kTokenVariable) + settings_.token}, input,
                      [this] { return cancelled_.load(); });
  if (!ran.ok()) return ran.status();
  if (ran->signal != 0) {
    return Unavailable(*path + " s'est arrêté sur le signal " + std::to_string(ran->signal) +
                       " sans répondre ; les rapports non acquittés restent dans le spool");
  }
  return ran->out;
}

Status UplinkProcess::Enroll() {
  auto answer = Run("enroll", {}, "");
  if (!answer.ok()) return answer.status();
  return EnrollmentAnswer(*answer);
}

DeliveryOutcome UplinkProcess::Deliver(const std::optional<SpooledReport>& unspooled) {
  std::vector<std::string> extra = {
      "--retry-initial",     std::to_string(settings_.retry.initial.count()),
      "--retry-max",         std::to_string(settings_.retry.max.count()),
      "--spool-max-reports", std::to_string(settings_.limits.max_reports),
      "--spool-max-bytes",   std::to_string(settings_.limits.max_bytes)};
  if (unspooled) extra.insert(extra.end(), {"--unspooled-id", unspooled->report_id});
  auto answer = Run("deliver", extra, unspooled ? unspooled->payload : std::string());
  Result<DeliveryOutcome> outcome =
      answer.ok() ? DeliveryAnswer(*answer) : Result<DeliveryOutcome>(answer.status());
  if (outcome.ok()) {
    silent_backoff_.Reset();
    return *outcome;
  }
  DeliveryOutcome failed;
  failed.failure = outcome.status();
  failed.retry_in = silent_backoff_.Next(random_);
  if (cancelled_) return failed;
  spdlog::error("cannot deliver reports: {}; next try in {} s", failed.failure.message(),
                (failed.retry_in->count() + 999) / 1000);
  return failed;
}

void UplinkProcess::Cancel() { cancelled_ = true; }

}  // namespace vigie::agent
