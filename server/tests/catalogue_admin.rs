//! Administrators edit the catalogue in the browser: procedure drafts and publishing, the
//! holiday table, the agency tree. Strangers are refused; refused input writes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{Browser, TestApp, location};

const DEMO_PASSWORD: &str = "MotCua-demo-2026";

/// Signs a demo officer in, enrolling TOTP on the way.
async fn officer(app: &TestApp, email: &str) -> Browser {
    common::signed_in_officer(app, email, DEMO_PASSWORD).await
}

async fn demo() -> TestApp {
    TestApp::spawn_with(|args| args.demo_data = Some(true)).await
}

/// (version, status, definition) of every version of a procedure.
async fn versions(app: &TestApp, code: &str) -> Vec<(i64, String, String)> {
    sqlx::query_as(
        "SELECT v.version, v.status, v.definition FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id \
         WHERE p.code = $1 ORDER BY v.version",
    )
    .bind(code)
    .fetch_all(app.running.state.db.reader())
    .await
    .unwrap()
}

/// The paper the tests add to the guardianship procedure.
const PAPER_NAME: &str = "Giấy xác nhận cư trú của người giám hộ";

const PAPER: [(&str, &str); 5] = [
    ("paper_name_vi", PAPER_NAME),
    ("paper_name_en", "Guardian's residence confirmation"),
    ("paper_form", "certified_copy"),
    ("paper_count", "1"),
    ("paper_required", "required"),
];

const FIELD: [(&str, &str); 8] = [
    ("field_key", "so_dien_thoai_lien_he"),
    ("field_label_vi", "Số điện thoại liên hệ của người giám hộ"),
    ("field_label_en", "Guardian's contact phone"),
    ("field_kind", "text"),
    ("field_required", "on"),
    ("field_min", "10"),
    ("field_max", "11"),
    ("field_help_vi", "Mười chữ số"),
];

#[tokio::test]
async fn strangers_cannot_edit_the_catalogue() {
    let app = demo().await;
    let citizen = app.browser();
    citizen.post("/login", &[("email", "citizen@demo.motcua.vn"), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(citizen.get("/admin/procedures").await.status(), 403);
    assert_eq!(citizen.get("/admin/procedures/1.004837").await.status(), 403);
    assert_eq!(citizen.post("/admin/procedures/1.004837/papers", &PAPER).await.status(), 403);
    assert_eq!(citizen.get("/admin/holidays").await.status(), 403);
    assert_eq!(citizen.get("/admin/agencies").await.status(), 403);

    let desk = officer(&app, "desk@demo.motcua.vn").await;
    assert_eq!(desk.get("/admin/procedures/1.004837").await.status(), 403);
    assert_eq!(desk.post("/admin/procedures/1.004837/papers", &PAPER).await.status(), 403);
    assert_eq!(desk.post("/admin/procedures/1.004837/publish", &[]).await.status(), 403);
    assert_eq!(
        desk.post(
            "/admin/holidays",
            &[("holiday_day", "2026-12-24"), ("holiday_name_vi", "X"), ("holiday_name_en", "X")]
        )
        .await
        .status(),
        403
    );

    // The ward's administrator edits the ward's procedures only, and not the holidays.
    let ward_admin = officer(&app, "agency-admin@demo.motcua.vn").await;
    assert_eq!(ward_admin.get("/admin/procedures/1.009997").await.status(), 403, "a district procedure");
    assert_eq!(ward_admin.post("/admin/procedures/1.009997/papers", &PAPER).await.status(), 403);
    assert_eq!(ward_admin.get("/admin/holidays").await.status(), 403);
    let list = ward_admin.get("/admin/procedures").await.text().await.unwrap();
    assert!(list.contains("1.004837") && !list.contains("1.009997"), "only the ward's procedures are listed");

    let anonymous = app.browser();
    assert_eq!(
        location(&anonymous.post("/admin/procedures/1.004837/papers", &PAPER).await),
        "/login?next=/admin/procedures/1.004837"
    );

    for code in ["1.004837", "1.009997"] {
        assert!(
            versions(&app, code).await.iter().all(|(_, status, _)| status != "draft"),
            "no draft written"
        );
    }
}

#[tokio::test]
async fn edits_make_an_invisible_draft_and_publishing_makes_the_next_version() {
    let app = demo().await;
    let admin = officer(&app, "admin@demo.motcua.vn").await;
    let before = versions(&app, "1.004837").await;
    assert_eq!(before.len(), 1);
    let (v1, _, v1_def) = before[0].clone();

    let r = admin.post("/admin/procedures/1.004837/papers", &PAPER).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/procedures/1.004837?saved=papers#papers");
    let r = admin.post("/admin/procedures/1.004837/fields", &FIELD).await;
    assert_eq!(location(&r), "/admin/procedures/1.004837?saved=fields#fields");

    // One draft, invisible to the public.
    let rows = versions(&app, "1.004837").await;
    assert_eq!(rows.iter().filter(|(_, s, _)| s == "draft").count(), 1);
    assert_eq!(rows.iter().filter(|(_, s, _)| s == "published").count(), 1);
    let public = app.get_html("/procedures/1.004837").await.text().await.unwrap();
    assert!(!public.contains("Giấy xác nhận cư trú của người giám hộ"));
    assert!(!public.contains("Số điện thoại liên hệ của người giám hộ"));
    let search = app.get_html("/procedures?q=giam+ho").await.text().await.unwrap();
    assert!(search.contains("Thủ tục đăng ký giám hộ"));
    let editor = admin.get("/admin/procedures/1.004837").await.text().await.unwrap();
    assert!(
        editor.contains("Giấy xác nhận cư trú của người giám hộ") && editor.contains("so_dien_thoai_lien_he")
    );
    assert!(editor.contains("Có bản nháp chưa công bố"));

    let r = admin.post("/admin/procedures/1.004837/publish", &[]).await;
    assert_eq!(location(&r), format!("/admin/procedures/1.004837?published={}", v1 + 1));
    let after = versions(&app, "1.004837").await;
    assert_eq!(after.len(), 2, "no draft left: {after:?}");
    assert_eq!((after[0].0, after[0].1.as_str()), (v1, "superseded"));
    assert_eq!(after[0].2, v1_def, "the old version's row is unchanged");
    assert_eq!((after[1].0, after[1].1.as_str()), (v1 + 1, "published"));
    let def: app::domain::procedure::ProcedureDef = serde_json::from_str(&after[1].2).unwrap();
    let paper = def.papers.last().unwrap();
    assert!(paper.required && paper.name_vi == "Giấy xác nhận cư trú của người giám hộ");
    let field = def.form.last().unwrap();
    assert!(field.required && field.key == "so_dien_thoai_lien_he");
    assert_eq!(field.kind, app::domain::form::FieldKind::Text { min_len: Some(10), max_len: Some(11) });

    let public = app.get_html("/procedures/1.004837").await.text().await.unwrap();
    assert!(public.contains("Giấy xác nhận cư trú của người giám hộ"));
    assert!(public.contains("Số điện thoại liên hệ của người giám hộ"));
    assert!(public.contains(&format!("<dd>{}</dd>", v1 + 1)), "the new version number is shown");

    // Move a step, remove a paper, then discard: the published version stays.
    assert_eq!(admin.post("/admin/procedures/1.004837/steps/0/down", &[]).await.status(), 303);
    assert_eq!(admin.post("/admin/procedures/1.004837/papers/0/remove", &[]).await.status(), 303);
    assert_eq!(versions(&app, "1.004837").await.len(), 3);
    assert_eq!(
        location(&admin.post("/admin/procedures/1.004837/discard", &[]).await),
        "/admin/procedures/1.004837?discarded=1"
    );
    assert_eq!(versions(&app, "1.004837").await, after);
}

#[tokio::test]
async fn refused_input_is_shown_again_and_writes_nothing() {
    let app = demo().await;
    let admin = officer(&app, "admin@demo.motcua.vn").await;
    let before = versions(&app, "1.004837").await;

    let r = admin
        .post(
            "/admin/procedures/1.004837/papers",
            &[
                ("paper_name_vi", ""),
                ("paper_name_en", "Typed in English"),
                ("paper_form", "original"),
                ("paper_count", "abc"),
                ("paper_required", "required"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Vui lòng nhập thông tin này"), "{html}");
    assert!(html.contains("Số lượng là số nguyên từ 1 đến 99"));
    assert!(html.contains("value=\"Typed in English\""), "the input is kept");
    assert!(html.contains("role=\"alert\""));

    let r = admin
        .post(
            "/admin/procedures/1.004837/fields",
            &[
                ("field_key", "Số bản"),
                ("field_label_vi", "Số bản"),
                ("field_label_en", "Copies"),
                ("field_kind", "number"),
                ("field_min", "5"),
                ("field_max", "2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Mã trường gồm chữ thường không dấu"));
    assert!(html.contains("Giới hạn dưới lớn hơn giới hạn trên"));

    let r = admin.post("/admin/procedures/1.004837/basics", &[("name_vi", ""), ("name_en", "x")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Chọn ít nhất một hình thức nhận kết quả"));
    assert_eq!(versions(&app, "1.004837").await, before, "nothing written");

    // A draft whose workflow no longer adds up cannot be published.
    let r = admin
        .post(
            "/admin/procedures/1.004837/steps",
            &[
                ("step_name_vi", "Lấy ý kiến"),
                ("step_name_en", "Consult"),
                ("step_role", "specialist"),
                ("step_agency", "000.00.31.H26"),
                ("step_share", "10"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = admin.post("/admin/procedures/1.004837/publish", &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("phải bằng 100%"));
    let now = versions(&app, "1.004837").await;
    assert_eq!(now.len(), 2, "the draft is kept");
    assert_eq!((now[0].0, now[0].1.as_str()), (0, "draft"), "a draft has no number until published");
    assert_eq!(now[1], before[0], "still the same published version");

    // Unknown procedures are not found.
    assert_eq!(admin.get("/admin/procedures/9.999999").await.status(), 404);
    assert_eq!(admin.post("/admin/procedures/9.999999/papers", &PAPER).await.status(), 404);
}

#[tokio::test]
async fn a_ward_administrator_edits_and_publishes_a_ward_procedure() {
    let app = demo().await;
    let ward_admin = officer(&app, "agency-admin@demo.motcua.vn").await;
    let before = versions(&app, "1.001022").await;
    assert_eq!(ward_admin.post("/admin/procedures/1.001022/papers", &PAPER).await.status(), 303);
    let r = ward_admin.post("/admin/procedures/1.001022/publish", &[]).await;
    assert_eq!(location(&r), format!("/admin/procedures/1.001022?published={}", before[0].0 + 1));
    let public = app.get_html("/procedures/1.001022").await.text().await.unwrap();
    assert!(public.contains("Giấy xác nhận cư trú của người giám hộ"));

    // A restart loads the demo data again: the administrator's version stays published.
    let published = versions(&app, "1.001022").await;
    motcua_server::demo::load(&app.running.state).await.unwrap();
    assert_eq!(versions(&app, "1.001022").await, published);
}

#[tokio::test]
async fn holiday_edits_change_the_calendar_table() {
    let app = demo().await;
    let admin = officer(&app, "admin@demo.motcua.vn").await;
    let calendar = || async { app::ssr::db::catalogue::calendar_days(&app.running.state.db).await.unwrap() };
    let page = admin.get("/admin/holidays?year=2026").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("02/09/2026"));

    let r = admin
        .post(
            "/admin/holidays",
            &[
                ("year", "2026"),
                ("holiday_day", "2026-12-24"),
                ("holiday_name_vi", "Nghỉ thử"),
                ("holiday_name_en", "Test day off"),
                ("holiday_compensatory", "on"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/admin/holidays?year=2026&saved=1");
    assert!(calendar().await.0.contains(&"2026-12-24".to_string()));
    assert!(admin.get("/admin/holidays?year=2026").await.text().await.unwrap().contains("Nghỉ thử"));

    let r = admin
        .post(
            "/admin/holidays",
            &[
                ("year", "2026"),
                ("holiday_day", "24/12/2026"),
                ("holiday_name_vi", ""),
                ("holiday_name_en", "x"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Ngày có dạng YYYY-MM-DD") && html.contains("Vui lòng nhập tên ngày nghỉ"));

    assert_eq!(
        admin.post("/admin/holidays/remove", &[("year", "2026"), ("day", "2026-12-24")]).await.status(),
        303
    );
    assert!(!calendar().await.0.contains(&"2026-12-24".to_string()));

    let r = admin
        .post("/admin/holidays/extra", &[("year", "2026"), ("extra_day", "2026-12-23"), ("extra_note", "")])
        .await;
    assert_eq!(r.status(), 422, "a Wednesday is a working day already");
    assert!(r.text().await.unwrap().contains("phải là thứ Bảy hoặc Chủ nhật"));
    let r = admin
        .post(
            "/admin/holidays/extra",
            &[("year", "2026"), ("extra_day", "2026-12-26"), ("extra_note", "Làm bù thử")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(calendar().await.1.contains(&"2026-12-26".to_string()));
    assert_eq!(
        admin.post("/admin/holidays/extra/remove", &[("year", "2026"), ("day", "2026-12-26")]).await.status(),
        303
    );
    assert!(!calendar().await.1.contains(&"2026-12-26".to_string()));
}

#[tokio::test]
async fn the_agency_tree_is_edited_within_ones_own_units() {
    let app = demo().await;
    let admin = officer(&app, "admin@demo.motcua.vn").await;
    let tree = admin.get("/admin/agencies?unit=000.00.21.H26").await.text().await.unwrap();
    assert!(tree.contains("UBND phường Hiến Nam") && tree.contains("Sửa thông tin đơn vị"));

    let child = [
        ("child_code", "000.00.35.h26"),
        ("child_level", "commune"),
        ("child_name_vi", "UBND phường Lam Sơn"),
        ("child_name_en", "Lam Son Ward People's Committee"),
        ("child_address", "Lam Sơn, Hưng Yên"),
        ("child_hours", "07:00–11:30, 13:30–17:00"),
    ];
    let r = admin.post("/admin/agencies/000.00.21.H26/children", &child).await;
    assert_eq!(location(&r), "/admin/agencies?unit=000.00.35.H26&added=1");
    let again = admin.post("/admin/agencies/000.00.21.H26/children", &child).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("Đã có đơn vị với mã này"));
    let mut bad = child;
    bad[0] = ("child_code", "35.H26");
    let r = admin.post("/admin/agencies/000.00.21.H26/children", &bad).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Mã đơn vị gồm 4 nhóm"));

    let ward_admin = officer(&app, "agency-admin@demo.motcua.vn").await;
    let details = [
        ("unit_name_vi", "UBND phường Hiến Nam"),
        ("unit_name_en", "Hien Nam Ward People's Committee"),
        ("unit_address", "Số 1 Hiến Nam"),
        ("unit_hours", "Thứ Hai–Thứ Sáu"),
    ];
    assert_eq!(ward_admin.post("/admin/agencies/000.00.31.H26", &details).await.status(), 303);
    assert_eq!(
        ward_admin.post("/admin/agencies/000.00.21.H26", &details).await.status(),
        403,
        "the district is above the ward"
    );
    assert_eq!(ward_admin.post("/admin/agencies/000.00.21.H26/children", &child).await.status(), 403);
    let (hours,): (String,) = sqlx::query_as("SELECT hours FROM agencies WHERE code = '000.00.31.H26'")
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap();
    assert_eq!(hours, "Thứ Hai–Thứ Sáu");
    let (name,): (String,) = sqlx::query_as("SELECT name_vi FROM agencies WHERE code = '000.00.21.H26'")
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap();
    assert_eq!(name, "UBND thành phố Hưng Yên", "untouched");
}

#[tokio::test]
async fn fees_are_edited_and_checked() {
    let app = demo().await;
    let admin = officer(&app, "admin@demo.motcua.vn").await;
    let fee = |amount: &'static str, per_unit: &'static str| {
        [
            ("fee_name_vi", "Lệ phí đăng ký giám hộ"),
            ("fee_name_en", "Guardianship registration charge"),
            ("fee_kind", "le_phi"),
            ("fee_amount", amount),
            ("fee_per_unit_field", per_unit),
        ]
    };
    let r = admin.post("/admin/procedures/1.004837/fees", &fee("-1", "khong_co")).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Số tiền là số nguyên đồng") && html.contains("Chọn một trường số của biểu mẫu"));
    assert!(versions(&app, "1.004837").await.iter().all(|(_, s, _)| s != "draft"));

    assert_eq!(admin.post("/admin/procedures/1.004837/fees", &fee("5.000", "")).await.status(), 303);
    assert_eq!(
        location(&admin.post("/admin/procedures/1.004837/publish", &[]).await),
        "/admin/procedures/1.004837?published=2"
    );
    let public = app.get_html("/procedures/1.004837").await.text().await.unwrap();
    assert!(public.contains("Lệ phí đăng ký giám hộ") && public.contains("5.000\u{a0}₫"), "{public}");
}

#[tokio::test]
async fn units_are_edited_but_an_agency_admin_keeps_one_of_theirs() {
    let app = demo().await;
    let ward_admin = officer(&app, "agency-admin@demo.motcua.vn").await;
    let units = |deciding: &'static str, receiving: &'static str| {
        [("level", "commune"), ("deciding", deciding), ("receiving", receiving)]
    };
    let r =
        ward_admin.post("/admin/procedures/1.001022/units", &units("000.00.21.H26", "000.00.21.H26")).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("ít nhất một đơn vị bạn quản lý"));
    let r = ward_admin.post("/admin/procedures/1.001022/units", &units("000.00.99.H26", "")).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Không có đơn vị với mã “000.00.99.H26”")
            && html.contains("Nhập ít nhất một mã đơn vị")
    );
    assert!(versions(&app, "1.001022").await.iter().all(|(_, s, _)| s != "draft"), "nothing written");

    let r = ward_admin
        .post("/admin/procedures/1.001022/units", &units("000.00.31.h26", "000.00.31.H26\n000.00.01.H26"))
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(ward_admin.post("/admin/procedures/1.001022/publish", &[]).await.status(), 303);
    let listed = app.get_html("/procedures?agency=000.00.01.H26&q=1.001022").await.text().await.unwrap();
    assert!(listed.contains("1 thủ tục phù hợp"), "the centre now receives it");
}

#[tokio::test]
async fn an_import_while_a_draft_is_open_is_flagged_and_numbers_never_collide() {
    let app = demo().await;
    let admin = officer(&app, "admin@demo.motcua.vn").await;
    assert_eq!(admin.post("/admin/procedures/1.004837/papers", &PAPER).await.status(), 303);
    let page = admin.get("/admin/procedures/1.004837").await.text().await.unwrap();
    assert!(page.contains("<strong id=\"next-version\">2</strong>"));
    assert!(!page.contains("phiên bản công bố đã thay đổi"));

    let mut file: app::domain::procedure::CatalogueFile =
        serde_json::from_str(motcua_server::demo::DEMO_CATALOGUE).unwrap();
    file.procedures.retain(|p| p.code == "1.004837");
    file.procedures[0].processing_days += 1;
    let report = app::ssr::services::catalogue::import(&app.running.state, &file).await.unwrap();
    assert_eq!(report.new_versions, 1);

    let page = admin.get("/admin/procedures/1.004837").await.text().await.unwrap();
    assert!(
        page.contains("phiên bản công bố đã thay đổi"),
        "the draft started from version 1, 2 is published"
    );
    assert!(page.contains("<strong id=\"next-version\">3</strong>"));
    assert_eq!(
        location(&admin.post("/admin/procedures/1.004837/publish", &[]).await),
        "/admin/procedures/1.004837?published=3"
    );
    let statuses: Vec<(i64, String)> =
        versions(&app, "1.004837").await.into_iter().map(|(v, s, _)| (v, s)).collect();
    assert_eq!(statuses, [(1, "superseded".into()), (2, "superseded".into()), (3, "published".into())]);
}

/// The CSP nonce of an answer: the header's, and every one in its body (all must agree).
async fn nonces(r: reqwest::Response) -> (String, Vec<String>, String) {
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    let header = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
    let body = r.text().await.unwrap();
    let in_body = body.split("nonce=\"").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect();
    (header, in_body, body)
}

#[tokio::test]
async fn public_pages_are_shared_by_strangers_only_each_answer_with_its_own_nonce() {
    let app = demo().await;
    let path = "/procedures/1.004837";
    let (n1, body_nonces1, first) = nonces(app.get_html(path).await).await;
    assert!(first.contains("Thủ tục đăng ký giám hộ"));
    // A change made behind the portal's back (straight in the database, which no edit of the
    // portal does): the next stranger gets the stored page, so it does not show.
    assert!(first.contains("Tờ khai đăng ký giám hộ (theo mẫu)"));
    let mut tx = app.running.state.db.begin_write().await.unwrap();
    sqlx::query(
        "UPDATE procedure_versions SET definition = REPLACE(definition, 'Tờ khai đăng ký giám hộ (theo mẫu)', \
         'Tờ khai đổi thẳng trong cơ sở dữ liệu') \
         WHERE status = 'published' AND procedure_id = (SELECT id FROM procedures WHERE code = '1.004837')",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (n2, body_nonces2, second) = nonces(app.get_html(path).await).await;
    assert!(!second.contains("Tờ khai đổi thẳng"), "the second stranger was answered from the cache");
    // each answer has a nonce of its own, the same in its header and its body
    assert_ne!(n1, n2);
    assert!(!body_nonces1.is_empty() && body_nonces1.iter().all(|n| *n == n1), "{n1} {body_nonces1:?}");
    assert!(!body_nonces2.is_empty() && body_nonces2.iter().all(|n| *n == n2), "{n2} {body_nonces2:?}");
    assert!(!second.contains(&n1), "no trace of the stored answer's nonce");
    // the same page with a query string is rendered, not shared
    let queried = app.get_html(&format!("{path}?x=1")).await.text().await.unwrap();
    assert!(queried.contains("Tờ khai đổi thẳng"));
    // Signed in, the page is always rendered for the person (never taken from, nor put in,
    // the cache).
    let admin = officer(&app, "admin@demo.motcua.vn").await;
    let signed_in = admin.get(path).await.text().await.unwrap();
    assert!(signed_in.contains("Tờ khai đổi thẳng"), "a signed-in visitor sees the page rendered");
    assert!(
        !app.get_html(path).await.text().await.unwrap().contains("Tờ khai đổi thẳng"),
        "still the stored one"
    );
    // Publishing clears the cache: the next stranger sees the new version at once.
    assert_eq!(admin.post("/admin/procedures/1.004837/papers", &PAPER).await.status(), 303);
    assert!(!app.get_html(path).await.text().await.unwrap().contains(PAPER_NAME), "a draft is not public");
    assert_eq!(admin.post("/admin/procedures/1.004837/publish", &[]).await.status(), 303);
    assert!(app.get_html(path).await.text().await.unwrap().contains(PAPER_NAME), "published: shown at once");
}
