// What a township clerk sees and is refused: a finding the inspector files
// appears in the unit's 待办 live; a form shows the server's refusal at the
// field it names; a form opened before someone else's change is refused
// (409, which reloads the ticket and says so; then the wrong stage); the
// unit never sees another unit's tickets, nor another role's page.
import { check, runCounty } from "./harness.mjs";
import { actionForm, choose, fillAction, rowShows, startAction } from "./steps.mjs";

// The server's own words for a field of a refused call (BadRequest).
function violation(reply, field) {
  for (const detail of reply.details ?? []) {
    for (const v of detail.debug?.fieldViolations ?? []) if (v.field === field) return v.description;
  }
  return null;
}

await runCounty("unit-view", async (county) => {
  const inspector = await county.person("inspector");
  const unit = await county.person("chengguan");
  await county.shot(unit, "todo-empty");

  // The inspector files a finding for 城关镇; it shows in the unit's 待办.
  await inspector.menu("issue");
  await inspector.page.locator('[data-test="finding-form"] [data-field="ticket.title"] input')
    .fill("东街垃圾清运不及时");
  await choose(inspector, "finding-unit", "城关镇");
  await county.shot(inspector, "finding-form");
  await inspector.page.locator('[data-test="finding-submit"]').click();
  await inspector.page.waitForURL(/\/tickets\/\d+$/);
  const finding = `tickets/${inspector.page.url().split("/").pop()}`;
  await county.shot(inspector, "finding-filed");
  await rowShows(unit, "todo", finding);
  await county.shot(unit, "todo-finding");

  // A bad field: a plan with nothing in it. The message at the field is the
  // server's, word for word.
  const { reply } = await county.call("chengguan", "TicketService/FileRectificationPlan",
                                      { name: finding, plan: "" });
  const words = violation(reply, "plan");
  check(words, `the server named no plan field: ${JSON.stringify(reply)}`);
  await startAction(unit, "todo", finding, "plan");
  await fillAction(unit, { plan: "" });
  await actionForm(unit).locator('[data-field="plan"] .el-form-item__error', { hasText: words }).waitFor();
  await county.shot(unit, "refused-at-field");

  // Someone else files the plan while the form is open. The row follows
  // live, but the form acts on the ticket as it was opened: the server
  // refuses its etag (409), the form says so and keeps the text, and the
  // next submit, on the ticket as it is now, is refused for its stage.
  const { status } = await county.call("chengguan", "TicketService/FileRectificationPlan",
                                       { name: finding, plan: "另一位同事已提交" });
  check(status === 200, `filing the plan over HTTP answered ${status}`);
  await unit.sees(`[data-test="todo"] tr:has([data-ticket="${finding}"]) [data-test="stage"]`, "整改");
  await fillAction(unit, { plan: "清运车辆增至两台" });
  await actionForm(unit).locator('[data-test="refusal"]', { hasText: "已被他人更新" }).waitFor();
  await county.shot(unit, "refused-stale-etag");
  await fillAction(unit, { plan: "清运车辆增至两台" });
  await actionForm(unit).locator('[data-test="refusal"]', { hasText: "IMPROVE" }).waitFor();
  check(await actionForm(unit).locator('[data-field="plan"] textarea').inputValue() === "清运车辆增至两台",
        "the refused form lost what was typed");
  await county.shot(unit, "refused-wrong-stage");
  await unit.page.keyboard.press("Escape");
  await actionForm(unit).waitFor({ state: "detached" });

  // On the ticket page, with its live stream cut, a progress report goes
  // with the old etag; the 409 reloads the page and says so.
  await unit.page.route("**/duban.v1.EventService/WatchEvents", (route) => route.abort());
  await unit.open(`/${finding}`);
  await unit.sees('[data-test="ticket-stage"]', "整改");
  await county.call("chengguan", "TicketService/ReportTicketProgress",
                    { name: finding, comment: "已清运 3 车", progressPercent: 30 });
  await startAction(unit, null, finding, "progress");
  await fillAction(unit, { comment: "已清运 5 车", progress_percent: 50 });
  await unit.sees('[data-test="stale"]', "已被他人更新");
  await unit.sees('[data-test="timeline"]', "已清运 3 车");
  await county.shot(unit, "stale-etag-reloaded");
  // The second submit goes with the reloaded etag.
  await fillAction(unit, { comment: "已清运 5 车", progress_percent: 50 });
  await actionForm(unit).waitFor({ state: "detached" });
  await unit.sees('[data-test="timeline"]', "已清运 5 车");
  await unit.page.unroute("**/duban.v1.EventService/WatchEvents");

  // Another unit's ticket never shows: a task for 农业农村局, then one for
  // 城关镇; the second shows, the first does not, and its page is refused.
  const other = await county.call("leader", "TicketService/CreateTicket", {
    ticket: { kind: "TICKET_KIND_TASK", title: "农业农村局的任务", leadUnit: "units/nongye" },
    dueIn: { workingDays: 10 },
  });
  const mine = await county.call("leader", "TicketService/CreateTicket", {
    ticket: { kind: "TICKET_KIND_TASK", title: "城关镇的任务", leadUnit: "units/chengguan" },
    dueIn: { workingDays: 10 },
  });
  check(other.status === 200 && mine.status === 200, "the leader could not deploy the two tasks");
  await unit.menu("todo");
  await rowShows(unit, "todo", mine.reply.name);
  const names = await unit.page.locator("[data-ticket]").evaluateAll(
    (links) => links.map((link) => link.getAttribute("data-ticket")));
  check(!names.includes(other.reply.name), `城关镇 sees ${other.reply.name} of 农业农村局`);
  await county.shot(unit, "todo-own-unit-only");
  await unit.open(`/${other.reply.name}`);
  await unit.sees('[data-test="problem"]', "无权查看");
  await county.shot(unit, "other-unit-refused");

  // A page of another role, reached by its address: the menu never offered
  // it, and the server refuses its data with its own words.
  await unit.open("/overview");
  await unit.sees('[data-test="problem"]', "may not call duban.v1.ReportService/GetCountyReport");
  await county.shot(unit, "overview-refused");
});
