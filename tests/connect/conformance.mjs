// duband's HTTP gateway against a Connect client written elsewhere:
// @connectrpc/connect-web's createConnectTransport (Connect protocol v1,
// JSON), with message types read at run time from a FileDescriptorSet.
//
//   node conformance.mjs --duband PATH (--descriptors FILE.pb | --proto-dir DIR)
//                        [--googleapis-dir DIR]
//
// With --proto-dir, the descriptor set is built with protoc. Starts
// `duband --dev` on a fresh data directory, runs each step, prints one line
// per step, stops duband. Exits 0 when every step passed, 1 when one
// failed, 77 (skipped) when node_modules is missing.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Failure, startDuband, stopDuband } from "../support/duband_process.mjs";

const SKIP = 77;
const CALL_TIMEOUT_MS = 30_000;

// The one reason to skip: the pinned client is not installed. Anything
// else missing is a failure.
if (!existsSync(new URL("./node_modules", import.meta.url))) {
  console.log("SKIP: tests/connect/node_modules is missing; run `npm ci --prefix tests/connect`");
  process.exit(SKIP);
}
const { createRegistryFromDescriptors } = await import("@bufbuild/protobuf");
const { Code, ConnectError, createClient } = await import("@connectrpc/connect");
const { createConnectTransport } = await import("@connectrpc/connect-web");

const { values: args } = parseArgs({
  options: {
    duband: { type: "string" },
    descriptors: { type: "string" },
    "proto-dir": { type: "string" },
    "googleapis-dir": {
      type: "string",
      default: "/usr/share/gocode/src/github.com/gogo/googleapis",
    },
  },
});
if (!args.duband || !args.descriptors === !args["proto-dir"]) {
  console.error(
    "usage: conformance.mjs --duband PATH (--descriptors FILE.pb | --proto-dir DIR) [--googleapis-dir DIR]",
  );
  process.exit(2);
}

// Every duban.v1 service, their imports, and google.rpc's error details.
function buildDescriptors(protoDir, googleapisDir, out) {
  const services = readdirSync(join(protoDir, "duban/v1"))
    .filter((name) => name.endsWith("_service.proto"))
    .sort()
    .map((name) => `duban/v1/${name}`);
  execFileSync("protoc", [
    `-I${protoDir}`, `-I${googleapisDir}`, "-I/usr/include",
    "--include_imports", `--descriptor_set_out=${out}`,
    ...services, "google/rpc/error_details.proto",
  ], { stdio: ["ignore", "inherit", "inherit"] });
}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

// The ConnectError a call failed with; throws if it did not fail.
async function refusal(call) {
  let response;
  try {
    response = await call();
  } catch (err) {
    if (err instanceof ConnectError) return err;
    throw err;
  }
  throw new Failure(`the call succeeded: ${JSON.stringify(response)}`);
}

function describeError(err) {
  if (err instanceof ConnectError) {
    return `ConnectError ${Code[err.code]} (${err.code}): ${err.rawMessage}`;
  }
  if (err instanceof Failure) return err.message;
  return err?.stack ?? String(err);
}

// Sends `Authorization: Bearer <token>` on every call.
function bearer(token) {
  return (next) => async (request) => {
    request.header.set("Authorization", `Bearer ${token}`);
    return next(request);
  };
}

async function main() {
  const scratch = mkdtempSync(join(tmpdir(), "duban-connect-"));
  let server = null;
  const results = [];
  async function step(name, body) {
    try {
      await body();
      results.push(true);
      console.log(`ok   ${name}`);
    } catch (err) {
      results.push(false);
      console.log(`FAIL ${name}: ${describeError(err)}`);
    }
  }

  try {
    let descriptors = args.descriptors;
    if (!descriptors) {
      descriptors = join(scratch, "duban.pb");
      buildDescriptors(args["proto-dir"], args["googleapis-dir"], descriptors);
    }
    const registry = createRegistryFromDescriptors(readFileSync(descriptors));
    const find = (lookup, name) => {
      const type = registry[lookup](name);
      if (!type) throw new Failure(`${name} is not in ${descriptors}`);
      return type;
    };
    const AuthService = find("findService", "duban.v1.AuthService");
    const DirectoryService = find("findService", "duban.v1.DirectoryService");
    const TicketService = find("findService", "duban.v1.TicketService");
    const EventService = find("findService", "duban.v1.EventService");
    const Role = find("findEnum", "duban.v1.Role");
    const TicketKind = find("findEnum", "duban.v1.TicketKind");
    const Stage = find("findEnum", "duban.v1.Stage");
    const EventType = find("findEnum", "duban.v1.EventType");
    const BadRequest = find("findMessage", "google.rpc.BadRequest");
    const ErrorInfo = find("findMessage", "google.rpc.ErrorInfo");
    const value = (enumType, name) => enumType.findName(name).no;

    server = startDuband(args.duband, join(scratch, "data"));
    const httpAddress = await server.address;
    const transport = (interceptors) => createConnectTransport({
      baseUrl: `http://${httpAddress}`,
      useBinaryFormat: false,
      interceptors,
      defaultTimeoutMs: CALL_TIMEOUT_MS,
    });
    const anonymous = transport([]);

    let token = null;
    await step("unary: AuthService.Login leader/leader gives a 64-hex session token", async () => {
      const auth = createClient(AuthService, anonymous);
      const response = await auth.login({ principal: "leader", password: "leader" });
      check(/^[0-9a-f]{64}$/.test(response.token), `token ${JSON.stringify(response.token)} is not 64 hex digits`);
      check(response.session !== undefined, "the response has no session");
      token = response.token;
    });
    const needToken = () => check(token !== null, "no session token: the Login step failed");
    const asLeader = () => transport([bearer(token)]);

    await step("unary: DirectoryService.GetPrincipal principals/leader with the session token", async () => {
      needToken();
      const directory = createClient(DirectoryService, asLeader());
      const principal = await directory.getPrincipal({ name: "principals/leader" });
      check(principal.getType().typeName === "duban.v1.Principal",
        `the response is a ${principal.getType().typeName}`);
      check(principal.name === "principals/leader", `name is ${JSON.stringify(principal.name)}`);
      check(principal.displayName !== "", "displayName is empty");
      check(principal.roles.includes(value(Role, "ROLE_LEADER")),
        `roles ${JSON.stringify(principal.roles)} lack ROLE_LEADER`);
    });

    let ticketName = null;
    await step("unary: TicketService.CreateTicket deploys a TASK", async () => {
      needToken();
      const tickets = createClient(TicketService, asLeader());
      const ticket = await tickets.createTicket({
        ticket: {
          kind: value(TicketKind, "TICKET_KIND_TASK"),
          title: "Connect 客户端一致性检查",
          leadUnit: "units/nongye",
        },
        dueIn: { hours: 72 },
      });
      check(/^tickets\/\d+$/.test(ticket.name), `name is ${JSON.stringify(ticket.name)}`);
      check(ticket.kind === value(TicketKind, "TICKET_KIND_TASK"), `kind is ${TicketKind.findNumber(ticket.kind)?.name}`);
      check(ticket.stage === value(Stage, "STAGE_DEPLOY"), `stage is ${Stage.findNumber(ticket.stage)?.name}`);
      check(ticket.issuer === "principals/leader", `issuer is ${JSON.stringify(ticket.issuer)}`);
      check(ticket.dueTime !== undefined && ticket.dueTime.toDate() > new Date(),
        `dueTime ${ticket.dueTime?.toJson()} is not in the future`);
      ticketName = ticket.name;
    });

    await step("server stream: EventService.WatchEvents {untilCaughtUp} yields the events and ends", async () => {
      needToken();
      check(ticketName !== null, "no ticket: the CreateTicket step failed");
      const events = createClient(EventService, asLeader());
      const seen = [];
      for await (const streamEvent of events.watchEvents({ afterCursor: 0n, untilCaughtUp: true })) {
        check(streamEvent.getType().typeName === "duban.v1.StreamEvent",
          `a message is a ${streamEvent.getType().typeName}`);
        seen.push(streamEvent);
      }
      check(seen.length >= 1, "the stream ended with no event");
      let previous = 0n;
      for (const { cursor } of seen) {
        check(typeof cursor === "bigint" && cursor > previous,
          `cursors ${seen.map((e) => String(e.cursor)).join(", ")} are not positive and increasing`);
        previous = cursor;
      }
      const created = seen.find(({ event }) =>
        event?.ticket === ticketName && event.type === value(EventType, "EVENT_TYPE_CREATED"));
      check(created !== undefined, `no EVENT_TYPE_CREATED of ${ticketName} among ${seen.length} events`);
    });

    await step("typed error: GetTicket tickets/x is InvalidArgument with a BadRequest on `name`", async () => {
      needToken();
      const tickets = createClient(TicketService, asLeader());
      const err = await refusal(() => tickets.getTicket({ name: "tickets/x" }));
      check(err.code === Code.InvalidArgument, `code is ${Code[err.code]}: ${err.rawMessage}`);
      const violations = err.findDetails(BadRequest).flatMap((detail) => detail.fieldViolations);
      check(violations.some((v) => v.field === "name" && v.description !== ""),
        `no violation on \`name\` among ${JSON.stringify(violations)}`);
      const infos = err.findDetails(ErrorInfo);
      check(infos.some((info) => /^[A-Z][A-Z0-9_]*$/.test(info.reason) && info.domain !== ""),
        `no ErrorInfo with an UPPER_SNAKE reason and a domain among ${JSON.stringify(infos)}`);
    });

    await step("typed error: a unary call with no token is Unauthenticated", async () => {
      const tickets = createClient(TicketService, anonymous);
      const err = await refusal(() => tickets.listTickets({}));
      check(err.code === Code.Unauthenticated, `code is ${Code[err.code]}: ${err.rawMessage}`);
    });

    await step("typed error: a server stream with no token is Unauthenticated", async () => {
      const events = createClient(EventService, anonymous);
      const err = await refusal(async () => {
        const received = [];
        for await (const e of events.watchEvents({ untilCaughtUp: true })) received.push(e);
        return received;
      });
      check(err.code === Code.Unauthenticated, `code is ${Code[err.code]}: ${err.rawMessage}`);
    });
  } catch (err) {
    results.push(false);
    console.log(`FAIL setup: ${describeError(err)}`);
  } finally {
    if (server) {
      const problem = await stopDuband(server);
      results.push(problem === null);
      console.log(problem === null ? "ok   duband stops on SIGTERM" : `FAIL duband stops on SIGTERM: ${problem}`);
      if (results.includes(false) && server.log.length > 0) {
        console.log(`duband's log:\n${server.log.join("\n")}`);
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  }
  const passed = results.filter(Boolean).length;
  console.log(`conformance: ${passed} passed, ${results.length - passed} failed`);
  return results.includes(false) ? 1 : 0;
}

process.exitCode = await main();
