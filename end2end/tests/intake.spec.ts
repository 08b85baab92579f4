import { expect, test, expectAccessible, jsEnabled, officerSignIn } from "./support";

function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`);
}

test("the desk files a dossier for a person at the counter, scans the papers and receives it", async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const desk = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(desk, "desk@demo.motcua.vn");
  await desk.getByRole("link", { name: "Nhận hồ sơ tại quầy" }).click();
  await expect(desk.getByRole("heading", { level: 1 })).toHaveText("Nhận hồ sơ tại quầy");
  await expectAccessible(desk);
  // a wrong identity number is refused with the reason, and what was typed is kept
  await desk.getByLabel("Thủ tục").selectOption("1.001622");
  await desk.getByLabel(/Số định danh cá nhân/).fill("12345");
  await desk.getByLabel("Họ và tên").fill("Lò Thị Mai");
  await desk.getByRole("button", { name: "Tạo hồ sơ và nhập thông tin" }).click();
  await expect(desk.locator("#error-summary")).toBeVisible();
  await expect(desk.getByLabel("Họ và tên")).toHaveValue("Lò Thị Mai");
  await expectAccessible(desk);
  const citizenId = js ? "034185006789" : "034185006788";
  await desk.getByLabel(/Số định danh cá nhân/).fill(citizenId);
  await desk.getByRole("button", { name: "Tạo hồ sơ và nhập thông tin" }).click();

  // the usual draft editor, filled by the officer
  await desk.locator("#f-child_name").fill("Lò Văn Nam");
  await desk.locator("#f-child_birth_date").fill("2021-09-02");
  await desk.locator("#f-kindergarten").fill("Trường mầm non Hiến Nam");
  await desk.locator("#f-eligibility").selectOption("khuyet_tat");
  await desk.locator("#f-parent_name").fill("Lò Thị Mai");
  await desk.locator("#f-parent_id").fill(citizenId);
  await desk.getByLabel("Trực tiếp tại bộ phận một cửa").check();
  await desk.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã lưu bản nháp");
  for (const [i, name] of [[0, "don-quay.pdf"], [1, "giay-khuyet-tat.pdf"]] as const) {
    await desk.locator(`#f-paper-${i}`).setInputFiles({ name, mimeType: "application/pdf", buffer: pdf(name) });
    await desk.locator(`#paper-${i}`).getByRole("button", { name: "Tải lên" }).click();
    await expect(desk.locator(`#paper-${i} .files`)).toContainText(name, { timeout: 20_000 });
  }
  await desk.getByRole("link", { name: "Xem lại và nộp" }).click();
  await desk.getByRole("button", { name: "Nộp hồ sơ" }).click();
  // back in the back office, where it is received like any other dossier
  await expect(desk.getByRole("status").first()).toContainText("Đã nộp hồ sơ tại quầy");
  await expect(desk.getByTestId("status")).toHaveText("Mới đăng ký");
  await expect(desk.getByText("Nộp trực tiếp tại bộ phận một cửa")).toBeVisible();
  await desk.getByRole("button", { name: "Tiếp nhận và hẹn trả kết quả" }).click();
  await expect(desk.getByRole("status").first()).toContainText("Đã tiếp nhận hồ sơ");
  await expectAccessible(desk);
  await desk.context().close();
});
