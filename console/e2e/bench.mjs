// How fast the console shows a county with many open tickets, measured in
// Debian's Chromium (docs/performance.md, "The console"). Not a test: it
// prints figures, each against a baseline measured in the same run — the
// same page on the empty demo county.
//
//   node e2e/bench.mjs --duband PATH --duban-load PATH --console-dir DIR \
//        [--tickets 10000] [--overdue 500] [--rounds 5]
//
// `duban-load seed` builds the big store (--overdue of the tickets were
// created 60 days ago, so the overview has overdue tickets and cards once
// a sweep fires their escalations). For each page, each round opens it in
// a fresh tab as its person and takes the time from navigation start to
// the moment its data shows: the overview's unit table with the counts,
// the 待办's first row. It prints the medians, their ratio to the empty
// county's, and the compressed size of the JavaScript each page loads.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { args, launchChromium } from "./harness.mjs";
import { startDuband, stopDuband } from "../../tests/support/duband_process.mjs";

const tickets = Number(args.tickets ?? 10000);
const overdue = Number(args.overdue ?? Math.min(500, tickets));
const rounds = Number(args.rounds ?? 5);

// What "shows" means for each page: the element whose appearance a person
// waits for. Each returns the moment it holds (ms since navigation start),
// or false.
const PAGES = [
  { name: "督办总览", person: "leader", path: "/overview",
    ready: () => document.querySelector('[data-test="units"] .el-table__body tr') !== null &&
                 document.querySelector('[data-test="count-open"] [data-value]') !== null &&
                 performance.now() },
  { name: "我的待办", person: "nongye", path: "/todo",
    ready: (expectRows) => document.querySelector(
      expectRows ? '[data-test="todo"] [data-ticket]' : '[data-test="todo"] .el-table__empty-text') !== null &&
      performance.now() },
];

async function county(dataDir, label) {
  const server = startDuband(args.duband, dataDir, ["--console_dir", args["console-dir"]]);
  const url = `http://${await server.address}`;
  // Fire every escalation that is due, once, before measuring.
  const sweep = await fetch(`${url}/duban.v1.EscalationService/Sweep`, {
    method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer escalator" },
    body: "{}",
  });
  if (sweep.status !== 200) throw new Error(`${label}: the sweep answered ${sweep.status}`);
  return { server, url, label };
}

// Milliseconds from navigation start until the page's data shows, and the
// script URLs the page loaded.
async function measure(browser, target, page) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const tab = await context.newPage();
  await tab.goto(`${target.url}/`);
  await tab.locator('input[name="principal"]').fill(page.person);
  await tab.locator('input[name="password"]').fill(page.person);
  await tab.locator('[data-test="login"]').click();
  await tab.locator('[data-test="who"]').waitFor();
  await tab.goto(`${target.url}${page.path}`);
  const handle = await tab.waitForFunction(page.ready, target.label !== "empty",
                                           { polling: "raf", timeout: 60_000 });
  const shown = await handle.jsonValue();
  const scripts = await tab.evaluate(() => performance.getEntriesByType("resource")
    .filter((entry) => entry.initiatorType === "script" || entry.name.endsWith(".js"))
    .map((entry) => new URL(entry.name).pathname));
  await context.close();
  return { shown, scripts };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function gzippedKb(paths) {
  let bytes = 0;
  for (const path of new Set(paths)) {
    bytes += gzipSync(readFileSync(join(args["console-dir"], path))).length;
  }
  return bytes / 1024;
}

const scratch = mkdtempSync(join(tmpdir(), "duban-console-bench-"));
const targets = [];
let browser = null;
try {
  const big = join(scratch, "big");
  console.log(`seeding ${tickets} tickets (${overdue} overdue) ...`);
  execFileSync(args["duban-load"], ["seed", "--data", big, "--tickets", String(tickets),
                                    "--due", String(overdue)], { stdio: ["ignore", "ignore", "inherit"] });
  targets.push(await county(join(scratch, "empty"), "empty"));
  targets.push(await county(big, `${tickets} tickets`));
  browser = await launchChromium();

  // The login page alone: the JavaScript a first visit downloads.
  const login = await browser.newPage();
  await login.goto(`${targets[0].url}/`);
  await login.locator('[data-test="login"]').waitFor();
  const firstScripts = await login.evaluate(() => performance.getEntriesByType("resource")
    .filter((entry) => entry.name.endsWith(".js")).map((entry) => new URL(entry.name).pathname));
  await login.close();
  console.log(`first page (登录): ${gzippedKb(firstScripts).toFixed(0)} KB of JavaScript, gzip`);

  for (const page of PAGES) {
    const times = Object.fromEntries(targets.map((t) => [t.label, []]));
    let scripts = [];
    // Alternate the two counties so that drift on a noisy machine falls on both.
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const result = await measure(browser, target, page);
        times[target.label].push(result.shown);
        scripts = result.scripts;
      }
    }
    const base = median(times.empty);
    const loaded = median(times[`${tickets} tickets`]);
    console.log(`${page.name}: empty county ${base.toFixed(0)} ms, ${tickets} tickets ` +
                `${loaded.toFixed(0)} ms (median of ${rounds}), ratio ${(loaded / base).toFixed(2)}; ` +
                `${gzippedKb(scripts).toFixed(0)} KB of JavaScript, gzip`);
  }
} finally {
  if (browser) await browser.close();
  for (const target of targets) await stopDuband(target.server);
  rmSync(scratch, { recursive: true, force: true });
}
