// The browser tests' harness: a real `duband --dev` serving the built
// console on 127.0.0.1:0, Debian's Chromium driven by playwright-core, and
// people logging in through the login page. Every page a test visits is
// saved as a screenshot under --screenshots/<test>/ for a reviewer.
//
//   node e2e/tour.test.mjs --duband PATH --duban PATH --console-dir DIR --screenshots DIR
//
//   await runCounty("tour", async (county) => {
//     const leader = await county.person("leader");
//     await leader.open("/overview");
//     await county.shot(leader, "overview");
//   });
//
// Exits 0 when the body finished, 1 when it threw (with the reason), and
// 77 (skipped) only when console/node_modules is missing.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { Failure, startDuband, stopDuband } from "../../tests/support/duband_process.mjs";

const SKIP = 77;
// How long a person waits for something to show before the test fails: a
// guard against a hung page, not a wait the test relies on.
export const PATIENCE_MS = 20_000;

if (!existsSync(new URL("../node_modules/playwright-core", import.meta.url))) {
  console.log("SKIP: console/node_modules is missing; run `npm ci --prefix console`");
  process.exit(SKIP);
}
const { chromium } = await import("playwright-core");

export const { values: args } = parseArgs({
  options: {
    duband: { type: "string" },
    duban: { type: "string" },
    "console-dir": { type: "string" },
    screenshots: { type: "string" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
    // bench.mjs
    "duban-load": { type: "string" },
    tickets: { type: "string" },
    overdue: { type: "string" },
    rounds: { type: "string" },
  },
  strict: false,
});

export { Failure };
export function check(condition, message) {
  if (!condition) throw new Failure(message);
}

// One person at one browser window, logged in through the login page.
class Person {
  constructor(county, id, context, page) {
    this.county = county;
    this.id = id;
    this.context = context;
    this.page = page;
  }

  async open(path) {
    await this.page.goto(this.county.url + path);
  }

  // Clicks the menu entry of a page (the way a person moves around).
  async menu(name) {
    await this.page.locator(`[data-menu="${name}"]`).click();
  }

  // Waits until `selector` holds `text` (a string or RegExp).
  async sees(selector, text) {
    await this.page.locator(selector).filter({ hasText: text }).first()
      .waitFor({ state: "visible", timeout: PATIENCE_MS });
  }
}

class County {
  constructor(name, browser, server, url, grpcAddress, dataDir, dubandArgs) {
    this.name = name;
    this.browser = browser;
    this.server = server;
    this.url = url;
    this.grpcAddress = grpcAddress;
    this.dataDir = dataDir;
    this.dubandArgs = dubandArgs;
    this.shots = 0;
    this.people = [];
  }

  // Stops duband (SIGTERM: open streams end, connections drop) and starts
  // it again on the same store and the same ports, as after an upgrade.
  async restart() {
    const problem = await stopDuband(this.server);
    if (problem) throw new Failure(`duband ${problem}`);
    this.server = startDuband(args.duband, join(this.dataDir, "data"), [
      ...this.dubandArgs, "--listen", this.grpcAddress, "--http_listen", this.url.replace("http://", ""),
    ]);
    await this.server.address;
  }

  // A new browser window (its own sessionStorage) for `id`, logged in with
  // `password` (in --dev, a demo principal's password is its id).
  async person(id, password = id) {
    const context = await this.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    const person = new Person(this, id, context, page);
    this.people.push(person);
    await page.goto(this.url + "/");
    await this.login(person, id, password);
    await page.locator('[data-test="who"]').waitFor({ timeout: PATIENCE_MS });
    return person;
  }

  // A window on the login page, nobody logged in.
  async stranger() {
    const context = await this.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    const person = new Person(this, "", context, page);
    this.people.push(person);
    await page.goto(this.url + "/");
    return person;
  }

  async login(person, id, password) {
    const page = person.page;
    await page.locator('input[name="principal"]').fill(id);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('[data-test="login"]').click();
  }

  // Saves what `person` sees as NN-label.png.
  async shot(person, label) {
    if (!args.screenshots) return;
    const dir = join(args.screenshots, this.name);
    mkdirSync(dir, { recursive: true });
    this.shots++;
    const file = join(dir, `${String(this.shots).padStart(2, "0")}-${person.id || "login"}-${label}.png`);
    await person.page.screenshot({ path: file, fullPage: true });
  }

  // Runs the CLI against this county's gRPC port; resolves to its stdout.
  async cli(token, ...cliArgs) {
    const { stdout } = await promisify(execFile)(args.duban, ["--server", this.grpcAddress, ...cliArgs], {
      env: { ...process.env, DUBAN_TOKEN: token, HOME: this.dataDir },
    });
    return stdout;
  }

  // A call straight to the API (JSON over HTTP), as `token`.
  async call(token, method, body) {
    const response = await fetch(`${this.url}/duban.v1.${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const reply = await response.json();
    return { status: response.status, reply };
  }
}

// Debian's Chromium, headless, without the background traffic a closed
// network refuses.
export function launchChromium() {
  return chromium.launch({
    executablePath: args.chromium,
    headless: true,
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
}

// Runs `body` against a fresh county; stops everything, whatever happens.
export async function runCounty(name, body, extraDubandArgs = []) {
  for (const needed of ["duband", "duban", "console-dir"]) {
    if (!args[needed]) {
      console.error(`usage: ${name}.test.mjs --duband PATH --duban PATH --console-dir DIR [--screenshots DIR]`);
      process.exit(2);
    }
  }
  if (!existsSync(join(args["console-dir"], "index.html"))) {
    console.log(`FAIL ${name}: ${args["console-dir"]}/index.html is missing; run scripts/build`);
    process.exit(1);
  }
  // This run's screenshots only.
  if (args.screenshots) rmSync(join(args.screenshots, name), { recursive: true, force: true });
  const scratch = mkdtempSync(join(tmpdir(), `duban-console-${name}-`));
  let server = null;
  let county = null;
  let browser = null;
  let failed = false;
  try {
    const dubandArgs = ["--console_dir", args["console-dir"], ...extraDubandArgs];
    server = startDuband(args.duband, join(scratch, "data"), dubandArgs);
    const url = `http://${await server.address}`;
    const grpcAddress = await server.grpcAddress;
    browser = await launchChromium();
    county = new County(name, browser, server, url, grpcAddress, scratch, dubandArgs);
    await body(county);
    console.log(`ok   ${name}`);
  } catch (error) {
    failed = true;
    console.log(`FAIL ${name}: ${error instanceof Failure ? error.message : error?.stack ?? error}`);
    server = county?.server ?? server;
    if (server) console.log(server.log.slice(-20).join("\n"));
  } finally {
    server = county?.server ?? server;
    if (browser) await browser.close().catch(() => {});
    if (server) {
      const problem = await stopDuband(server);
      if (problem) {
        failed = true;
        console.log(`FAIL ${name}: duband ${problem}`);
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
