//! Officer accounts are created by administrators, within their own units.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{Browser, TestApp, location};

const DEMO_PASSWORD: &str = "MotCua-demo-2026";

/// Signs a demo officer in, enrolling TOTP on the way.
async fn officer(app: &TestApp, email: &str, password: &str) -> Browser {
    common::signed_in_officer(app, email, password).await
}

#[tokio::test]
async fn agency_admins_create_officers_in_their_own_unit_only() {
    let app = TestApp::spawn_with(|args| args.demo_data = Some(true)).await;
    let admin = officer(&app, "agency-admin@demo.motcua.vn", DEMO_PASSWORD).await;
    let list = admin.get("/admin/officers").await;
    assert_eq!(list.status(), 200);
    let html = list.text().await.unwrap();
    assert!(html.contains("desk@demo.motcua.vn"), "officers of the ward are listed");
    assert!(
        !html.contains("<td>admin@demo.motcua.vn</td>"),
        "the system administrator is not in the ward's list"
    );

    let fields = |unit: &'static str| {
        [
            ("full_name", "Ngô Thị Tiếp Nhận"),
            ("email", "desk2@example.gov.vn"),
            ("password", "Một cửa liên thông 2026"),
            ("role", "desk_officer"),
            ("agency_code", unit),
        ]
    };
    let elsewhere = admin.post("/admin/officers", &fields("000.00.00.H26")).await;
    assert_eq!(elsewhere.status(), 403, "not an administrator of the province");
    let unknown = admin.post("/admin/officers", &fields("000.00.99.H26")).await;
    assert_eq!(unknown.status(), 422);
    assert!(unknown.text().await.unwrap().contains("Không có đơn vị với mã này"));
    let created = admin.post("/admin/officers", &fields("000.00.31.H26")).await;
    assert_eq!(location(&created), "/admin/officers?created=1");

    // The new officer must set up the second factor at first sign-in.
    let _ = officer(&app, "desk2@example.gov.vn", "Một cửa liên thông 2026").await;
}

#[tokio::test]
async fn citizens_and_desk_officers_cannot_administer() {
    let app = TestApp::spawn_with(|args| args.demo_data = Some(true)).await;
    let citizen = app.browser();
    let r = citizen.post("/login", &[("email", "citizen@demo.motcua.vn"), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(citizen.get("/admin/officers").await.status(), 403);
    let attempt = citizen
        .post(
            "/admin/officers",
            &[
                ("full_name", "Kẻ Mạo Danh"),
                ("email", "fake@example.gov.vn"),
                ("password", "Một cửa liên thông 2026"),
                ("role", "system_admin"),
                ("agency_code", ""),
            ],
        )
        .await;
    assert_eq!(attempt.status(), 403);
    let desk = officer(&app, "desk@demo.motcua.vn", DEMO_PASSWORD).await;
    assert_eq!(desk.get("/admin/officers").await.status(), 403);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE email = 'fake@example.gov.vn'")
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn demo_data_has_officers_for_every_role_and_a_business_with_two_members() {
    let app = TestApp::spawn_with(|args| args.demo_data = Some(true)).await;
    let db = app.running.state.db.reader();
    let (roles,): (i64,) =
        sqlx::query_as("SELECT COUNT(DISTINCT role) FROM officer_roles").fetch_one(db).await.unwrap();
    assert_eq!(roles, 6);
    let (members,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id \
         WHERE o.tax_code = '0300588569'",
    )
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!(members, 2);
    let member = app.browser();
    assert_eq!(
        member
            .post("/login", &[("email", "member2@demo.motcua.vn"), ("password", DEMO_PASSWORD)])
            .await
            .status(),
        303
    );
    assert!(
        member.get("/organisations").await.text().await.unwrap().contains("Công ty TNHH Dịch vụ Demo MotCua")
    );
}
