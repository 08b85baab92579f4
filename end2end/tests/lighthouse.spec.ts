import { chromium, expect, test } from "@playwright/test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchOptions } from "../playwright.config";
import { jsEnabled } from "./support";

// Lighthouse (npm `lighthouse`, mobile profile: simulated slow 4G and a 4× slower CPU) on the
// home, procedure, filing and dossier pages, in Debian's Chromium. Fails below the budgets of
// issue #9: performance ≥ 95, accessibility 100, best practices ≥ 95. The release wasm is what
// is measured (scripts/build); the server is the debug build the other specs use. Each page is
// measured three times and the median run judged, as Lighthouse's documentation advises
// (one run's performance score moves by several points with the machine's load).
// LIGHTHOUSE_REPORT_DIR=dir keeps the judged run's full report of each page.
const BUDGET = { performance: 95, accessibility: 100, "best-practices": 95 } as const;
const PROCEDURE = "1.004873";
/** Everything the home page downloads on a first visit, compressed as sent (issue #9). */
const FIRST_VISIT_BYTES = 200 * 1024;
/** Runs per page; the median one is judged. */
const RUNS = 3;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

test("Lighthouse budgets on the home, procedure, filing and dossier pages", async ({ baseURL }, testInfo) => {
  test.skip(!jsEnabled(testInfo), "Lighthouse measures the page with its scripts");
  test.setTimeout(600_000);
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), "motcua-lighthouse-"));
  // A persistent context is the browser's default one, which Lighthouse's tab shares: the
  // citizen signed in here is signed in there.
  const context = await chromium.launchPersistentContext(profile, {
    ...launchOptions,
    headless: true,
    args: [...launchOptions.args, `--remote-debugging-port=${port}`],
  });
  try {
    const page = await context.newPage();
    await page.goto(`${baseURL}/login`);
    await page.getByLabel("Thư điện tử").fill("citizen@demo.motcua.vn");
    await page.getByLabel(/^Mật khẩu/).fill("MotCua-demo-2026");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
    // a draft to fill in (the filing page), and one of the citizen's submitted dossiers
    await page.goto(`${baseURL}/procedures/${PROCEDURE}`);
    const filer = page.getByLabel("Nộp với tư cách");
    if (await filer.count()) await filer.selectOption("self");
    await page.getByRole("button", { name: "Nộp hồ sơ trực tuyến" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Soạn hồ sơ");
    const filing = page.url();
    await page.goto(`${baseURL}/dossiers`);
    const links = await page.locator("main a[href^='/dossiers/']").evaluateAll((as) =>
      as.map((a) => (a as HTMLAnchorElement).href),
    );
    const dossier = links.find((href) => !filing.startsWith(href) && /\/dossiers\/[^/?]+$/.test(href));
    expect(dossier, "the demo citizen has a submitted dossier").toBeTruthy();
    await page.close();

    const { default: lighthouse } = await import("lighthouse");
    const pages = { home: `${baseURL}/`, procedure: `${baseURL}/procedures/${PROCEDURE}`, filing, dossier: dossier! };
    const failures: string[] = [];
    for (const [name, url] of Object.entries(pages)) {
      // Lighthouse's own advice on variability: run several times and take the median run
      // (here by performance score, the one that varies with the machine's load).
      const runs: NonNullable<Awaited<ReturnType<typeof lighthouse>>>[] = [];
      for (let run = 0; run < RUNS; run++) {
        const result = await lighthouse(url, {
          port,
          logLevel: "error",
          output: "json",
          onlyCategories: Object.keys(BUDGET),
        });
        if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
        runs.push(result);
      }
      const score = (r: (typeof runs)[number], c: string) => Math.round((r.lhr.categories[c]?.score ?? 0) * 100);
      const sorted = [...runs].sort((a, b) => score(a, "performance") - score(b, "performance"));
      const result = sorted[Math.floor(sorted.length / 2)];
      const lhr = result.lhr;
      if (process.env.LIGHTHOUSE_REPORT_DIR) {
        writeFileSync(join(process.env.LIGHTHOUSE_REPORT_DIR, `${name}.json`), result.report as string);
      }
      const scores = Object.fromEntries(Object.keys(BUDGET).map((c) => [c, score(result, c)])) as Record<
        keyof typeof BUDGET,
        number
      >;
      const tbt = (r: (typeof runs)[number]) => r.lhr.audits["total-blocking-time"]?.displayValue ?? "?";
      console.log(
        `lighthouse ${name}: performance of the ${RUNS} runs ${runs.map((r) => `${score(r, "performance")} (TBT ${tbt(r)})`).join(", ")}`,
      );
      const weight = lhr.audits["total-byte-weight"]?.numericValue ?? 0;
      console.log(
        `lighthouse ${name}: ${JSON.stringify(scores)}, ${(weight / 1024).toFixed(1)} KiB transferred (${url.replace(baseURL ?? "", "")})`,
      );
      if (name === "home" && weight > FIRST_VISIT_BYTES) {
        failures.push(`home first visit ${(weight / 1024).toFixed(1)} KiB > ${FIRST_VISIT_BYTES / 1024} KiB`);
      }
      for (const [category, min] of Object.entries(BUDGET) as [keyof typeof BUDGET, number][]) {
        if (scores[category] < min) {
          const lost = lhr.categories[category].auditRefs
            .map((ref) => lhr.audits[ref.id])
            .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative")
            .map((a) => `${a.id} (${a.displayValue ?? a.score})`)
            .slice(0, 8);
          failures.push(`${name} ${category} ${scores[category]} < ${min}: ${lost.join(", ")}`);
        }
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
