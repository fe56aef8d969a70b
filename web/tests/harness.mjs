// The browser tests' harness: the real `travio` monolith on a free loopback port with the demo
// network, and Debian's Chromium driven by playwright-core. Nothing is mocked.

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const webRoot = resolve(here, "..");
export const repoRoot = resolve(webRoot, "..");

export function travioBinary() {
  return process.env.TRAVIO_BIN || join(repoRoot, "build", "bin", "travio");
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The monolith with the demo data, serving the built web apps (web/dist). */
export async function startTravio({ environment = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "travio-web-"));
  const binary = travioBinary();
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("TRAVIO_")) env[name] = value;
  }
  Object.assign(env, {
    TRAVIO_HTTP_STATIC_DIR: join(webRoot, "dist"),
    // Every test client is 127.0.0.1: per-address limits would make the tests refuse each other.
    TRAVIO_GATEWAY_CLIENT_LIMITS: "off",
    ...environment,
  });
  execFileSync(binary, ["seed", "--demo", "--data-dir", dataDir, "--set", "log.level=warn"], { env, stdio: "pipe" });
  const logPath = join(dataDir, "travio.log");
  let server = await serve(binary, dataDir, env);
  const stopServer = async () => {
    server.child.kill("SIGTERM");
    for (let j = 0; j < 200 && !server.exited(); j++) await sleep(25);
    if (!server.exited()) server.child.kill("SIGKILL");
    writeFileSync(logPath, server.log());
  };
  const travio = {
    url: server.url,
    dataDir,
    log: () => server.log(),
    /**
     * Stops the server, runs `change` (the data directory's databases are the server's alone
     * while it runs), and starts it again on the same data; `url` may change.
     */
    async restart(change = () => {}) {
      await stopServer();
      change();
      server = await serve(binary, dataDir, env);
      travio.url = server.url;
    },
    async stop() {
      await stopServer();
      if (!process.env.TRAVIO_TEST_KEEP) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return travio;
}

/** `travio serve` on `dataDir` at a free loopback port, once it is ready. */
async function serve(binary, dataDir, env) {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(binary, ["serve", "--data-dir", dataDir, "--http-addr", `127.0.0.1:${port}`, "--set", "log.level=warn"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (chunk) => (log += chunk));
    child.stderr.on("data", (chunk) => (log += chunk));
    let exited = false;
    child.on("exit", () => (exited = true));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600 && !exited; i++) {
      try {
        const answer = await fetch(`${url}/readyz`);
        if (answer.status === 200) return { url, child, log: () => log, exited: () => exited };
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    child.kill("SIGKILL");
    // Another process may have taken the port between choosing and binding it: once more.
    if (attempt < 2 && /in use/i.test(log)) continue;
    throw new Error(`travio did not become ready:\n${log}`);
  }
}

export function chromiumPath() {
  for (const candidate of [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error("Chromium is not installed: run scripts/bootstrap (Debian package chromium)");
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

/** A phone-sized page that fails the test on any script error or CSP violation. */
export async function phonePage(browser, { locale = "en-GB" } = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    timezoneId: "Europe/London", // not the stations' zone: times must still be shown in Dhaka's
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/Failed to load resource/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.problems = problems;
  return { context, page };
}

/** A desktop-sized page (the operator console), failing the test the same ways as phonePage. */
export async function desktopPage(browser, { locale = "en-GB" } = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale, timezoneId: "Europe/London" });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/Failed to load resource/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.problems = problems;
  return { context, page };
}

/** The newest invitation mailed to `email` under the data directory: its token and its text. */
export async function inviteFromMail(dataDir, email) {
  const dir = join(dataDir, "mail");
  for (let attempt = 0; attempt < 200; attempt++) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".eml")).sort() : [];
    const mine = files.map((f) => readFileSync(join(dir, f), "utf8")).filter((text) => text.includes(`To: ${email}\r\n`));
    const text = mine[mine.length - 1];
    const token = text && /Invite token: (\S+)/.exec(text)?.[1];
    if (token) return { token, text };
    await sleep(50);
  }
  throw new Error(`no invitation mailed to ${email} in ${dir}`);
}

const axeSource = readFileSync(join(webRoot, "node_modules", "axe-core", "axe.min.js"), "utf8");

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA). */
export async function accessibilityProblems(page) {
  // Evaluated through the debugger protocol, so the page's CSP (script-src 'self') allows it.
  await page.evaluate(`${axeSource};0`);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const found = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return found.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return result;
}

/** Saves a screenshot when TRAVIO_SCREENSHOTS names a directory (docs/screenshots is committed). */
export async function screenshot(page, name) {
  const dir = process.env.TRAVIO_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  // From the top: a page scrolled down would draw its sticky header in the middle of the shot.
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The same API the page uses, as another client (its own guest). */
export class ApiClient {
  constructor(url) {
    this.url = url;
    this.token = null;
  }
  async guest() {
    const answer = await fetch(`${this.url}/v1/auth/guest`, { method: "POST" });
    this.token = (await answer.json()).access_token;
    return this;
  }
  async request(method, path, body, headers = {}) {
    const answer = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...(body ? { "Content-Type": "application/json" } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await answer.text();
    return { status: answer.status, body: text ? JSON.parse(text) : null };
  }
}

/**
 * The demo's Dhaka to Cox's Bazar fare in taka on a day `days` ahead: 1,500, or 1,650 on Fridays
 * and Saturdays (the demo's weekend surcharge rule: 10% more, whole taka). A test that names a
 * price on a day counted from today must ask this, or it fails two days a week.
 */
export function demoFare(days) {
  const weekday = new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Dhaka", weekday: "short" })
    .format(new Date(Date.now() + days * 86_400_000));
  return weekday === "Fri" || weekday === "Sat" ? 1650 : 1500;
}

/** Whole taka as the web app writes them: ৳3,300. */
export function taka(amount) {
  return `৳${amount.toLocaleString("en-GB")}`;
}

/** A calendar date `days` from today in Dhaka (the demo network's zone). */
export function dhakaDate(days) {
  const now = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Dhaka" }).format(now);
}
