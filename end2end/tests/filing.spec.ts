import type { Page } from "@playwright/test";
import { expect, test, expectAccessible, jsEnabled, waitForHydration } from "./support";

const DEMO_PASSWORD = "MotCua-demo-2026";
const CITIZEN = "citizen@demo.motcua.vn";
// Giấy xác nhận tình trạng hôn nhân: two required papers, name and citizen id pre-filled.
const PROCEDURE = "1.004873";
const mailHttpPort = Number(process.env.E2E_MAIL_HTTP_PORT ?? 2580);

/** A small but real PDF and a JPEG, padded to `size` bytes. */
function pdf(size: number): Buffer {
  const head = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n");
  const tail = Buffer.from("\n%%EOF\n");
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x20), tail]);
}
function jpeg(size: number): Buffer {
  const head = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - 2), 0), Buffer.from([0xff, 0xd9])]);
}

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill(CITIZEN);
  await page.getByLabel(/^Mật khẩu/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
}

async function mailWithSubject(to: string, needle: string): Promise<{ subject: string; text: string }> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`http://127.0.0.1:${mailHttpPort}/messages?to=${encodeURIComponent(to)}`);
    const list = (await res.json()) as { subject: string; text: string }[];
    const found = list.find((m) => m.subject.includes(needle));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email to ${to} about ${needle}`);
}

async function uploadTo(page: Page, paper: number, name: string, mimeType: string, buffer: Buffer, slow: boolean) {
  const box = page.locator(`#paper-${paper}`);
  await box.locator(`#f-paper-${paper}`).setInputFiles({ name, mimeType, buffer });
  await box.getByRole("button", { name: "Tải lên" }).click();
  if (slow) {
    // the progress bar shows while the (throttled) upload runs
    await expect(box.locator("progress")).toBeVisible();
  }
  await expect(page.locator(`#paper-${paper} .files`)).toContainText(name, { timeout: 20_000 });
}

test("a citizen files with two scans, submits, gets the email and receipt, and finds the dossier by code", async ({ page }, testInfo) => {
  const js = jsEnabled(testInfo);
  await signIn(page);
  await page.goto(`/procedures/${PROCEDURE}`);
  const filer = page.getByLabel("Nộp với tư cách");
  if (await filer.count()) await filer.selectOption("self");
  await page.getByRole("button", { name: "Nộp hồ sơ trực tuyến" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Soạn hồ sơ");
  // pre-filled from the profile
  await expect(page.locator("#f-full_name")).toHaveValue("Nguyễn Văn An");
  await expect(page.locator("#f-citizen_id")).toHaveValue("033099001234");
  await expectAccessible(page);

  // the review refuses an incomplete dossier and says what is missing
  await page.getByRole("button", { name: "Lưu và xem lại để nộp" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xem lại hồ sơ trước khi nộp");
  await expect(page.getByRole("alert")).toContainText("Chưa đính kèm");
  await expect(page.getByRole("button", { name: "Nộp hồ sơ" })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole("link", { name: "Quay lại sửa" }).first().click();

  if (js) {
    await waitForHydration(page);
    // the same rules as the server, as the person leaves the field
    const id = page.locator("#f-citizen_id");
    await id.fill("12345");
    await id.blur();
    await expect(page.locator("#f-citizen_id-error")).toBeVisible();
    await expect(id).toHaveAttribute("aria-invalid", "true");
    await id.fill("033099001234");
    await id.blur();
    await expect(page.locator("#f-citizen_id-error")).toBeHidden();
  }
  for (const select of await page.locator("form.dossier-form select").all()) {
    await select.selectOption({ index: 1 });
  }
  if (js) {
    // the draft saves itself a moment after a change
    await expect(page.locator(".autosave")).toContainText("Đã tự động lưu");
  }
  await page.getByLabel("Bản điện tử vào tài khoản").check();
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(page.getByRole("status").first()).toContainText("Đã lưu bản nháp");

  if (js) {
    await waitForHydration(page);
    // slow the upload down so that the progress bar is seen, as on a real line
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 20,
      downloadThroughput: 10_000_000,
      uploadThroughput: 1_000_000,
    });
    await uploadTo(page, 0, "to-khai.pdf", "application/pdf", pdf(1_500_000), true);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  } else {
    await uploadTo(page, 0, "to-khai.pdf", "application/pdf", pdf(1_500_000), false);
  }
  // papers 0 (the application) and 2 (the identity card) are required
  await uploadTo(page, 2, "cccd.jpg", "image/jpeg", jpeg(200_000), false);
  await expect(page.locator("#paper-2 img.thumb")).toHaveCount(1);
  await expectAccessible(page);

  await page.getByRole("link", { name: "Xem lại và nộp" }).click();
  await expect(page.getByRole("status").first()).toContainText("Hồ sơ đã đủ thông tin");
  await expect(page.getByText("to-khai.pdf")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();

  await expect(page.getByRole("status").first()).toContainText("Đã nộp hồ sơ");
  const heading = (await page.getByRole("heading", { level: 1 }).textContent()) ?? "";
  const code = heading.replace("Mã hồ sơ", "").trim();
  expect(code).toMatch(/^000\.00\.32\.H26-\d{6}-\d{4}$/);
  await expect(page.getByTestId("status")).toHaveText("Mới đăng ký");
  const key = ((await page.getByTestId("lookup-key").textContent()) ?? "").trim();
  expect(key).toMatch(/^[A-Z0-9]{8}$/);
  await expectAccessible(page);

  const mail = await mailWithSubject(CITIZEN, code);
  expect(mail.text).toContain(key);

  const receiptHref = await page.getByRole("link", { name: /phiếu xác nhận nộp hồ sơ/i }).getAttribute("href");
  const receipt = await page.request.get(receiptHref ?? "");
  expect(receipt.status()).toBe(200);
  expect(receipt.headers()["content-type"]).toBe("application/pdf");
  expect((await receipt.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // the public lookup, as anyone would use it
  const visitor = await (await page.context().browser()!.newContext({ javaScriptEnabled: js })).newPage();
  await visitor.goto("/");
  await visitor.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Tra cứu hồ sơ" }).click();
  await visitor.getByLabel("Mã hồ sơ").fill(code);
  await visitor.getByLabel("Mã tra cứu hoặc số điện thoại").fill(key);
  await visitor.getByRole("button", { name: "Tra cứu" }).click();
  await expect(visitor.getByTestId("lookup-status")).toHaveText("Mới đăng ký");
  await expect(visitor.getByText("Nguyễn Văn An")).toHaveCount(0);
  await expectAccessible(visitor);
  await visitor.context().close();

  // and in "My dossiers"
  await page.getByRole("navigation", { name: "Tài khoản" }).getByRole("link", { name: "Hồ sơ của tôi" }).click();
  await expect(page.getByRole("link", { name: code })).toBeVisible();
  await expectAccessible(page);
});
