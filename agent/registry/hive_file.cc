#include "agent/registry/hive_file.h"

#include <fmt/format.h>
#include <hivex.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace vigie::agent::registry {
namespace {

char FoldChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool LessIgnoringCase(const std::string& a, const std::string& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return FoldChar(x) < FoldChar(y); });
}

// Hivex hands out malloc'd memory.
struct FreeDeleter {
  void operator()(void* pointer) const { std::free(pointer); }
};
template <typename T>
using Malloced = std::unique_ptr<T, FreeDeleter>;

}  // namespace

Result<std::unique_ptr<HiveFile>> HiveFile::Open(int fd, std::string name) {
  // Hivex opens by name; the descriptor's own entry in /proc keeps the caller's confinement of
  // the path (a fixture's symlinks cannot lead out of it) and reads the very file it opened.
  const std::string path = fmt::format("/proc/self/fd/{}", fd);
  errno = 0;
  hive_h* hive = hivex_open(path.c_str(), 0);
  if (hive == nullptr) {
    const int error = errno;
    return DataLoss(fmt::format("{} is not a readable registry hive ({})", name,
                                error != 0 ? std::strerror(error) : "unknown error"));
  }
  return std::unique_ptr<HiveFile>(new HiveFile(hive, std::move(name)));
}

HiveFile::~HiveFile() { hivex_close(hive_); }

Status HiveFile::Damaged(std::string_view what, int error) const {
  return DataLoss(fmt::format("{}: {} ({}): the hive is damaged", name_, what,
                              error != 0 ? std::strerror(error) : "unknown error"));
}

Result<std::size_t> HiveFile::FindNode(std::string_view key) const {
  errno = 0;
  hive_node_h node = hivex_root(hive_);
  if (node == 0) return Damaged("no root key", errno);
  std::string_view rest = key;
  while (!rest.empty()) {
    const std::size_t separator = std::min(rest.find('\\'), rest.size());
    const std::string component(rest.substr(0, separator));
    rest.remove_prefix(std::min(separator + 1, rest.size()));
    if (component.empty()) continue;
    errno = 0;
    const hive_node_h child = hivex_node_get_child(hive_, node, component.c_str());
    if (child == 0) {
      if (errno != 0)
        return Damaged(fmt::format("cannot read the subkeys leading to {}", key), errno);
      return NotFound(fmt::format("{}: key {} does not exist", name_, key));
    }
    node = child;
  }
  return node;
}

Result<std::vector<std::string>> HiveFile::ListSubkeys(std::string_view key) const {
  auto node = FindNode(key);
  if (!node.ok()) return node.status();
  errno = 0;
  Malloced<hive_node_h> children(hivex_node_children(hive_, *node));
  if (!children) return Damaged(fmt::format("cannot list the subkeys of {}", key), errno);
  std::vector<std::string> names;
  for (const hive_node_h* child = children.get(); *child != 0; ++child) {
    errno = 0;
    Malloced<char> child_name(hivex_node_name(hive_, *child));
    if (!child_name) return Damaged(fmt::format("cannot read a subkey name of {}", key), errno);
    names.emplace_back(child_name.get());
  }
  std::sort(names.begin(), names.end(), LessIgnoringCase);
  return names;
}

Result<Value> HiveFile::ReadValue(std::string_view key, std::string_view name) const {
  auto node = FindNode(key);
  if (!node.ok()) return node.status();
  errno = 0;
  const std::string wanted(name);
  const hive_value_h handle = hivex_node_get_value(hive_, *node, wanted.c_str());
  if (handle == 0) {
    if (errno != 0) return Damaged(fmt::format("cannot read the values of {}", key), errno);
    return NotFound(fmt::format("{}: key {} has no value {}", name_, key,
                                name.empty() ? std::string_view("(default)") : name));
  }
  hive_type type{};
  std::size_t size = 0;
  errno = 0;
  Malloced<char> data(hivex_value_value(hive_, handle, &type, &size));
  if (!data && size != 0) {
    return Damaged(fmt::format("cannot read value {} of {}", name, key), errno);
  }
  Value value;
  value.name = wanted;
  value.type = static_cast<ValueType>(type);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.get());
  if (bytes != nullptr) value.data.assign(bytes, bytes + size);
  return value;
}

}  // namespace vigie::agent::registry
