// Every role's console: the menu shows exactly the pages the role may use,
// and each page opens. The discipline commission decides a referral made
// by a hard-flaw finding; the organization department reads a unit's
// record; the administrator's tabs show the principals, the unit tree,
// the calendar's missing year, the escalation policy, and the server's
// health and memory.
import { check, runCounty } from "./harness.mjs";
import { choose, type } from "./steps.mjs";

const MENUS = {
  leader: ["overview", "issue", "accountability", "performance"],
  inspector: ["overview", "issue", "performance", "draws"],
  nongye: ["todo", "performance"],
  discipline: ["accountability", "performance"],
  organization: ["accountability", "performance"],
  performance: ["performance"],
  admin: ["performance", "admin"],
};

await runCounty("pages", async (county) => {
  const people = {};
  for (const [id, expected] of Object.entries(MENUS)) {
    const person = await county.person(id);
    people[id] = person;
    const menu = await person.page.locator("[data-menu]").evaluateAll(
      (items) => items.map((item) => item.getAttribute("data-menu")));
    check(JSON.stringify(menu) === JSON.stringify(expected),
          `${id}'s menu is ${JSON.stringify(menu)}, not ${JSON.stringify(expected)}`);
    await county.shot(person, "home");
  }

  // A hard flaw is referred as it is filed; the commission sees it live.
  const discipline = people.discipline;
  const { status, reply: finding } = await county.call("inspector", "TicketService/CreateTicket", {
    ticket: { kind: "TICKET_KIND_FINDING", title: "危房改造资金挪用", leadUnit: "units/baima",
              severity: "SEVERITY_HARD_FLAW" },
  });
  check(status === 200, `filing the hard flaw answered ${status}: ${JSON.stringify(finding)}`);
  const row = discipline.page.locator('[data-test="referrals"] .el-table__body tr', { hasText: "危房改造资金挪用" });
  await row.waitFor();
  await county.shot(discipline, "referrals");
  await row.click();
  await discipline.page.locator('[data-test="decide-form"]').waitFor();
  await choose(discipline, "decide-kind", "约谈");
  await type(discipline, "decide-reason", "责任人履职不到位，予以约谈");
  await discipline.page.locator('[data-test="decide-submit"]').click();
  await discipline.sees('[data-test="dispositions"] .el-tag', "约谈");
  await county.shot(discipline, "referral-decided");

  // The decision is in the ticket's history, which the leader reads.
  const leader = people.leader;
  await leader.open(`/${finding.name}`);
  await leader.sees('[data-test="timeline"]', "问责处理");
  await county.shot(leader, "ticket-referred");

  // The organization department reads 白马镇's record for the year.
  const organization = people.organization;
  await organization.page.locator(".el-tabs__item", { hasText: "单位记录" }).click();
  await choose(organization, "record-unit", "白马镇");
  await organization.sees('[data-test="record"]', "约谈");
  await county.shot(organization, "unit-record");

  // The administrator's four tabs.
  const admin = people.admin;
  await admin.menu("admin");
  await admin.sees('[data-test="principals"]', "nongye");
  await county.shot(admin, "principals");
  await admin.page.locator(".el-tabs__item", { hasText: "单位" }).click();
  await admin.sees('[data-test="unit-tree"]', "城关镇");
  await county.shot(admin, "units");
  await admin.page.locator(".el-tabs__item", { hasText: "日历" }).click();
  await admin.page.locator('[data-test="calendar-status"]').waitFor();
  // What the server says is missing (the next year's notice, in December).
  const { reply: calendar } = await county.call("admin", "CalendarService/GetCalendarStatus", {});
  for (const year of calendar.missingYears ?? []) {
    await admin.sees('[data-test="missing-years"]', String(year));
  }
  for (const warning of calendar.warnings ?? []) {
    await admin.sees('[data-test="calendar-warning"]', warning);
  }
  await county.shot(admin, "calendar");
  await admin.page.locator(".el-tabs__item", { hasText: "升级规则" }).click();
  await admin.page.locator('[data-test="ladder"]').first().waitFor();
  await county.shot(admin, "escalation-policy");
  await admin.page.locator(".el-tabs__item", { hasText: "服务器" }).click();
  await admin.sees('[data-test="health-checks"]', "duban.writes");
  const { reply: stats } = await county.call("admin", "AdminService/GetServerStats", {});
  const budget = `${(Number(stats.memoryBudgetBytes) / 1048576).toFixed(1)} MiB`;
  await admin.sees('[data-test="server-memory"]', budget);
  await admin.sees('[data-test="server-memory"]', "常驻内存");
  await county.shot(admin, "server");
});
