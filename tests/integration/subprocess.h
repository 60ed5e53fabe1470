#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

namespace vigie::testing {

struct Completed {
  int exit_code = -1;  // -1 when killed by a signal or timed out.
  std::string out;
  std::string err;
};

// A child process with its stdout and stderr captured through pipes.
class Subprocess {
 public:
  explicit Subprocess(const std::vector<std::string>& argv) {
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out_pipe[1], STDOUT_FILENO);
      ::dup2(err_pipe[1], STDERR_FILENO);
      std::vector<char*> args;
      for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
  }
  ~Subprocess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
  }
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Reads stdout until a line containing `marker` arrives; returns that line, or "" on timeout
  // or end of output.
  std::string WaitForLine(const std::string& marker, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      for (std::size_t start = 0, end; (end = out_.find('\n', start)) != std::string::npos;
           start = end + 1) {
        const std::string line = out_.substr(start, end - start);
        if (line.find(marker) != std::string::npos) return line;
      }
      if (!Pump(std::chrono::duration_cast<std::chrono::milliseconds>(
              deadline - std::chrono::steady_clock::now()))) {
        return "";
      }
    }
    return "";
  }

  void Signal(int signal) { ::kill(pid_, signal); }
  pid_t pid() const { return pid_; }

  // Waits for the exit, reading the rest of the output; kills the child after `timeout`.
  Completed Wait(std::chrono::seconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline &&
           Pump(std::chrono::duration_cast<std::chrono::milliseconds>(
               deadline - std::chrono::steady_clock::now()))) {
    }
    Completed result;
    int status = 0;
    pid_t done = 0;
    while ((done = ::waitpid(pid_, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() < deadline) {
      ::usleep(10000);
    }
    if (done == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    } else if (WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    }
    reaped_ = true;
    result.out = out_;
    result.err = err_;
    return result;
  }

 private:
  // Reads what is available on either pipe; false once both are closed or on timeout.
  bool Pump(std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    if (out_fd_ < 0 && err_fd_ < 0) return false;
    const int ready = ::poll(fds, 2, static_cast<int>(std::max<long>(timeout.count(), 0)));
    if (ready <= 0) return false;
    for (auto [fd, buffer] : {std::pair{&out_fd_, &out_}, std::pair{&err_fd_, &err_}}) {
      const pollfd& entry = *fd == fds[0].fd ? fds[0] : fds[1];
      if (*fd < 0 || !(entry.revents & (POLLIN | POLLHUP))) continue;
      char chunk[4096];
      const ssize_t got = ::read(*fd, chunk, sizeof(chunk));
      if (got <= 0) {
        ::close(*fd);
        *fd = -1;
      } else {
        buffer->append(chunk, static_cast<std::size_t>(got));
      }
    }
    return out_fd_ >= 0 || err_fd_ >= 0;
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
  std::string out_;
  std::string err_;
};

inline Completed RunCommand(const std::vector<std::string>& argv) {
  return Subprocess(argv).Wait();
}

}  // namespace vigie::testing
