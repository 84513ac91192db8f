// The API module: one typed client per duban.v1 service, all over the
// Connect protocol on the page's own origin (the gateway that serves the
// console). The types come from proto/ (scripts/gen.mjs). A call the server
// refuses as UNAUTHENTICATED while a session is open ends the session: it
// expired, was revoked, or its password changed.
import { Code, ConnectError, createPromiseClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AccountabilityService } from "../gen/duban/v1/accountability_service_connect";
import { AdminService } from "../gen/duban/v1/admin_service_connect";
import { AuthService } from "../gen/duban/v1/auth_service_connect";
import { CalendarService } from "../gen/duban/v1/calendar_service_connect";
import { DirectoryService } from "../gen/duban/v1/directory_service_connect";
import { DrawService } from "../gen/duban/v1/draw_service_connect";
import { EscalationService } from "../gen/duban/v1/escalation_service_connect";
import { EventService } from "../gen/duban/v1/event_service_connect";
import { PerformanceService } from "../gen/duban/v1/performance_service_connect";
import { ReportService } from "../gen/duban/v1/report_service_connect";
import { TicketService } from "../gen/duban/v1/ticket_service_connect";
import { endSession, session } from "./session";

export const SESSION_EXPIRED = "登录已过期或已被注销，请重新登录。";

const authorize: Interceptor = (next) => async (request) => {
  const token = session.token;
  if (token) request.header.set("Authorization", `Bearer ${token}`);
  try {
    return await next(request);
  } catch (error) {
    if (token && ConnectError.from(error).code === Code.Unauthenticated) {
      endSession(SESSION_EXPIRED);
    }
    throw error;
  }
};

const transport = createConnectTransport({
  baseUrl: window.location.origin,
  // Protobuf on the wire: a tenth of JSON's parse time for a list of 500
  // tickets (docs/console.md).
  useBinaryFormat: true,
  interceptors: [authorize],
});

export const api = {
  accountability: createPromiseClient(AccountabilityService, transport),
  admin: createPromiseClient(AdminService, transport),
  auth: createPromiseClient(AuthService, transport),
  calendar: createPromiseClient(CalendarService, transport),
  directory: createPromiseClient(DirectoryService, transport),
  draws: createPromiseClient(DrawService, transport),
  escalation: createPromiseClient(EscalationService, transport),
  events: createPromiseClient(EventService, transport),
  performance: createPromiseClient(PerformanceService, transport),
  reports: createPromiseClient(ReportService, transport),
  tickets: createPromiseClient(TicketService, transport),
};

// Every item of a paged list, page after page (at most `limit`).
export async function listAll<T>(
  fetchPage: (pageToken: string) => Promise<{ items: T[]; next: string }>,
  limit = 10000,
): Promise<T[]> {
  const all: T[] = [];
  let token = "";
  do {
    const page = await fetchPage(token);
    all.push(...page.items);
    token = page.next;
  } while (token && all.length < limit);
  return all;
}
