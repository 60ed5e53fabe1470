#pragma once

// Property lists (macOS preferences, Info.plist, licence files), XML or binary, parsed by
// Debian's libplist into a plain value tree so that probes never touch libplist's C API.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace vigie::agent::plist {

class Value;
using Array = std::vector<Value>;
using Dictionary = std::map<std::string, Value, std::less<>>;

// Dates are kept as seconds since 1970 (UTC); UIDs (keyed archives) as integers; data as bytes.
class Value {
 public:
  enum class Type { kBoolean, kInteger, kReal, kString, kDate, kData, kUid, kArray, kDictionary };

  struct Date {
    std::int64_t unix_seconds = 0;
    bool operator==(const Date&) const = default;
  };
  struct Data {
    std::string bytes;
    bool operator==(const Data&) const = default;
  };
  struct Uid {
    std::uint64_t value = 0;
    bool operator==(const Uid&) const = default;
  };

  Value() = default;
  explicit Value(bool value) : value_(value) {}
  explicit Value(std::uint64_t value) : value_(value) {}
  explicit Value(double value) : value_(value) {}
  explicit Value(std::string value) : value_(std::move(value)) {}
  // Without it a string literal would pick the bool constructor.
  explicit Value(const char* value) : value_(std::string(value)) {}
  explicit Value(Date value) : value_(value) {}
  explicit Value(Data value) : value_(std::move(value)) {}
  explicit Value(Uid value) : value_(value) {}
  explicit Value(Array value) : value_(std::move(value)) {}
  explicit Value(Dictionary value) : value_(std::move(value)) {}

  Type type() const { return static_cast<Type>(value_.index()); }

  // The value as that type, or nullptr when it is of another type.
  const std::string* AsString() const { return std::get_if<std::string>(&value_); }
  const Array* AsArray() const { return std::get_if<Array>(&value_); }
  const Dictionary* AsDictionary() const { return std::get_if<Dictionary>(&value_); }
  std::optional<bool> AsBoolean() const;
  // libplist reads every integer as 64 unsigned bits; a negative one comes back two's complement.
  std::optional<std::uint64_t> AsInteger() const;

  // Entry `key` of a dictionary; nullptr when absent or when this is not a dictionary.
  const Value* Find(std::string_view key) const;
  // Entry `key` when it is a string; nullopt otherwise.
  std::optional<std::string> StringAt(std::string_view key) const;

  bool operator==(const Value&) const = default;

 private:
  std::variant<bool, std::uint64_t, double, std::string, Date, Data, Uid, Array, Dictionary>
      value_ = false;
};

// Parses an XML ("<?xml ... <plist>") or binary ("bplist00") property list. INVALID_ARGUMENT,
// saying which format was expected, when the bytes are neither or are damaged (truncated files
// included).
Result<Value> Parse(std::string_view bytes);

}  // namespace vigie::agent::plist
