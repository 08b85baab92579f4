import { expect, test, expectAccessible, jsEnabled, officerSignIn } from "./support";

/** A date in Vietnam time as YYYY-MM-DD, `days` from today. */
function vnDate(days: number): string {
  const d = new Date(Date.now() + 7 * 3600_000 + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test("a leader delegates signing to a deputy for a week and revokes it", async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const page = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(page, "leader@demo.motcua.vn");
  await page.getByRole("link", { name: "Ủy quyền ký" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ủy quyền ký");
  await expectAccessible(page);
  // someone outside the unit is refused, with the reason
  await page.getByLabel("Thư điện tử của cán bộ được ủy quyền").fill("desk2@demo.motcua.vn");
  await page.getByLabel("Từ ngày").fill(vnDate(0));
  await page.getByLabel("Đến hết ngày").fill(vnDate(6));
  await page.getByRole("button", { name: "Ủy quyền", exact: true }).click();
  await expect(page.locator("#error-summary")).toContainText("Không tìm thấy cán bộ của đơn vị");
  await expectAccessible(page);
  await page.getByLabel("Thư điện tử của cán bộ được ủy quyền").fill("specialist@demo.motcua.vn");
  await page.getByLabel("Từ ngày").fill(vnDate(0));
  await page.getByLabel("Đến hết ngày").fill(vnDate(6));
  await page.getByRole("button", { name: "Ủy quyền", exact: true }).click();
  await expect(page.getByRole("status").first()).toContainText("Đã lưu ủy quyền");
  const row = page.getByRole("row").filter({ hasText: "specialist@demo.motcua.vn" }).first();
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Thu hồi" }).click();
  await expect(page.getByRole("status").first()).toContainText("Đã thu hồi ủy quyền");
  await expect(page.getByText("đã thu hồi").first()).toBeVisible();
  await page.context().close();
});
