import type { Page } from "@playwright/test";
import { expect, test, expectAccessible, officerSignIn } from "./support";

/** Signs a demo officer in (enrolling TOTP the first time; the secret is shared with other specs). */
async function signInOfficer(page: Page, email: string) {
  await officerSignIn(page, email);
}

test("an admin adds a required paper and a form field, publishes, and the public page shows the new version; edits the agency tree and holidays", async ({
  page,
}, testInfo) => {
  // Each project uses its own administrator (TOTP enrolment happens once per account) and
  // its own procedure: the system admin edits one, the ward's admin a ward procedure.
  test.setTimeout(60_000); // a long journey: procedure, agency tree, holidays
  const noJs = testInfo.project.name === "no-js";
  const email = noJs ? "agency-admin@demo.motcua.vn" : "admin@demo.motcua.vn";
  const code = noJs ? "1.001022" : "1.004837";
  const paper = noJs ? "Giấy tờ chứng minh quan hệ cha, mẹ, con (bổ sung)" : "Giấy xác nhận cư trú của người giám hộ";
  const field = noJs ? "Số điện thoại của người yêu cầu" : "Số điện thoại liên hệ của người giám hộ";

  await signInOfficer(page, email);
  await page.getByRole("link", { name: "Quản lý thủ tục hành chính" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quản lý thủ tục hành chính");
  await page.getByLabel("Tên hoặc mã thủ tục").fill(code);
  await page.getByRole("button", { name: "Tìm kiếm" }).click();
  await expectAccessible(page);
  await page.getByRole("row", { name: code }).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/admin/procedures/${code.replace(".", "\\.")}$`));
  const published = Number((await page.locator("#published-version").textContent())?.trim());
  expect(published).toBeGreaterThan(0);
  await expect(page.locator("#draft-status")).toHaveText("Không");
  await expectAccessible(page);

  // A mistake first: the page explains and keeps what was typed.
  await page.getByLabel("Tên giấy tờ (tiếng Anh)").fill("Residence confirmation");
  await page.getByLabel("Số lượng").fill("0");
  await page.getByRole("button", { name: "Thêm giấy tờ" }).click();
  await expect(page.getByRole("alert")).toContainText("Vui lòng nhập thông tin này");
  await expect(page.getByRole("alert")).toContainText("Số lượng là số nguyên từ 1 đến 99");
  await expect(page.getByLabel("Tên giấy tờ (tiếng Anh)")).toHaveValue("Residence confirmation");
  await expect(page.getByLabel("Tên giấy tờ (tiếng Việt)")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);

  await page.getByLabel("Tên giấy tờ (tiếng Việt)").fill(paper);
  await page.getByLabel("Số lượng").fill("1");
  await page.getByLabel("Hình thức nộp").selectOption({ label: "Bản sao có chứng thực" });
  await page.getByLabel("Bắt buộc hay không").selectOption({ label: "Bắt buộc" });
  await page.getByRole("button", { name: "Thêm giấy tờ" }).click();
  await expect(page.getByRole("status")).toContainText("Đã lưu vào bản nháp");
  await expect(page.locator("#papers table")).toContainText(paper);

  await page.getByLabel("Mã trường").fill("so_dien_thoai_lien_he");
  await page.getByLabel("Nhãn (tiếng Việt)").fill(field);
  await page.getByLabel("Nhãn (tiếng Anh)").fill("Contact phone");
  await page.getByLabel("Loại trường").selectOption("text");
  await page.getByLabel("Giới hạn trên").fill("11");
  await page.getByLabel("Bắt buộc nhập").check();
  await page.getByRole("button", { name: "Thêm trường" }).click();
  await expect(page.getByRole("status")).toContainText("Đã lưu vào bản nháp");
  await expect(page.locator("#fields table")).toContainText(field);
  await expect(page.locator("#draft-status")).toHaveText("Có bản nháp chưa công bố");
  await expectAccessible(page);

  // The draft is invisible to the public.
  await page.goto(`/procedures/${code}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(paper)).toHaveCount(0);

  await page.goto(`/admin/procedures/${code}`);
  await page.getByRole("button", { name: "Công bố phiên bản mới" }).click();
  await expect(page.getByRole("status")).toContainText("Đã công bố phiên bản mới");
  await expect(page.locator("#published-version")).toHaveText(String(published + 1));
  await expect(page.locator("#draft-status")).toHaveText("Không");

  await page.getByRole("link", { name: "Xem trang công khai" }).click();
  await expect(page).toHaveURL(new RegExp(`/procedures/${code.replace(".", "\\.")}$`));
  const row = page.getByRole("row", { name: new RegExp(paper.replace(/[()]/g, "\\$&")) });
  await expect(row).toContainText("Bản sao có chứng thực");
  await expect(row).toContainText("Có");
  await expect(page.getByText(`${field} (bắt buộc)`)).toBeVisible();
  await expect(page.locator("dt:has-text('Phiên bản') + dd")).toHaveText(String(published + 1));
  await expectAccessible(page);

  // The same administrator edits the ward in the agency tree.
  await page.goto("/officer");
  await page.getByRole("link", { name: "Cơ cấu đơn vị" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cơ cấu đơn vị");
  await page.getByRole("navigation", { name: "Cây đơn vị" }).getByRole("link", { name: "UBND phường Hiến Nam" }).click();
  const hours = noJs ? "Thứ Hai–Thứ Sáu, 07:30–17:00" : "Thứ Hai–Thứ Sáu, 07:00–11:30 và 13:30–17:00";
  await page.getByLabel("Giờ làm việc", { exact: true }).fill(hours);
  await page.getByRole("button", { name: "Lưu thông tin" }).click();
  await expect(page.getByRole("status")).toContainText("Đã lưu thông tin đơn vị");
  await expect(page.getByLabel("Giờ làm việc", { exact: true })).toHaveValue(hours);
  await page.getByLabel("Mã định danh đơn vị").fill("12.34");
  await page.getByRole("button", { name: "Thêm đơn vị" }).click();
  await expect(page.getByRole("alert")).toContainText("Mã đơn vị gồm 4 nhóm");
  await expectAccessible(page);

  // Holidays are for the system administrator only.
  await page.goto("/officer");
  if (noJs) {
    await expect(page.getByRole("link", { name: "Ngày nghỉ lễ và ngày làm bù" })).toHaveCount(0);
    const refused = await page.goto("/admin/holidays");
    expect(refused?.status()).toBe(403);
    return;
  }
  await page.getByRole("link", { name: "Ngày nghỉ lễ và ngày làm bù" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ngày nghỉ lễ và ngày làm bù");
  await expectAccessible(page);
  await page.getByLabel(/^Ngày nghỉ mới/).fill("2026-12-24");
  await page.getByRole("button", { name: "Thêm ngày nghỉ" }).click();
  await expect(page.getByRole("alert")).toContainText("Vui lòng nhập tên ngày nghỉ");
  await expectAccessible(page);
  await page.getByLabel("Tên (tiếng Việt)").fill("Nghỉ thử nghiệm");
  await page.getByLabel("Tên (tiếng Anh)").fill("Trial day off");
  await page.getByRole("button", { name: "Thêm ngày nghỉ" }).click();
  await expect(page.getByRole("status")).toContainText("Đã lưu");
  const holiday = page.locator("#holiday-list tr", { hasText: "24/12/2026" });
  await expect(holiday).toContainText("Nghỉ thử nghiệm");
  await holiday.getByRole("button", { name: /Xóa/ }).click();
  await expect(page.getByRole("status")).toContainText("Đã xóa");
  await expect(page.locator("#holiday-list")).not.toContainText("24/12/2026");
});

test("an officer who is not an administrator is refused the catalogue administration", async ({ page }, testInfo) => {
  // Accounts no other spec uses (each enrols TOTP once).
  const noJs = testInfo.project.name === "no-js";
  const stranger = noJs ? "clerk@demo.motcua.vn" : "leader@demo.motcua.vn";
  await signInOfficer(page, stranger);
  await expect(page.getByRole("link", { name: "Quản lý thủ tục hành chính" })).toHaveCount(0);
  const refused = await page.goto("/admin/agencies");
  expect(refused?.status()).toBe(403);
  await expect(page.getByText("Trang này dành cho quản trị viên.")).toBeVisible();
});
