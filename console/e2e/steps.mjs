// What people do in the console, as the browser tests say it: open a page
// from the menu, take an action on a ticket's row, fill a form. Each step
// waits for what a person would wait for (the row, the dialog, the
// change) and never for a fixed time.
import { PATIENCE_MS } from "./harness.mjs";

// The open action form (a form exists only while its dialog is open).
export function actionForm(person) {
  return person.page.locator('[data-test="action-form"]:visible');
}

// Clicks `action` on the row of `ticket` inside `table` (a data-test), or
// on the ticket page's action bar when `table` is null.
export async function startAction(person, table, ticket, action) {
  const scope = table
    ? person.page.locator(`[data-test="${table}"] tr`, { has: person.page.locator(`[data-ticket="${ticket}"]`) })
    : person.page.locator('[data-test="ticket-actions"]');
  await scope.locator(`[data-action="${action}"]`).first().click({ timeout: PATIENCE_MS });
  await actionForm(person).waitFor({ timeout: PATIENCE_MS });
}

// Fills the open action form: { field path: value } (text, textarea or a
// number input), then submits it.
export async function fillAction(person, values) {
  const form = actionForm(person);
  for (const [field, value] of Object.entries(values)) {
    await form.locator(`[data-field="${field}"]`).locator("textarea, input").first().fill(String(value));
  }
  await form.locator('[data-test="action-submit"]').click();
}

// The whole step: start the action, fill it in, and wait for its form to
// close (the server took it).
export async function act(person, table, ticket, action, values = {}) {
  await startAction(person, table, ticket, action);
  await fillAction(person, values);
  await actionForm(person).waitFor({ state: "hidden", timeout: PATIENCE_MS });
}

// Picks `option` in the Element Plus select marked data-test=`select`.
export async function choose(person, select, option) {
  await person.page.locator(`[data-test="${select}"]`).click();
  await person.page.locator(".el-select-dropdown__item:visible", { hasText: option }).first().click();
}

// Waits until the overview's count `key` (count-open, stage-2, card-4)
// reads `value`.
export async function countReads(person, key, value) {
  await person.page.locator(`[data-test="${key}"] [data-value]`, { hasText: new RegExp(`^\\s*${value}\\s*$`) })
    .waitFor({ timeout: PATIENCE_MS });
}

// Waits until `ticket` shows in the table marked `table` (or is gone, with
// state "detached").
export async function rowShows(person, table, ticket, state = "visible") {
  await person.page.locator(`[data-test="${table}"] [data-ticket="${ticket}"]`)
    .waitFor({ state, timeout: PATIENCE_MS });
}

// Fills the text field marked data-test=`name`: Element Plus puts the
// attribute on the <input> itself for el-input, on a wrapper for others.
export async function type(person, name, value) {
  await person.page.locator(`[data-test="${name}"]`)
    .locator("xpath=self::input | self::textarea | .//input | .//textarea").first().fill(String(value));
}

// The texts of the cells of each body row of the table marked `table`.
export async function tableRows(person, table) {
  return person.page.locator(`[data-test="${table}"] .el-table__body tr`).evaluateAll(
    (rows) => rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.innerText.trim())));
}
