// Live updates outlast a dropped connection: duband restarts under the
// leader's open overview; the console reconnects, resumes after the last
// cursor it saw (its request says so), and a task deployed after the
// restart shows without a reload.
import { check, runCounty } from "./harness.mjs";
import { countReads } from "./steps.mjs";

const TASK = (title) => ({
  ticket: { kind: "TICKET_KIND_TASK", title, leadUnit: "units/nongye" },
  dueIn: { workingDays: 10 },
});

await runCounty("live", async (county) => {
  const leader = await county.person("leader");
  await leader.sees('[data-test="live"]', "实时");
  // Each WatchEvents request's body: a Connect envelope (5 bytes) around
  // the binary request, whose first tag says after_cursor (0x08) or
  // from_now (0x18).
  const starts = [];
  leader.page.on("request", (request) => {
    if (request.url().endsWith("/duban.v1.EventService/WatchEvents")) starts.push(request.postDataBuffer());
  });

  const first = await county.call("leader", "TicketService/CreateTicket", TASK("秸秆禁烧巡查"));
  check(first.status === 200, `deploying answered ${first.status}`);
  await countReads(leader, "count-open", 1);

  await county.restart();
  await county.shot(leader, "overview-after-restart");
  const second = await county.call("leader", "TicketService/CreateTicket", TASK("冬季森林防火检查"));
  check(second.status === 200, `deploying after the restart answered ${second.status}`);
  await countReads(leader, "count-open", 2);
  await leader.sees('[data-test="live"]', "实时");
  await county.shot(leader, "overview-live-again");

  const tags = starts.map((body) => (body && body.length > 5 ? body[5] : null));
  check(tags.length > 0 && tags.every((tag) => tag === 0x08),
        `the reconnecting stream did not resume after a cursor: first tags ${JSON.stringify(tags)}`);
});
