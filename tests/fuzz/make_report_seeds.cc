// make_report_seeds OUT_DIR HOST_DIR...: the seed corpus of the report_ingest target, generated at
// build time: each fixture host scanned offline as `vigie-agent scan --root` would, stated for the
// ministry MI at the fuzz target's fixed time, written as the protobuf bytes an agent sends.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "agent/posix_system_view.h"
#include "agent/scanner.h"
#include "common/wire.h"

int main(int argc, char** argv) {
  using namespace std::chrono;
  if (argc < 3) {
    std::cerr << "usage: make_report_seeds OUT_DIR HOST_DIR...\n";
    return 2;
  }
  const std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out);
  const vigie::Timestamp scanned = sys_days{year{2026} / 11 / 20} + hours{11};
  vigie::agent::ProbeOptions options;
  options.pseudonym_key = "vigie-fuzz-pseudonym-key";
  options.browser_history = true;
  options.now = scanned;
  for (int i = 2; i < argc; ++i) {
    const std::filesystem::path root = argv[i];
    auto view = vigie::agent::PosixSystemView::ForRoot(root.string());
    if (!view.ok()) {
      std::cerr << root.string() << ": " << view.status().ToString() << "\n";
      return 1;
    }
    auto report =
        vigie::agent::Scan(*view, vigie::agent::ProbesFor(view->machine().os_family, options), {});
    if (!report.ok()) {
      std::cerr << root.string() << ": " << report.status().ToString() << "\n";
      return 1;
    }
    report->ministry = "MI";
    report->scan_started = scanned;
    report->scan_finished = scanned + seconds{2};
    std::ofstream file(out / (root.filename().string() + ".pb"),
                       std::ios::binary | std::ios::trunc);
    file << vigie::ToProto(*report).SerializeAsString();
    if (!file) {
      std::cerr << "cannot write " << (out / root.filename()).string() << "\n";
      return 1;
    }
  }
  return 0;
}
