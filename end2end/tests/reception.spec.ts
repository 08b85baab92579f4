import type { Page } from "@playwright/test";
import { expect, test, expectAccessible, jsEnabled, officerSignIn } from "./support";

// Chứng thực bản sao từ bản chính: received by the demo ward 000.00.31.H26, whose desk
// officer is desk@demo.motcua.vn.
const PROCEDURE = "2.000815";

function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`);
}

async function citizenFiles(page: Page): Promise<{ id: string; code: string }> {
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill("member2@demo.motcua.vn");
  await page.getByLabel(/^Mật khẩu/).fill("MotCua-demo-2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
  await page.goto(`/procedures/${PROCEDURE}`);
  const filer = page.getByLabel("Nộp với tư cách");
  if (await filer.count()) await filer.selectOption("self");
  await page.getByRole("button", { name: "Nộp hồ sơ trực tuyến" }).click();
  await page.locator("#f-document_name").fill("Bằng tốt nghiệp đại học");
  await page.locator("#f-pages").fill("2");
  await page.locator("#f-copies").fill("3");
  await page.getByLabel("Bản điện tử vào tài khoản").check();
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(page.getByRole("status").first()).toContainText("Đã lưu bản nháp");
  await page.locator("#f-paper-0").setInputFiles({ name: "bang.pdf", mimeType: "application/pdf", buffer: pdf("bang") });
  await page.locator("#paper-0").getByRole("button", { name: "Tải lên" }).click();
  await expect(page.locator("#paper-0 .files")).toContainText("bang.pdf", { timeout: 20_000 });
  await page.getByRole("link", { name: "Xem lại và nộp" }).click();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByRole("status").first()).toContainText("Đã nộp hồ sơ");
  const code = ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").replace("Mã hồ sơ", "").trim();
  const id = new URL(page.url()).pathname.split("/")[2];
  return { id, code };
}

test("supplement, acceptance with an appointment, appraisal, approval, an electronic result the citizen downloads", async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const citizen = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  const { id, code } = await citizenFiles(citizen);

  const desk = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(desk, "desk@demo.motcua.vn");
  await desk.getByRole("link", { name: "Tiếp nhận hồ sơ" }).click();
  await expect(desk.getByRole("heading", { level: 1 })).toHaveText("Tiếp nhận hồ sơ");
  await expectAccessible(desk);
  await desk.getByRole("link", { name: code }).click();
  await expect(desk.getByRole("heading", { level: 1 })).toHaveText(`Mã hồ sơ ${code}`);
  await expect(desk.getByRole("link", { name: "bang.pdf" })).toBeVisible();
  await expectAccessible(desk);

  // one request that lists everything
  await desk.getByLabel("Nội dung cần bổ sung").fill("Bổ sung bản sao cần chứng thực (3 bản).");
  await desk.getByRole("button", { name: "Gửi yêu cầu bổ sung" }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã gửi yêu cầu bổ sung");
  await expect(desk.getByTestId("status")).toHaveText("Yêu cầu bổ sung giấy tờ");

  // the citizen sees exactly what is asked, adds the paper and sends it back
  await citizen.goto(`/dossiers/${id}`);
  await expect(citizen.getByTestId("supplement-request")).toHaveText("Bổ sung bản sao cần chứng thực (3 bản).");
  await expectAccessible(citizen);
  await citizen.locator("#f-paper-1").setInputFiles({ name: "ban-sao.pdf", mimeType: "application/pdf", buffer: pdf("ban sao") });
  await citizen.locator("#paper-1").getByRole("button", { name: "Tải lên" }).click();
  await expect(citizen.locator("#paper-1 .files")).toContainText("ban-sao.pdf", { timeout: 20_000 });
  await citizen.getByRole("button", { name: "Gửi bổ sung" }).click();
  await expect(citizen.getByRole("status").first()).toContainText("Đã gửi bổ sung");
  await expect(citizen.getByTestId("status")).toHaveText("Mới đăng ký");

  // back in the desk's queue; accepted with an appointment the citizen sees too
  await desk.goto("/officer/reception");
  await desk.getByRole("link", { name: code }).click();
  await expect(desk.getByRole("link", { name: "ban-sao.pdf" })).toBeVisible();
  await expect(desk.getByRole("button", { name: "Gửi yêu cầu bổ sung" })).toHaveCount(0);
  await desk.getByRole("button", { name: "Tiếp nhận và hẹn trả kết quả" }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã tiếp nhận hồ sơ");
  await expect(desk.getByTestId("status")).toHaveText("Được tiếp nhận");
  const due = ((await desk.getByTestId("due").textContent()) ?? "").trim();
  expect(due).toMatch(/^\d{2}\/\d{2}\/\d{4} 17:00$/);
  await expectAccessible(desk);

  await citizen.goto(`/dossiers/${id}`);
  await expect(citizen.getByTestId("status")).toHaveText("Được tiếp nhận");
  await expect(citizen.getByText(due).first()).toBeVisible();

  // the specialist appraises, the leader approves, the clerk issues an electronic result
  await work(browser, js, "specialist@demo.motcua.vn", code, async (page) => {
    await page.getByLabel("Ý kiến xử lý (không bắt buộc)").fill("Bản chính hợp lệ, đủ điều kiện chứng thực.");
    await page.getByRole("button", { name: "Chuyển bước tiếp theo" }).click();
    await expect(page.getByRole("status").first()).toContainText("Đã chuyển hồ sơ");
  });
  await work(browser, js, "leader@demo.motcua.vn", code, async (page) => {
    await page.getByRole("button", { name: "Phê duyệt" }).click();
    await expect(page.getByRole("status").first()).toContainText("Đã chuyển hồ sơ");
  });
  await work(browser, js, "clerk@demo.motcua.vn", code, async (page) => {
    await page.getByLabel("Tệp kết quả đã ký số (PDF)").setInputFiles({ name: "ban-sao-chung-thuc.pdf", mimeType: "application/pdf", buffer: pdf("ket qua") });
    await page.getByRole("button", { name: "Phát hành kết quả", exact: true }).click();
    await expect(page.getByRole("status").first()).toContainText("Đã phát hành kết quả");
    await expect(page.getByRole("link", { name: code })).toHaveCount(0);
  });
  // the desk returns it into the citizen's account
  await desk.goto("/officer/work");
  await desk.getByRole("link", { name: code }).click();
  await expect(desk.getByTestId("status")).toHaveText("Đã xử lý xong");
  // the fee is taken at the counter before the result goes out (#7)
  await expect(desk.getByTestId("payment-status")).toHaveText("Chưa thanh toán");
  await desk.getByLabel("Số biên lai thu tiền").fill("BL-000123");
  await desk.getByRole("button", { name: "Ghi nhận đã thu phí" }).click();
  await expect(desk.getByTestId("payment-status")).toHaveText("Đã thanh toán");
  await desk.getByRole("button", { name: "Trả kết quả cho người nộp" }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã trả kết quả");
  await expectAccessible(desk);

  await citizen.goto(`/dossiers/${id}`);
  await expect(citizen.getByTestId("status")).toHaveText("Đã trả kết quả");
  const href = await citizen.getByTestId("result").getAttribute("href");
  const file = await citizen.request.get(href ?? "");
  expect(file.status()).toBe(200);
  expect((await file.body()).toString()).toContain("ket qua");
  await expectAccessible(citizen);
  await citizen.goto("/documents");
  await expect(citizen.getByRole("link", { name: "ban-sao-chung-thuc.pdf", exact: true }).first()).toBeVisible();
  await citizen.context().close();
  await desk.context().close();
});

/** An officer signs in, opens the dossier from "My work" and does `act`. */
async function work(
  browser: import("@playwright/test").Browser,
  js: boolean,
  email: string,
  code: string,
  act: (page: Page) => Promise<void>,
) {
  const page = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(page, email);
  await page.getByRole("link", { name: "Hồ sơ cần xử lý" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hồ sơ cần xử lý");
  await page.getByRole("link", { name: code }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Mã hồ sơ ${code}`);
  await expectAccessible(page);
  await act(page);
  await page.context().close();
}
