import AxeBuilder from "@axe-core/playwright";
import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type Page,
  type Response,
  type TestInfo,
} from "@playwright/test";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { axeDir, readStats, statsFile } from "../axe-global";

export { expect };

/** Whether this project runs with JavaScript (hydrated) or without. */
export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/**
 * Fails the test on any axe-core violation (WCAG 2.x A/AA and best practices) on the page as it is now.
 * axe runs as JavaScript, so for the no-JS project the exact HTML the browser holds is served again,
 * at the same URL, to a JavaScript-enabled page whose own scripts are blocked (nothing hydrates).
 * Every page a test loads is also checked automatically, as loaded (see `test` below); this call is
 * for the states a test reaches inside a page.
 */
export async function expectAccessible(page: Page): Promise<void> {
  if (jsEnabled(test.info())) {
    expect(await axeViolations(page), "axe-core violations").toEqual([]);
    return;
  }
  const browser = page.context().browser();
  if (!browser) throw new Error("no browser");
  const mirror = await Mirror.open(browser);
  try {
    const summary = await mirror.check({ url: page.url(), status: 200, html: await page.content(), viewport: page.viewportSize() });
    expect(summary, "axe-core violations").toEqual([]);
  } finally {
    await mirror.close();
  }
}

/** axe-core on the page as it is now: one line per violation, empty when there is none. */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

/** A page as the server sent it: what the browser showed before any click. */
interface Snapshot {
  url: string;
  status: number;
  html: string;
  viewport: { width: number; height: number } | null;
}

/**
 * A JavaScript-enabled context that shows a given HTML at its URL, the portal's own scripts
 * blocked (so nothing hydrates and the page is what a browser without JavaScript shows), and
 * runs axe on it. The page's styles and images still come from the server.
 */
class Mirror {
  private current: Snapshot | null = null;

  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {}

  static async open(browser: Browser): Promise<Mirror> {
    const context = await browser.newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    await page.route("**/pkg/*.{js,wasm}", (route) => route.abort());
    const mirror = new Mirror(context, page);
    // a predicate, not a glob: `?` in a URL's query is a glob wildcard
    await page.route(
      (url) => mirror.current !== null && url.href === mirror.current.url,
      (route) =>
        route.fulfill({
          status: mirror.current!.status,
          contentType: "text/html; charset=utf-8",
          body: mirror.current!.html,
        }),
    );
    return mirror;
  }

  async check(snapshot: Snapshot): Promise<string[]> {
    this.current = snapshot;
    if (snapshot.viewport) await this.page.setViewportSize(snapshot.viewport);
    await this.page.goto(snapshot.url);
    return axeViolations(this.page);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/**
 * The page's markup without what axe's verdict does not depend on, so that one check covers
 * every page of the same template in the same state: per-request values (CSP nonces, CSRF and
 * other tokens), numbers (ids, codes, dates, counts) and the wording of texts and of form values
 * (names, addresses). Kept: every element and attribute, whether a text or a value is empty
 * (an empty link or button is a violation), `<style>` blocks and `style` attributes (colours
 * and sizes decide contrast and target size), `lang`, `id`, `for` and ARIA references.
 */
export function normalise(html: string): string {
  // the CSP nonce also shows up outside `nonce` attributes (Leptos puts it in `crossorigin`)
  const nonces = new Set([...html.matchAll(/\bnonce="([^"]+)"/g)].map((m) => m[1]));
  for (const nonce of nonces) html = html.split(nonce).join("~nonce~");
  return html
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>|\bstyle="[^"]*"|\b(?:nonce|value)="[^"]+"|>[^<]*[^<\s][^<]*</g, (m) =>
      m.startsWith("<style") || m.startsWith("style=") ? m : m.startsWith(">") ? ">~<" : m.replace(/"[^"]+"/, '"~"'),
    )
    .replace(/\b(?:id|for|aria-[a-z]+|data-[a-z-]+|href|action|src|name|datetime|min|max|title|alt|content)="[^"]*"/g, (m) =>
      m.replace(/[A-Za-z0-9_+/=-]{16,}/g, (t) => (/[0-9]/.test(t) ? "~token~" : t)).replace(/[0-9]+/g, "0"),
    );
}

/** Records every HTML document a page loads in its main frame (links, form posts, redirects' ends, goto). */
function recordDocuments(page: Page, into: Promise<Snapshot | string>[]): void {
  page.on("response", (response: Response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || response.frame() !== page.mainFrame()) return;
    const status = response.status();
    if (status >= 300 && status < 400) return; // a redirect: its end is recorded
    // downloads (PDF, CSV, XLSX) and JSON are not pages
    if (!/^text\/html\b/i.test(response.headers()["content-type"] ?? "")) return;
    const url = response.url();
    const viewport = page.viewportSize();
    // The body as sent; should the browser have dropped it already, the document as parsed.
    const parsed = new Promise<string | null>((resolve) => {
      const done = (html: string | null) => {
        page.off("domcontentloaded", loaded);
        page.off("close", closed);
        clearTimeout(timer);
        resolve(html);
      };
      const loaded = () => page.content().then(done, () => done(null));
      const closed = () => done(null);
      const timer = setTimeout(closed, 30_000);
      page.on("domcontentloaded", loaded);
      page.on("close", closed);
    });
    into.push(
      response.text().then(
        (html) => ({ url, status, html, viewport }),
        async (e: Error) => {
          const html = await parsed;
          return html === null ? `${url}: the document could not be read (${e.message.split("\n")[0]})` : { url, status, html, viewport };
        },
      ),
    );
  });
}

/**
 * `test` from Playwright, plus axe-core on every page each test loads: every HTML document
 * received in a main frame — `goto`, links followed, forms posted (without JavaScript each is a
 * navigation), the ends of redirects, error pages — in the test's own page and in any context or
 * page the test opens with `browser.newContext()`. The documents are kept as received and
 * checked when the test ends (so the checks do not disturb the journey), each as the no-JS
 * `expectAccessible` does. Equal pages (see `normalise`) are checked once per run, across both
 * projects; a page with violations fails every test that loads it.
 */
export const test = base.extend<{ axeEveryPage: void }>({
  axeEveryPage: [
    async ({ browser }, use, testInfo) => {
      const documents: Promise<Snapshot | string>[] = [];
      const watched = new WeakSet<BrowserContext>();
      const watch = (context: BrowserContext) => {
        if (watched.has(context)) return;
        watched.add(context);
        context.pages().forEach((page) => recordDocuments(page, documents));
        context.on("page", (page) => recordDocuments(page, documents));
      };
      // the `context` fixture and the specs' own contexts are all made by browser.newContext
      const newContext = browser.newContext;
      browser.newContext = async function (this: Browser, ...args: Parameters<Browser["newContext"]>) {
        const context = await newContext.apply(this, args);
        watch(context);
        return context;
      };
      browser.contexts().forEach(watch);
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      await checkDocuments(browser, await Promise.all(documents), testInfo);
    },
    { auto: true, title: "axe-core on every page loaded", timeout: 120_000 },
  ],
});

async function checkDocuments(browser: Browser, documents: (Snapshot | string)[], testInfo: TestInfo): Promise<void> {
  mkdirSync(axeDir, { recursive: true });
  const stats = readStats();
  const problems: string[] = [];
  const seen = new Set<string>();
  let mirror: Mirror | null = null;
  try {
    for (const doc of documents) {
      stats.loaded++;
      if (typeof doc === "string") {
        // The test moved on before this document had loaded (neither the body nor the parsed
        // document could be read): it was never shown. Counted and noted, not failed.
        stats.unread++;
        testInfo.annotations.push({ type: "axe: not checked", description: doc });
        continue;
      }
      const viewport = doc.viewport ? `${doc.viewport.width}x${doc.viewport.height}` : "default";
      const key = createHash("sha256").update(`${viewport}\n${normalise(doc.html)}`).digest("hex").slice(0, 32);
      if (seen.has(key)) continue;
      seen.add(key);
      const resultFile = `${axeDir}/${key}.json`;
      let violations: string[];
      try {
        violations = (JSON.parse(readFileSync(resultFile, "utf8")) as { violations: string[] }).violations;
      } catch {
        mirror ??= await Mirror.open(browser);
        const started = Date.now();
        violations = await mirror.check(doc);
        stats.axeMs += Date.now() - started;
        stats.checked++;
        writeFileSync(resultFile, JSON.stringify({ url: doc.url, test: testInfo.titlePath.join(" › "), violations }));
      }
      if (violations.length) {
        stats.failed++;
        problems.push(`${doc.url} (HTTP ${doc.status}):\n    ${violations.join("\n    ")}`);
      }
    }
  } finally {
    await mirror?.close();
    writeFileSync(statsFile, JSON.stringify(stats));
  }
  if (problems.length) {
    throw new Error(`axe-core on the pages this test loaded:\n  ${problems.join("\n  ")}`);
  }
}

/** Collects uncaught page errors and console errors (a broken wasm shows up here). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Waits until the islands on the page are hydrated (the menu island marks itself ready). */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator("button.nav-toggle[data-ready=true]")).toHaveCount(1, { timeout: 15_000 });
}

const mailHttpPort = Number(process.env.E2E_MAIL_HTTP_PORT ?? 2580);

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Waits for the n-th (1-based) email to `to` in the SMTP sink and returns it. */
export async function waitForMail(to: string, n = 1): Promise<Mail> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`http://127.0.0.1:${mailHttpPort}/messages?to=${encodeURIComponent(to)}`);
    const list = (await res.json()) as Mail[];
    if (list.length >= n) return list[n - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email #${n} to ${to}`);
}

/** The first link in a text that contains `needle`. */
export function linkIn(text: string, needle: string): string {
  const link = text.split(/\s+/).find((w) => w.startsWith("http") && w.includes(needle));
  if (!link) throw new Error(`no link with ${needle} in ${text}`);
  return link;
}

/** A unique, valid citizen id (CCCD): Hà Nội, male born 1990s, random serial. */
export function newCitizenId(): string {
  const serial = String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0");
  return `001099${serial}`;
}

/** A unique email address for this run. */
export function newEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.vn`;
}

/** The current TOTP code (RFC 6238, SHA-1, 6 digits, 30 s) for a base32 secret. */
export async function totp(secretBase32: string, at = Date.now()): Promise<string> {
  const { createHmac } = await import("node:crypto");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secretBase32.replace(/=+$/, "").toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  }
  const bytes = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac("sha1", bytes).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, "0");
}

// TOTP secrets of the demo officers enrolled during this run, shared by the specs (the two
// browser projects run one after the other against the same server and database).
const secretsFile = `${process.env.E2E_DATA_DIR ?? "/tmp"}/totp-secrets.json`;

function readSecrets(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(secretsFile, "utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

/** Records an officer's TOTP secret for later sign-ins in this run. */
export function rememberSecret(email: string, secret: string): void {
  const all = readSecrets();
  all[email] = secret;
  writeFileSync(secretsFile, JSON.stringify(all));
}

/**
 * A TOTP code for `email` that the portal has not seen yet: the portal accepts a code once
 * (its 30 s step must be later than the last one used), allowing one step of clock drift
 * either side. So the next unused step is taken — the current one, else the next (within
 * the drift window) — and only a third sign-in within the same 30 s waits for a new step.
 */
export async function freshCode(email: string, secret: string): Promise<string> {
  const all = readSecrets();
  const last = Number(all[`step:${email}`] ?? -1);
  let now = Math.floor(Date.now() / 30000);
  while (last >= now + 1) {
    await new Promise((r) => setTimeout(r, (now + 1) * 30000 - Date.now() + 250));
    now = Math.floor(Date.now() / 30000);
  }
  const step = Math.max(now, last + 1);
  all[`step:${email}`] = String(step);
  writeFileSync(secretsFile, JSON.stringify(all));
  return totp(secret, step * 30000 + 1000);
}

/** Signs a demo officer in with the password and TOTP, enrolling them first if needed. */
export async function officerSignIn(page: Page, email: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByLabel(/^Mật khẩu/).fill("MotCua-demo-2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText(/Thiết lập xác thực hai lớp|Xác thực hai lớp/);
  if ((await heading.textContent())?.trim() === "Thiết lập xác thực hai lớp") {
    const secret = (await page.locator("code.secret").textContent())?.trim() ?? "";
    rememberSecret(email, secret);
    await page.getByLabel("Mã xác thực").fill(await freshCode(email, secret));
    await page.getByRole("button", { name: "Tiếp tục" }).click();
    await page.getByRole("link", { name: "Tôi đã lưu các mã, tiếp tục" }).click();
  } else {
    const secret = readSecrets()[email];
    if (!secret) throw new Error(`no TOTP secret recorded for ${email}`);
    await page.getByLabel("Mã xác thực").fill(await freshCode(email, secret));
    await page.getByRole("button", { name: "Tiếp tục" }).click();
  }
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Trang cán bộ");
}
