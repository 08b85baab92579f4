import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { readFileSync, writeFileSync } from "node:fs";

/** Whether this project runs with JavaScript (hydrated) or without. */
export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/**
 * Fails the test on any axe-core violation (WCAG 2.x A/AA and best practices) on the page as it is now.
 * axe runs as JavaScript, so for the no-JS project the exact HTML the browser holds is served again,
 * at the same URL, to a JavaScript-enabled page whose own scripts are blocked (nothing hydrates).
 */
export async function expectAccessible(page: Page): Promise<void> {
  if (jsEnabled(test.info())) {
    await runAxe(page);
    return;
  }
  const url = page.url();
  const html = await page.content();
  const browser = page.context().browser();
  if (!browser) throw new Error("no browser");
  const context = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  try {
    const mirror = await context.newPage();
    await mirror.route("**/pkg/*.{js,wasm}", (route) => route.abort());
    await mirror.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
    await mirror.goto(url);
    await runAxe(mirror);
  } finally {
    await context.close();
  }
}

async function runAxe(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(summary, "axe-core violations").toEqual([]);
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
