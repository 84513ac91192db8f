// How long the crash tests run and the seed of their randomness, from the
// environment:
//
//   DUBAN_CRASH_KILLS=200        kills of duband in crash_test (default 20)
//   DUBAN_POWER_LOSS_RUNS=200    runs of power_loss_test (default 20)
//   DUBAN_CRASH_SEED=12345       the seed a failed run printed: the same random
//                                choices again (thread timing still varies)
//
//   const uint64_t seed = CrashSeed();
//   SCOPED_TRACE(SeedNote(seed));   // every failure then names the seed
#ifndef DUBAN_TESTS_CRASH_CRASH_OPTIONS_H_
#define DUBAN_TESTS_CRASH_CRASH_OPTIONS_H_

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

namespace duban::testing {

// The positive integer in environment variable `name`, else `fallback`.
inline int EnvCount(const char* name, int fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr) return fallback;
  const long value = std::strtol(text, nullptr, 10);
  return value > 0 ? static_cast<int>(value) : fallback;
}

// DUBAN_CRASH_SEED if set, else a fresh random seed.
inline uint64_t CrashSeed() {
  if (const char* text = std::getenv("DUBAN_CRASH_SEED"); text != nullptr) {
    return std::strtoull(text, nullptr, 10);
  }
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

inline std::string SeedNote(uint64_t seed) {
  return "seed " + std::to_string(seed) + " (replay with DUBAN_CRASH_SEED=" +
         std::to_string(seed) + ")";
}

}  // namespace duban::testing

#endif  // DUBAN_TESTS_CRASH_CRASH_OPTIONS_H_
