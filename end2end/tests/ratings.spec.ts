import type { Browser, Page } from "@playwright/test";
import { expect, test, expectAccessible, jsEnabled, officerSignIn } from "./support";

// Hỗ trợ ăn trưa đối với trẻ em mẫu giáo (no fee): the ward 000.00.31.H26 receives and
// returns, the district appraises, approves and issues (the flow of lien-thong.spec.ts).
const PROCEDURE = "1.001622";
const WARD = "000.00.31.H26";

// the rating journey walks a dossier through five officers' pages
test.describe.configure({ timeout: 120_000 });

function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`);
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Thư điện tử").fill(email);
  await page.getByLabel(/^Mật khẩu/).fill("MotCua-demo-2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản của tôi");
}

async function citizenFiles(page: Page): Promise<{ id: string; code: string }> {
  await signIn(page, "member2@demo.motcua.vn");
  await page.goto(`/procedures/${PROCEDURE}`);
  const filer = page.getByLabel("Nộp với tư cách");
  if (await filer.count()) await filer.selectOption("self");
  await page.getByRole("button", { name: "Nộp hồ sơ trực tuyến" }).click();
  await page.locator("#f-child_name").fill("Lê Gia Hân");
  await page.locator("#f-child_birth_date").fill("2021-08-02");
  await page.locator("#f-kindergarten").fill("Trường mầm non Hiến Nam");
  await page.locator("#f-eligibility").selectOption("ho_ngheo");
  await page.locator("#f-parent_name").fill("Lê Văn Tâm");
  await page.locator("#f-parent_id").fill("033199004322");
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

async function work(browser: Browser, js: boolean, email: string, code: string, act: (page: Page) => Promise<void>) {
  const page = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(page, email);
  await page.goto(`/officer/work?procedure=${PROCEDURE}`);
  await page.getByRole("link", { name: code }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Mã hồ sơ ${code}`);
  await act(page);
  await page.context().close();
}

test("a citizen rates a returned dossier once, and the desk sees the rating", async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const citizen = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  const { id, code } = await citizenFiles(citizen);
  // not returned yet: no rating form
  await expect(citizen.getByRole("heading", { name: "Đánh giá mức độ hài lòng" })).toHaveCount(0);

  const desk = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(desk, "desk@demo.motcua.vn");
  await desk.goto("/officer/reception");
  await desk.getByRole("link", { name: code }).click();
  await desk.getByRole("button", { name: "Tiếp nhận và hẹn trả kết quả" }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã tiếp nhận hồ sơ");
  await work(browser, js, "district-specialist@demo.motcua.vn", code, async (page) => {
    await page.getByRole("button", { name: "Chuyển bước tiếp theo" }).click();
    await expect(page.getByRole("status").first()).toContainText("Đã chuyển hồ sơ");
  });
  await work(browser, js, "district-leader@demo.motcua.vn", code, async (page) => {
    await page.getByRole("button", { name: "Phê duyệt" }).click();
    await expect(page.getByRole("status").first()).toContainText("Đã chuyển hồ sơ");
  });
  await work(browser, js, "district-clerk@demo.motcua.vn", code, async (page) => {
    await page.getByLabel("Nội dung kết quả").fill("Hỗ trợ tiền ăn trưa cho cháu Lê Gia Hân, 160.000 đồng/tháng.");
    await page.getByRole("button", { name: "Tạo và phát hành kết quả" }).click();
    await expect(page.getByRole("status").first()).toContainText("Đã phát hành kết quả");
  });
  await desk.goto(`/officer/dossiers/${id}`);
  await desk.getByRole("button", { name: "Trả kết quả cho người nộp" }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã trả kết quả");
  await expect(desk.getByText("Chưa có đánh giá.")).toBeVisible();

  await citizen.goto(`/dossiers/${id}`);
  await expect(citizen.getByTestId("status")).toHaveText("Đã trả kết quả");
  await expect(citizen.getByRole("heading", { name: "Đánh giá mức độ hài lòng" })).toBeVisible();
  await expectAccessible(citizen);
  // one criterion left out: the form says so and keeps the choices
  await citizen.getByRole("group", { name: "Tiếp nhận và hướng dẫn" }).getByLabel("Rất hài lòng").check();
  await citizen.getByRole("group", { name: "Thời gian giải quyết" }).getByLabel("Hài lòng", { exact: true }).check();
  await citizen.getByRole("group", { name: "Thái độ của cán bộ" }).getByLabel("Rất hài lòng").check();
  await citizen.getByRole("button", { name: "Gửi đánh giá" }).click();
  await expect(citizen.getByRole("alert")).toContainText("Chọn một mức đánh giá.");
  await expect(citizen.getByRole("group", { name: "Tiếp nhận và hướng dẫn" }).getByLabel("Rất hài lòng")).toBeChecked();
  await citizen.getByRole("group", { name: "Kết quả đúng, chính xác" }).getByLabel("Rất hài lòng").check();
  await citizen.getByLabel("Ý kiến khác (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình.");
  await citizen.getByRole("button", { name: "Gửi đánh giá" }).click();
  await expect(citizen.getByText("Cảm ơn bạn đã đánh giá.")).toBeVisible();
  await expect(citizen.getByTestId("rating")).toContainText("Cán bộ hướng dẫn tận tình.");
  await expect(citizen.getByRole("button", { name: "Gửi đánh giá" })).toHaveCount(0);
  await expectAccessible(citizen);

  await desk.goto(`/officer/dossiers/${id}`);
  await expect(desk.getByRole("heading", { name: "Đánh giá của người dân" })).toBeVisible();
  await expect(desk.getByTestId("rating")).toContainText("Rất hài lòng");
  await expectAccessible(desk);
  await desk.context().close();
  await citizen.context().close();
});

test("feedback is answered and published by the ward's desk and found on the public page", async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const subject = `Phản ánh thời gian chờ ${js ? "A" : "B"}${Date.now() % 100000}`;
  const citizen = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await signIn(citizen, "citizen@demo.motcua.vn");
  await citizen.goto("/feedback/mine");
  await citizen.getByLabel("Đơn vị", { exact: true }).check();
  await citizen.getByLabel("Mã thủ tục, mã đơn vị hoặc mã hồ sơ").fill(WARD);
  await citizen.getByLabel("Tiêu đề").fill(subject);
  await citizen.getByLabel("Nội dung").fill("Tôi chờ 2 giờ ở quầy, số điện thoại 0912345678, email toi@example.com.");
  await citizen.getByRole("button", { name: "Gửi phản ánh" }).click();
  await expect(citizen.getByRole("status").first()).toContainText("Đã gửi phản ánh");
  await expect(citizen.getByTestId("my-feedback").filter({ hasText: subject })).toContainText("Đang chờ trả lời");
  await expectAccessible(citizen);

  const desk = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(desk, "desk@demo.motcua.vn");
  await desk.goto("/officer/feedback");
  const item = desk.getByTestId("feedback-item").filter({ hasText: subject });
  await expectAccessible(desk);
  await item.getByLabel("Nội dung trả lời").fill("Đơn vị đã bố trí thêm quầy tiếp nhận vào buổi sáng.");
  await item.getByRole("button", { name: "Gửi trả lời" }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã gửi trả lời");
  await desk.getByTestId("feedback-item").filter({ hasText: subject }).getByRole("button", { name: "Công khai" }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã công khai phản ánh");
  await desk.context().close();

  await citizen.goto("/feedback/mine");
  await expect(citizen.getByTestId("my-feedback").filter({ hasText: subject })).toContainText("bố trí thêm quầy");
  await citizen.context().close();

  // a visitor without JavaScript finds it, without the personal data
  const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await visitor.goto("/feedback");
  await visitor.getByLabel("Tìm trong nội dung").fill(subject.replace("Phản ánh ", ""));
  await visitor.getByRole("button", { name: "Tìm", exact: true }).click();
  const published = visitor.getByTestId("published-feedback").filter({ hasText: subject });
  await expect(published).toContainText("bố trí thêm quầy");
  await expect(published).not.toContainText("0912345678");
  await expect(published).not.toContainText("toi@example.com");
  if (js) {
    // axe runs as JavaScript: in the hydrated project, check the same page in a hydrated browser
    const hydrated = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
    await hydrated.goto(visitor.url());
    await expect(hydrated.getByTestId("published-feedback").filter({ hasText: subject })).toBeVisible();
    await expectAccessible(hydrated);
    await hydrated.context().close();
  } else {
    await expectAccessible(visitor);
  }
  await visitor.context().close();
});
