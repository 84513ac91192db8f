// Running the real binaries from tests.
//
//   DubandProcess server(data_dir);                 // starts duband --dev on 127.0.0.1:0
//   CommandResult result = RunCommand({cli, "--server", server.address(), "ticket", "list"});
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

// Runs `argv` to completion with `env` added to the environment; collects
// its stdout and stderr.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {});

// A duband child process on 127.0.0.1:0. The constructor returns once the
// server has logged the address it listens on (read from its stderr, so no
// polling or sleeping).
class DubandProcess {
 public:
  DubandProcess(const std::string& binary, const std::string& data_dir,
                std::vector<std::string> extra_flags = {"--dev"});
  ~DubandProcess();
  DubandProcess(const DubandProcess&) = delete;
  DubandProcess& operator=(const DubandProcess&) = delete;

  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }
  void Signal(int signal);
  // Waits for the process to end; its exit code, or 128 + signal.
  int Wait();
  // Everything the server wrote to stderr so far, including after Wait.
  const std::string& log() const { return log_; }

 private:
  void ReadUntil(const std::string& marker);

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string log_;
  std::string address_;
};

}  // namespace duban::testing

#endif  // DUBAN_TESTS_SUPPORT_PROCESS_H_
