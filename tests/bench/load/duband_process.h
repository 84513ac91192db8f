// DubandProcess: a duband that duban-load starts, measures and stops.
//
//   ASSIGN_OR_RETURN(auto server, DubandProcess::Start(binary, data_dir, {"--max_threads=64"}));
//   ... drive server->address() ...
//   int64_t peak = server->PeakRssBytes();
//   RETURN_IF_ERROR(server->Stop());      // SIGTERM, then waits; error unless it exits 0
//
// The server runs with --dev --listen=127.0.0.1:0; its stderr goes to
// `<data_dir>.log`. Start returns once it has logged "listening on" and
// where its HTTP gateway is, with the time that took (process start to
// serving). Not thread-safe.
#ifndef DUBAN_TESTS_BENCH_LOAD_DUBAND_PROCESS_H_
#define DUBAN_TESTS_BENCH_LOAD_DUBAND_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace duban::load {

class DubandProcess {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<DubandProcess>> Start(
      const std::string& binary, const std::string& data_dir,
      const std::vector<std::string>& extra_flags);

  DubandProcess(const DubandProcess&) = delete;
  DubandProcess& operator=(const DubandProcess&) = delete;
  // Kills (SIGKILL) a server that was not stopped.
  ~DubandProcess();

  const std::string& address() const { return address_; }
  // host:port of the HTTP gateway; "" when it serves none.
  const std::string& http_address() const { return http_address_; }
  pid_t pid() const { return pid_; }
  absl::Duration startup_time() const { return startup_time_; }
  // VmHWM and VmRSS of /proc/PID/status, in bytes; -1 if unreadable.
  int64_t PeakRssBytes() const;
  int64_t RssBytes() const;

  // SIGTERM, then waits for the exit; an error unless it exits 0.
  [[nodiscard]] absl::Status Stop();

 private:
  DubandProcess() = default;

  pid_t pid_ = -1;
  std::string address_;
  std::string http_address_;
  std::string log_path_;
  absl::Duration startup_time_;
};

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_DUBAND_PROCESS_H_
