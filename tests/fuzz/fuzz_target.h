#pragma once

// A fuzz target is written once, as a function of the input bytes, and built two ways:
// - in the fuzz preset (clang, -DVIGIE_LIBFUZZER), as libFuzzer's LLVMFuzzerTestOneInput;
// - in the default and asan presets, registered by name in vigie_fuzz_replay, which runs the
//   saved crashes of tests/fuzz/regressions/<target>/ and the seed corpora through the same code
//   with the normal compiler, so a fixed crash stays fixed without clang.
//
// A target must not fail on any input: only a crash, a sanitizer report or a hang is a finding.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigie::fuzz {

using TargetFunction = void (*)(std::string_view data);

// The replay driver's table; returns true so that it can initialise a static.
bool RegisterTarget(std::string_view name, TargetFunction function);

}  // namespace vigie::fuzz

#ifdef VIGIE_LIBFUZZER
#define VIGIE_FUZZ_TARGET(name)                                                       \
  static void VigieFuzzTarget(std::string_view data);                                 \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    VigieFuzzTarget(std::string_view(reinterpret_cast<const char*>(data), size));     \
    return 0;                                                                         \
  }                                                                                   \
  static void VigieFuzzTarget(std::string_view data)
#else
#define VIGIE_FUZZ_TARGET(name)                                     \
  static void VigieFuzzTarget(std::string_view data);               \
  [[maybe_unused]] static const bool vigie_fuzz_registered_##name = \
      ::vigie::fuzz::RegisterTarget(#name, &VigieFuzzTarget);       \
  static void VigieFuzzTarget(std::string_view data)
#endif
