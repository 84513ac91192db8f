// Logging in as the gateway promises: a wrong password is refused with the
// server's words, a session that expires sends the person back to the
// login page with a message, and five failures lock the account out.
// duband runs with sessions that last 4 s.
import { check, PATIENCE_MS, runCounty } from "./harness.mjs";

await runCounty("login", async (county) => {
  // A session that ends: the next thing the person does lands on the login
  // page, which says why.
  const leader = await county.person("leader");
  await county.shot(leader, "logged-in");
  const token = await leader.page.evaluate(() => JSON.parse(sessionStorage.getItem("duban.session")).token);
  check(/^[0-9a-f]{64}$/.test(token), `the session token kept is ${token}`);
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const { status } = await county.call(token, "TicketService/ListTickets", {});
    if (status === 401) break;
    check(Date.now() < deadline, "the 4 s session never expired");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await leader.menu("performance");
  await leader.sees('[data-test="ended"]', "登录已过期");
  check(await leader.page.evaluate(() => sessionStorage.getItem("duban.session")) === null,
        "the expired session is still kept");
  await county.shot(leader, "session-expired");

  // Logout ends the session on the server too.
  await county.login(leader, "leader", "leader");
  await leader.page.locator('[data-test="logout"]').click();
  await leader.page.locator('[data-test="login"]').waitFor();

  // A wrong password: the server's message, and still the login page.
  const stranger = await county.stranger();
  const { reply: refused } = await county.call("", "AuthService/Login", { principal: "nongye", password: "wrong" });
  check(refused.code === "unauthenticated", `a wrong password answered ${JSON.stringify(refused)}`);
  // That direct call counted one failure; four more from the page lock it.
  for (let attempt = 2; attempt <= 5; attempt++) {
    await county.login(stranger, "nongye", `wrong-${attempt}`);
    await stranger.page.locator('[data-test="refusal"]', { hasText: refused.message }).waitFor();
    if (attempt === 2) await county.shot(stranger, "wrong-password");
  }
  // Locked out: even the right password is refused for now.
  await county.login(stranger, "nongye", "nongye");
  await stranger.page.locator('[data-test="refusal"]', { hasText: "登录失败次数过多" }).waitFor();
  await stranger.page.locator('[data-test="refusal"]', { hasText: "too many failed logins" }).waitFor();
  check(await stranger.page.locator('[data-test="who"]').count() === 0, "a locked-out login got in");
  await county.shot(stranger, "locked-out");
}, ["--session_idle=4s", "--session_lifetime=4s"]);
