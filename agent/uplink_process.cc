#include "agent/uplink_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "agent/uplink_answer.h"

extern char** environ;

namespace vigie::agent {
namespace {

constexpr char kUplinkName[] = "vigie-agent-uplink";
constexpr char kTokenVariable[] = "VIGIE_UPLINK_TOKEN=";

bool IsExecutableFile(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

// Closes a descriptor once, whatever path leaves the scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Writes all of `data`; false when the reader went away (EPIPE: SIGPIPE is ignored).
bool WriteAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t wrote = ::write(fd, data.data() + done, data.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return false;
    done += static_cast<std::size_t>(wrote);
  }
  return true;
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
  std::vector<std::string> args = {*path};
  const auto common = CommonArguments();
  args.insert(args.end(), common.begin(), common.end());
  args.push_back(command);
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // The environment, with the token this uplink needs and no other.
  std::vector<std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, kTokenVariable, std::strlen(kTokenVariable)) != 0) {
      variables.emplace_back(*entry);
    }
  }
  if (!settings_.token.empty()) variables.push_back(kTokenVariable + settings_.token);
  std::vector<char*> envp;
  for (auto& variable : variables) envp.push_back(variable.data());
  envp.push_back(nullptr);

  int out_pipe[2];
  int in_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    return Unavailable(std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  Fd out_read(out_pipe[0]);
  Fd out_write(out_pipe[1]);
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) {
    return Unavailable(std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  Fd in_read(in_pipe[0]);
  Fd in_write(in_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  // The service blocks its stop signals to wait for them on one thread; the uplink must get
  // them, with their default actions.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal : {SIGTERM, SIGINT, SIGPIPE}) sigaddset(&defaults, signal);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = -1;
  int spawned = 0;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) return Unavailable("the agent is stopping");
    spawned = ::posix_spawn(&pid, path->c_str(), &actions, &attributes, argv.data(), envp.data());
    if (spawned == 0) child_ = pid;
  }
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    return FailedPrecondition("impossible de lancer " + *path + " : " + std::strerror(spawned));
  }
  out_write.Close();
  in_read.Close();
  WriteAll(in_write.get(), input);
  in_write.Close();

  std::string answer;
  char chunk[4096];
  while (true) {
    const ssize_t got = ::read(out_read.get(), chunk, sizeof(chunk));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    answer.append(chunk, static_cast<std::size_t>(got));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  {
    std::lock_guard lock(mutex_);
    child_ = -1;
  }
  if (WIFSIGNALED(status)) {
    return Unavailable(*path + " s'est arrêté sur le signal " + std::to_string(WTERMSIG(status)) +
                       " sans répondre ; les rapports non acquittés restent dans le spool");
  }
  return answer;
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
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) return failed;
  }
  spdlog::error("cannot deliver reports: {}; next try in {} s", failed.failure.message(),
                (failed.retry_in->count() + 999) / 1000);
  return failed;
}

void UplinkProcess::Cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  if (child_ > 0) ::kill(child_, SIGTERM);
}

}  // namespace vigie::agent
