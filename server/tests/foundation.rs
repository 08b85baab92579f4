//! The portal's skeleton: pages, languages, operations endpoints, the request guards.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

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
    assert!(cookie.contains("HttpOnly"), "only the server reads the language: {cookie}");
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
    // the pools' connections, read when /metrics is asked for
    let pool = if common::backend_name() == "postgres" { "shared" } else { "read" };
    let open = text
        .lines()
        .find(|l| {
            l.starts_with("db_pool_connections{")
                && l.contains(&format!("pool=\"{pool}\""))
                && l.contains("state=\"open\"")
        })
        .unwrap_or_else(|| panic!("no open-connections gauge for the {pool} pool:\n{text}"));
    let open: f64 = open.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(open >= 1.0, "{open} connections open in the {pool} pool");
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

/// The headers every response must carry, whatever produced it. `hsts`: production.
fn assert_security_headers(what: &str, h: &reqwest::header::HeaderMap, hsts: bool) {
    assert_eq!(h.get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"), "{what}");
    assert_eq!(h.get("x-frame-options").map(|v| v.to_str().unwrap()), Some("DENY"), "{what}");
    assert!(h.contains_key("referrer-policy"), "{what}");
    let csp = h.get("content-security-policy").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    let scripts = csp.split(';').find(|d| d.trim_start().starts_with("script-src")).unwrap_or_default();
    assert!(!scripts.is_empty() && !scripts.contains("unsafe-inline"), "{what}: {csp}");
    let sts = h.get("strict-transport-security").map(|v| v.to_str().unwrap().to_string());
    if hsts {
        assert!(sts.as_deref().is_some_and(|v| v.contains("max-age=63072000")), "{what}: {sts:?}");
    } else {
        assert_eq!(sts, None, "{what}: no HSTS on plain-http development");
    }
}

/// A site root with one stylesheet, so the static files are tested without a front-end build.
fn site_with_a_stylesheet() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/motcua.css"), "body{}").unwrap();
    site
}

/// Every kind of response: a page, the 404 page, a static file and a missing one, plain
/// text, the API's JSON and problem details, the OpenAPI page, a 405, a refused
/// cross-origin post, a 413, and the 500 page of a handler that panics.
async fn check_every_kind_of_response(app: &TestApp, hsts: bool) {
    for path in [
        "/",
        "/no-such-page",
        "/pkg/motcua.css",
        "/pkg/missing.js",
        "/healthz",
        "/api/v1/openapi.json",
        "/api/v1/procedures",
        "/api/v1/no-such-thing",
        "/api/v1/docs",
    ] {
        let response = app.get_html(path).await;
        assert_security_headers(&format!("GET {path} ({})", response.status()), response.headers(), hsts);
    }
    let css = app.get_html("/pkg/motcua.css").await;
    assert_eq!(css.status(), 200, "the static file is served");
    let put = app.client.put(app.url("/")).send().await.unwrap();
    assert_eq!(put.status(), 405);
    assert_security_headers("PUT / (405)", put.headers(), hsts);
    let cross =
        app.client.post(app.url("/lang")).header("origin", "https://evil.example").form(&[("lang", "en")]);
    let cross = cross.send().await.unwrap();
    assert_eq!(cross.status(), 403);
    assert_security_headers("cross-origin POST (403)", cross.headers(), hsts);
    let big = "x".repeat(app.settings.max_body_bytes + 1);
    let too_big =
        app.client.post(app.url("/lang")).header("accept", "text/html").body(big).send().await.unwrap();
    assert_eq!(too_big.status(), 413);
    assert_security_headers("POST over the limit (413)", too_big.headers(), hsts);

    // A route of our own that panics, behind the server's own layers.
    async fn boom() -> &'static str {
        panic!("boom")
    }
    let routes = axum::Router::new().route("/boom", axum::routing::get(boom));
    let router = motcua_server::router::with_layers(routes, app.running.state.clone(), &app.settings);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await
    });
    let panicked =
        app.client.get(format!("http://{addr}/boom")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(panicked.status(), 500);
    assert_security_headers("a handler that panicked (500)", panicked.headers(), hsts);
    assert!(!panicked.text().await.unwrap().contains("boom"), "the panic stays in the log");
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let site = site_with_a_stylesheet();
    let app = TestApp::spawn_with(|args| {
        args.site_root = Some(site.path().to_path_buf());
        args.max_body_bytes = Some(64 * 1024);
        args.max_file_bytes = Some(1024);
        args.max_dossier_bytes = Some(1024);
    })
    .await;
    check_every_kind_of_response(&app, false).await;
}

#[tokio::test]
async fn production_adds_hsts_everywhere_and_secure_cookies() {
    let site = site_with_a_stylesheet();
    let app = TestApp::spawn_with(|args| {
        args.environment = Some(motcua_server::config::EnvironmentArg::Production);
        args.public_url = Some("https://dvc.example.gov.vn".into());
        args.vnpay_tmn_code = Some("DVCHY001".into());
        args.vnpay_secret = Some("a-production-secret".into());
        args.vnpay_url = Some("https://pay.example.vn/vpcpay.html".into());
        args.vnpay_api_url = Some("https://merchant.example.vn/api/transaction".into());
        args.site_root = Some(site.path().to_path_buf());
        args.max_body_bytes = Some(64 * 1024);
        args.max_file_bytes = Some(1024);
        args.max_dossier_bytes = Some(1024);
    })
    .await;
    check_every_kind_of_response(&app, true).await;
    let response = app
        .client
        .post(app.url("/lang"))
        .header("origin", "https://dvc.example.gov.vn")
        .form(&[("lang", "en"), ("next", "/")])
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly"), "{cookie}");
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

/// Found by wapiti (scripts/scan): Leptos writes a `<textarea>`'s children unescaped, so the
/// kiosk's comment, shown again after a refusal, could end the textarea and inject markup.
#[tokio::test]
async fn a_refused_form_shows_typed_text_in_a_textarea_as_text() {
    let app = TestApp::spawn().await;
    let typed = "</textarea><ScRiPt>alert('x')</sCrIpT> & co";
    let r = app
        .client
        .post(app.url("/kiosk/rate"))
        .header("accept", "text/html")
        .form(&[
            ("code", "none"),
            ("key", "none"),
            ("reception", "1"),
            ("timing", "1"),
            ("attitude", "1"),
            ("correctness", "1"),
            ("comment", typed),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(!html.contains("<ScRiPt>"), "the typed markup is not in the page");
    assert!(
        html.contains(">&lt;/textarea&gt;&lt;ScRiPt&gt;alert('x')&lt;/sCrIpT&gt; &amp; co</textarea>"),
        "the textarea shows exactly what was typed"
    );
}

/// Found by wapiti's backup-file probe (scripts/scan): any token under a dossier code
/// (`…/token.bak`, `…/backup.zip`) answered 200. An unknown code or token is a 404 page.
#[tokio::test]
async fn an_unknown_verification_code_is_not_found() {
    let app = TestApp::spawn().await;
    let r = app.get_html("/verify/000.00.31.H26-261113-0001/backup.zip").await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("data-testid=\"not-verified\""));
}

/// Pages are compressed (brotli or gzip) for strangers and for signed-in people's own
/// navigations, never for a signed-in request a foreign page may have started (BREACH,
/// `server/src/middleware/compression.rs`).
#[tokio::test]
async fn pages_are_compressed_except_signed_in_ones_a_foreign_site_asked_for() {
    use std::io::Read as _;
    let app = TestApp::spawn().await;
    let gunzip = |bytes: &[u8]| {
        let mut html = String::new();
        flate2::read::GzDecoder::new(bytes).read_to_string(&mut html).unwrap();
        html
    };
    let encoding =
        |r: &reqwest::Response| r.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_string());

    let stranger = app.client.get(app.url("/")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(stranger.status(), 200);
    assert_eq!(encoding(&stranger).as_deref(), Some("gzip"));
    assert!(stranger.headers()["vary"].to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"));
    let html = gunzip(&stranger.bytes().await.unwrap());
    assert!(html.contains("<html lang=\"vi\"") && html.contains("<main id=\"main\""), "{html}");
    let br =
        app.client.get(app.url("/")).header("accept-encoding", "br;q=1, gzip;q=0.5").send().await.unwrap();
    assert_eq!(encoding(&br).as_deref(), Some("br"));

    let citizen = common::dossiers::citizen(&app, "nen@example.vn", "001099000123").await;
    let page = |site: Option<&'static str>| {
        let mut request = citizen.client.get(app.url("/dossiers")).header("accept-encoding", "gzip");
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.send()
    };
    let own = page(Some("same-origin")).await.unwrap();
    assert_eq!(own.status(), 200);
    assert_eq!(encoding(&own).as_deref(), Some("gzip"), "a signed-in person's own navigation");
    let html = gunzip(&own.bytes().await.unwrap());
    assert!(html.contains("<main id=\"main\"") && html.contains("Đăng xuất"), "signed in: {html}");
    assert_eq!(encoding(&page(Some("none")).await.unwrap()).as_deref(), Some("gzip"), "typed or bookmarked");
    for site in [Some("cross-site"), Some("same-site"), None] {
        let foreign = page(site).await.unwrap();
        assert_eq!(foreign.status(), 200);
        assert_eq!(encoding(&foreign), None, "signed in, Sec-Fetch-Site {site:?}");
        let html = foreign.text().await.unwrap();
        assert!(html.contains("Đăng xuất"), "still the signed-in page, only uncompressed: {html}");
    }
}
