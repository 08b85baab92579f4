//! Helpers for tests that file dossiers: a verified, signed-in citizen; the small catalogue;
//! drafts, uploads; a desk officer.

use super::smtp::link_containing;
use super::{Browser, TestApp, location};
use app::ssr::services::catalogue::import_json;

pub const PASSWORD: &str = "Sông Hồng mùa lũ 2026";
pub const SMALL: &str = include_str!("../fixtures/catalogue-small.json");
/// In the fixture: one required paper, one required address field, electronic or desk.
pub const PROCEDURE: &str = "1.009994";

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
pub const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 2, 3, 0xFF, 0xD9];

pub async fn citizen(app: &TestApp, email: &str, citizen_id: &str) -> Browser {
    let b = app.browser();
    let r = b
        .post(
            "/register",
            &[
                ("full_name", "Người Nộp Thử"),
                ("email", email),
                ("phone", "0912345678"),
                ("citizen_id", citizen_id),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mail = app.mail.wait_for(email, 1).await;
    let token = link_containing(&mail.text, "token=").split("token=").nth(1).unwrap().to_string();
    assert_eq!(b.post("/verify-email", &[("token", &token)]).await.status(), 303);
    assert_eq!(b.post("/login", &[("email", email), ("password", PASSWORD)]).await.status(), 303);
    b
}

pub async fn app_with_catalogue() -> TestApp {
    let app = TestApp::spawn().await;
    import_json(&app.running.state, SMALL).await.unwrap();
    app
}

/// Starts a draft; returns its id.
pub async fn start(b: &Browser, filer: &str) -> String {
    let r = b.post("/dossiers", &[("procedure", PROCEDURE), ("filer", filer)]).await;
    assert_eq!(r.status(), 303, "start a draft");
    location(&r).trim_start_matches("/dossiers/").to_string()
}

pub async fn upload(b: &Browser, id: &str, paper: usize, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    b.client
        .post(format!("{}/dossiers/{id}/papers/{paper}", b.base))
        .header("accept", "text/html")
        .header("origin", &b.base)
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

/// A complete draft: address filled in, delivery chosen, one PDF attached.
pub async fn ready_draft(b: &Browser) -> String {
    let id = start(b, "self").await;
    let r = b
        .post(
            &format!("/dossiers/{id}/save"),
            &[
                ("address", "Số 5 phố Bạch Đằng, phường Hiến Nam"),
                ("delivery", "electronic"),
                ("next", "stay"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(upload(b, &id, 0, "don.pdf", PDF.to_vec()).await.status(), 303);
    id
}

/// A desk officer of the ward that receives the fixture's procedure (created directly: the
/// back-office pages are issue #6).
pub async fn desk_officer(app: &TestApp, email: &str, unit: &str) -> app::ssr::auth::policy::Actor {
    use app::ssr::auth::policy::{Actor, Role, RoleGrant};
    use app::ssr::services::accounts::officers::{NewOfficer, create};
    let state = &app.running.state;
    let mut conn = state.db.reader().acquire().await.unwrap();
    let agency = app::ssr::db::agencies::id_by_code(&mut conn, unit).await.unwrap().unwrap();
    drop(conn);
    let user_id = create(
        state,
        None,
        NewOfficer {
            email: email.into(),
            full_name: "Cán Bộ Một Cửa".into(),
            password: "Một cửa phường Hiến Nam 2026".into(),
            roles: vec![(Role::DeskOfficer, Some(agency.clone()))],
        },
    )
    .await
    .unwrap();
    Actor::Officer { user_id, grants: vec![RoleGrant { role: Role::DeskOfficer, agency_id: Some(agency) }] }
}

/// An officer with `role` in the unit `unit` (created directly).
pub async fn officer(
    app: &TestApp,
    email: &str,
    unit: &str,
    role: app::ssr::auth::policy::Role,
) -> app::ssr::auth::policy::Actor {
    use app::ssr::auth::policy::{Actor, RoleGrant};
    use app::ssr::services::accounts::officers::{NewOfficer, create};
    let state = &app.running.state;
    let mut conn = state.db.reader().acquire().await.unwrap();
    let agency = app::ssr::db::agencies::id_by_code(&mut conn, unit).await.unwrap().unwrap();
    drop(conn);
    let user_id = create(
        state,
        None,
        NewOfficer {
            email: email.into(),
            full_name: "Cán Bộ Thử".into(),
            password: "Một cửa phường Hiến Nam 2026".into(),
            roles: vec![(role, Some(agency.clone()))],
        },
    )
    .await
    .unwrap();
    Actor::Officer { user_id, grants: vec![RoleGrant { role, agency_id: Some(agency) }] }
}
