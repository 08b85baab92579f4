import type { Page } from "@playwright/test";
import { expect, test, expectAccessible, linkIn, waitForMail } from "./support";

const DEMO_PASSWORD = "MotCua-demo-2026";

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByLabel(/^Mật khẩu/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
}

test("a business owner registers the business and invites a member who accepts", async ({ browser }, testInfo) => {
  const noJs = testInfo.project.name === "no-js";
  // Each project registers its own business (tax codes are unique).
  const name = noJs ? "Công ty Cổ phần Trà Thái Nguyên" : "Công ty TNHH Sen Vàng";
  const taxCode = noJs ? "0100686209" : "0100109106";
  const member = noJs ? "member2@demo.motcua.vn" : "member1@demo.motcua.vn";
  const owner = await (await browser.newContext({ javaScriptEnabled: !noJs })).newPage();
  await signIn(owner, "citizen@demo.motcua.vn");
  await owner.getByRole("link", { name: "Tổ chức" }).click();
  await expect(owner.getByRole("heading", { level: 1 })).toHaveText("Tổ chức, doanh nghiệp của tôi");
  await owner.getByLabel("Tên tổ chức, doanh nghiệp").fill(name);
  await owner.getByLabel("Mã số thuế").fill("0100109107");
  await owner.getByLabel("Địa chỉ trụ sở").fill("Số 1 Giang Văn Minh, Hà Nội");
  await owner.getByRole("button", { name: "Đăng ký tổ chức" }).click();
  await expect(owner.getByRole("alert")).toContainText("Mã số thuế");
  await expect(owner.getByLabel("Tên tổ chức, doanh nghiệp")).toHaveValue(name);
  await expectAccessible(owner);
  await owner.getByLabel("Mã số thuế").fill(taxCode);
  await owner.getByRole("button", { name: "Đăng ký tổ chức" }).click();
  await expect(owner.getByRole("heading", { level: 1 })).toHaveText(name);

  const before = (await fetchCount(member)) + 1;
  await owner.getByLabel("Thư điện tử người được mời").fill(member);
  await owner.getByRole("button", { name: "Gửi lời mời" }).click();
  await expect(owner.getByRole("status")).toContainText("Đã gửi lời mời");
  await expectAccessible(owner);

  const mail = await waitForMail(member, before);
  const page = await (await browser.newContext({ javaScriptEnabled: !noJs })).newPage();
  await signIn(page, member);
  await page.goto(linkIn(mail.text, "/invitation?token="));
  await page.getByRole("button", { name: "Chấp nhận" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByRole("status")).toContainText("Bạn đã tham gia tổ chức");
  await expect(page.getByRole("table")).toContainText("citizen@demo.motcua.vn");
  await expect(page.getByRole("button", { name: "Gửi lời mời" })).toHaveCount(0);

  // The owner removes the member; the member loses access at once.
  await owner.reload();
  await owner.getByRole("button", { name: /Xóa khỏi tổ chức/ }).click();
  await expect(owner.getByRole("status")).toContainText("Đã xóa thành viên");
  const response = await page.reload();
  expect(response?.status()).toBe(404);
});

async function fetchCount(to: string): Promise<number> {
  const port = Number(process.env.E2E_MAIL_HTTP_PORT ?? 2580);
  const res = await fetch(`http://127.0.0.1:${port}/messages?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as unknown[]).length;
}
