//! Accounts, sessions and access, end to end over HTTP against the real server (SQLite or
//! PostgreSQL, a real SMTP sink on loopback).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use app::ssr::auth::policy::{Actor, Role};
use app::ssr::services::accounts::officers::{NewOfficer, create};
use app::ssr::services::accounts::profile;
use common::smtp::link_containing;
use common::{Browser, TestApp, location};

const PASSWORD: &str = "Sông Hồng mùa lũ 2026";

async fn register(b: &Browser, email: &str, citizen_id: &str) -> reqwest::Response {
    b.post(
        "/register",
        &[
            ("full_name", "Nguyễn Thị Hoa"),
            ("email", email),
            ("phone", "0912 345 678"),
            ("citizen_id", citizen_id),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
    .await
}

/// Registers and verifies a citizen; returns a signed-in browser.
async fn signed_in_citizen(app: &TestApp, email: &str, citizen_id: &str) -> Browser {
    let b = app.browser();
    assert_eq!(register(&b, email, citizen_id).await.status(), 303);
    let mail = app.mail.wait_for(email, 1).await;
    let link = link_containing(&mail.text, "/verify-email?token=");
    let token = link.split("token=").nth(1).unwrap().to_string();
    assert_eq!(location(&b.post("/verify-email", &[("token", &token)]).await), "/login?verified=1");
    let login = b.post("/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(login.status(), 303, "{}", login.text().await.unwrap());
    b
}

#[tokio::test]
async fn register_verify_sign_in_and_out() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let response = register(&b, "hoa@example.vn", "001199012345").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/register?sent=1");

    // Unverified: the right password does not sign in yet.
    let early = b.post("/login", &[("email", "hoa@example.vn"), ("password", PASSWORD)]).await;
    assert_eq!(location(&early), "/login?unverified=1");

    // That attempt sent a fresh link and voided the first one.
    let first = app.mail.wait_for("hoa@example.vn", 1).await;
    let mail = app.mail.wait_for("hoa@example.vn", 2).await;
    assert_eq!(mail.subject, "Xác nhận địa chỉ thư điện tử");
    let stale = link_containing(&first.text, "/verify-email?token=");
    let stale_token = stale.split("token=").nth(1).unwrap();
    assert_eq!(
        b.post("/verify-email", &[("token", stale_token)]).await.status(),
        410,
        "voided by the newer link"
    );
    assert!(mail.text.contains("Kính gửi Nguyễn Thị Hoa,"));
    let link = link_containing(&mail.text, "/verify-email?token=");
    assert!(link.starts_with(&app.base), "{link}");
    // Opening the link changes nothing by itself (mail scanners); the button confirms.
    assert_eq!(b.get(&link).await.status(), 200);
    let token = link.split("token=").nth(1).unwrap();
    let confirmed = b.post("/verify-email", &[("token", token)]).await;
    assert_eq!(location(&confirmed), "/login?verified=1");
    let again = b.post("/verify-email", &[("token", token)]).await;
    assert_eq!(again.status(), 410, "a verification link works once");

    let login = b.post("/login", &[("email", "Hoa@Example.vn "), ("password", PASSWORD)]).await;
    assert_eq!(login.status(), 303);
    assert_eq!(location(&login), "/account");
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("motcua_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));

    let account = b.get("/account").await;
    assert_eq!(account.status(), 200);
    let html = account.text().await.unwrap();
    assert!(html.contains("Tài khoản của tôi"));
    assert!(html.contains("hoa@example.vn"));
    assert!(html.contains("•••••••••345"), "citizen id masked");
    assert!(!html.contains("001199012345"));

    let out = b.post("/logout", &[]).await;
    assert_eq!(location(&out), "/?signed_out=1");
    let after = b.get("/account").await;
    assert_eq!(after.status(), 302);
    assert!(location(&after).starts_with("/login?next=/account"));
}

#[tokio::test]
async fn refused_registration_keeps_the_input_and_explains() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let response = b
        .post(
            "/register",
            &[
                ("full_name", "Trần Văn Bình"),
                ("email", "binh@example"),
                ("phone", "12345"),
                ("citizen_id", "999199012345"),
                ("password", "12345678"),
                ("password_confirm", "12345678"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("value=\"Trần Văn Bình\""), "the name typed is kept");
    assert!(html.contains("value=\"binh@example\""));
    assert!(html.contains("Địa chỉ thư điện tử không hợp lệ"));
    assert!(html.contains("Số điện thoại phải gồm 10 chữ số"));
    assert!(html.contains("3 chữ số đầu không phải mã tỉnh"));
    assert!(html.contains("Mật khẩu này quá phổ biến"));
    assert!(!html.contains("value=\"12345678\""), "passwords are never sent back");
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("aria-invalid=\"true\""));
    assert_eq!(app.mail.all().len(), 0);
}

#[tokio::test]
async fn registering_a_taken_email_or_id_reveals_nothing_and_warns_the_owner() {
    let app = TestApp::spawn().await;
    let _owner = signed_in_citizen(&app, "owner@example.vn", "001199012345").await;
    let b = app.browser();
    let same_email = register(&b, "owner@example.vn", "079199054321").await;
    assert_eq!(location(&same_email), "/register?sent=1", "same answer as a new registration");
    let notice = app.mail.wait_for("owner@example.vn", 2).await;
    assert_eq!(notice.subject, "Địa chỉ thư điện tử này đã có tài khoản");

    let same_id = register(&b, "other@example.vn", "001199012345").await;
    assert_eq!(location(&same_id), "/register?sent=1");
    let _ = app.mail.wait_for("owner@example.vn", 3).await;
    assert_eq!(app.mail.count_to("other@example.vn"), 0, "no account, no link for the intruder");
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(app.running.state.db.reader()).await.unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn login_failures_are_indistinguishable_rate_limited_and_lock_the_account() {
    let app = TestApp::spawn().await;
    let _ = signed_in_citizen(&app, "an@example.vn", "001199012345").await;
    app.clock.advance(time::Duration::seconds(61)); // the sign-in above is out of the window
    let b = app.browser();
    let unknown = b.post("/login", &[("email", "nobody@example.vn"), ("password", PASSWORD)]).await;
    let wrong = b.post("/login", &[("email", "an@example.vn"), ("password", "wrong password 1")]).await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong.status(), 401);
    let unknown_html = unknown.text().await.unwrap();
    let wrong_html = wrong.text().await.unwrap();
    let message = "Thư điện tử hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa.";
    assert!(unknown_html.contains(message) && wrong_html.contains(message));
    assert!(wrong_html.contains("value=\"an@example.vn\""), "email kept");

    for i in 2..=10 {
        let r = b
            .post("/login", &[("email", "an@example.vn"), ("password", &format!("wrong password {i}"))])
            .await;
        assert_eq!(r.status(), 401, "attempt {i}");
    }
    let eleventh = b.post("/login", &[("email", "an@example.vn"), ("password", PASSWORD)]).await;
    assert_eq!(eleventh.status(), 429, "the 11th attempt in a minute is refused");
    assert!(eleventh.text().await.unwrap().contains("Bạn đã thử quá nhiều lần"));
    let locked = app.mail.wait_for("an@example.vn", 2).await;
    assert_eq!(locked.subject, "Tài khoản tạm khóa do đăng nhập sai nhiều lần");

    // Next minute: the rate limit has passed but the lock holds (same vague message)…
    app.clock.advance(time::Duration::minutes(2));
    let still_locked = b.post("/login", &[("email", "an@example.vn"), ("password", PASSWORD)]).await;
    assert_eq!(still_locked.status(), 401);
    // …until it expires.
    app.clock.advance(time::Duration::minutes(15));
    let ok = b.post("/login", &[("email", "an@example.vn"), ("password", PASSWORD)]).await;
    assert_eq!(ok.status(), 303);
}

#[tokio::test]
async fn password_reset_links_work_once_and_expire() {
    let app = TestApp::spawn().await;
    let _ = signed_in_citizen(&app, "mai@example.vn", "001199012345").await;
    let b = app.browser();
    let sent = b.post("/forgot-password", &[("email", "mai@example.vn")]).await;
    let unknown = b.post("/forgot-password", &[("email", "ghost@example.vn")]).await;
    assert_eq!(location(&sent), "/forgot-password?sent=1");
    assert_eq!(location(&unknown), "/forgot-password?sent=1", "no enumeration");
    let mail = app.mail.wait_for("mai@example.vn", 2).await;
    assert_eq!(mail.subject, "Đặt lại mật khẩu");
    let token =
        link_containing(&mail.text, "/reset-password?token=").split("token=").nth(1).unwrap().to_string();

    let weak = b
        .post(
            "/reset-password",
            &[("token", &token), ("password", "123456789"), ("password_confirm", "123456789")],
        )
        .await;
    assert_eq!(weak.status(), 422, "policy applies, link not used up");
    let new_password = "Hồ Gươm xanh ngắt 1428";
    let done = b
        .post(
            "/reset-password",
            &[("token", &token), ("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert_eq!(location(&done), "/login?reset=1");
    let reused = b
        .post(
            "/reset-password",
            &[("token", &token), ("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert_eq!(reused.status(), 410);
    assert!(reused.text().await.unwrap().contains("Liên kết không hợp lệ"));
    assert_eq!(
        b.post("/login", &[("email", "mai@example.vn"), ("password", new_password)]).await.status(),
        303
    );
    assert_eq!(b.post("/login", &[("email", "mai@example.vn"), ("password", PASSWORD)]).await.status(), 401);

    // An expired link is refused.
    let _ = b.post("/forgot-password", &[("email", "mai@example.vn")]).await;
    let mail = app.mail.wait_for("mai@example.vn", 4).await;
    let token =
        link_containing(&mail.text, "/reset-password?token=").split("token=").nth(1).unwrap().to_string();
    app.clock.advance(time::Duration::minutes(61));
    let late = b
        .post(
            "/reset-password",
            &[("token", &token), ("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert_eq!(late.status(), 410);
}

#[tokio::test]
async fn sessions_are_shared_by_processes_and_survive_a_restart() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let b = {
        let signed = signed_in_citizen(&app, "thu@example.vn", "001199012345").await;
        drop(b);
        signed
    };
    assert_eq!(b.get("/account").await.status(), 200);
    let second = app.second_server().await;
    assert_eq!(b.against(&second.base).get("/account").await.status(), 200, "valid on a second process");

    let settings = app.settings.clone();
    let mail = app.mail.clone();
    app.running.shutdown().await.unwrap();
    let args = motcua_server::config::SettingsArgs {
        database_url: Some(settings.database_url.clone()),
        data_dir: Some(settings.data_dir.clone()),
        listen: Some("127.0.0.1:0".parse().unwrap()),
        smtp_url: Some(mail.url.clone()),
        ..Default::default()
    };
    let restarted =
        motcua_server::start(&motcua_server::config::Settings::resolve(&args).unwrap()).await.unwrap();
    let base = format!("http://{}", restarted.addr);
    assert_eq!(b.against(&base).get("/account").await.status(), 200, "valid after a restart");
    restarted.shutdown().await.unwrap();
}

#[tokio::test]
async fn sessions_end_when_idle_and_on_log_out_everywhere() {
    let app = TestApp::spawn().await;
    let first = signed_in_citizen(&app, "lan@example.vn", "001199012345").await;
    let second = app.browser();
    assert_eq!(
        second.post("/login", &[("email", "lan@example.vn"), ("password", PASSWORD)]).await.status(),
        303
    );
    assert_eq!(second.get("/account").await.status(), 200);
    assert_eq!(first.post("/logout-everywhere", &[]).await.status(), 303);
    assert_eq!(first.get("/account").await.status(), 302);
    assert_eq!(second.get("/account").await.status(), 302, "the other device is signed out too");

    assert_eq!(
        second.post("/login", &[("email", "lan@example.vn"), ("password", PASSWORD)]).await.status(),
        303
    );
    app.clock.advance(time::Duration::minutes(31));
    assert_eq!(second.get("/account").await.status(), 302, "idle timeout");
}

#[tokio::test]
async fn changing_the_password_rotates_the_session_and_ends_the_others() {
    let app = TestApp::spawn().await;
    let b = signed_in_citizen(&app, "quan@example.vn", "001199012345").await;
    let other = app.browser();
    assert_eq!(
        other.post("/login", &[("email", "quan@example.vn"), ("password", PASSWORD)]).await.status(),
        303
    );
    let wrong = b
        .post(
            "/account/password",
            &[("current_password", "nope nope"), ("password", "a"), ("password_confirm", "a")],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let html = wrong.text().await.unwrap();
    assert!(html.contains("Mật khẩu hiện tại không đúng") && html.contains("ít nhất 8 ký tự"));
    let new_password = "Tháp Rùa giữa hồ 1886";
    let ok = b
        .post(
            "/account/password",
            &[("current_password", PASSWORD), ("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert_eq!(location(&ok), "/account?saved=password");
    assert!(ok.headers()["set-cookie"].to_str().unwrap().starts_with("motcua_session="), "new session id");
    assert_eq!(b.get("/account").await.status(), 200);
    assert_eq!(other.get("/account").await.status(), 302);
    let notice = app.mail.wait_for("quan@example.vn", 2).await;
    assert_eq!(notice.subject, "Mật khẩu của bạn đã được thay đổi");
}

#[tokio::test]
async fn a_citizen_cannot_read_or_change_another_citizens_profile() {
    let app = TestApp::spawn().await;
    let _a = signed_in_citizen(&app, "a@example.vn", "001199012345").await;
    let _b = signed_in_citizen(&app, "b@example.vn", "079199054321").await;
    let state = &app.running.state;
    let id = |email: &str| {
        let email = email.to_string();
        async move {
            let (id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(state.db.reader())
                .await
                .unwrap();
            id
        }
    };
    let (a, b) = (id("a@example.vn").await, id("b@example.vn").await);
    let as_a = Actor::Citizen { user_id: a.clone() };
    assert!(profile::get(state, &as_a, &a).await.is_ok());
    assert!(profile::get(state, &as_a, &b).await.is_err());
    let form = profile::ProfileForm {
        full_name: "Kẻ Mạo Danh".into(),
        phone: "0912345678".into(),
        postal_address: String::new(),
    };
    assert!(profile::update(state, &as_a, &b, form).await.is_err());
    let (name,): (String,) = sqlx::query_as("SELECT full_name FROM users WHERE id = $1")
        .bind(&b)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(name, "Nguyễn Thị Hoa");
}

#[tokio::test]
async fn profile_edits_are_validated_and_saved() {
    let app = TestApp::spawn().await;
    let b = signed_in_citizen(&app, "p@example.vn", "001199012345").await;
    let bad = b
        .post(
            "/account/profile",
            &[("full_name", "X"), ("phone", "0912345678"), ("postal_address", "Số 1 Tràng Tiền")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(
        html.contains("value=\"Số 1 Tràng Tiền\"") && html.contains("Họ và tên phải dài từ 2 đến 100 ký tự")
    );
    let ok = b
        .post(
            "/account/profile",
            &[
                ("full_name", "Phạm Thị Lụa"),
                ("phone", "+84 987 654 321"),
                ("postal_address", "Số 1 Tràng Tiền, Hà Nội"),
            ],
        )
        .await;
    assert_eq!(location(&ok), "/account?saved=profile");
    let html = b.get("/account").await.text().await.unwrap();
    assert!(html.contains("value=\"Phạm Thị Lụa\"") && html.contains("value=\"0987654321\""));
}

#[tokio::test]
async fn officers_enrol_totp_at_first_sign_in_and_need_it_every_time() {
    let app = TestApp::spawn().await;
    let state = &app.running.state;
    create(
        state,
        None,
        NewOfficer {
            email: "desk@example.gov.vn".into(),
            full_name: "Hoàng Thị Một Cửa".into(),
            password: PASSWORD.into(),
            roles: vec![(Role::SystemAdmin, None)],
        },
    )
    .await
    .unwrap();
    let b = app.browser();
    let first = b.post("/login", &[("email", "desk@example.gov.vn"), ("password", PASSWORD)]).await;
    assert_eq!(location(&first), "/account/security/enrol");
    assert_eq!(b.get("/officer").await.status(), 302, "nothing else until the second factor");
    let page = b.get("/account/security/enrol").await.text().await.unwrap();
    assert!(page.contains("<svg"), "QR code");
    let secret = page.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let now = || u64::try_from(app.clock.as_ref().now_unix()).unwrap();
    let wrong = b.post("/account/security/enrol", &[("code", "000000")]).await;
    assert_eq!(wrong.status(), 422);
    let code = app::ssr::auth::totp::code_at(&secret, now()).unwrap();
    let enrolled = b.post("/account/security/enrol", &[("code", &code)]).await;
    assert_eq!(enrolled.status(), 200);
    let html = enrolled.text().await.unwrap();
    assert!(html.contains("Mã khôi phục"));
    let recovery = html.split("<li><code>").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert_eq!(b.get("/officer").await.status(), 200);

    assert_eq!(b.post("/logout", &[]).await.status(), 303);
    let again = b.post("/login", &[("email", "desk@example.gov.vn"), ("password", PASSWORD)]).await;
    assert_eq!(location(&again), "/login/verify");
    assert_eq!(b.get("/officer").await.status(), 302);
    assert_eq!(b.post("/login/verify", &[("code", "123456")]).await.status(), 422);
    // the code that enrolled is used up: a replay within its 30 s window is refused
    let replayed = app::ssr::auth::totp::code_at(&secret, now()).unwrap();
    assert_eq!(b.post("/login/verify", &[("code", &replayed)]).await.status(), 422);
    app.clock.advance(time::Duration::seconds(30));
    let code = app::ssr::auth::totp::code_at(&secret, now()).unwrap();
    let verified = b.post("/login/verify", &[("code", &code)]).await;
    assert_eq!(location(&verified), "/officer");
    // and that one too, from another browser that has the password
    let thief = app.browser();
    let _ = thief.post("/login", &[("email", "desk@example.gov.vn"), ("password", PASSWORD)]).await;
    assert_eq!(thief.post("/login/verify", &[("code", &code)]).await.status(), 422);
    let home = b.get("/officer").await.text().await.unwrap();
    assert!(home.contains("Quản trị hệ thống"));

    // A recovery code works once.
    assert_eq!(b.post("/logout", &[]).await.status(), 303);
    let _ = b.post("/login", &[("email", "desk@example.gov.vn"), ("password", PASSWORD)]).await;
    assert_eq!(location(&b.post("/login/verify", &[("code", &recovery.to_uppercase())]).await), "/officer");
    assert_eq!(b.post("/logout", &[]).await.status(), 303);
    let _ = b.post("/login", &[("email", "desk@example.gov.vn"), ("password", PASSWORD)]).await;
    assert_eq!(b.post("/login/verify", &[("code", &recovery)]).await.status(), 422);
}

#[tokio::test]
async fn a_cross_origin_login_post_is_refused() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/login"))
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=a%40b.vn&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}
