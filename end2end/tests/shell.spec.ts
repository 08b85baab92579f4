import { expect, test, expectAccessible, jsEnabled, waitForHydration, watchErrors } from "./support";

test.describe("the site shell", () => {
  test("home page is in Vietnamese for an English browser", async ({ page }) => {
    const errors = watchErrors(page);
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dịch vụ công trực tuyến");
    await expect(page).toHaveTitle("Cổng Dịch vụ công MotCua");
    await expect(page.getByRole("navigation", { name: "Điều hướng chính" })).toBeVisible();
    await expect(page.getByRole("contentinfo")).toContainText("một cửa liên thông");
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  test("the skip link is the first stop and moves focus to the content", async ({ page }) => {
    await page.goto("/");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Chuyển đến nội dung chính" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#main$/);
  });

  test("the language switch turns the page into English and back", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Online public services");
    await expect(page).toHaveURL(/\/$/);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Tiếng Việt" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dịch vụ công trực tuyến");
  });

  test("unknown addresses get the 404 page", async ({ page }) => {
    const response = await page.goto("/khong-co-trang-nay");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
    await expect(page.getByRole("link", { name: "Về trang chủ" })).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the menu folds away once the page is interactive", async ({ page }, testInfo) => {
    test.skip(!jsEnabled(testInfo), "needs the hydrated island");
    const errors = watchErrors(page);
    await page.goto("/");
    await waitForHydration(page);
    const toggle = page.getByRole("button", { name: "Danh mục" });
    const home = page.getByRole("navigation").getByRole("link", { name: "Trang chủ" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(home).toBeHidden();
    const url = page.url();
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(home).toBeVisible();
    expect(page.url()).toBe(url); // no navigation: this ran in the browser
    await expectAccessible(page);
    await page.keyboard.press("Tab"); // the toggle is keyboard-operable too
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(errors).toEqual([]);
  });

  test("without JavaScript the menu is simply open", async ({ page }, testInfo) => {
    test.skip(jsEnabled(testInfo), "only meaningful without JavaScript");
    await page.goto("/");
    await expect(page.locator("button.nav-toggle")).toBeHidden();
    await expect(page.getByRole("navigation").getByRole("link", { name: "Trang chủ" })).toBeVisible();
    await expectAccessible(page);
  });
});
