// A property list, XML or binary, through libplist and Vigie's reader into the value tree the
// macOS probes read.

#include "agent/plist/plist.h"

#include "tests/fuzz/fuzz_target.h"

namespace {

void Walk(const vigie::agent::plist::Value& value) {
  (void)value.AsBoolean();
  (void)value.AsInteger();
  if (const auto* array = value.AsArray()) {
    for (const auto& item : *array) Walk(item);
  }
  if (const auto* dictionary = value.AsDictionary()) {
    for (const auto& [key, item] : *dictionary) {
      (void)value.Find(key);
      (void)value.StringAt(key);
      Walk(item);
    }
  }
}

}  // namespace

VIGIE_FUZZ_TARGET(plist) {
  const auto value = vigie::agent::plist::Parse(data);
  if (value.ok()) Walk(*value);
}
