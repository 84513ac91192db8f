#include "tests/bench/load/duband_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

extern char** environ;

namespace duban::load {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The value of `field` ("VmHWM") in /proc/PID/status, in bytes.
int64_t StatusBytes(pid_t pid, absl::string_view field) {
  std::istringstream status(ReadFile(absl::StrCat("/proc/", pid, "/status")));
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, field) || !absl::ConsumePrefix(&rest, ":")) continue;
    rest = absl::StripAsciiWhitespace(rest);
    absl::ConsumeSuffix(&rest, " kB");
    int64_t kilobytes = 0;
    if (absl::SimpleAtoi(rest, &kilobytes)) return kilobytes * 1024;
  }
  return -1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<DubandProcess>> DubandProcess::Start(
    const std::string& binary, const std::string& data_dir,
    const std::vector<std::string>& extra_flags) {
  std::unique_ptr<DubandProcess> server(new DubandProcess());
  server->log_path_ = data_dir + ".log";
  std::vector<std::string> argv = {binary, "--dev", "--listen=127.0.0.1:0",
                                   absl::StrCat("--data=", data_dir)};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);

  const int log_fd = open(server->log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (log_fd < 0) return absl::InternalError(absl::StrCat("cannot write ", server->log_path_));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, log_fd, STDERR_FILENO);
  const absl::Time spawned = absl::Now();
  const int error = posix_spawn(&server->pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(log_fd);
  if (error != 0) {
    server->pid_ = -1;
    return absl::InternalError(absl::StrCat("cannot start ", binary, ": ", std::strerror(error)));
  }
  // The log is a file, so poll it; a millisecond is fine against seconds.
  const std::string kMarker = "listening on ";
  // With --dev the HTTP gateway is on unless --http_listen=off; its line
  // follows the "listening on" line.
  const bool http = std::find(extra_flags.begin(), extra_flags.end(), "--http_listen=off") ==
                    extra_flags.end();
  const std::string kHttpMarker = R"("http_address":")";
  while (true) {
    const std::string log = ReadFile(server->log_path_);
    const size_t at = log.find(kMarker);
    const size_t http_at = log.find(kHttpMarker);
    if (at != std::string::npos && log.find('\n', at) != std::string::npos &&
        (!http || (http_at != std::string::npos && log.find('\n', http_at) != std::string::npos))) {
      if (http) {
        const size_t start = http_at + kHttpMarker.size();
        server->http_address_ = log.substr(start, log.find('"', start) - start);
      }
      server->startup_time_ = absl::Now() - spawned;
      const size_t start = at + kMarker.size();
      // Plain or JSON log line: the address is host:port up to the next
      // character that cannot be part of one.
      const size_t end = log.find_first_not_of(
          "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.:[]-", start);
      server->address_ = log.substr(start, end - start);
      return server;
    }
    int status = 0;
    if (waitpid(server->pid_, &status, WNOHANG) == server->pid_) {
      server->pid_ = -1;
      return absl::InternalError(absl::StrCat("duband exited before listening: ", log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

DubandProcess::~DubandProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

int64_t DubandProcess::PeakRssBytes() const { return StatusBytes(pid_, "VmHWM"); }
int64_t DubandProcess::RssBytes() const { return StatusBytes(pid_, "VmRSS"); }

absl::Status DubandProcess::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat("duband did not exit cleanly (wait status ", status, "); its log: ", log_path_));
}

}  // namespace duban::load
