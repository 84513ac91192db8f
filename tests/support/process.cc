#include "tests/support/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

extern char** environ;

namespace duban::testing {
namespace {

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

std::string ReadAll(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) text.append(buffer, static_cast<size_t>(n));
  return text;
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Spawns `argv` with stdout and stderr going to `out_fd` and `err_fd`.
pid_t Spawn(std::vector<std::string> argv, std::vector<std::string> env, int out_fd, int err_fd,
            int in_fd = -1) {
  for (char** entry = environ; *entry != nullptr; ++entry) env.emplace_back(*entry);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (in_fd >= 0) posix_spawn_file_actions_adddup2(&actions, in_fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  std::vector<char*> args = CStrings(argv);
  std::vector<char*> envp = CStrings(env);
  pid_t pid = -1;
  int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error(std::string("posix_spawn: ") + std::strerror(error));
  return pid;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env, const std::string& input) {
  // Files, not pipes: the child may write any amount to both streams.
  char out_path[] = "/tmp/duban-out-XXXXXX";
  char err_path[] = "/tmp/duban-err-XXXXXX";
  char in_path[] = "/tmp/duban-in-XXXXXX";
  int out_fd = mkstemp(out_path);
  int err_fd = mkstemp(err_path);
  int in_fd = -1;
  if (!input.empty()) {
    in_fd = mkstemp(in_path);
    (void)!write(in_fd, input.data(), input.size());
    lseek(in_fd, 0, SEEK_SET);
    unlink(in_path);
  }
  pid_t pid = Spawn(argv, env, out_fd, err_fd, in_fd);
  if (in_fd >= 0) close(in_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult result;
  result.exit_code = ExitCode(status);
  lseek(out_fd, 0, SEEK_SET);
  lseek(err_fd, 0, SEEK_SET);
  result.out = ReadAll(out_fd);
  result.err = ReadAll(err_fd);
  close(out_fd);
  close(err_fd);
  unlink(out_path);
  unlink(err_path);
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::vector<std::string>& env, Stream captured) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  int null_fd = open("/dev/null", O_WRONLY);
  pid_ = captured == kStdout ? Spawn(argv, env, pipe_fds[1], null_fd)
                             : Spawn(argv, env, null_fd, pipe_fds[1]);
  close(pipe_fds[1]);
  close(null_fd);
  fd_ = pipe_fds[0];
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    Wait();
  }
  if (fd_ >= 0) close(fd_);
}

bool ChildProcess::ReadUntil(const std::string& marker, int times) {
  char buffer[1024];
  // Where the `times`-th marker is, or npos.
  const auto find = [&] {
    size_t at = std::string::npos;
    for (int seen = 0; seen < times; ++seen) {
      at = output_.find(marker, at == std::string::npos ? 0 : at + marker.size());
      if (at == std::string::npos) break;
    }
    return at;
  };
  size_t at;
  while ((at = find()) == std::string::npos || output_.find('\n', at) == std::string::npos) {
    ssize_t n = read(fd_, buffer, sizeof(buffer));
    if (n <= 0) return false;
    output_.append(buffer, static_cast<size_t>(n));
  }
  return true;
}

void ChildProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

int ChildProcess::Wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  output_ += ReadAll(fd_);
  return ExitCode(status);
}

std::vector<std::string> DubandProcess::Argv(const std::string& binary, const std::string& data_dir,
                                             std::vector<std::string> extra_flags) {
  std::vector<std::string> argv = {binary, "--listen", "127.0.0.1:0", "--data", data_dir};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  return argv;
}

DubandProcess::DubandProcess(const std::string& binary, const std::string& data_dir,
                             std::vector<std::string> extra_flags)
    : process_(Argv(binary, data_dir, std::move(extra_flags)), {}, ChildProcess::kStderr) {
  if (!process_.ReadUntil("listening on ")) {
    throw std::runtime_error("duband exited before listening: " + process_.output());
  }
  const std::string& log = process_.output();
  const size_t start = log.find("listening on ") + std::strlen("listening on ");
  address_ = log.substr(start, log.find(' ', start) - start);
}

}  // namespace duban::testing
