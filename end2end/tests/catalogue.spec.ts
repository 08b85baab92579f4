import { expect, test, expectAccessible } from "./support";

test("a visitor searches without diacritics and opens a procedure", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Thủ tục hành chính" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thủ tục hành chính");
  await expectAccessible(page);

  await page.getByLabel("Tên hoặc mã thủ tục").fill("chung thuc ban sao");
  await page.getByRole("button", { name: "Tìm kiếm" }).click();
  await expect(page).toHaveURL(/q=chung\+thuc\+ban\+sao|q=chung%20thuc%20ban%20sao/);
  const results = page.locator(".procedure-list h3 a");
  await expect(results.first()).toBeVisible();
  const count = await results.count();
  for (let i = 0; i < count; i++) {
    await expect(results.nth(i)).toContainText(/chứng thực/i);
  }
  await expectAccessible(page);

  const name = (await results.first().textContent())?.trim() ?? "";
  await results.first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByRole("heading", { name: "Thành phần hồ sơ" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Quy trình xử lý nội bộ" })).toBeVisible();
  await expectAccessible(page);
});

test("filters narrow the list and an empty result says so", async ({ page }) => {
  await page.goto("/procedures?online=full");
  const full = await page.locator(".procedure-list li").count();
  await page.goto("/procedures");
  const all = await page.locator(".procedure-list li").count();
  expect(full).toBeGreaterThan(0);
  expect(full).toBeLessThanOrEqual(all);
  await page.getByLabel("Tên hoặc mã thủ tục").fill("khong co thu tuc nao nhu the nay");
  await page.getByRole("button", { name: "Tìm kiếm" }).click();
  await expect(page.getByText("Không tìm thấy thủ tục phù hợp")).toBeVisible();
});
