// The README's tour through the browser, three people logged in at once:
// the leader deploys a task, the lead unit (农业农村局) signs for it,
// reports progress and submits, the inspector sends it back with findings,
// the unit files a plan and submits its rectification, the inspector
// accepts it. The leader's overview follows every step live: nobody
// reloads a page.
import { check, runCounty } from "./harness.mjs";
import { act, choose, countReads, rowShows } from "./steps.mjs";

await runCounty("tour", async (county) => {
  const leader = await county.person("leader");
  const unit = await county.person("nongye");
  const inspector = await county.person("inspector");
  await county.shot(leader, "overview-empty");
  await county.shot(unit, "todo-empty");

  // The leader deploys from 部署任务.
  await leader.menu("issue");
  await leader.page.locator('[data-test="deploy-form"] [data-field="ticket.title"] input').fill("高标准农田建设进度督办");
  await choose(leader, "lead-unit", "农业农村局");
  await leader.page.locator('[data-test="due-days"] input').fill("15");
  await county.shot(leader, "deploy-form");
  await leader.page.locator('[data-test="deploy-submit"]').click();
  await leader.page.waitForURL(/\/tickets\/\d+$/);
  const ticket = `tickets/${leader.page.url().split("/").pop()}`;
  await leader.sees('[data-test="ticket-stage"]', "部署·待签收");
  await county.shot(leader, "ticket-deployed");

  // The leader watches the overview from here on.
  await leader.menu("overview");
  await countReads(leader, "stage-1", 1);
  await countReads(leader, "count-open", 1);

  // The unit's 待办 shows the new task without a reload; it signs.
  await rowShows(unit, "todo", ticket);
  await county.shot(unit, "todo-new-task");
  await act(unit, "todo", ticket, "sign", { comment: "已签收，马上落实" });
  await countReads(leader, "stage-2", 1);
  await countReads(leader, "stage-1", 0);

  await act(unit, "todo", ticket, "progress", { comment: "完成 3 个片区土地平整", progress_percent: 60, evidence: "photo-0312" });
  await act(unit, "todo", ticket, "submit", { comment: "全部完工，申请验收" });
  await rowShows(unit, "todo", ticket, "detached");
  await countReads(leader, "stage-3", 1);
  await county.shot(leader, "overview-inspect");

  // The inspector's review queue has it; the work is sent back.
  await inspector.menu("issue");
  await inspector.page.locator(".el-tabs__item", { hasText: "待验收" }).click();
  await rowShows(inspector, "review-queue", ticket);
  await county.shot(inspector, "review-queue");
  await act(inspector, "review-queue", ticket, "reject",
            { findings: "灌排沟渠未配套", "rectification_due_in.working_days": 5 });
  await rowShows(inspector, "review-queue", ticket, "detached");
  await countReads(leader, "stage-4", 1);

  // Back with the unit: a plan, then the rectification report.
  await rowShows(unit, "todo", ticket);
  await act(unit, "todo", ticket, "plan", { plan: "五个工作日内完成沟渠配套" });
  await countReads(leader, "stage-5", 1);
  await act(unit, "todo", ticket, "submit", { comment: "沟渠已配套" });
  await countReads(leader, "stage-3", 1);

  // The inspector accepts: 销号.
  await rowShows(inspector, "review-queue", ticket);
  await act(inspector, "review-queue", ticket, "accept", { findings: "整改到位" });
  await countReads(leader, "count-open", 0);
  await county.shot(leader, "overview-closed");

  // The ticket's page tells the whole story, in order.
  await leader.page.locator(`[data-test="units"]`).waitFor();
  await leader.open(`/${ticket}`);
  await leader.sees('[data-test="ticket-stage"]', "已销号");
  const steps = await leader.page.locator('[data-test="timeline"] .el-timeline-item b').allInnerTexts();
  check(JSON.stringify(steps) === JSON.stringify(
    ["创建", "签收", "报告进度", "提交报告", "退回整改", "提交整改方案", "提交报告", "验收销号"]),
    `the timeline reads ${JSON.stringify(steps)}`);
  await county.shot(leader, "ticket-closed");
});
