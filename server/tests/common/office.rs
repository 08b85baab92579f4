//! An office for back-office tests: the small catalogue with the full five-step workflow at
//! one ward (desk, specialist, leader, clerk, desk), its officers, an officer of another
//! unit, and dossiers submitted and received.

use app::ssr::auth::policy::{Actor, Role};
use app::ssr::services::{RequestMeta, reception};

use super::dossiers::{SMALL, citizen, officer, ready_draft};
use super::{Browser, TestApp};

/// The ward every step is at.
pub const UNIT: &str = "000.00.31.H26";

/// The app, the ward's officers, and a desk officer of the province.
pub struct Office {
    pub app: TestApp,
    pub desk: Actor,
    pub specialist: Actor,
    pub leader: Actor,
    pub clerk: Actor,
    pub stranger: Actor,
}

/// Imports the small catalogue with the five-step workflow at [`UNIT`].
pub async fn import_full_workflow(app: &TestApp) {
    let mut file: serde_json::Value = serde_json::from_str(SMALL).unwrap();
    file["procedures"][0]["workflow"] = serde_json::json!([
        {"name_vi": "Tiếp nhận", "name_en": "Reception", "role": "desk_officer", "agency": UNIT, "share": 10},
        {"name_vi": "Thẩm định", "name_en": "Appraisal", "role": "specialist", "agency": UNIT, "share": 40},
        {"name_vi": "Phê duyệt", "name_en": "Approval", "role": "leader", "agency": UNIT, "share": 25},
        {"name_vi": "Phát hành", "name_en": "Issue", "role": "clerk", "agency": UNIT, "share": 15},
        {"name_vi": "Trả kết quả", "name_en": "Return", "role": "desk_officer", "agency": UNIT, "share": 10}
    ]);
    app::ssr::services::catalogue::import_json(&app.running.state, &file.to_string()).await.unwrap();
}

/// A fresh app with the five-step workflow and its officers.
pub async fn office() -> Office {
    let app = TestApp::spawn().await;
    import_full_workflow(&app).await;
    let desk = officer(&app, "motcua@example.gov.vn", UNIT, Role::DeskOfficer).await;
    let specialist = officer(&app, "chuyenvien@example.gov.vn", UNIT, Role::Specialist).await;
    let leader = officer(&app, "lanhdao@example.gov.vn", UNIT, Role::Leader).await;
    let clerk = officer(&app, "vanthu@example.gov.vn", UNIT, Role::Clerk).await;
    let stranger = officer(&app, "tinh@example.gov.vn", "000.00.00.H26", Role::DeskOfficer).await;
    Office { app, desk, specialist, leader, clerk, stranger }
}

/// A citizen's dossier, submitted and accepted: (the citizen's browser, dossier id). Each
/// call registers a citizen with a new identity number.
pub async fn received(o: &Office, email: &str) -> (Browser, String) {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(12345);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let b = citizen(&o.app, email, &format!("001199{n:06}")).await;
    let id = ready_draft(&b).await;
    assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "t")]).await.status(), 303);
    reception::accept(&o.app.running.state, &o.desk, &id, &RequestMeta::default()).await.unwrap();
    (b, id)
}
