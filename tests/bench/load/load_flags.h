// The command-line flags of duban-load, shared by its subcommands
// (main.cc defines them; each *_command.cc reads the ones it needs).
#ifndef DUBAN_TESTS_BENCH_LOAD_LOAD_FLAGS_H_
#define DUBAN_TESTS_BENCH_LOAD_LOAD_FLAGS_H_

#include <cstdint>
#include <string>

#include "absl/flags/declare.h"
#include "absl/time/time.h"
#include "base/byte_size.h"

ABSL_DECLARE_FLAG(std::string, server);
ABSL_DECLARE_FLAG(std::string, token);
ABSL_DECLARE_FLAG(std::string, workload);
ABSL_DECLARE_FLAG(int, concurrency);
ABSL_DECLARE_FLAG(int, channels);
ABSL_DECLARE_FLAG(absl::Duration, duration);
ABSL_DECLARE_FLAG(double, rate);
ABSL_DECLARE_FLAG(bool, baseline);
ABSL_DECLARE_FLAG(std::string, work_dir);
ABSL_DECLARE_FLAG(bool, keep);
ABSL_DECLARE_FLAG(std::string, duband);
ABSL_DECLARE_FLAG(int, max_threads);
ABSL_DECLARE_FLAG(int, rounds);
ABSL_DECLARE_FLAG(std::string, data);
ABSL_DECLARE_FLAG(std::string, small_data);
ABSL_DECLARE_FLAG(int64_t, tickets);
ABSL_DECLARE_FLAG(int64_t, due);
ABSL_DECLARE_FLAG(int64_t, this_year);
ABSL_DECLARE_FLAG(bool, compact);
ABSL_DECLARE_FLAG(std::string, list_filter);
ABSL_DECLARE_FLAG(std::string, threads_list);
ABSL_DECLARE_FLAG(std::string, concurrency_list);
ABSL_DECLARE_FLAG(bool, fire);
ABSL_DECLARE_FLAG(duban::ByteSize, budget);
ABSL_DECLARE_FLAG(absl::Duration, sample_every);
ABSL_DECLARE_FLAG(absl::Duration, warmup);
ABSL_DECLARE_FLAG(double, max_growth);
ABSL_DECLARE_FLAG(int, pool);
ABSL_DECLARE_FLAG(std::string, admin_token);

#endif  // DUBAN_TESTS_BENCH_LOAD_LOAD_FLAGS_H_
