import { expect, test, expectAccessible, jsEnabled, officerSignIn } from "./support";

const WARD = "000.00.31.H26";

/** YYYY-MM-DD, `days` from today. */
function isoDate(days: number): string {
  return new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

test("a leader reads the unit's figures, drills into the late dossiers, by officer, by field and carried over, and exports CSV", async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const page = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await officerSignIn(page, "leader@demo.motcua.vn");
  await page.getByRole("link", { name: "Thống kê", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thống kê giải quyết hồ sơ");
  await page.getByLabel("Từ ngày").fill(isoDate(-200));
  await page.getByLabel("Đến ngày").fill(isoDate(0));
  await page.getByRole("button", { name: "Xem" }).click();
  await expect(page.getByRole("table").first()).toBeVisible();
  // satisfaction by criterion and the backlog by step, as SVG charts with their tables
  await expect(page.getByRole("img", { name: /^Mức độ hài lòng theo tiêu chí/ })).toBeVisible();
  await expect(page.getByTestId("satisfaction")).toContainText("Thái độ của cán bộ");
  await expect(page.getByRole("img", { name: /^Hồ sơ đang chờ theo bước/ })).toBeVisible();
  await expect(page.getByTestId("backlog")).toContainText("Trong hạn");
  // the nine criteria of the handling, averaged per unit over the dossiers returned
  await expect(page.getByRole("heading", { name: "Đánh giá việc giải quyết theo 9 tiêu chí, theo đơn vị" })).toBeVisible();
  await expect(page.getByTestId("evaluation-units")).toContainText("Tổng thời gian giải quyết so với quy định");
  await expect(page.getByTestId("evaluation-units")).toContainText("UBND phường Hiến Nam");
  await expectAccessible(page);

  // the dossiers in progress past their appointment, from the number to the list
  const late = page.getByTestId(`n-open_late-${WARD}`);
  const n = Number(await late.textContent());
  expect(n).toBeGreaterThan(0);
  const csvHref = (await page.getByRole("link", { name: "Tải CSV" }).getAttribute("href")) ?? "";
  await late.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Đang giải quyết quá hạn");
  await expect(page.locator("tbody tr")).toHaveCount(n);
  await expectAccessible(page);

  // the leader sees the evaluation on the nine criteria beside the applicant's rating
  await page.locator("tbody tr a").first().click();
  const evaluation = page.getByTestId("evaluation");
  await expect(evaluation.getByRole("heading", { name: "Đánh giá việc giải quyết hồ sơ (9 tiêu chí)" })).toBeVisible();
  await expect(evaluation).toContainText("Tổng thời gian giải quyết so với quy định");
  await expect(evaluation).toContainText("Chưa đến bước này");
  await expectAccessible(page);

  // the same report as CSV
  const csv = await page.request.get(csvHref);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const text = await csv.text();
  expect(text).toContain("Đơn vị");
  expect(text).toContain(WARD);
  expect(text).toContain("Tiếp nhận và hướng dẫn: rất hài lòng");
  // and as an Excel workbook
  const xlsx = await page.request.get(csvHref.replace("stats.csv", "stats.xlsx"));
  expect(xlsx.status()).toBe(200);
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");

  // the breakdown by officer: from an officer's number to the steps' dossiers behind it
  await page.goto(`/officer/stats?from=${isoDate(-200)}&to=${isoDate(0)}&procedure=`);
  const byOfficer = page.getByTestId("by-officer");
  await expect(byOfficer.getByRole("columnheader", { name: "Cán bộ" })).toBeVisible();
  await expect(byOfficer.getByRole("columnheader", { name: "Bước hoàn thành quá hạn" })).toBeVisible();
  const step = byOfficer.locator("tbody a").first();
  const steps = Number(await step.textContent());
  expect(steps).toBeGreaterThan(0);
  await step.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Bước");
  await expect(page.locator("tbody tr")).toHaveCount(Math.min(steps, 500));
  await expectAccessible(page);

  // every number of the table by field drills down too
  await page.goto(`/officer/stats?from=${isoDate(-200)}&to=${isoDate(0)}&procedure=`);
  const byField = page.getByTestId("by-field").locator("tbody a").first();
  const inField = Number(await byField.textContent());
  await byField.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Lĩnh vực");
  await expect(page.locator("tbody tr")).toHaveCount(Math.min(inField, 500));

  // received: new in the period, and carried over from the one before (still in progress)
  await page.goto(`/officer/stats?from=${isoDate(-10)}&to=${isoDate(0)}&procedure=`);
  await expect(page.getByRole("columnheader", { name: "Tiếp nhận mới trong kỳ" }).first()).toBeVisible();
  const carried = page.getByTestId(`n-carried_over-${WARD}`);
  const carriedOver = Number(await carried.textContent());
  expect(carriedOver).toBeGreaterThan(0);
  await carried.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Tồn kỳ trước chuyển sang");
  await expect(page.locator("tbody tr")).toHaveCount(carriedOver);
  await expectAccessible(page);
  const text10 = await (await page.request.get(`/officer/stats.csv?from=${isoDate(-10)}&to=${isoDate(0)}`)).text();
  expect(text10).toContain("Tồn kỳ trước chuyển sang");

  // a quick period: this quarter
  await page.goto("/officer/stats");
  await page.getByRole("link", { name: "Quý này" }).click();
  await expect(page.getByLabel("Từ ngày")).toHaveValue(/^\d{4}-(01|04|07|10)-01$/);
  await expect(page.getByLabel("Đến ngày")).toHaveValue(isoDate(0));
  await page.context().close();
});

test("anyone reads the public statistics, without JavaScript too", async ({ browser }, testInfo) => {
  const visitor = await (await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) })).newPage();
  await visitor.goto("/");
  await visitor.getByRole("link", { name: "Thống kê kết quả giải quyết hồ sơ" }).click();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("Thống kê công khai");
  const table = visitor.getByTestId("public-stats");
  await expect(table).toContainText("UBND phường Hiến Nam");
  await expect(visitor.getByRole("heading", { name: "Cách tính", exact: true })).toBeVisible();
  // the Decision 766/2022 index per unit, with each formula beside it
  await expect(visitor.getByRole("heading", { name: "Chỉ số chất lượng phục vụ (Quyết định 766/QĐ-TTg)" })).toBeVisible();
  await expect(visitor.getByTestId("quality-index")).toContainText("UBND phường Hiến Nam");
  const formulas = visitor.getByTestId("index-formulas");
  await expect(formulas).toContainText("20 × hồ sơ giải quyết trước hạn, đúng hạn ÷ hồ sơ đã giải quyết.");
  await expect(formulas).toContainText("giấy tờ dùng lại từ kho dữ liệu cá nhân");
  // satisfaction by criterion, drawn and tabulated
  await expect(visitor.getByRole("img", { name: /^Mức độ hài lòng theo tiêu chí/ })).toBeVisible();
  await expect(visitor.getByTestId("public-satisfaction")).toContainText("Kết quả đúng, chính xác");
  await expectAccessible(visitor);
  await visitor.context().close();
});
