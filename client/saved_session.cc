#include "client/saved_session.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/text_file.h"

namespace duban::cli {
namespace {

absl::Status Errno(absl::string_view what, absl::string_view path) {
  return absl::FailedPreconditionError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::StatusOr<std::string> ConfigDirectory() {
  if (const char* config = std::getenv("XDG_CONFIG_HOME"); config != nullptr && *config != '\0') {
    return absl::StrCat(config, "/duban");
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return absl::StrCat(home, "/.config/duban");
  }
  return absl::FailedPreconditionError(
      "neither XDG_CONFIG_HOME nor HOME is set: nowhere to keep the session");
}

}  // namespace

absl::StatusOr<std::string> SavedSessionPath() {
  absl::StatusOr<std::string> directory = ConfigDirectory();
  if (!directory.ok()) return directory.status();
  return absl::StrCat(*directory, "/session");
}

absl::Status SaveSession(const SavedSession& session) {
  absl::StatusOr<std::string> directory = ConfigDirectory();
  if (!directory.ok()) return directory.status();
  // The parent (~/.config) may be missing too.
  const std::string parent = directory->substr(0, directory->rfind('/'));
  if (mkdir(parent.c_str(), 0700) != 0 && errno != EEXIST) return Errno("create", parent);
  if (mkdir(directory->c_str(), 0700) != 0 && errno != EEXIST) return Errno("create", *directory);
  const std::string path = absl::StrCat(*directory, "/session");
  const std::string temporary = absl::StrCat(path, ".new");
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("write", temporary);
  const std::string content = absl::StrCat(session.token, "\n", session.principal, "\n",
                                           session.session, "\n", session.server, "\n");
  const bool written = write(fd, content.data(), content.size()) ==
                           static_cast<ssize_t>(content.size()) &&
                       fchmod(fd, 0600) == 0 && fsync(fd) == 0;
  close(fd);
  if (!written || rename(temporary.c_str(), path.c_str()) != 0) {
    unlink(temporary.c_str());
    return Errno("write", path);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<SavedSession>> ReadSavedSession() {
  absl::StatusOr<std::string> path = SavedSessionPath();
  if (!path.ok()) return std::nullopt;
  struct stat info;
  if (stat(path->c_str(), &info) != 0) return std::nullopt;
  if ((info.st_mode & 077) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        *path, " may be read by others: remove it and log in again (duban login)"));
  }
  absl::StatusOr<std::string> content = ReadTextFile(*path);
  if (!content.ok()) return content.status();
  std::vector<std::string> lines = absl::StrSplit(*content, '\n');
  if (lines.size() < 4 || lines[0].size() != 64) {
    return absl::InvalidArgumentError(
        absl::StrCat(*path, " is damaged: remove it and log in again (duban login)"));
  }
  return SavedSession{
      .token = lines[0], .principal = lines[1], .session = lines[2], .server = lines[3]};
}

absl::Status ForgetSession() {
  absl::StatusOr<std::string> path = SavedSessionPath();
  if (!path.ok()) return path.status();
  if (unlink(path->c_str()) != 0 && errno != ENOENT) return Errno("remove", *path);
  return absl::OkStatus();
}

}  // namespace duban::cli
