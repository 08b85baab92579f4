//! The portal's skeleton: pages, languages, operations endpoints, the request guards.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;

#[tokio::test]
async fn home_page_is_served_in_vietnamese_by_default() {
    let app = TestApp::spawn().await;
    let response = app.get_html("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"vi\""), "{html}");
    assert!(html.contains("Dịch vụ công trực tuyến"));
    assert!(html.contains("Chuyển đến nội dung chính"), "skip link");
    // plain names, or content-hashed ones once scripts/build has written them
    let script = regex::Regex::new(r#"/pkg/motcua(\.[0-9a-f]{16})?\.js"#).unwrap();
    assert!(script.is_match(&html), "hydration script for the islands");
    assert!(html.contains("<main id=\"main\""));
    app.running.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_language_cookie_switches_to_english() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/"))
        .header("cookie", "motcua_lang=en")
        .header("accept-language", "vi")
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Online public services"));
    assert!(!html.contains("Dịch vụ công trực tuyến"));
}

#[tokio::test]
async fn accept_language_alone_does_not_change_the_language() {
    let app = TestApp::spawn().await;
    let html = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"vi\""));
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_returns_to_the_page() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/lang"))
        .header("origin", &app.base)
        .form(&[("lang", "en"), ("next", "/some/page?x=1")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/some/page?x=1");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("motcua_lang=en;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http in development");

    let evil = app
        .client
        .post(app.url("/lang"))
        .header("origin", &app.base)
        .form(&[("lang", "en"), ("next", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(evil.headers()["location"], "/", "no open redirect");
}

#[tokio::test]
async fn a_cross_origin_post_is_refused() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/lang"))
        .header("origin", "https://evil.example")
        .header("accept", "text/html")
        .form(&[("lang", "en"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(response.headers().get("set-cookie").is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains("Yêu cầu bị từ chối"), "{html}");
}

#[tokio::test]
async fn unknown_pages_get_a_404_page_without_internals() {
    let app = TestApp::spawn().await;
    let response = app.get_html("/khong-ton-tai/123").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Không tìm thấy trang"), "{html}");
    assert!(html.contains("<html lang=\"vi\""));
    for leak in ["panicked", "RUST_BACKTRACE", "src/", "stack backtrace"] {
        assert!(!html.contains(leak), "leaks {leak}");
    }
}

#[tokio::test]
async fn operations_endpoints_answer() {
    let app = TestApp::spawn().await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
    let _ = app.get_html("/").await;
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/\""), "{text}");
}

#[tokio::test]
async fn readyz_turns_false_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.running.state.db.close().await;
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200, "the process itself is still up");
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = TestApp::spawn().await;
    let response = app.get_html("/").await;
    let h = response.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert!(h.get("strict-transport-security").is_none(), "no HSTS on plain-http development");
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_with_413() {
    let app = TestApp::spawn_with(|args| {
        args.max_body_bytes = Some(1024);
        args.max_file_bytes = Some(512);
    })
    .await;
    let big = "x".repeat(4096);
    let response = app
        .client
        .post(app.url("/lang"))
        .header("origin", &app.base)
        .header("accept", "text/html")
        .form(&[("lang", "en"), ("next", big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert!(response.text().await.unwrap().contains("Tệp quá lớn"));
}

#[tokio::test]
async fn migrations_ran_on_start() {
    let app = TestApp::spawn().await;
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs").fetch_one(app.running.state.db.reader()).await.unwrap();
    assert_eq!(count, 0);
    assert_eq!(app.running.state.db.backend().name(), common::backend_name());
}

#[tokio::test]
async fn content_hashed_files_are_linked_and_cached_for_a_year_plain_ones_revalidated() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for (name, body) in [
        ("motcua.js", "export default function(){}"),
        ("motcua.aaaaaaaaaaaaaaaa.js", "export default function(){}"),
        ("motcua.bbbbbbbbbbbbbbbb.wasm", "\0asm"),
        ("motcua.css", "body{}"),
        ("motcua.cccccccccccccccc.css", "body{}"),
    ] {
        std::fs::write(pkg.join(name), body).unwrap();
    }
    std::fs::write(
        pkg.join("hash.txt"),
        "js: aaaaaaaaaaaaaaaa\nwasm: bbbbbbbbbbbbbbbb\ncss: cccccccccccccccc\n",
    )
    .unwrap();
    let root = site.path().to_path_buf();
    let app = TestApp::spawn_with(|a| a.site_root = Some(root)).await;
    let html = app.get_html("/").await.text().await.unwrap();
    assert!(html.contains("/pkg/motcua.aaaaaaaaaaaaaaaa.js"), "script: {html}");
    assert!(html.contains("/pkg/motcua.bbbbbbbbbbbbbbbb.wasm"), "wasm");
    assert!(html.contains("href=\"/pkg/motcua.cccccccccccccccc.css\""), "style sheet");
    let cache = |r: &reqwest::Response| r.headers()["cache-control"].to_str().unwrap().to_string();
    let hashed = app.client.get(app.url("/pkg/motcua.cccccccccccccccc.css")).send().await.unwrap();
    assert_eq!(hashed.status(), 200);
    assert_eq!(cache(&hashed), "public, max-age=31536000, immutable");
    let plain = app.client.get(app.url("/pkg/motcua.css")).send().await.unwrap();
    assert_eq!(plain.status(), 200);
    assert_eq!(cache(&plain), "public, max-age=0, must-revalidate");
    let missing = app.client.get(app.url("/pkg/motcua.dddddddddddddddd.css")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(
        missing.headers().get("cache-control").is_none_or(|v| !v.to_str().unwrap().contains("immutable"))
    );
}
