#include "agent/plist/plist.h"

#include <plist/plist.h>

#include <cstdlib>
#include <limits>
#include <memory>

namespace vigie::agent::plist {
namespace {

// Seconds between the Unix epoch and libplist's date epoch, 2001-01-01 (Apple's).
constexpr std::int64_t kAppleEpochOffset = 978307200;

struct PlistDeleter {
  void operator()(void* node) const { plist_free(static_cast<plist_t>(node)); }
};
struct FreeDeleter {
  void operator()(void* memory) const { std::free(memory); }
};
using OwnedString = std::unique_ptr<char, FreeDeleter>;

// Nesting deeper than this is refused rather than recursed into: preferences are shallow, and a
// crafted file must not exhaust the stack.
constexpr int kMaxDepth = 64;

Result<Value> Convert(plist_t node, int depth) {
  if (depth > kMaxDepth) return InvalidArgument("property list nested too deeply");
  switch (plist_get_node_type(node)) {
    case PLIST_BOOLEAN: {
      std::uint8_t value = 0;
      plist_get_bool_val(node, &value);
      return Value(value != 0);
    }
    case PLIST_UINT: {
      std::uint64_t value = 0;
      plist_get_uint_val(node, &value);
      return Value(value);
    }
    case PLIST_REAL: {
      double value = 0;
      plist_get_real_val(node, &value);
      return Value(value);
    }
    case PLIST_STRING: {
      // Not plist_get_string_val: it asserts that the string holds no NUL, which a damaged or
      // hostile binary plist can break, and Debian's libplist keeps its assertions (found by the
      // plist fuzz target, tests/fuzz/regressions/plist).
      std::uint64_t length = 0;
      const char* text = plist_get_string_ptr(node, &length);
      return Value(text ? std::string(text, length) : std::string());
    }
    case PLIST_KEY: {
      char* raw = nullptr;
      plist_get_key_val(node, &raw);
      const OwnedString text(raw);
      return Value(std::string(text ? text.get() : ""));
    }
    case PLIST_DATE: {
      std::int32_t seconds = 0;
      std::int32_t microseconds = 0;
      plist_get_date_val(node, &seconds, &microseconds);
      return Value(Value::Date{kAppleEpochOffset + seconds});
    }
    case PLIST_DATA: {
      char* raw = nullptr;
      std::uint64_t length = 0;
      plist_get_data_val(node, &raw, &length);
      const OwnedString bytes(raw);
      return Value(Value::Data{std::string(bytes ? bytes.get() : "", bytes ? length : 0)});
    }
    case PLIST_UID: {
      std::uint64_t value = 0;
      plist_get_uid_val(node, &value);
      return Value(Value::Uid{value});
    }
    case PLIST_ARRAY: {
      Array items;
      const std::uint32_t size = plist_array_get_size(node);
      items.reserve(size);
      for (std::uint32_t i = 0; i < size; ++i) {
        auto item = Convert(plist_array_get_item(node, i), depth + 1);
        if (!item.ok()) return item.status();
        items.push_back(std::move(item).value());
      }
      return Value(std::move(items));
    }
    case PLIST_DICT: {
      Dictionary entries;
      plist_dict_iter raw_iterator = nullptr;
      plist_dict_new_iter(node, &raw_iterator);
      const std::unique_ptr<void, FreeDeleter> iterator(raw_iterator);
      while (true) {
        char* raw_key = nullptr;
        plist_t child = nullptr;
        plist_dict_next_item(node, raw_iterator, &raw_key, &child);
        const OwnedString key(raw_key);
        if (!child) break;
        auto value = Convert(child, depth + 1);
        if (!value.ok()) return value.status();
        entries.insert_or_assign(std::string(key ? key.get() : ""), std::move(value).value());
      }
      return Value(std::move(entries));
    }
    case PLIST_NONE:
      break;
  }
  return InvalidArgument("property list holds a value of an unknown type");
}

}  // namespace

std::optional<bool> Value::AsBoolean() const {
  if (const bool* value = std::get_if<bool>(&value_)) return *value;
  return std::nullopt;
}

std::optional<std::uint64_t> Value::AsInteger() const {
  if (const std::uint64_t* value = std::get_if<std::uint64_t>(&value_)) return *value;
  return std::nullopt;
}

const Value* Value::Find(std::string_view key) const {
  const Dictionary* dictionary = AsDictionary();
  if (!dictionary) return nullptr;
  const auto entry = dictionary->find(key);
  return entry == dictionary->end() ? nullptr : &entry->second;
}

std::optional<std::string> Value::StringAt(std::string_view key) const {
  const Value* value = Find(key);
  if (!value || !value->AsString()) return std::nullopt;
  return *value->AsString();
}

Result<Value> Parse(std::string_view bytes) {
  if (bytes.size() > std::numeric_limits<std::uint32_t>::max()) {
    return InvalidArgument("property list larger than 4 GiB");
  }
  const bool binary = plist_is_binary(bytes.data(), static_cast<std::uint32_t>(bytes.size())) != 0;
  plist_t raw = nullptr;
  if (binary) {
    plist_from_bin(bytes.data(), static_cast<std::uint32_t>(bytes.size()), &raw);
  } else if (bytes.find("<plist") != std::string_view::npos) {
    plist_from_xml(bytes.data(), static_cast<std::uint32_t>(bytes.size()), &raw);
  } else {
    return InvalidArgument("not a property list (neither binary bplist00 nor XML <plist>)");
  }
  const std::unique_ptr<void, PlistDeleter> root(raw);
  if (!root) {
    return InvalidArgument(binary ? "damaged binary property list" : "damaged XML property list");
  }
  if (binary) {
    // A binary dictionary key holding a NUL aborts the agent in libplist's plist_get_key_val
    // (its assertion, kept by Debian), and libplist offers no other way to read a key. Its XML
    // writer copes, and leaves the NUL in its output (found by the plist fuzz target,
    // tests/fuzz/regressions/plist/key-with-nul.bplist).
    char* xml = nullptr;
    std::uint32_t length = 0;
    plist_to_xml(raw, &xml, &length);
    const OwnedString owned_xml(xml);
    if (xml && std::string_view(xml, length).find('\0') != std::string_view::npos) {
      return InvalidArgument("binary property list holding a NUL character in a key or a string");
    }
  }
  return Convert(raw, 0);
}

}  // namespace vigie::agent::plist
