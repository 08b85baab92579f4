//! Businesses and organisations: membership is the only way in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::smtp::link_containing;
use common::{Browser, TestApp, location};

const PASSWORD: &str = "Sông Hồng mùa lũ 2026";

async fn citizen(app: &TestApp, email: &str, citizen_id: &str) -> Browser {
    let b = app.browser();
    let r = b
        .post(
            "/register",
            &[
                ("full_name", "Người Dùng Thử"),
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

#[tokio::test]
async fn members_see_the_organisation_strangers_do_not_and_removal_is_immediate() {
    let app = TestApp::spawn().await;
    let owner = citizen(&app, "owner@example.vn", "001199012345").await;
    let member = citizen(&app, "member@example.vn", "079199054321").await;
    let stranger = citizen(&app, "stranger@example.vn", "031099011111").await;

    let bad = owner
        .post(
            "/organisations",
            &[("name", "Công ty TNHH Sen Vàng"), ("tax_code", "0100109107"), ("address", "Hà Nội")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("value=\"Công ty TNHH Sen Vàng\""));
    let created = owner
        .post(
            "/organisations",
            &[
                ("name", "Công ty TNHH Sen Vàng"),
                ("tax_code", "0100109106"),
                ("address", "Số 1 Giang Văn Minh, Hà Nội"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let org_path = location(&created);
    assert!(org_path.starts_with("/organisations/"));

    assert_eq!(stranger.get(&org_path).await.status(), 404, "a stranger cannot even see it exists");
    assert_eq!(member.get(&org_path).await.status(), 404, "not a member yet");
    let intrusion = stranger.post(&format!("{org_path}/invite"), &[("email", "stranger2@example.vn")]).await;
    assert_eq!(intrusion.status(), 404);
    assert_eq!(app.mail.count_to("stranger2@example.vn"), 0);

    let invited = owner.post(&format!("{org_path}/invite"), &[("email", "member@example.vn")]).await;
    assert_eq!(location(&invited), format!("{org_path}?invited=1"));
    let invitation = app.mail.wait_for("member@example.vn", 2).await;
    assert!(invitation.subject.contains("Công ty TNHH Sen Vàng"));
    let token =
        link_containing(&invitation.text, "/invitation?token=").split("token=").nth(1).unwrap().to_string();

    // The invitation works only for the invited address…
    let wrong = stranger.post("/invitation", &[("token", &token)]).await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(stranger.get(&org_path).await.status(), 404);
    // …once.
    let joined = member.post("/invitation", &[("token", &token)]).await;
    assert_eq!(location(&joined), format!("{org_path}?joined=1"));
    let page = member.get(&org_path).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Công ty TNHH Sen Vàng") && html.contains("owner@example.vn"));
    assert!(!html.contains("Gửi lời mời"), "members do not manage");
    assert_eq!(member.post("/invitation", &[("token", &token)]).await.status(), 410);

    // A member cannot invite or remove.
    assert_eq!(member.post(&format!("{org_path}/invite"), &[("email", "x@example.vn")]).await.status(), 403);
    let owner_id: (String,) = sqlx::query_as("SELECT id FROM users WHERE email = 'owner@example.vn'")
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap();
    assert_eq!(member.post(&format!("{org_path}/members/{}/remove", owner_id.0), &[]).await.status(), 403);

    // The owner removes the member: access ends at once.
    let member_id: (String,) = sqlx::query_as("SELECT id FROM users WHERE email = 'member@example.vn'")
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap();
    let removed = owner.post(&format!("{org_path}/members/{}/remove", member_id.0), &[]).await;
    assert_eq!(location(&removed), format!("{org_path}?removed=1"));
    assert_eq!(member.get(&org_path).await.status(), 404);
    assert!(!member.get("/organisations").await.text().await.unwrap().contains("Sen Vàng"));
}

#[tokio::test]
async fn a_tax_code_is_registered_once() {
    let app = TestApp::spawn().await;
    let a = citizen(&app, "a@example.vn", "001199012345").await;
    let b = citizen(&app, "b@example.vn", "079199054321").await;
    let fields =
        [("name", "Hộ kinh doanh Phở Thìn"), ("tax_code", "0100109106"), ("address", "13 Lò Đúc, Hà Nội")];
    assert_eq!(a.post("/organisations", &fields).await.status(), 303);
    let again = b.post("/organisations", &fields).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("Mã số thuế này đã được đăng ký"));
}
