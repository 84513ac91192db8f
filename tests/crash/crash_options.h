// How long the crash tests run and the seed of their randomness, from the
// environment:
//
//   DUBAN_CRASH_KILLS=200        kills of duband in crash_test (default 20)
//   DUBAN_POWER_LOSS_RUNS=200    runs of power_loss_test (default 20)
//   DUBAN_CRASH_SEED=12345       the seed a run printed: the same random
//                                choices again (thread timing still varies)
//
//   const uint64_t seed = CrashSeed();  // printed at once
//   SCOPED_TRACE(SeedNote(seed));       // every failure then names it too
#ifndef DUBAN_TESTS_CRASH_CRASH_OPTIONS_H_
#define DUBAN_TESTS_CRASH_CRASH_OPTIONS_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "absl/strings/numbers.h"

namespace duban::testing {

// The positive integer in environment variable `name`, else `fallback`.
inline int EnvCount(const char* name, int fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr) return fallback;
  const long value = std::strtol(text, nullptr, 10);
  return value > 0 ? static_cast<int>(value) : fallback;
}

inline std::string SeedNote(uint64_t seed) {
  return "seed " + std::to_string(seed) + " (replay with DUBAN_CRASH_SEED=" +
         std::to_string(seed) + ")";
}

// DUBAN_CRASH_SEED if set, else a fresh random seed. Printed at once, so
// that a run that ends without a failure message — killed by a crash or a
// timeout — still leaves its seed in the log. A DUBAN_CRASH_SEED that is not
// a decimal number is a test failure, not quietly some other seed.
inline uint64_t CrashSeed() {
  uint64_t seed = 0;
  const char* text = std::getenv("DUBAN_CRASH_SEED");
  const bool replay = text != nullptr && absl::SimpleAtoi(text, &seed);
  if (text != nullptr && !replay) {
    ADD_FAILURE() << "DUBAN_CRASH_SEED=" << text << " is not a seed (a decimal number)";
  }
  if (!replay) {
    std::random_device device;
    seed = (static_cast<uint64_t>(device()) << 32) ^ device();
  }
  std::printf("%s %s\n", replay ? "replaying" : "fresh", SeedNote(seed).c_str());
  std::fflush(stdout);
  return seed;
}

}  // namespace duban::testing

#endif  // DUBAN_TESTS_CRASH_CRASH_OPTIONS_H_
