// Running the real binaries from tests.
//
//   DubandProcess server(duband, data_dir);       // duband --dev on 127.0.0.1:0
//   CommandResult result = RunCommand({cli, "--server", server.address(), "ticket", "list"});
//   ChildProcess watch({cli, ..., "events", "watch"}, {}, ChildProcess::kStdout);
//   watch.ReadUntil("REFERRAL");                  // blocks on the pipe; no sleeping
//   server.Signal(SIGTERM);
//   EXPECT_EQ(server.Wait(), 0);
#ifndef DUBAN_TESTS_SUPPORT_PROCESS_H_
#define DUBAN_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace duban::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` to completion with `env` added to the environment and, when
// `input` is not empty, `input` as its stdin; collects its stdout and
// stderr.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {},
                         const std::string& input = "");

// A child process whose stdout or stderr the test reads as it comes. The
// other stream goes to /dev/null. Killed (SIGKILL) if still running when
// destroyed.
class ChildProcess {
 public:
  enum Stream { kStdout, kStderr };

  ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
               Stream captured);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Reads until `marker` has appeared `times` times and the line holding
  // the last is complete. Returns false if the stream ends first.
  bool ReadUntil(const std::string& marker, int times = 1);
  void Signal(int signal);
  // Waits for the process to end; its exit code, or 128 + signal.
  int Wait();
  // Everything read from the stream so far (all of it after Wait).
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string output_;
};

// A duband child process on 127.0.0.1:0. The constructor returns once the
// server has logged the address it listens on.
class DubandProcess {
 public:
  DubandProcess(const std::string& binary, const std::string& data_dir,
                std::vector<std::string> extra_flags = {"--dev"});

  const std::string& address() const { return address_; }
  void Signal(int signal) { process_.Signal(signal); }
  int Wait() { return process_.Wait(); }
  // Reads the server's log until `marker` has appeared `times` times
  // (ChildProcess::ReadUntil).
  bool WaitForLog(const std::string& marker, int times = 1) {
    return process_.ReadUntil(marker, times);
  }
  // Everything the server wrote to stderr so far.
  const std::string& log() const { return process_.output(); }

 private:
  static std::vector<std::string> Argv(const std::string& binary, const std::string& data_dir,
                                       std::vector<std::string> extra_flags);
  ChildProcess process_;
  std::string address_;
};

}  // namespace duban::testing

#endif  // DUBAN_TESTS_SUPPORT_PROCESS_H_
