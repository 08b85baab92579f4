import type { Browser, Page } from "@playwright/test";
import { expect, test, expectAccessible, jsEnabled, officerSignIn } from "./support";

// Hỗ trợ ăn trưa đối với trẻ em mẫu giáo: the ward 000.00.31.H26 receives and returns, the
// district (UBND thành phố Hưng Yên, 000.00.21.H26) appraises, approves and issues (liên thông).
const PROCEDURE = "1.001622";
const DISTRICT = "UBND thành phố Hưng Yên";

function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`);
}

async function citizenFiles(page: Page): Promise<{ id: string; code: string }> {
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill("member1@demo.motcua.vn");
  await page.getByLabel(/^Mật khẩu/).fill("MotCua-demo-2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
  await page.goto(`/procedures/${PROCEDURE}`);
  const filer = page.getByLabel("Nộp với tư cách");
  if (await filer.count()) await filer.selectOption("self");
  await page.getByRole("button", { name: "Nộp hồ sơ trực tuyến" }).click();
  await page.locator("#f-child_name").fill("Trần Minh Khôi");
  await page.locator("#f-child_birth_date").fill("2021-05-10");
  await page.locator("#f-kindergarten").fill("Trường mầm non Hiến Nam");
  await page.locator("#f-eligibility").selectOption("ho_ngheo");
  await page.locator("#f-parent_name").fill("Trần Thị Bình");
  await page.locator("#f-parent_id").fill("033199004321");
  await page.getByLabel("Bản điện tử vào tài khoản").check();
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(page.getByRole("status").first()).toContainText("Đã lưu bản nháp");
  for (const [i, name] of [[0, "don.pdf"], [1, "ho-ngheo.pdf"]] as const) {
    await page.locator(`#f-paper-${i}`).setInputFiles({ name, mimeType: "application/pdf", buffer: pdf(name) });
    await page.locator(`#paper-${i}`).getByRole("button", { name: "Tải lên" }).click();
    await expect(page.locator(`#paper-${i} .files`)).toContainText(name, { timeout: 20_000 });
  }
  await page.getByRole("link", { name: "Xem lại và nộp" }).click();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByRole("status").first()).toContainText("Đã nộp hồ sơ");
  const code = ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").replace("Mã hồ sơ", "").trim();
  const id = new URL(page.url()).pathname.split("/")[2];
  return { id, code };
}

/** An officer signs in and opens the dossier from "My work" (it must be there), then `act`s. */
async function work(browser: Browser, js: boolean, email: string, code: string, act: (page: Page) => Promise<void>) {
  const page = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(page, email);
  await page.getByRole("link", { name: "Hồ sơ cần xử lý" }).click();
  // narrowed to this procedure with the filter bar (a GET form: works without JS too)
  await page.getByLabel("Thủ tục").selectOption(PROCEDURE);
  await page.getByRole("button", { name: "Lọc" }).click();
  await expect(page).toHaveURL(new RegExp(`procedure=${PROCEDURE.replace(".", "\\.")}`));
  expect(Number(await page.getByTestId("count-all").textContent())).toBeGreaterThanOrEqual(1);
  await page.getByRole("link", { name: code }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Mã hồ sơ ${code}`);
  await expectAccessible(page);
  await act(page);
  await page.context().close();
}

test("a ward dossier is appraised, approved and issued at the district, and returned by the ward", async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const citizen = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  const { id, code } = await citizenFiles(citizen);

  // the ward's desk receives it
  const desk = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(desk, "desk@demo.motcua.vn");
  await desk.goto("/officer/reception");
  await desk.getByRole("link", { name: code }).click();
  await desk.getByRole("button", { name: "Tiếp nhận và hẹn trả kết quả" }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã tiếp nhận hồ sơ");
  // it is now at the district's step, out of the ward specialist's queue
  await expect(desk.getByTestId("step")).toContainText(DISTRICT);
  const wardSpecialist = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(wardSpecialist, "specialist@demo.motcua.vn");
  await wardSpecialist.goto("/officer/work");
  await expect(wardSpecialist.getByRole("link", { name: code })).toHaveCount(0);
  await wardSpecialist.context().close();

  await work(browser, js, "district-specialist@demo.motcua.vn", code, async (page) => {
    await expect(page.getByTestId("step")).toContainText(DISTRICT);
    // the specialist takes the step: it is theirs in the queue
    await page.getByRole("button", { name: "Nhận xử lý" }).click();
    await expect(page.getByRole("status").first()).toContainText("Đã phân công");
    await expect(page.getByTestId("assignee")).toHaveText("Mai Văn Chuyên Viên");
    await page.getByLabel("Ý kiến xử lý (không bắt buộc)").fill("Trẻ thuộc hộ nghèo, đủ điều kiện hỗ trợ.");
    await page.getByRole("button", { name: "Chuyển bước tiếp theo" }).click();
    await expect(page.getByRole("status").first()).toContainText("Đã chuyển hồ sơ");
  });
  await work(browser, js, "district-leader@demo.motcua.vn", code, async (page) => {
    await page.getByRole("button", { name: "Phê duyệt" }).click();
    await expect(page.getByRole("status").first()).toContainText("Đã chuyển hồ sơ");
  });
  // the district's clerk has the portal write the result, with its verification QR code
  await work(browser, js, "district-clerk@demo.motcua.vn", code, async (page) => {
    await page.getByLabel("Nội dung kết quả").fill("Hỗ trợ tiền ăn trưa cho cháu Trần Minh Khôi, 160.000 đồng/tháng, 9 tháng năm học 2026–2027.");
    await page.getByRole("button", { name: "Tạo và phát hành kết quả" }).click();
    await expect(page.getByRole("status").first()).toContainText("Đã phát hành kết quả");
  });

  // back at the ward's desk, which returns it into the citizen's account
  await desk.goto("/officer/work");
  await desk.getByRole("link", { name: code }).click();
  await expect(desk.getByTestId("status")).toHaveText("Đã xử lý xong");
  await desk.getByRole("button", { name: "Trả kết quả cho người nộp" }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã trả kết quả");
  await desk.getByRole("link", { name: "Phiếu kiểm soát quá trình (mẫu 06)" }).waitFor();
  const slip = await desk.request.get(`/dossiers/${id}/forms/06.pdf`);
  expect(slip.status()).toBe(200);
  expect((await slip.body()).subarray(0, 5).toString()).toBe("%PDF-");
  await desk.context().close();

  await citizen.goto(`/dossiers/${id}`);
  await expect(citizen.getByTestId("status")).toHaveText("Đã trả kết quả");
  const href = await citizen.getByTestId("result").getAttribute("href");
  const file = await citizen.request.get(href ?? "");
  expect(file.status()).toBe(200);
  expect((await file.body()).subarray(0, 5).toString()).toBe("%PDF-");
  await expectAccessible(citizen);
  // anyone can check the result is genuine
  const verify = new URL((await citizen.getByTestId("verify").getAttribute("href")) ?? "");
  const visitor = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await visitor.goto(verify.pathname);
  await expect(visitor.getByTestId("verified")).toBeVisible();
  await expect(visitor.getByText(code, { exact: true })).toBeVisible();
  await expectAccessible(visitor);
  await visitor.context().close();
  await citizen.context().close();
});
