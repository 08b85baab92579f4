//! The procedure catalogue: import, versioning, search without diacritics, procedure pages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use app::domain::procedure::CatalogueFile;
use app::ssr::services::catalogue::{ImportReport, import, import_json};
use common::TestApp;

const SMALL: &str = include_str!("fixtures/catalogue-small.json");

#[tokio::test]
async fn search_ignores_diacritics_and_case_and_filters() {
    let app = TestApp::spawn().await;
    let report = import_json(&app.running.state, SMALL).await.unwrap();
    assert_eq!(report, ImportReport { created: 2, new_versions: 0, unchanged: 0 });

    let html = app.get_html("/procedures?q=giay+phep+XAY+dung").await.text().await.unwrap();
    assert!(html.contains("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"), "{html}");
    assert!(!html.contains("Chứng thực bản sao từ bản chính"));
    assert!(html.contains("1 thủ tục phù hợp"));

    let by_code = app.get_html("/procedures?q=2.000815").await.text().await.unwrap();
    assert!(by_code.contains("Chứng thực bản sao từ bản chính"));
    let by_field = app.get_html("/procedures?field=chung-thuc").await.text().await.unwrap();
    assert!(by_field.contains("Chứng thực bản sao") && !by_field.contains("giấy phép xây dựng mới"));
    let online = app.get_html("/procedures?online=full").await.text().await.unwrap();
    assert!(online.contains("giấy phép xây dựng mới") && !online.contains("Chứng thực bản sao từ"));
    let none = app.get_html("/procedures?q=khong+ton+tai").await.text().await.unwrap();
    assert!(none.contains("Không tìm thấy thủ tục phù hợp"));
    let unknown_agency = app.get_html("/procedures?agency=999.99.99.H99").await.text().await.unwrap();
    assert!(unknown_agency.contains("0 thủ tục phù hợp"));
}

#[tokio::test]
async fn a_procedure_page_shows_what_a_citizen_needs() {
    let app = TestApp::spawn().await;
    import_json(&app.running.state, SMALL).await.unwrap();
    let page = app.get_html("/procedures/2.000815").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for expected in [
        "Chứng thực bản sao từ bản chính",
        "Trong ngày",
        "2.000\u{a0}₫",
        "cho mỗi đơn vị",
        "Bản chính giấy tờ",
        "UBND phường Hiến Nam",
        "Nghị định 23/2015/NĐ-CP",
        "Tại bộ phận một cửa",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert_eq!(app.get_html("/procedures/9.999999").await.status(), 404);
}

#[tokio::test]
async fn publishing_a_change_creates_a_new_version_and_keeps_the_old_one() {
    let app = TestApp::spawn().await;
    let state = &app.running.state;
    let mut file: CatalogueFile = serde_json::from_str(SMALL).unwrap();
    import(state, &file).await.unwrap();
    let again = import(state, &file).await.unwrap();
    assert_eq!(again, ImportReport { created: 0, new_versions: 0, unchanged: 2 }, "re-import is idempotent");

    let v1: (String,) = sqlx::query_as(
        "SELECT v.definition FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id \
         WHERE p.code = '1.009994' AND v.version = 1",
    )
    .fetch_one(state.db.reader())
    .await
    .unwrap();

    file.procedures[0].processing_days = 12;
    file.procedures[0].papers.push(app::domain::procedure::Paper {
        name_vi: "Bản vẽ thiết kế".into(),
        name_en: "Design drawings".into(),
        form: app::domain::procedure::PaperForm::Copy,
        count: 2,
        required: true,
        template: None,
    });
    let changed = import(state, &file).await.unwrap();
    assert_eq!(changed, ImportReport { created: 0, new_versions: 1, unchanged: 1 });

    let versions: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT v.version, v.status, v.definition FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id \
         WHERE p.code = '1.009994' ORDER BY v.version",
    )
    .fetch_all(state.db.reader())
    .await
    .unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!((versions[0].0, versions[0].1.as_str()), (1, "superseded"));
    assert_eq!(versions[0].2, v1.0, "the old version's definition is untouched");
    assert_eq!((versions[1].0, versions[1].1.as_str()), (2, "published"));
    let html = app.get_html("/procedures/1.009994").await.text().await.unwrap();
    assert!(html.contains("Bản vẽ thiết kế") && html.contains("12 ngày làm việc"));
}

#[tokio::test]
async fn an_inconsistent_catalogue_is_refused_whole() {
    let app = TestApp::spawn().await;
    let state = &app.running.state;
    let mut file: CatalogueFile = serde_json::from_str(SMALL).unwrap();
    file.procedures[1].workflow[0].agency = "000.00.77.H26".into();
    assert!(import(state, &file).await.is_err());
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM procedures").fetch_one(state.db.reader()).await.unwrap();
    assert_eq!(n, 0, "nothing half-imported");
}

#[tokio::test]
async fn holidays_are_prefilled_and_admin_edits_survive() {
    let app = TestApp::spawn().await;
    let state = &app.running.state;
    let (days, _) = app::ssr::db::catalogue::calendar_days(&state.db).await.unwrap();
    let year = state.clock.now().year();
    assert!(days.contains(&format!("{year}-01-01")), "{days:?}");
    assert!(days.contains(&format!("{year}-09-02")));
    assert!(days.contains(&format!("{}-04-30", year + 1)));
}

#[tokio::test]
async fn the_exported_catalogue_imports_back_unchanged() {
    let app = TestApp::spawn().await;
    import_json(&app.running.state, SMALL).await.unwrap();
    let response = app.client.get(app.url("/catalogue.json")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let exported: CatalogueFile = response.json().await.unwrap();
    let original: CatalogueFile = serde_json::from_str(SMALL).unwrap();
    assert_eq!(exported.procedures, original.procedures);
    assert_eq!(exported.fields.len(), 2);
    assert_eq!(exported.agencies.first().map(|a| a.code.as_str()), Some("000.00.00.H26"), "parents first");

    let other = TestApp::spawn().await;
    let report = import(&other.running.state, &exported).await.unwrap();
    assert_eq!(report.created, 2);
    assert_eq!(import(&other.running.state, &exported).await.unwrap().unchanged, 2);
}

#[tokio::test]
async fn the_demo_catalogue_is_real_enough() {
    let app = TestApp::spawn().await;
    let file: CatalogueFile = serde_json::from_str(motcua_server::demo::DEMO_CATALOGUE).unwrap();
    let report = import(&app.running.state, &file).await.unwrap();
    assert!(report.created >= 20, "{report:?}");
    let fields: std::collections::BTreeSet<&str> = file.procedures.iter().map(|p| p.field.as_str()).collect();
    assert!(fields.len() >= 6, "{fields:?}");
    assert!(file.procedures.iter().filter(|p| p.crosses_agencies()).count() >= 3, "liên thông procedures");
    let html = app.get_html("/procedures?q=dang+ky+khai+sinh").await.text().await.unwrap();
    assert!(html.contains("khai sinh"), "{html}");
}
