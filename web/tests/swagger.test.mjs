// The API explorer at /swagger: Swagger UI from the build (no CDN; the page's CSP would refuse
// one) over /openapi.json, where a bearer token entered in "Authorize" is sent by "Try it out".

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { accessibilityProblems, ApiClient, launchBrowser, startTravio } from "./harness.mjs";

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

test("Swagger UI lists the API and calls it with the token given to Authorize", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  const outside = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("request", (request) => {
    if (!request.url().startsWith(travio.url) && !request.url().startsWith("data:")) outside.push(request.url());
  });
  await page.goto(`${travio.url}/swagger`);
  await page.locator(".swagger-ui .info .title").filter({ hasText: "Travio" }).waitFor();

  const email = `swagger-${Date.now()}@example.com`;
  const api = new ApiClient(travio.url);
  assert.equal((await api.request("POST", "/v1/auth/register", { email, password: "a long passphrase 42", name: "Ada" })).status, 201);
  const login = await api.request("POST", "/v1/auth/login", { email, password: "a long passphrase 42" });

  await page.getByRole("button", { name: /Authorize/ }).first().click();
  await page.locator("#auth-bearer-value").fill(login.body.access_token);
  await page.getByRole("button", { name: "Apply credentials" }).click();
  await page.locator(".modal-ux .btn-done").click();

  const me = page.locator('.opblock-summary-path[data-path="/v1/me"]').first();
  await me.click();
  const block = page.locator(".opblock.is-open").filter({ has: page.locator('[data-path="/v1/me"]') });
  const tryIt = block.getByRole("button", { name: "Try it out" });
  if (await tryIt.count()) await tryIt.click();
  await block.getByRole("button", { name: "Execute" }).click();
  const status = block.locator(".live-responses-table .response .response-col_status").first();
  await status.waitFor();
  assert.match(await status.textContent(), /200/);
  assert.match(await block.locator(".live-responses-table").textContent(), new RegExp(email.replace(/[.@]/g, "\\$&")));

  assert.deepEqual(problems, []);
  assert.deepEqual(outside, [], "the explorer loads nothing from another origin");
  const serious = await accessibilityProblems(page);
  // Swagger UI is a third-party page: report what axe finds, fail only on critical problems.
  assert.deepEqual(serious.filter((p) => p.includes("(critical)")), []);
  await context.close();
});
