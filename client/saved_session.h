// SavedSession: the login session `duban login` keeps for later commands,
// in $XDG_CONFIG_HOME/duban/session (else ~/.config/duban/session), a file
// only its owner may read (0600, in a 0700 directory).
//
//   RETURN_IF_ERROR(SaveSession({.token = token, ..., .server = "127.0.0.1:7420"}));
//   ASSIGN_OR_RETURN(std::optional<SavedSession> saved, ReadSavedSession());
#ifndef DUBAN_CLIENT_SAVED_SESSION_H_
#define DUBAN_CLIENT_SAVED_SESSION_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace duban::cli {

struct SavedSession {
  std::string token;
  // `principals/{id}` and `sessions/{id}`, to show who is logged in.
  std::string principal;
  std::string session;
  // The server that issued it: the session is sent to no other.
  std::string server;
};

// The file's path; FAILED_PRECONDITION when neither XDG_CONFIG_HOME nor HOME
// is set.
absl::StatusOr<std::string> SavedSessionPath();
// Writes the file (replacing it) with mode 0600.
absl::Status SaveSession(const SavedSession& session);
// nullopt when there is no saved session; INVALID_ARGUMENT when the file is
// damaged or others may read it.
absl::StatusOr<std::optional<SavedSession>> ReadSavedSession();
// Removes the file; OK when there was none.
absl::Status ForgetSession();

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_SAVED_SESSION_H_
