// The console shows what the CLI shows: after the performance office
// deducts points in the browser, the scoreboard's rows equal `duban score
// board`'s; a draw made in the browser equals `duban draw --seed` with the
// same seed over the same directory.
import { check, runCounty } from "./harness.mjs";
import { choose, tableRows, type } from "./steps.mjs";

await runCounty("score-draw", async (county) => {
  const office = await county.person("performance");
  await office.menu("performance");
  await office.page.locator('[data-test="scoreboard"]').waitFor();
  await county.shot(office, "scoreboard-before");

  await choose(office, "deduct-indicator", "巩固脱贫成果后评估");
  await type(office, "deduct-points", "2");
  await type(office, "deduct-reason", "后评估抽查发现两户返贫监测不到位");
  await office.page.locator('[data-test="deduct-submit"]').click();
  // The lead unit's charge (×3) shows once the scoreboard reloads.
  await office.sees('[data-test="scoreboard"] .el-table__body', "94");
  await county.shot(office, "scoreboard-after-deduction");

  const board = JSON.parse(await county.cli("performance", "-o", "json", "score", "board"));
  const shown = await tableRows(office, "scoreboard");
  const expected = board.rows.map((row) => [row.displayName, row.score]);
  const seen = shown.map((cells) => [cells[0], cells[1]]);
  check(JSON.stringify(seen) === JSON.stringify(expected),
        `the scoreboard shows ${JSON.stringify(seen)}; duban score board says ${JSON.stringify(expected)}`);
  check(board.rows.some((row) => row.score === "94"), "no unit was charged 3 × 2 points");

  const inspector = await county.person("inspector");
  await inspector.menu("draws");
  await type(inspector, "draw-seed", "20261207");
  await type(inspector, "draw-per-tier", "1");
  await type(inspector, "draw-villages", "2");
  await inspector.page.locator('[data-test="draw-submit"]').click();
  await inspector.page.locator('[data-test="draw-result"] [data-test="drawn-village"]').first().waitFor();
  await county.shot(inspector, "draw");
  const drawn = await inspector.page.locator('[data-test="draw-result"] [data-test="drawn-township"], [data-test="draw-result"] [data-test="drawn-village"]')
    .evaluateAll((items) => items.map((item) => item.getAttribute("data-unit")));
  const cli = JSON.parse(await county.cli("inspector", "-o", "json", "draw", "--seed", "20261207",
                                          "--per-tier", "1", "--villages", "2"));
  const expectedDraw = cli.townships.flatMap((township) => [township.township, ...township.villages]);
  check(JSON.stringify(drawn) === JSON.stringify(expectedDraw),
        `the console drew ${JSON.stringify(drawn)}; duban draw --seed says ${JSON.stringify(expectedDraw)}`);
  check(drawn.length === 9, `a draw of 1 township per tier and 2 villages each has ${drawn.length} units`);
});
