// duban login|logout, duban principal set-password, duban session
// list|revoke, duban audit events --security
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <ostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/input.h"
#include "client/output.h"
#include "client/pages.h"
#include "client/saved_session.h"
#include "duban/v1/auth.pb.h"

namespace duban::cli {
namespace {

constexpr FlagKind kValue = FlagKind::kValue;
constexpr FlagKind kSwitch = FlagKind::kSwitch;

// One line from stdin; on a terminal after `prompt`, without echo when
// `secret`.
std::string ReadLine(Session& session, absl::string_view prompt, bool secret) {
  const bool terminal = isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    session.err() << prompt << std::flush;
    if (secret && tcgetattr(STDIN_FILENO, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
  }
  std::string line;
  std::getline(std::cin, line);
  if (terminal && secret) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    session.err() << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string SecurityEventLabel(v1::SecurityEventKind kind) {
  std::string name = v1::SecurityEventKind_Name(kind);
  constexpr absl::string_view kPrefix = "SECURITY_EVENT_";
  return absl::StartsWith(name, kPrefix) ? name.substr(kPrefix.size()) : name;
}

int Login(Session& session, const Args& args) {
  if (args.positionals().size() > 1) {
    return session.Usage(absl::InvalidArgumentError("expects at most one principal id"));
  }
  v1::LoginRequest request;
  request.set_principal(args.positionals().empty() ? ReadLine(session, "principal: ", false)
                                                   : args.positionals().front());
  request.set_principal(PrincipalNameArg(request.principal()));
  request.set_password(ReadLine(session, "password: ", true));
  v1::LoginResponse response;
  auto context = session.NewContext();
  grpc::Status status = session.auth().Login(context.get(), request, &response);
  if (!status.ok()) return session.Fail(status);
  absl::Status saved = SaveSession({.token = response.token(),
                                    .principal = response.session().principal(),
                                    .session = response.session().name(),
                                    .server = session.server()});
  if (!saved.ok()) {
    session.err() << "logged in, but the session could not be kept: " << saved.message() << "\n";
    return kExitRpcError;
  }
  if (session.format() == OutputFormat::kJson) {
    PrintJson(session.out(), response.session());
    return kExitOk;
  }
  absl::StatusOr<std::string> path = SavedSessionPath();
  session.out() << "logged in as " << ShortName(response.session().principal()) << " ("
                << response.session().name() << ", until "
                << FormatTime(response.session().expire_time(), session.zone())
                << " at the latest); session kept in " << path.value_or("?") << "\n";
  return kExitOk;
}

int Logout(Session& session, const Args& args) {
  if (!args.positionals().empty()) {
    return session.Usage(absl::InvalidArgumentError(
        absl::StrCat("unexpected argument ", args.positionals().front())));
  }
  absl::StatusOr<std::optional<SavedSession>> saved = ReadSavedSession();
  if (!saved.ok()) return session.Usage(saved.status());
  if (!*saved) {
    session.err() << "not logged in: there is no saved session\n";
    return kExitRpcError;
  }
  if ((*saved)->server != session.server()) {
    session.err() << "the saved session is with " << (*saved)->server
                  << ": log out with --server " << (*saved)->server << "\n";
    return kExitUsage;
  }
  v1::LogoutResponse response;
  // The saved session's token, whatever --token says.
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + (*saved)->token);
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  grpc::Status status = session.auth().Logout(context.get(), v1::LogoutRequest(), &response);
  // An ended or expired session is logged out all the same.
  if (!status.ok() && status.error_code() != grpc::StatusCode::UNAUTHENTICATED) {
    return session.Fail(status);
  }
  if (absl::Status forgotten = ForgetSession(); !forgotten.ok()) {
    session.err() << forgotten.message() << "\n";
    return kExitRpcError;
  }
  session.out() << "logged out " << ShortName((*saved)->principal) << "\n";
  return kExitOk;
}

int SetPassword(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "principal id");
  if (!id.ok()) return session.Usage(id.status());
  v1::SetPasswordRequest request;
  request.set_principal(PrincipalNameArg(*id));
  if (args.Has("old")) request.set_old_password(ReadLine(session, "current password: ", true));
  request.set_password(ReadLine(session, "new password: ", true));
  if (isatty(STDIN_FILENO) == 1 &&
      ReadLine(session, "new password again: ", true) != request.password()) {
    session.err() << "the two new passwords differ: nothing changed\n";
    return kExitUsage;
  }
  v1::SetPasswordResponse response;
  auto context = session.NewContext();
  grpc::Status status = session.auth().SetPassword(context.get(), request, &response);
  if (!status.ok()) return session.Fail(status);
  session.out() << "password of " << *id << " set; " << response.revoked_sessions()
                << " session(s) ended\n";
  return kExitOk;
}

int ListSessions(Session& session, const Args& args) {
  if (!args.positionals().empty()) {
    return session.Usage(absl::InvalidArgumentError(
        absl::StrCat("unexpected argument ", args.positionals().front())));
  }
  v1::ListSessionsRequest request;
  if (args.Has("principal")) request.set_principal(PrincipalNameArg(args.Get("principal")));
  request.set_page_size(500);
  v1::ListSessionsResponse all;
  grpc::Status status = CollectPages(session, session.auth(), &v1::AuthService::Stub::ListSessions,
                                     request, /*every_page=*/true, &all);
  if (!status.ok()) return session.Fail(status);
  if (session.format() == OutputFormat::kJson) {
    PrintJson(session.out(), all);
    return kExitOk;
  }
  Table table({"SESSION", "PRINCIPAL", "SINCE", "LAST USE", "ENDS", "FROM"});
  for (const v1::Session& live : all.sessions()) {
    const google::protobuf::Timestamp& ends =
        live.idle_expire_time().seconds() < live.expire_time().seconds()
            ? live.idle_expire_time()
            : live.expire_time();
    table.AddRow({ShortName(live.name()), ShortName(live.principal()),
                  FormatTime(live.create_time(), session.zone()),
                  FormatTime(live.last_use_time(), session.zone()),
                  FormatTime(ends, session.zone()), live.client_address()});
  }
  table.Print(session.out(), session.format());
  return kExitOk;
}

int RevokeSession(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "session id");
  if (!id.ok()) return session.Usage(id.status());
  v1::RevokeSessionRequest request;
  request.set_name(absl::StartsWith(*id, "sessions/") ? *id : absl::StrCat("sessions/", *id));
  v1::RevokeSessionResponse response;
  auto context = session.NewContext();
  grpc::Status status = session.auth().RevokeSession(context.get(), request, &response);
  if (!status.ok()) return session.Fail(status);
  session.out() << request.name() << " ended\n";
  return kExitOk;
}

int SecurityEvents(Session& session, const Args& args) {
  if (!args.positionals().empty()) {
    return session.Usage(absl::InvalidArgumentError(
        absl::StrCat("unexpected argument ", args.positionals().front())));
  }
  if (!args.Has("security")) {
    return session.Usage(absl::InvalidArgumentError(
        "--security is the kind of event listed here (a ticket's events: duban ticket "
        "events ID; every change's place in the chain: duban audit verify)"));
  }
  v1::ListSecurityEventsRequest request;
  if (args.Has("principal")) request.set_principal(PrincipalNameArg(args.Get("principal")));
  absl::StatusOr<int> limit =
      args.Has("limit") ? IntArg(args.Get("limit"), 1, 10000, "--limit") : absl::StatusOr<int>(50);
  if (!limit.ok()) return session.Usage(limit.status());
  request.set_page_size(*limit);
  v1::ListSecurityEventsResponse page;
  auto context = session.NewContext();
  grpc::Status status = session.auth().ListSecurityEvents(context.get(), request, &page);
  if (!status.ok()) return session.Fail(status);
  if (session.format() == OutputFormat::kJson) {
    PrintJson(session.out(), page);
    return kExitOk;
  }
  Table table({"TIME", "EVENT", "PRINCIPAL", "BY", "FROM", "SESSION", "DETAIL"});
  for (const v1::SecurityEvent& event : page.events()) {
    table.AddRow({FormatTime(event.time(), session.zone()), SecurityEventLabel(event.kind()),
                  ShortName(event.principal()), ShortName(event.actor()), event.client_address(),
                  ShortName(event.session()), event.detail()});
  }
  table.Print(session.out(), session.format());
  return kExitOk;
}

}  // namespace

std::vector<Command> AuthCommands() {
  return {
      {"login", "", "[PRINCIPAL]",
       "log in with a password (prompted; read from stdin when it is not a terminal); the "
       "session is kept in ~/.config/duban/session (0600) and used when --token is not given",
       {}, Login},
      {"logout", "", "", "end the saved session and forget it", {}, Logout},
      {"principal", "set-password", "ID [--old]",
       "set a password (prompted): ADMIN sets anyone's; your own with --old, giving the current "
       "one. Ends the principal's sessions",
       {{"old", kSwitch}}, SetPassword},
      {"session", "list", "[--principal ID]", "live login sessions (ADMIN)",
       {{"principal", kValue}}, ListSessions},
      {"session", "revoke", "ID", "end a login session (ADMIN)", {}, RevokeSession},
      {"audit", "events", "--security [--principal ID] [--limit N]",
       "security events, newest first: logins, failures, lockouts, logouts, password changes, "
       "revocations",
       {{"security", kSwitch}, {"principal", kValue}, {"limit", kValue}}, SecurityEvents},
  };
}

}  // namespace duban::cli
