import type { Page } from "@playwright/test";
import { expect, test, expectAccessible, officerSignIn } from "./support";

// Cấp bản sao Trích lục hộ tịch: fully online, 8,000 ₫ a copy, paid with the submission,
// received by the demo ward. The portal's development default gateway is the built-in
// sandbox (same VNPay protocol, on loopback).
const PROCEDURE = "2.000635";
const CITIZEN = "member1@demo.motcua.vn";

function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`);
}

async function upload(page: Page, paper: number, name: string) {
  await page.locator(`#f-paper-${paper}`).setInputFiles({ name, mimeType: "application/pdf", buffer: pdf(name) });
  await page.locator(`#paper-${paper}`).getByRole("button", { name: "Tải lên" }).click();
  await expect(page.locator(`#paper-${paper} .files`)).toContainText(name, { timeout: 20_000 });
}

/** Signs in, files the procedure for `copies` copies and submits; returns the dossier id. */
async function fileWithFee(page: Page, copies: number, total: string): Promise<string> {
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill(CITIZEN);
  await page.getByLabel(/^Mật khẩu/).fill("MotCua-demo-2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
  await page.goto(`/procedures/${PROCEDURE}`);
  const filer = page.getByLabel("Nộp với tư cách");
  if (await filer.count()) await filer.selectOption("self");
  await page.getByRole("button", { name: "Nộp hồ sơ trực tuyến" }).click();
  await page.locator("#f-event_type").selectOption({ index: 1 });
  await page.locator("#f-subject_name").fill("Nguyễn Văn Bình");
  await page.locator("#f-copies").fill(String(copies));
  await page.getByLabel("Bản điện tử vào tài khoản").check();
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(page.getByRole("status").first()).toContainText("Đã lưu bản nháp");
  await upload(page, 0, "to-khai.pdf");
  await upload(page, 1, "cccd.pdf");
  await page.getByRole("link", { name: "Xem lại và nộp" }).click();
  // the review shows the fee computed from the form
  await expect(page.getByTestId("fee-total")).toContainText(total);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByRole("status").first()).toContainText("Đã nộp hồ sơ");
  return new URL(page.url()).pathname.split("/")[2];
}

test("a citizen pays the fee through the sandbox gateway, sees it paid and downloads the e-receipt", async ({ page }) => {
  const id = await fileWithFee(page, 3, "24.000");
  await expect(page.getByTestId("payment-status")).toHaveText("Chưa thanh toán");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Thanh toán trực tuyến" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thanh toán qua VNPay (SANDBOX)");
  await expect(page.getByText("SANDBOX — không phải cổng thanh toán thật")).toBeVisible();
  await expect(page.getByTestId("sandbox-amount")).toContainText("24.000");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Thanh toán", exact: true }).click();

  // back on the portal: the IPN has already settled it
  await expect(page).toHaveURL(new RegExp(`/dossiers/${id}\\?payment=success`));
  await expect(page.getByTestId("payment-status")).toHaveText("Đã thanh toán");
  await expect(page.getByTestId("payment-notice")).toContainText("Thanh toán thành công");
  await expect(page.getByRole("button", { name: /Thanh toán/ })).toHaveCount(0);
  await expect(page.locator(".timeline")).toContainText("Đã thanh toán phí, lệ phí");
  await expectAccessible(page);

  const href = await page.getByTestId("e-receipt").getAttribute("href");
  const receipt = await page.request.get(href ?? "");
  expect(receipt.status()).toBe(200);
  expect(receipt.headers()["content-type"]).toBe("application/pdf");
  expect((await receipt.body()).subarray(0, 5).toString()).toBe("%PDF-");
});

test("a cancelled payment can be paid again", async ({ page }) => {
  const id = await fileWithFee(page, 1, "8.000");
  await page.getByRole("button", { name: "Thanh toán trực tuyến" }).click();
  await expect(page.getByText("SANDBOX — không phải cổng thanh toán thật")).toBeVisible();
  await page.getByRole("button", { name: "Hủy thanh toán" }).click();

  await expect(page).toHaveURL(new RegExp(`/dossiers/${id}\\?payment=cancelled`));
  await expect(page.getByTestId("payment-notice")).toContainText("Bạn có thể thanh toán lại");
  await expect(page.getByTestId("payment-status")).toHaveText("Chưa thanh toán");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Thanh toán lại" }).click();
  await expect(page.getByTestId("sandbox-amount")).toContainText("8.000");
  await page.getByRole("button", { name: "Thanh toán", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/dossiers/${id}\\?payment=success`));
  await expect(page.getByTestId("payment-status")).toHaveText("Đã thanh toán");
  await expect(page.getByTestId("e-receipt")).toHaveCount(1);
});

test("the desk of the receiving ward sees the orders in the reconciliation report", async ({ page }) => {
  await officerSignIn(page, "desk@demo.motcua.vn");
  await page.getByRole("link", { name: "Đối soát thanh toán" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đối soát thanh toán");
  await expect(page.getByTestId("totals")).toContainText("Đã thanh toán");
  await page.getByLabel("Lọc theo trạng thái").selectOption("cancelled");
  await page.getByRole("button", { name: "Xem" }).click();
  await expect(page).toHaveURL(/status=cancelled/);
  await expect(page.getByRole("table").nth(1)).toContainText("Đã hủy");
  await expectAccessible(page);
});
