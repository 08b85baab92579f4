import type { Page } from "@playwright/test";
import { expect, test, expectAccessible } from "./support";

const DEMO_PASSWORD = "MotCua-demo-2026";

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByLabel(/^Mật khẩu/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
}

test("an organisation owner creates an API token, sees it once, and revokes it", async ({ browser }, testInfo) => {
  const noJs = testInfo.project.name === "no-js";
  const name = noJs ? "Hệ thống kế toán (không JS)" : "Hệ thống kế toán";
  const page = await (await browser.newContext({ javaScriptEnabled: !noJs })).newPage();
  // member1@ owns the demo business
  await signIn(page, "member1@demo.motcua.vn");
  await page.getByRole("link", { name: "Tổ chức" }).click();
  await page.getByRole("link", { name: /Công ty TNHH Dịch vụ Demo MotCua/ }).click();
  await page.getByRole("link", { name: "Kết nối API: khóa và webhook" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Kết nối API");
  const apiPage = page.url();

  await page.getByLabel(/^Tên khóa/).fill(name);
  await page.getByLabel("Quyền").selectOption("write");
  await page.getByRole("button", { name: "Tạo khóa" }).click();
  const secret = page.locator("#new-secret");
  await expect(secret).toHaveText(/^mc_[A-Za-z0-9_-]{43}$/);
  const token = (await secret.textContent()) ?? "";
  await expectAccessible(page);

  // the token works…
  const auth = { Authorization: `Bearer ${token}` };
  expect((await page.request.get("/api/v1/dossiers", { headers: auth })).status()).toBe(200);

  // …and is never shown again
  await page.goto(apiPage);
  await expect(page.locator("#new-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  await expect(page.locator("#tokens")).toContainText(name);

  await page.getByRole("button", { name: `Thu hồi ${name}`, exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Đã thu hồi khóa");
  await expectAccessible(page);
  const refused = await page.request.get("/api/v1/dossiers", { headers: auth });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
});
