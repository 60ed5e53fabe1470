// vigie_fuzz_replay TARGET INPUT...: runs each input through a fuzz target built with the normal
// compiler (tests/fuzz/fuzz_target.h). An INPUT is a file, a directory (its regular files, sorted)
// or @LIST, a file of comma-separated paths as libFuzzer's -seed_inputs reads it.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_target.h"

namespace vigie::fuzz {
namespace {

std::map<std::string, TargetFunction, std::less<>>& Targets() {
  static std::map<std::string, TargetFunction, std::less<>> targets;
  return targets;
}

// The files an INPUT argument names, or false (after a message) when it names nothing.
bool Expand(const std::string& argument, std::vector<std::filesystem::path>& files) {
  if (argument.starts_with('@')) {
    std::ifstream list(argument.substr(1));
    if (!list) {
      std::cerr << "vigie_fuzz_replay: cannot read the list " << argument.substr(1) << "\n";
      return false;
    }
    std::string path;
    while (std::getline(list, path, ',')) {
      path.erase(std::remove(path.begin(), path.end(), '\n'), path.end());
      if (!path.empty() && !Expand(path, files)) return false;
    }
    return true;
  }
  std::error_code error;
  if (std::filesystem::is_directory(argument, error)) {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(argument)) {
      if (entry.is_regular_file() && !entry.path().filename().string().starts_with('.')) {
        found.push_back(entry.path());
      }
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
    return true;
  }
  if (std::filesystem::is_regular_file(argument, error)) {
    files.emplace_back(argument);
    return true;
  }
  std::cerr << "vigie_fuzz_replay: no such file or directory: " << argument << "\n";
  return false;
}

int Main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: vigie_fuzz_replay TARGET INPUT...\n";
    return 2;
  }
  const auto target = Targets().find(std::string_view(argv[1]));
  if (target == Targets().end()) {
    std::cerr << "vigie_fuzz_replay: unknown target " << argv[1] << "; known:";
    for (const auto& [name, function] : Targets()) std::cerr << " " << name;
    std::cerr << "\n";
    return 2;
  }
  std::vector<std::filesystem::path> files;
  for (int i = 2; i < argc; ++i) {
    if (!Expand(argv[i], files)) return 2;
  }
  for (const auto& file : files) {
    // Named before it runs, so that the input of a crash is the last line printed.
    std::cout << "replaying " << file.string() << std::endl;
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    target->second(bytes.str());
  }
  std::cout << argv[1] << ": " << files.size() << " input(s) replayed\n";
  return 0;
}

}  // namespace

bool RegisterTarget(std::string_view name, TargetFunction function) {
  Targets().emplace(std::string(name), function);
  return true;
}

}  // namespace vigie::fuzz

int main(int argc, char** argv) { return vigie::fuzz::Main(argc, argv); }
