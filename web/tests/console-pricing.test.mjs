// The refund policy and the pricing rules in the operator console, in Debian's Chromium against
// the real monolith with the demo data. The demo manager opens the pricing rules from the menu,
// writes a rule with a syntax error (shown at its line and column, nothing saved), fixes it, tries
// expressions with the rule variables, previews a trip's prices with the rule as drafted, saves
// it (the server then prices that trip as the preview said), and deletes it after a
// confirmation. The manager then changes the refund policy: a bad share is refused on its input
// and nothing is saved, a good policy is saved and read back in words. A viewer reads the policy
// with no control to change it, and the API refuses the change anyway.
// Every page state shown is checked with axe-core.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { inviteFromMail, launchBrowser, screenshot, startTravio } from "./harness.mjs";
import { api, assertAccessible, consoleAs, demoManager, menuLink, newOwner, PASSWORD, unique } from "./console-helpers.mjs";

let travio;
let browser;

before(async () => {
  travio = await startTravio();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await travio?.stop();
});

const org = (who) => ({ "X-Org-Id": who.orgId });

test("the demo manager writes, tries, previews and saves a pricing rule, then deletes it", async () => {
  const manager = await demoManager(travio);
  const { context, page } = await consoleAs(browser, travio, manager);
  try {
    // The rules, in the order they apply.
    await menuLink(page, "Pricing rules").click();
    await page.getByRole("heading", { name: "Pricing rules", level: 1 }).waitFor();
    const rows = page.locator("tr[data-rule]");
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).textContent(), /Weekend surcharge.*10.*Active: applies now.*No limit.*getDayOfWeek\(\) in \[5, 6\]/);
    assert.match(await rows.nth(1).textContent(), /Last-minute discount.*20.*trip\.hours_to_departure < 6 && occupancy < 50/);
    assert.equal(await page.getByRole("link", { name: "Edit Weekend surcharge" }).getAttribute("href"), `/console/pricing/${(await rows.nth(0).getAttribute("data-rule"))}`);
    await assertAccessible(page, "the pricing rules");
    await screenshot(page, "console-pricing-rules");

    // A new rule with a syntax error on the second line of its condition.
    await page.getByRole("link", { name: "New rule" }).click();
    await page.getByRole("heading", { name: "New pricing rule" }).waitFor();
    assert.equal(await page.getByLabel("Priority").inputValue(), "30", "a new rule applies after the others");
    await page.locator("table.preview-table").waitFor();
    await page.getByLabel("Name").fill("Early booking discount");
    await page.getByLabel("Applies when").fill("trip.hours_to_departure >= 24 &&\n  occupancy <> 80");
    await page.getByLabel("New price").fill("price - price * 5 / 100");
    await page.getByRole("button", { name: "Create rule" }).click();
    const whenError = page.locator("#rule-when-error");
    await whenError.waitFor();
    assert.match(await whenError.locator("p.error").textContent(), /^Line 2, column 14: unexpected '>'/);
    assert.equal(await page.locator(".expr-field:has(#rule-when) .gutter li.bad").textContent(), "2", "the line is marked");
    const caret = (await whenError.locator("pre.caret").textContent()).split("\n");
    assert.equal(caret[0], "2   occupancy <> 80");
    assert.equal(caret[1].indexOf("^") - caret[0].indexOf("occupancy"), "occupancy <".length, "the caret is under the column");
    assert.equal(await page.getByLabel("Applies when").getAttribute("aria-invalid"), "true");
    await page.getByText("The rule was not saved: an expression has a problem, shown under it.").waitFor();
    // The button puts the cursor at the place.
    await whenError.getByRole("button", { name: "Put the cursor at line 2, column 14" }).click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "rule-when");
    assert.equal(await page.evaluate(() => document.activeElement.selectionStart), "trip.hours_to_departure >= 24 &&\n  occupancy <".length);
    const stillTwo = await api(travio, "GET", "/v1/pricing/rules", manager.token, null, org(manager));
    assert.equal(stillTwo.body.items.length, 2, "nothing was saved");
    await assertAccessible(page, "the rule editor showing an expression's problem");
    await screenshot(page, "console-pricing-editor-error");

    // Fixed: the problem goes, and the preview works the rule out on a trip a day or more away.
    await page.getByLabel("Applies when").fill("trip.hours_to_departure >= 24 &&\n  occupancy < 80");
    assert.equal(await whenError.count(), 0);
    const options = await page.locator("#preview-trip option").evaluateAll((all) => all.map((o) => o.value));
    assert.ok(options.length > 1, "upcoming trips to preview on");
    let later = null;
    for (const id of options) {
      const trip = (await api(travio, "GET", `/v1/catalog/trips/${id}`, manager.token, null, org(manager))).body;
      if (Date.parse(trip.departure) - Date.now() > 30 * 3_600_000) {
        later = trip;
        break;
      }
    }
    assert.ok(later, "a trip more than 30 hours away");
    await page.getByLabel("Trip", { exact: true }).selectOption(later.id);
    await page.locator(`table.preview-table[data-trip="${later.id}"]`).waitFor();
    const firstCategory = page.locator("table.preview-table tbody tr").first();
    await firstCategory.locator(".price-draft", { hasText: "It applies" }).waitFor();
    const quoteBefore = (await api(travio, "POST", "/v1/pricing/quote", null, { trip_id: later.id, from: later.stops[0].station, to: later.stops.at(-1).station })).body;
    const now = quoteBefore.categories[0];
    const expected = now.price - Math.trunc((now.price * 5) / 100);
    const money = (minor) =>
      new Intl.NumberFormat("en-GB", { style: "currency", currency: quoteBefore.currency, currencyDisplay: "narrowSymbol", minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(minor / 100);
    assert.match(await firstCategory.locator(".price-now").textContent(), new RegExp(`^${money(now.price).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    assert.match(await firstCategory.locator(".price-draft strong").textContent(), new RegExp(money(expected).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));

    // Trying expressions with the trip's values.
    await page.getByRole("button", { name: "Fill in the values from the previewed trip" }).click();
    assert.equal(await page.getByLabel("price", { exact: true }).inputValue(), String(now.base));
    assert.equal(await page.getByLabel("journey.from", { exact: true }).inputValue(), later.stops[0].station);
    await page.getByRole("button", { name: "Copy “New price” here" }).click();
    assert.equal(await page.getByLabel("Expression", { exact: true }).inputValue(), "price - price * 5 / 100");
    await page.getByLabel("price", { exact: true }).fill("100000");
    await page.getByRole("button", { name: "Try it" }).click();
    await page.locator(".trial-result", { hasText: "Result:" }).waitFor();
    assert.match(await page.locator(".trial-result").textContent(), /Result: 95000 \(int\) · as a price, ৳950/);
    await page.getByRole("button", { name: "Copy “Applies when” here" }).click();
    await page.getByLabel("trip.hours_to_departure", { exact: true }).fill("3");
    await page.getByRole("button", { name: "Try it" }).click();
    await page.locator(".trial-result", { hasText: "Result: false (bool)" }).waitFor();
    // A value that does not read is named at its input; a failure is placed in the expression.
    await page.getByLabel("occupancy", { exact: true }).fill("lots");
    await page.getByRole("button", { name: "Try it" }).click();
    assert.match(await page.locator("#binding-occupancy-error").textContent(), /Enter a whole number/);
    await page.getByLabel("occupancy", { exact: true }).fill("40");
    await page.getByLabel("Expression", { exact: true }).fill("price / (passengers - 1)");
    await page.getByRole("button", { name: "Try it" }).click();
    await page.locator("#trial-expression-error").waitFor();
    assert.match(await page.locator("#trial-expression-error p.error").textContent(), /^Line 1, column \d+: division by zero/);
    await page.getByText("It does not work out with these values.").waitFor();
    await page.getByLabel("Expression", { exact: true }).fill("trip.departure.getDayOfWeek('Asia/Dhaka')");
    await page.getByRole("button", { name: "Try it" }).click();
    await page.locator(".trial-result", { hasText: "(int)" }).waitFor();
    await assertAccessible(page, "the rule editor with a preview and a trial");
    await screenshot(page, "console-pricing-editor");

    // Saved: listed third, and the server prices the trip as the preview said.
    await page.getByRole("button", { name: "Create rule" }).click();
    await page.getByRole("heading", { name: "Pricing rules", level: 1 }).waitFor();
    await page.getByRole("status").filter({ hasText: "The rule “Early booking discount” was saved." }).waitFor();
    assert.equal(await rows.count(), 3);
    assert.match(await rows.nth(2).textContent(), /Early booking discount.*30.*Active: applies now/);
    const listed = (await api(travio, "GET", "/v1/pricing/rules", manager.token, null, org(manager))).body.items;
    const saved = listed.find((r) => r.name === "Early booking discount");
    assert.ok(saved, "the API lists the new rule");
    assert.equal(saved.when, "trip.hours_to_departure >= 24 &&\n  occupancy < 80");
    assert.equal(saved.adjust, "price - price * 5 / 100");
    assert.equal(saved.priority, 30);
    assert.equal(saved.active, true);
    assert.equal(listed.length, 3);
    const quoteAfter = (await api(travio, "POST", "/v1/pricing/quote", null, { trip_id: later.id, from: later.stops[0].station, to: later.stops.at(-1).station })).body;
    assert.equal(quoteAfter.categories[0].price, expected, "the preview foretold the price");
    assert.ok(quoteAfter.categories[0].applied.some((a) => a.rule_id === saved.id));
    await assertAccessible(page, "the pricing rules after saving");

    // Opened again, the rule shows its preview at once; deleted after a confirmation.
    await page.getByRole("link", { name: "Edit Early booking discount" }).click();
    await page.getByRole("heading", { name: "Rule: Early booking discount" }).waitFor();
    assert.equal(await page.getByLabel("Applies when").inputValue(), saved.when);
    assert.match(await page.locator("table.preview-table tbody tr").first().locator(".price-draft").textContent(), /It applies|It does not apply/, "the preview is drawn with the page");
    await assertAccessible(page, "the editor of a saved rule");
    await screenshot(page, "console-pricing-rule");
    await page.getByRole("link", { name: "Pricing rules" }).first().click();
    await page.getByRole("heading", { name: "Pricing rules", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Delete Early booking discount" }).click();
    const confirmBox = page.getByRole("group", { name: "Delete the rule “Early booking discount”?" });
    await confirmBox.waitFor();
    assert.match(await confirmBox.textContent(), /searches and new holds are priced without it.*keep the price they were given/);
    await assertAccessible(page, "the confirmation of a deletion");
    await confirmBox.getByRole("button", { name: "Delete the rule" }).click();
    await page.getByRole("status").filter({ hasText: "The rule “Early booking discount” was deleted." }).waitFor();
    assert.equal(await rows.count(), 2);
    assert.equal((await api(travio, "GET", "/v1/pricing/rules", manager.token, null, org(manager))).body.items.length, 2);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test("the manager changes the refund policy; a bad share is refused on its input", async () => {
  const manager = await demoManager(travio);
  const { context, page } = await consoleAs(browser, travio, manager);
  try {
    await menuLink(page, "Refund policy").click();
    await page.getByRole("heading", { name: "Refund policy", level: 1 }).waitFor();
    const words = page.locator("#refund-now li");
    assert.deepEqual(await words.allTextContents(), [
      "Cancelled 48 hours or more before departure: 90% back (10% kept as a fee).",
      "Cancelled less than 48 hours but at least 24 hours before departure: 75% back (25% kept as a fee).",
      "Cancelled less than 24 hours but at least 6 hours before departure: 50% back (50% kept as a fee).",
      "Cancelled less than 6 hours before departure: nothing back.",
    ]);
    await page.getByText("This is Travio's standard policy").waitFor();
    await assertAccessible(page, "the refund policy");

    // A share above 100 on the second row: the server's objection lands on that input.
    await page.getByLabel("Share refunded, row 2, in percent").fill("120");
    await page.getByText("With these changes:").waitFor();
    await page.getByRole("button", { name: "Save the refund policy" }).click();
    const error = page.locator("#tier-1-percent-error");
    await error.waitFor();
    assert.match(await error.textContent(), /Enter a share from 0 to 100\./);
    assert.match(await error.textContent(), /cannot refund more than the row above \(90%\)/);
    assert.equal(await page.getByLabel("Share refunded, row 2, in percent").getAttribute("aria-invalid"), "true");
    assert.equal(await page.locator("#tier-1-hours-error").count(), 0, "the hours of that row are fine");
    await page.getByText("The policy was not saved: see the marked rows.").waitFor();
    const unchanged = await api(travio, "GET", "/v1/operator/refund-policy", manager.token, null, org(manager));
    assert.equal(unchanged.body.default, true, "nothing was saved");
    assert.deepEqual(unchanged.body.tiers.map((t) => t.percent), [90, 75, 50]);
    await assertAccessible(page, "the refund policy with a refused value");
    await screenshot(page, "console-refund-error");

    // A notice longer than the row above is refused on the hours.
    await page.getByLabel("Share refunded, row 2, in percent").fill("60");
    await page.getByLabel("Hours of notice, row 3").fill("30");
    await page.getByRole("button", { name: "Save the refund policy" }).click();
    await page.locator("#tier-2-hours-error", { hasText: "Make it shorter than the row above (24 hours)." }).waitFor();
    assert.equal((await api(travio, "GET", "/v1/operator/refund-policy", manager.token, null, org(manager))).body.default, true);

    // A good policy: saved, and read back in words.
    await page.getByLabel("Hours of notice, row 3").fill("6");
    await page.getByRole("button", { name: "Add a row" }).click();
    await page.getByLabel("Hours of notice, row 4").fill("2");
    await page.getByLabel("Share refunded, row 4, in percent").fill("10");
    assert.equal(await page.locator("tr[data-tier='3'] .fee").textContent(), "90%");
    await page.getByRole("button", { name: "Save the refund policy" }).click();
    await page.getByRole("status").filter({ hasText: "The refund policy was saved." }).waitFor();
    const stored = await api(travio, "GET", "/v1/operator/refund-policy", manager.token, null, org(manager));
    assert.equal(stored.body.default, false);
    assert.deepEqual(stored.body.tiers, [
      { notice_hours: 48, percent: 90 },
      { notice_hours: 24, percent: 60 },
      { notice_hours: 6, percent: 50 },
      { notice_hours: 2, percent: 10 },
    ]);
    assert.deepEqual((await words.allTextContents()).slice(1), [
      "Cancelled less than 48 hours but at least 24 hours before departure: 60% back (40% kept as a fee).",
      "Cancelled less than 24 hours but at least 6 hours before departure: 50% back (50% kept as a fee).",
      "Cancelled less than 6 hours but at least 2 hours before departure: 10% back (90% kept as a fee).",
      "Cancelled less than 2 hours before departure: nothing back.",
    ]);
    assert.equal(await page.getByText("This is Travio's standard policy").count(), 0);
    await assertAccessible(page, "the saved refund policy");
    await screenshot(page, "console-refund-policy");

    // The same page in Bangla.
    await page.getByRole("button", { name: "বাংলা" }).click();
    await page.getByRole("heading", { name: "ফেরত নীতি", level: 1 }).waitFor();
    await page.getByRole("status").filter({ hasText: "ফেরত নীতি সংরক্ষিত হয়েছে।" }).waitFor();
    assert.equal(await words.first().textContent(), "যাত্রার অন্তত ৪৮ ঘণ্টা আগে বাতিল করলে: ৯০% ফেরত (১০% ফি হিসেবে কাটা হয়)।");
    await assertAccessible(page, "the refund policy in Bangla");
    await screenshot(page, "console-refund-policy-bn");
    await page.getByRole("button", { name: "English" }).click();
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test("a viewer reads the refund policy with nothing to change it, and the API refuses the change", async () => {
  const owner = await newOwner(travio);
  const email = unique("viewer");
  const invited = await api(travio, "POST", "/v1/orgs/invites", owner.token, { email, role: "viewer" }, { ...org(owner), "Idempotency-Key": `invite-${Date.now()}` });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  const { token } = await inviteFromMail(travio.dataDir, email);
  const accepted = await api(travio, "POST", "/v1/invites/accept", null, { token, name: "Viewer Das", password: PASSWORD });
  assert.ok([200, 201].includes(accepted.status), JSON.stringify(accepted.body));
  const viewer = { email, password: PASSWORD };

  const { context, page } = await consoleAs(browser, travio, viewer);
  try {
    assert.equal(await menuLink(page, "Pricing rules").count(), 0, "viewers do not price");
    await menuLink(page, "Refund policy").click();
    await page.getByRole("heading", { name: "Refund policy", level: 1 }).waitFor();
    assert.equal(await page.locator("#refund-now li").count(), 4);
    assert.equal(await page.locator("main").locator("input, button, select, textarea").count(), 0, "no control in main");
    await page.getByText("Owners, admins and managers can change the policy.").waitFor();
    await assertAccessible(page, "the refund policy for a viewer");
    await screenshot(page, "console-refund-viewer");

    await page.goto(`${travio.url}/console/pricing`);
    await page.getByRole("heading", { name: "Not for your role" }).waitFor();

    const login = await api(travio, "POST", "/v1/auth/login", null, { email, password: PASSWORD });
    const viewerToken = login.body.access_token;
    const put = await api(travio, "PUT", "/v1/operator/refund-policy", viewerToken, { tiers: [{ notice_hours: 24, percent: 100 }] }, org(owner));
    assert.equal(put.status, 403);
    assert.equal((await api(travio, "GET", "/v1/pricing/rules", viewerToken, null, org(owner))).status, 403);
    const policy = await api(travio, "GET", "/v1/operator/refund-policy", owner.token, null, org(owner));
    assert.equal(policy.body.default, true, "the policy is unchanged");
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});
