import type { Page } from "@playwright/test";
import { expect, test, expectAccessible, linkIn, newCitizenId, newEmail, freshCode, rememberSecret, waitForMail } from "./support";

const PASSWORD = "Sông Hồng mùa lũ 2026";

async function fill(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label, { exact: false }).first().fill(value);
  }
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByLabel(/^Mật khẩu/).fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
}

test("a citizen registers, confirms the email, signs in and out", async ({ page }) => {
  const email = newEmail("dang-ky");
  await page.goto("/");
  await page.getByRole("link", { name: "Đăng ký" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng ký tài khoản");

  // A first attempt with mistakes: the page explains and keeps what was typed.
  await fill(page, {
    "Họ và tên": "Nguyễn Thị Hoa",
    "Thư điện tử": email,
    "Số điện thoại": "12345",
    "Số định danh cá nhân (CCCD)": newCitizenId(),
    "Mật khẩu": PASSWORD,
    "Nhập lại mật khẩu": "something else entirely",
  });
  await page.getByRole("button", { name: "Đăng ký" }).click();
  await expect(page.getByRole("alert")).toContainText("Số điện thoại phải gồm 10 chữ số");
  await expect(page.getByRole("alert")).toContainText("Mật khẩu nhập lại không khớp");
  await expect(page.getByLabel("Họ và tên")).toHaveValue("Nguyễn Thị Hoa");
  await expect(page.getByLabel("Số điện thoại")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);

  await fill(page, { "Số điện thoại": "0912345678", "Mật khẩu": PASSWORD, "Nhập lại mật khẩu": PASSWORD });
  await page.getByRole("button", { name: "Đăng ký" }).click();
  await expect(page.getByRole("status")).toContainText("Đã ghi nhận đăng ký");

  const mail = await waitForMail(email);
  expect(mail.subject).toBe("Xác nhận địa chỉ thư điện tử");
  await page.goto(linkIn(mail.text, "/verify-email?token="));
  await expectAccessible(page);
  await page.getByRole("button", { name: "Xác nhận" }).click();
  await expect(page.getByRole("status")).toContainText("đã được xác nhận");

  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByLabel(/^Mật khẩu/).fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
  await expect(page.getByRole("navigation", { name: "Tài khoản" })).toContainText("Nguyễn Thị Hoa");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Đăng xuất", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Tài khoản" }).getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=\/account/);
});

test("a citizen resets a forgotten password from the emailed link", async ({ page }) => {
  // The demo citizen's account gets a new password; other tests do not use it.
  const email = newEmail("quen");
  await page.goto("/register");
  await fill(page, {
    "Họ và tên": "Lê Văn Quên",
    "Thư điện tử": email,
    "Số điện thoại": "0987654321",
    "Số định danh cá nhân (CCCD)": newCitizenId(),
    "Mật khẩu": PASSWORD,
    "Nhập lại mật khẩu": PASSWORD,
  });
  await page.getByRole("button", { name: "Đăng ký" }).click();
  await waitForMail(email, 1);

  await page.goto("/login");
  await page.getByRole("link", { name: "Quên mật khẩu?" }).click();
  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByRole("button", { name: "Gửi liên kết" }).click();
  await expect(page.getByRole("status")).toContainText("Nếu địa chỉ này có tài khoản");
  const mail = await waitForMail(email, 2);
  expect(mail.subject).toBe("Đặt lại mật khẩu");

  const newPassword = "Hồ Gươm xanh ngắt 1428";
  await page.goto(linkIn(mail.text, "/reset-password?token="));
  await page.getByLabel(/^Mật khẩu mới/).fill(newPassword);
  await page.getByLabel("Nhập lại mật khẩu mới").fill(newPassword);
  await page.getByRole("button", { name: "Lưu mật khẩu mới" }).click();
  await expect(page.getByRole("status")).toContainText("Mật khẩu mới đã được lưu");

  // The reset link also confirmed the address, so the new password signs in.
  await signIn(page, email, newPassword);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
});

test("an officer sets up two-step verification and then needs it to sign in", async ({ page }, testInfo) => {
  // Each browser project uses its own demo officer (enrolment happens once per account).
  const email = testInfo.project.name === "no-js" ? "specialist2@demo.motcua.vn" : "desk2@demo.motcua.vn";
  await signIn(page, email, "MotCua-demo-2026");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thiết lập xác thực hai lớp");
  await expect(page.getByRole("img", { name: "Mã QR để thêm tài khoản vào ứng dụng xác thực" })).toBeVisible();
  await expectAccessible(page);
  const secret = (await page.locator("code.secret").textContent())?.trim() ?? "";
  await page.getByLabel("Mã xác thực").fill(await freshCode(email, secret));
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mã khôi phục");
  await expect(page.locator(".recovery-codes li")).toHaveCount(10);
  await page.getByRole("link", { name: "Tôi đã lưu các mã, tiếp tục" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Trang cán bộ");
  rememberSecret(email, secret);

  await page.getByRole("button", { name: "Đăng xuất", exact: true }).click();
  await signIn(page, email, "MotCua-demo-2026");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xác thực hai lớp");
  await page.getByLabel("Mã xác thực").fill("000000");
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("alert")).toContainText("Mã xác thực không đúng");
  await expectAccessible(page);
  await page.getByLabel("Mã xác thực").fill(await freshCode(email, secret));
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Trang cán bộ");
});
