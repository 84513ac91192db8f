// duban ticket deploy|file|get|list|history|clocks|sign|dispute|resolve-dispute|
//              report|submit|plan|review|cancel|reopen|extend|decide-extension
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands.h"
#include "client/input.h"
#include "client/pages.h"
#include "client/views.h"

namespace duban::cli {
namespace {

constexpr FlagKind kValue = FlagKind::kValue;
constexpr FlagKind kRepeated = FlagKind::kRepeated;
constexpr FlagKind kSwitch = FlagKind::kSwitch;

// Runs `call` with a fresh context and shows the ticket it returns.
template <typename Call>
int ShowTicketReply(Session& session, Call&& call) {
  v1::Ticket ticket;
  auto context = session.NewContext();
  grpc::Status status = call(context.get(), &ticket);
  if (!status.ok()) return session.Fail(status);
  ShowTicket(session, ticket);
  return kExitOk;
}

// The fields shared by every transition request: name, etag, request id.
template <typename Request>
absl::Status FillTransition(const Args& args, Request& request) {
  absl::StatusOr<std::string> id = OnePositional(args, "ticket id");
  if (!id.ok()) return id.status();
  absl::StatusOr<std::string> name = TicketNameArg(*id);
  if (!name.ok()) return name.status();
  request.set_name(*name);
  request.set_etag(args.Get("etag"));
  request.set_request_id(args.Get("request-id"));
  return absl::OkStatus();
}

std::vector<FlagSpec> TransitionFlags(std::vector<FlagSpec> more) {
  more.push_back({"etag", kValue});
  more.push_back({"request-id", kValue});
  return more;
}

// Reads `--NAME TIME` into `at` and `--NAME-in SPAN` into `in`.
absl::Status DeadlineFlags(Session& session, const Args& args, const std::string& name,
                           google::protobuf::Timestamp* at, v1::DeadlineSpan* in) {
  if (args.Has(name)) {
    absl::StatusOr<google::protobuf::Timestamp> time =
        TimeArg(args.Get(name), session.zone(), name);
    if (!time.ok()) return time.status();
    *at = *time;
  }
  const std::string span_flag = name + "-in";
  if (args.Has(span_flag)) {
    absl::StatusOr<v1::DeadlineSpan> span = SpanArg(args.Get(span_flag), span_flag);
    if (!span.ok()) return span.status();
    *in = *span;
  }
  return absl::OkStatus();
}

// Fields of a new ticket common to deploy and file.
absl::Status FillNewTicket(Session& session, const Args& args, v1::CreateTicketRequest& request) {
  v1::Ticket& ticket = *request.mutable_ticket();
  if (absl::Status due =
          DeadlineFlags(session, args, "due", ticket.mutable_due_time(), request.mutable_due_in());
      !due.ok()) {
    return due;
  }
  if (absl::Status rectify =
          DeadlineFlags(session, args, "rectify-due", ticket.mutable_rectification_due_time(),
                        request.mutable_rectification_due_in());
      !rectify.ok()) {
    return rectify;
  }
  ticket.set_inspection_unit(UnitNameArg(args.Get("inspection-unit")));
  ticket.set_title(args.Get("title"));
  ticket.set_detail(args.Get("detail"));
  ticket.set_lead_unit(UnitNameArg(args.Get("lead")));
  for (const std::string& unit : args.GetAll("coop"))
    ticket.add_cooperating_units(UnitNameArg(unit));
  ticket.set_location(UnitNameArg(args.Get("location")));
  ticket.set_indicator(IndicatorNameArg(args.Get("indicator")));
  for (const std::string& reference : args.GetAll("evidence")) ticket.add_evidence(reference);
  if (args.Has("parent")) {
    absl::StatusOr<std::string> parent = TicketNameArg(args.Get("parent"));
    if (!parent.ok()) return parent.status();
    ticket.set_parent(*parent);
  }
  if (args.Has("severity")) {
    absl::StatusOr<v1::Severity> severity =
        EnumArg<v1::Severity>(args.Get("severity"), "SEVERITY_", v1::Severity_Parse, "severity");
    if (!severity.ok()) return severity.status();
    ticket.set_severity(*severity);
  }
  if (args.Has("no-inspection")) ticket.set_requires_inspection(false);
  return absl::OkStatus();
}

const std::vector<FlagSpec> kNewTicketFlags = {
    {"title", kValue},       {"detail", kValue},         {"lead", kValue},
    {"coop", kRepeated},     {"location", kValue},       {"indicator", kValue},
    {"evidence", kRepeated}, {"parent", kValue},         {"severity", kValue},
    {"due", kValue},         {"rectify-due", kValue},    {"request-id", kValue},
    {"due-in", kValue},      {"rectify-due-in", kValue}, {"inspection-unit", kValue}};

int CreateTicket(Session& session, const Args& args, v1::TicketKind kind) {
  if (!args.positionals().empty()) {
    return session.Usage(absl::InvalidArgumentError(
        absl::StrCat("unexpected argument ", args.positionals().front())));
  }
  v1::CreateTicketRequest request;
  request.mutable_ticket()->set_kind(kind);
  request.set_request_id(args.Get("request-id"));
  if (absl::Status filled = FillNewTicket(session, args, request); !filled.ok()) {
    return session.Usage(filled);
  }
  return ShowTicketReply(session, [&](grpc::ClientContext* context, v1::Ticket* ticket) {
    return session.tickets().CreateTicket(context, request, ticket);
  });
}

int Deploy(Session& session, const Args& args) {
  return CreateTicket(session, args, v1::TICKET_KIND_TASK);
}

int File(Session& session, const Args& args) {
  return CreateTicket(session, args, v1::TICKET_KIND_FINDING);
}

int Get(Session& session, const Args& args) {
  v1::GetTicketRequest request;
  absl::StatusOr<std::string> id = OnePositional(args, "ticket id");
  if (!id.ok()) return session.Usage(id.status());
  absl::StatusOr<std::string> name = TicketNameArg(*id);
  if (!name.ok()) return session.Usage(name.status());
  request.set_name(*name);
  return ShowTicketReply(session, [&](grpc::ClientContext* context, v1::Ticket* ticket) {
    return session.tickets().GetTicket(context, request, ticket);
  });
}

// The filter text for the list flags, joined by AND.
absl::StatusOr<std::string> ListFilter(const Args& args) {
  std::vector<std::string> terms;
  if (args.Has("filter")) terms.push_back(args.Get("filter"));
  if (args.Has("unit")) terms.push_back(absl::StrCat("unit=", UnitNameArg(args.Get("unit"))));
  if (args.Has("stage")) terms.push_back(absl::StrCat("stage=", args.Get("stage")));
  if (args.Has("severity")) terms.push_back(absl::StrCat("severity=", args.Get("severity")));
  if (args.Has("indicator")) {
    terms.push_back(absl::StrCat("indicator=", IndicatorNameArg(args.Get("indicator"))));
  }
  if (args.Has("location")) {
    terms.push_back(absl::StrCat("location=", UnitNameArg(args.Get("location"))));
  }
  if (args.Has("parent")) {
    absl::StatusOr<std::string> parent = TicketNameArg(args.Get("parent"));
    if (!parent.ok()) return parent.status();
    terms.push_back(absl::StrCat("parent=", *parent));
  }
  if (args.Has("overdue")) terms.push_back("overdue=true");
  if (args.Has("card")) terms.push_back(absl::StrCat("card=", args.Get("card")));
  if (args.Has("holder")) {
    terms.push_back(absl::StrCat("holder_unit=", UnitNameArg(args.Get("holder"))));
  }
  return absl::StrJoin(terms, " AND ");
}

int List(Session& session, const Args& args) {
  v1::ListTicketsRequest request;
  absl::StatusOr<std::string> filter = ListFilter(args);
  if (!filter.ok()) return session.Usage(filter.status());
  request.set_filter(*filter);
  request.set_page_token(args.Get("page-token"));
  if (args.Has("page-size")) {
    absl::StatusOr<int> page_size = IntArg(args.Get("page-size"), 1, 1000, "page-size");
    if (!page_size.ok()) return session.Usage(page_size.status());
    request.set_page_size(*page_size);
  }
  if (args.Has("as-of")) {
    auto as_of = TimeArg(args.Get("as-of"), session.zone(), "as-of");
    if (!as_of.ok()) return session.Usage(as_of.status());
    *request.mutable_as_of_time() = *as_of;
  }
  v1::ListTicketsResponse all;
  grpc::Status status =
      CollectPages(session, session.tickets(), &v1::TicketService::Stub::ListTickets, request,
                   args.Has("all"), &all);
  if (!status.ok()) return session.Fail(status);
  ShowTickets(session, all);
  return kExitOk;
}

int Clocks(Session& session, const Args& args) {
  v1::GetTicketClocksRequest request;
  absl::StatusOr<std::string> id = OnePositional(args, "ticket id");
  if (!id.ok()) return session.Usage(id.status());
  absl::StatusOr<std::string> name = TicketNameArg(*id);
  if (!name.ok()) return session.Usage(name.status());
  request.set_name(*name);
  v1::TicketClocks clocks;
  auto context = session.NewContext();
  grpc::Status status = session.accountability().GetTicketClocks(context.get(), request, &clocks);
  if (!status.ok()) return session.Fail(status);
  ShowClocks(session, clocks);
  return kExitOk;
}

int History(Session& session, const Args& args) {
  v1::ListTicketEventsRequest request;
  absl::StatusOr<std::string> id = OnePositional(args, "ticket id");
  if (!id.ok()) return session.Usage(id.status());
  absl::StatusOr<std::string> name = TicketNameArg(*id);
  if (!name.ok()) return session.Usage(name.status());
  request.set_name(*name);
  request.set_page_size(1000);
  v1::ListTicketEventsResponse all;
  grpc::Status status =
      CollectPages(session, session.tickets(), &v1::TicketService::Stub::ListTicketEvents, request,
                   /*every_page=*/true, &all);
  if (!status.ok()) return session.Fail(status);
  ShowEvents(session, all);
  return kExitOk;
}

// Sends a transition request built by `fill` through `rpc`.
template <typename Request, typename Rpc, typename Fill>
int Transition(Session& session, const Args& args, Rpc rpc, Fill&& fill) {
  Request request;
  if (absl::Status common = FillTransition(args, request); !common.ok()) {
    return session.Usage(common);
  }
  if (absl::Status filled = fill(request); !filled.ok()) return session.Usage(filled);
  return ShowTicketReply(session, [&](grpc::ClientContext* context, v1::Ticket* ticket) {
    return (session.tickets().*rpc)(context, request, ticket);
  });
}

int Sign(Session& session, const Args& args) {
  return Transition<v1::SignTicketRequest>(session, args, &v1::TicketService::Stub::SignTicket,
                                           [&](v1::SignTicketRequest& request) {
                                             request.set_comment(args.Get("comment"));
                                             return absl::OkStatus();
                                           });
}

int Dispute(Session& session, const Args& args) {
  return Transition<v1::DisputeTicketRequest>(session, args,
                                              &v1::TicketService::Stub::DisputeTicket,
                                              [&](v1::DisputeTicketRequest& request) {
                                                request.set_reason(args.Get("reason"));
                                                return absl::OkStatus();
                                              });
}

int ResolveDispute(Session& session, const Args& args) {
  return Transition<v1::ResolveTicketDisputeRequest>(
      session, args, &v1::TicketService::Stub::ResolveTicketDispute,
      [&](v1::ResolveTicketDisputeRequest& request) {
        if (args.Has("reassign") == args.Has("overrule")) {
          return absl::InvalidArgumentError("give exactly one of --reassign UNIT or --overrule");
        }
        if (args.Has("reassign")) {
          request.set_resolution(v1::DISPUTE_RESOLUTION_REASSIGN);
          request.set_new_lead_unit(UnitNameArg(args.Get("reassign")));
        } else {
          request.set_resolution(v1::DISPUTE_RESOLUTION_OVERRULE);
        }
        request.set_comment(args.Get("comment"));
        return absl::OkStatus();
      });
}

int Report(Session& session, const Args& args) {
  return Transition<v1::ReportTicketProgressRequest>(
      session, args, &v1::TicketService::Stub::ReportTicketProgress,
      [&](v1::ReportTicketProgressRequest& request) -> absl::Status {
        request.set_comment(args.Get("comment"));
        if (args.Has("percent")) {
          absl::StatusOr<int> percent = IntArg(args.Get("percent"), 0, 100, "percent");
          if (!percent.ok()) return percent.status();
          request.set_progress_percent(*percent);
        }
        for (const std::string& reference : args.GetAll("evidence"))
          request.add_evidence(reference);
        return absl::OkStatus();
      });
}

int Submit(Session& session, const Args& args) {
  return Transition<v1::SubmitTicketRequest>(
      session, args, &v1::TicketService::Stub::SubmitTicket, [&](v1::SubmitTicketRequest& request) {
        request.set_comment(args.Get("comment"));
        for (const std::string& reference : args.GetAll("evidence"))
          request.add_evidence(reference);
        return absl::OkStatus();
      });
}

int Plan(Session& session, const Args& args) {
  return Transition<v1::FileRectificationPlanRequest>(
      session, args, &v1::TicketService::Stub::FileRectificationPlan,
      [&](v1::FileRectificationPlanRequest& request) {
        request.set_plan(args.Get("plan"));
        for (const std::string& reference : args.GetAll("evidence"))
          request.add_evidence(reference);
        return absl::OkStatus();
      });
}

int Review(Session& session, const Args& args) {
  return Transition<v1::ReviewTicketRequest>(
      session, args, &v1::TicketService::Stub::ReviewTicket,
      [&](v1::ReviewTicketRequest& request) -> absl::Status {
        if (args.Has("accept") == args.Has("reject")) {
          return absl::InvalidArgumentError("give exactly one of --accept or --reject");
        }
        request.set_verdict(args.Has("accept") ? v1::REVIEW_VERDICT_ACCEPT
                                               : v1::REVIEW_VERDICT_REJECT);
        request.set_findings(args.Get("findings"));
        return DeadlineFlags(session, args, "rectify-due", request.mutable_rectification_due_time(),
                             request.mutable_rectification_due_in());
      });
}

int Cancel(Session& session, const Args& args) {
  return Transition<v1::CancelTicketRequest>(session, args, &v1::TicketService::Stub::CancelTicket,
                                             [&](v1::CancelTicketRequest& request) {
                                               request.set_reason(args.Get("reason"));
                                               return absl::OkStatus();
                                             });
}

int Reopen(Session& session, const Args& args) {
  return Transition<v1::ReopenTicketRequest>(
      session, args, &v1::TicketService::Stub::ReopenTicket,
      [&](v1::ReopenTicketRequest& request) -> absl::Status {
        request.set_findings(args.Get("findings"));
        return DeadlineFlags(session, args, "rectify-due", request.mutable_rectification_due_time(),
                             request.mutable_rectification_due_in());
      });
}

int Extend(Session& session, const Args& args) {
  return Transition<v1::RequestExtensionRequest>(
      session, args, &v1::TicketService::Stub::RequestExtension,
      [&](v1::RequestExtensionRequest& request) -> absl::Status {
        request.set_reason(args.Get("reason"));
        return DeadlineFlags(session, args, "due", request.mutable_proposed_due_time(),
                             request.mutable_proposed_due_in());
      });
}

int DecideExtension(Session& session, const Args& args) {
  return Transition<v1::DecideExtensionRequest>(
      session, args, &v1::TicketService::Stub::DecideExtension,
      [&](v1::DecideExtensionRequest& request) -> absl::Status {
        if (args.Has("grant") == args.Has("refuse")) {
          return absl::InvalidArgumentError("give exactly one of --grant or --refuse");
        }
        request.set_decision(args.Has("grant") ? v1::EXTENSION_DECISION_GRANT
                                               : v1::EXTENSION_DECISION_REFUSE);
        request.set_comment(args.Get("comment"));
        return DeadlineFlags(session, args, "due", request.mutable_new_due_time(),
                             request.mutable_new_due_in());
      });
}

std::vector<FlagSpec> With(std::vector<FlagSpec> base, std::vector<FlagSpec> more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

}  // namespace

std::vector<Command> TicketCommands() {
  const std::string deadline = "(--due TIME | --due-in 5wd|48h)";
  return {
      {"ticket", "deploy",
       "--title TEXT --lead UNIT " + deadline +
           " [--coop UNIT,...] [--detail TEXT] [--severity S] [--location UNIT] "
           "[--indicator CODE] [--parent ID] [--inspection-unit UNIT] [--no-inspection] "
           "[--evidence REF]...",
       "deploy a task (部署; LEADER)", With(kNewTicketFlags, {{"no-inspection", kSwitch}}), Deploy},
      {"ticket", "file",
       "--title TEXT --lead UNIT --severity NORMAL|MAJOR|HARD_FLAW [--detail TEXT] "
       "[--rectify-due TIME | --rectify-due-in 10wd] [--coop UNIT,...] [--location UNIT] "
       "[--indicator CODE] [--parent ID]",
       "file a finding (督查发现问题; INSPECTOR); a HARD_FLAW is referred at once", kNewTicketFlags,
       File},
      {"ticket", "get", "ID", "show a ticket", {}, Get},
      {"ticket",
       "list",
       "[--unit UNIT] [--stage STAGE] [--overdue] [--card CARD] [--holder UNIT] [--severity S] "
       "[--indicator CODE] [--location UNIT] [--parent ID] [--filter TEXT] [--as-of TIME] "
       "[--page-size N] [--page-token T] [--all]",
       "list tickets by stage due time",
       {{"unit", kValue},
        {"stage", kValue},
        {"overdue", kSwitch},
        {"card", kValue},
        {"holder", kValue},
        {"severity", kValue},
        {"indicator", kValue},
        {"location", kValue},
        {"parent", kValue},
        {"filter", kValue},
        {"as-of", kValue},
        {"page-size", kValue},
        {"page-token", kValue},
        {"all", kSwitch}},
       List},
      {"ticket", "history", "ID", "show a ticket's events", {}, History},
      {"ticket",
       "clocks",
       "ID",
       "who held the ticket when, and whose deadlines slipped",
       {},
       Clocks},
      {"ticket", "sign", "ID [--comment TEXT]", "sign for a ticket (签收; lead unit)",
       TransitionFlags({{"comment", kValue}}), Sign},
      {"ticket", "dispute", "ID --reason TEXT", "dispute the assignment (退单; lead unit)",
       TransitionFlags({{"reason", kValue}}), Dispute},
      {"ticket", "resolve-dispute",
       "ID (--reassign UNIT [--comment TEXT] | --overrule --comment TEXT)",
       "answer a dispute (issuer or LEADER)",
       TransitionFlags({{"reassign", kValue}, {"overrule", kSwitch}, {"comment", kValue}}),
       ResolveDispute},
      {"ticket", "report", "ID --comment TEXT [--percent N] [--evidence REF]...",
       "report progress (lead or cooperating unit)",
       TransitionFlags({{"comment", kValue}, {"percent", kValue}, {"evidence", kRepeated}}),
       Report},
      {"ticket", "submit", "ID --comment TEXT [--evidence REF]...",
       "submit the completion or rectification report (lead unit)",
       TransitionFlags({{"comment", kValue}, {"evidence", kRepeated}}), Submit},
      {"ticket", "plan", "ID --plan TEXT [--evidence REF]...",
       "file the rectification plan (整改方案; lead unit)",
       TransitionFlags({{"plan", kValue}, {"evidence", kRepeated}}), Plan},
      {"ticket", "review",
       "ID (--accept [--findings TEXT] | --reject --findings TEXT "
       "[--rectify-due TIME | --rectify-due-in 10wd])",
       "accept (销号) or send back (退回整改) (issuer or INSPECTOR)",
       TransitionFlags({{"accept", kSwitch},
                        {"reject", kSwitch},
                        {"findings", kValue},
                        {"rectify-due", kValue},
                        {"rectify-due-in", kValue}}),
       Review},
      {"ticket", "cancel", "ID --reason TEXT", "cancel a ticket (issuer)",
       TransitionFlags({{"reason", kValue}}), Cancel},
      {"ticket", "reopen", "ID --findings TEXT [--rectify-due TIME | --rectify-due-in 10wd]",
       "reopen a closed ticket (回头看; INSPECTOR)",
       TransitionFlags({{"findings", kValue}, {"rectify-due", kValue}, {"rectify-due-in", kValue}}),
       Reopen},
      {"ticket", "extend", "ID --reason TEXT " + deadline,
       "ask for more time before the deadline (延期; lead unit)",
       TransitionFlags({{"reason", kValue}, {"due", kValue}, {"due-in", kValue}}), Extend},
      {"ticket", "decide-extension",
       "ID (--grant [--due TIME | --due-in 5wd] [--comment TEXT] | --refuse --comment TEXT)",
       "grant or refuse a pending extension (issuer or LEADER)",
       TransitionFlags({{"grant", kSwitch},
                        {"refuse", kSwitch},
                        {"comment", kValue},
                        {"due", kValue},
                        {"due-in", kValue}}),
       DecideExtension},
  };
}

}  // namespace duban::cli
