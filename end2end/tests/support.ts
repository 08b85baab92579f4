import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";

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
