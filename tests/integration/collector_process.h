#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "integration/subprocess.h"

namespace vigie::testing {

// A real vigie-collector serving on an ephemeral loopback port.
class CollectorProcess {
 public:
  // Starts `binary serve --grpc-listen LISTEN --database DB <extra...>`; address() is
  // empty when it did not start, and error() then holds what it printed. `listen` is an
  // ephemeral port unless a test restarts a collector where agents expect it.
  CollectorProcess(const std::string& binary, const std::string& database,
                   const std::vector<std::string>& extra,
                   const std::string& listen = "127.0.0.1:0") {
    std::vector<std::string> argv = {binary,       "serve",  "--grpc-listen", listen,
                                     "--database", database, "--log-level",   "warn"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<Subprocess>(argv);
    const std::string line = process_->WaitForLine("gRPC on ", std::chrono::seconds(30));
    if (line.empty()) {
      error_ = process_->Wait(std::chrono::seconds(5)).err;
      process_.reset();
      return;
    }
    const auto start = line.find("gRPC on ") + 8;
    address_ = line.substr(start, line.find(',', start) - start);
  }

  // Stops with SIGTERM and returns how it ended.
  Completed Stop() {
    if (!process_) return {};
    process_->Signal(SIGTERM);
    Completed stopped = process_->Wait(std::chrono::seconds(20));
    process_.reset();
    return stopped;
  }

  // Kills with SIGKILL, as a crash or a power cut would.
  void Kill() {
    if (!process_) return;
    process_->Signal(SIGKILL);
    process_->Wait(std::chrono::seconds(20));
    process_.reset();
  }

  const std::string& address() const { return address_; }
  const std::string& error() const { return error_; }

 private:
  std::unique_ptr<Subprocess> process_;
  std::string address_;
  std::string error_;
};

// Creates an enrollment token for `ministry` with the real `token create` command on the
// collector's database; empty on failure.
inline std::string CreateToken(const std::string& binary, const std::string& database,
                               const std::string& ministry) {
  const Completed created =
      RunCommand({binary, "token", "create", "--database", database, "--ministry", ministry});
  EXPECT_EQ(created.exit_code, 0) << created.err;
  const auto start = created.out.find("vigie-enroll-");
  if (start == std::string::npos) return "";
  return created.out.substr(start, created.out.find('\n', start) - start);
}

}  // namespace vigie::testing
