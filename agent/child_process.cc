#include "agent/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace vigie::agent {
namespace {

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

// Writes all of `data`; stops when the reader went away (EPIPE: the agent ignores SIGPIPE).
void WriteAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t wrote = ::write(fd, data.data() + done, data.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return;
    done += static_cast<std::size_t>(wrote);
  }
}

std::string NameOf(const std::string& variable) { return variable.substr(0, variable.find('=')); }

}  // namespace

Result<ChildExit> RunChild(const std::vector<std::string>& argv,
                           const std::vector<std::string>& environment, const std::string& input,
                           const std::function<bool()>& cancelled) {
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers;
  for (auto& arg : args) arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);
  std::vector<std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string name = NameOf(*entry);
    bool replaced = false;
    for (const auto& extra : environment) replaced = replaced || NameOf(extra) == name;
    if (!replaced) variables.emplace_back(*entry);
  }
  variables.insert(variables.end(), environment.begin(), environment.end());
  std::vector<char*> env_pointers;
  for (auto& variable : variables) env_pointers.push_back(variable.data());
  env_pointers.push_back(nullptr);

  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    return Unavailable(std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  Fd out_read(out_pipe[0]);
  Fd out_write(out_pipe[1]);
  int in_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) {
    return Unavailable(std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  Fd in_read(in_pipe[0]);
  Fd in_write(in_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
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
  const int spawned = ::posix_spawn(&pid, args.front().c_str(), &actions, &attributes,
                                    arg_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    return FailedPrecondition("impossible de lancer " + args.front() + " : " +
                              std::strerror(spawned));
  }
  out_write.Close();
  in_read.Close();
  WriteAll(in_write.get(), input);
  in_write.Close();

  ChildExit exit;
  bool stopped = false;
  while (true) {
    if (!stopped && cancelled && cancelled()) {
      ::kill(pid, SIGTERM);
      stopped = true;
    }
    pollfd ready = {out_read.get(), POLLIN, 0};
    const int polled = ::poll(&ready, 1, 100);
    if (polled < 0 && errno != EINTR) break;
    if (polled <= 0) continue;
    char chunk[4096];
    const ssize_t got = ::read(out_read.get(), chunk, sizeof(chunk));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    exit.out.append(chunk, static_cast<std::size_t>(got));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) exit.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) exit.signal = WTERMSIG(status);
  return exit;
}

}  // namespace vigie::agent
