//! The API for organisations (issue #10), on SQLite and PostgreSQL: tokens are confined to
//! their organisation and scope, revoked and expired ones are refused, an Idempotency-Key makes
//! a retried call create one dossier, calls are rate-limited and audited, and webhooks reach a
//! receiver on loopback once each, signed, and again after a 500.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::sync::{Arc, Mutex};

use app::ssr::services::{RequestMeta, reception};
use common::dossiers::{PDF, citizen};
use common::office::{Office, office};
use common::{Browser, TestApp, location};
use hmac::Mac as _;
use serde_json::{Value, json};

/// Registers an organisation owned by `owner`; returns its id.
async fn organisation(owner: &Browser, name: &str, tax_code: &str) -> String {
    let r = owner
        .post(
            "/organisations",
            &[("name", name), ("tax_code", tax_code), ("address", "Số 1 Tràng Tiền, Hà Nội")],
        )
        .await;
    assert_eq!(r.status(), 303, "organisation created");
    location(&r).trim_start_matches("/organisations/").to_string()
}

/// The secret shown once on the page answering a post.
fn shown_secret(html: &str) -> String {
    let start = html.find("id=\"new-secret\">").expect("the secret is shown") + "id=\"new-secret\">".len();
    html[start..].split('<').next().unwrap().to_string()
}

/// Creates a token through the owner's page; returns it.
async fn token(owner: &Browser, org: &str, scope: &str, days: &str) -> String {
    let r = owner
        .post(
            &format!("/organisations/{org}/api/tokens"),
            &[("name", "ERP kế toán"), ("scope", scope), ("days", days)],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let token = shown_secret(&html);
    assert!(token.starts_with("mc_") && token.len() > 40, "{token}");
    token
}

struct Api<'a> {
    app: &'a TestApp,
    token: String,
}

impl Api<'_> {
    async fn get(&self, path: &str) -> reqwest::Response {
        self.app.client.get(self.app.url(path)).bearer_auth(&self.token).send().await.unwrap()
    }

    async fn post(&self, path: &str, body: Value, key: Option<&str>) -> reqwest::Response {
        let mut r = self.app.client.post(self.app.url(path)).bearer_auth(&self.token).json(&body);
        if let Some(key) = key {
            r = r.header("Idempotency-Key", key);
        }
        r.send().await.unwrap()
    }

    async fn upload(&self, id: &str, paper: usize, bytes: &[u8]) -> reqwest::Response {
        self.app
            .client
            .post(self.app.url(&format!("/api/v1/dossiers/{id}/papers/{paper}?file_name=don.pdf")))
            .bearer_auth(&self.token)
            .header("content-type", "application/octet-stream")
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap()
    }
}

fn is_problem(r: &reqwest::Response) -> bool {
    r.headers().get("content-type").and_then(|v| v.to_str().ok()) == Some("application/problem+json")
}

fn new_draft() -> Value {
    json!({
        "procedure_code": "1.009994",
        "values": { "address": "Số 5 phố Bạch Đằng, phường Hiến Nam" },
        "delivery": "electronic"
    })
}

#[tokio::test]
async fn tokens_see_only_their_organisation_and_read_tokens_cannot_write() {
    let o = office().await;
    let app = &o.app;
    let a_owner = citizen(app, "chu-a@example.vn", "001199012345").await;
    let b_owner = citizen(app, "chu-b@example.vn", "079199054321").await;
    let a = organisation(&a_owner, "Công ty TNHH Sen Vàng", "0100109106").await;
    let b = organisation(&b_owner, "Công ty TNHH Dịch vụ Demo", "0300588569").await;
    let a_write = Api { app, token: token(&a_owner, &a, "write", "30").await };
    let a_read = Api { app, token: token(&a_owner, &a, "read", "30").await };
    let b_write = Api { app, token: token(&b_owner, &b, "write", "30").await };

    // no token, or a made-up one: 401 problem
    let r = app.client.get(app.url("/api/v1/dossiers")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(is_problem(&r));
    assert!(r.headers().contains_key("www-authenticate"));
    let forged = Api { app, token: "mc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into() };
    assert_eq!(forged.get("/api/v1/dossiers").await.status(), 401);

    // procedures are readable with any token
    let r = a_read.get("/api/v1/procedures?q=xay+dung").await;
    assert_eq!(r.status(), 200);
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["items"][0]["code"], "1.009994");
    assert_eq!(a_read.get("/api/v1/procedures/1.009994").await.status(), 200);
    assert_eq!(a_read.get("/api/v1/procedures/9.999999").await.status(), 404);

    // a read token cannot create or submit
    let r = a_read.post("/api/v1/dossiers", new_draft(), None).await;
    assert_eq!(r.status(), 403);
    assert!(is_problem(&r));
    let created = a_write.post("/api/v1/dossiers", new_draft(), None).await;
    assert_eq!(created.status(), 201);
    let dossier: Value = created.json().await.unwrap();
    let id = dossier["id"].as_str().unwrap().to_string();
    assert_eq!(dossier["state"], "draft");
    assert!(dossier["problems"]["paper-0"].is_object(), "the paper is still missing: {dossier}");
    assert_eq!(a_read.post(&format!("/api/v1/dossiers/{id}/submit"), json!({}), None).await.status(), 403);
    assert_eq!(a_read.upload(&id, 0, PDF).await.status(), 403);

    // B's token cannot see A's dossier, nor find it in its list
    let r = b_write.get(&format!("/api/v1/dossiers/{id}")).await;
    assert_eq!(r.status(), 404);
    assert!(is_problem(&r));
    assert_eq!(b_write.upload(&id, 0, PDF).await.status(), 404);
    assert_eq!(b_write.post(&format!("/api/v1/dossiers/{id}/submit"), json!({}), None).await.status(), 404);
    assert_eq!(b_write.get(&format!("/api/v1/dossiers/{id}/payments")).await.status(), 404);
    let listed: Value = b_write.get("/api/v1/dossiers").await.json().await.unwrap();
    assert_eq!(listed["total"], 0);
    // …nor can A's owner's personal dossiers be reached through A's token
    let own = common::dossiers::ready_draft(&a_owner).await;
    assert_eq!(a_read.get(&format!("/api/v1/dossiers/{own}")).await.status(), 404);

    // the same checks as the pages: content, not name
    let r = a_write.upload(&id, 0, b"MZ this is not a scan").await;
    assert_eq!(r.status(), 415);
    assert!(is_problem(&r));
    assert_eq!(a_write.upload(&id, 7, PDF).await.status(), 404);
    assert_eq!(a_write.upload(&id, 0, PDF).await.status(), 201);
    let r = a_write.post(&format!("/api/v1/dossiers/{id}/submit"), json!({}), None).await;
    assert_eq!(r.status(), 200);
    let submitted: Value = r.json().await.unwrap();
    assert!(submitted["code"].as_str().unwrap().starts_with("000.00.31.H26-"));
    let read: Value = a_read.get(&format!("/api/v1/dossiers/{id}")).await.json().await.unwrap();
    assert_eq!(read["state"], "submitted");
    assert_eq!(read["national_status"], 1);
    let kinds: Vec<&str> =
        read["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "submitted"]);
    let listed: Value = a_read.get("/api/v1/dossiers").await.json().await.unwrap();
    assert_eq!(listed["total"], 1);
    let payments: Value = a_read.get(&format!("/api/v1/dossiers/{id}/payments")).await.json().await.unwrap();
    assert_eq!(payments["total"], 75000);
    assert_eq!(a_read.get(&format!("/api/v1/dossiers/{id}/result")).await.status(), 404);

    // a member (not the owner) cannot manage tokens; a stranger is told nothing
    assert_eq!(b_owner.get(&format!("/organisations/{a}/api")).await.status(), 404);
    let r = b_owner
        .post(&format!("/organisations/{a}/api/tokens"), &[("name", "x"), ("scope", "write"), ("days", "30")])
        .await;
    assert_eq!(r.status(), 404);

    // every call is on the audit record
    let entries = app::ssr::db::audit::latest(&app.running.state.db, 1000).await.unwrap();
    assert!(entries.iter().filter(|e| e.action == "api.call").count() >= 10);
    assert_eq!(
        app::ssr::db::audit::verify(&app.running.state.db).await.unwrap().ok().map(|n| n > 0),
        Some(true)
    );
}

#[tokio::test]
async fn revoked_and_expired_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let owner = citizen(&app, "chu@example.vn", "001199012345").await;
    let org = organisation(&owner, "Công ty TNHH Sen Vàng", "0100109106").await;
    let api = Api { app: &app, token: token(&owner, &org, "read", "30").await };
    let short = Api { app: &app, token: token(&owner, &org, "read", "1").await };
    assert_eq!(api.get("/api/v1/dossiers").await.status(), 200);
    assert_eq!(short.get("/api/v1/dossiers").await.status(), 200);

    // the owner's page lists them (never the secret) and revokes
    let page = owner.get(&format!("/organisations/{org}/api")).await.text().await.unwrap();
    assert!(!page.contains(&api.token), "a token is shown once only");
    let tokens =
        app::ssr::db::api::tokens_of(&mut app.running.state.db.reader().acquire().await.unwrap(), &org)
            .await
            .unwrap();
    let long_id = tokens
        .iter()
        .find(|t| t.expires_at > tokens.iter().map(|t| t.expires_at).min().unwrap())
        .unwrap()
        .id
        .clone();
    let r = owner.post(&format!("/organisations/{org}/api/tokens/{long_id}/revoke"), &[]).await;
    assert_eq!(r.status(), 303);
    let r = api.get("/api/v1/dossiers").await;
    assert_eq!(r.status(), 401);
    assert!(is_problem(&r));
    assert_eq!(short.get("/api/v1/dossiers").await.status(), 200);

    // two days later the one-day token has expired
    app.clock.advance(time::Duration::days(2));
    assert_eq!(short.get("/api/v1/dossiers").await.status(), 401);
}

#[tokio::test]
async fn a_replayed_idempotency_key_creates_one_dossier() {
    let app = common::dossiers::app_with_catalogue().await;
    let owner = citizen(&app, "chu@example.vn", "001199012345").await;
    let org = organisation(&owner, "Công ty TNHH Sen Vàng", "0100109106").await;
    let api = Api { app: &app, token: token(&owner, &org, "write", "30").await };

    let first = api.post("/api/v1/dossiers", new_draft(), Some("order-2026-0001")).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    let again = api.post("/api/v1/dossiers", new_draft(), Some("order-2026-0001")).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["id"], again["id"]);
    // the same key with another body is refused
    let mut other = new_draft();
    other["delivery"] = json!("desk");
    let r = api.post("/api/v1/dossiers", other, Some("order-2026-0001")).await;
    assert_eq!(r.status(), 409);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["code"], "idempotency_key_reused");
    let listed: Value = api.get("/api/v1/dossiers").await.json().await.unwrap();
    assert_eq!(listed["total"], 1, "one dossier");

    // the same for submission: one code
    let id = first["id"].as_str().unwrap();
    assert_eq!(api.upload(id, 0, PDF).await.status(), 201);
    let path = format!("/api/v1/dossiers/{id}/submit");
    let a: Value = api.post(&path, json!({}), Some("submit-1")).await.json().await.unwrap();
    let b = api.post(&path, json!({}), Some("submit-1")).await;
    assert_eq!(b.headers().get("idempotent-replayed").unwrap(), "true");
    let b: Value = b.json().await.unwrap();
    assert_eq!(a["code"], b["code"]);
    let bad = api.post("/api/v1/dossiers", new_draft(), Some("không hợp lệ")).await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn calls_are_rate_limited_per_token_and_the_document_is_served() {
    let app = TestApp::spawn_with(|args| args.api_rate_per_minute = Some(3)).await;
    let owner = citizen(&app, "chu@example.vn", "001199012345").await;
    let org = organisation(&owner, "Công ty TNHH Sen Vàng", "0100109106").await;
    let api = Api { app: &app, token: token(&owner, &org, "read", "30").await };
    let other = Api { app: &app, token: token(&owner, &org, "read", "30").await };
    for _ in 0..3 {
        assert_eq!(api.get("/api/v1/dossiers").await.status(), 200);
    }
    let r = api.get("/api/v1/dossiers").await;
    assert_eq!(r.status(), 429);
    assert!(is_problem(&r));
    let wait: i64 = r.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(other.get("/api/v1/dossiers").await.status(), 200, "per token");
    app.clock.advance(time::Duration::seconds(61));
    assert_eq!(api.get("/api/v1/dossiers").await.status(), 200);

    let doc: Value =
        app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["paths"]["/api/v1/dossiers/{id}/submit"]["post"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let page = app.client.get(app.url("/api/v1/docs")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("/api/v1/dossiers/{id}/submit"));
    let r = app.client.get(app.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(is_problem(&r));
}

/// What the receiver saw: (headers, body).
type Seen = Arc<Mutex<Vec<(http::HeaderMap, String)>>>;

/// A webhook receiver on loopback that answers 500 to its first request, 200 after.
async fn receiver() -> (String, Seen) {
    use axum::routing::post;
    let seen: Seen = Arc::default();
    let kept = seen.clone();
    let router = axum::Router::new().route(
        "/hook",
        post(move |headers: http::HeaderMap, body: String| {
            let kept = kept.clone();
            async move {
                let mut all = kept.lock().unwrap();
                all.push((headers, body));
                if all.len() == 1 { http::StatusCode::INTERNAL_SERVER_ERROR } else { http::StatusCode::OK }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, seen)
}

fn signature_ok(secret: &str, headers: &http::HeaderMap, body: &str) -> bool {
    let value = headers.get("motcua-signature").unwrap().to_str().unwrap();
    let (t, v1) = value.split_once(",v1=").unwrap();
    let t = t.trim_start_matches("t=");
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    mac.verify_slice(&hex::decode(v1).unwrap()).is_ok()
}

async fn wait_until(seen: &Seen, what: impl Fn(&[(http::HeaderMap, String)]) -> bool) {
    for _ in 0..200 {
        if what(&seen.lock().unwrap()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "the receiver did not get what was expected: {:?}",
        seen.lock().unwrap().iter().map(|(_, b)| b).collect::<Vec<_>>()
    );
}

fn events(seen: &[(http::HeaderMap, String)]) -> Vec<(String, String)> {
    seen.iter()
        .map(|(_, b)| {
            let v: Value = serde_json::from_str(b).unwrap();
            (v["type"].as_str().unwrap().to_string(), v["id"].as_str().unwrap().to_string())
        })
        .collect()
}

#[tokio::test]
async fn webhooks_are_signed_delivered_once_and_retried_after_a_500() {
    let o: Office = office().await;
    let app = &o.app;
    let owner = citizen(app, "chu@example.vn", "001199012345").await;
    let org = organisation(&owner, "Công ty TNHH Sen Vàng", "0100109106").await;
    let api = Api { app, token: token(&owner, &org, "write", "30").await };
    let (url, seen) = receiver().await;

    // https only, except loopback in development
    let r = owner
        .post(
            &format!("/organisations/{org}/api/webhooks"),
            &[("url", "http://example.vn/hook"), ("events", "*")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r =
        owner.post(&format!("/organisations/{org}/api/webhooks"), &[("url", &url), ("events", "*")]).await;
    assert_eq!(r.status(), 200);
    let secret = shown_secret(&r.text().await.unwrap());
    assert!(secret.starts_with("whsec_"));

    let created: Value = api.post("/api/v1/dossiers", new_draft(), None).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(api.upload(&id, 0, PDF).await.status(), 201);
    assert_eq!(api.post(&format!("/api/v1/dossiers/{id}/submit"), json!({}), None).await.status(), 200);
    // the first delivery gets a 500…
    wait_until(&seen, |s| !s.is_empty()).await;
    reception::accept(&app.running.state, &o.desk, &id, &RequestMeta::default()).await.unwrap();
    wait_until(&seen, |s| events(s).iter().any(|(t, _)| t == "dossier.received")).await;
    // …and comes again after the backoff
    app.clock.advance(time::Duration::seconds(60));
    wait_until(&seen, |s| events(s).iter().filter(|(t, _)| t == "dossier.submitted").count() == 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let all = seen.lock().unwrap().clone();
    for (headers, body) in &all {
        assert!(signature_ok(&secret, headers, body), "signed: {body}");
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["data"]["dossier_id"], id.as_str());
        assert_eq!(headers.get("motcua-event-id").unwrap().to_str().unwrap(), v["id"].as_str().unwrap());
    }
    let got = events(&all);
    assert_eq!(
        got.iter().filter(|(t, _)| t == "dossier.submitted").count(),
        2,
        "once, and once more after the 500: {got:?}"
    );
    let ids: Vec<&String> = got.iter().filter(|(t, _)| t == "dossier.submitted").map(|(_, id)| id).collect();
    assert_eq!(ids[0], ids[1], "the retry is the same event");
    assert_eq!(got.iter().filter(|(t, _)| t == "dossier.received").count(), 1, "{got:?}");
    let received = all.iter().find(|(_, b)| b.contains("dossier.received")).unwrap();
    let v: Value = serde_json::from_str(&received.1).unwrap();
    assert_eq!(v["data"]["state"], "received");

    // the owner sees the deliveries and their attempts, and may replay one
    let page = owner.get(&format!("/organisations/{org}/api")).await.text().await.unwrap();
    assert!(page.contains("HTTP 500") && page.contains("HTTP 200"), "attempts are shown");
    let deliveries = app::ssr::db::webhooks::deliveries_of(
        &mut app.running.state.db.reader().acquire().await.unwrap(),
        &org,
        50,
    )
    .await
    .unwrap();
    assert!(deliveries.iter().all(|d| d.status == "delivered"));
    let submitted = deliveries.iter().find(|d| d.event == "dossier.submitted").unwrap();
    assert_eq!(submitted.attempts, 2);
    let before = seen.lock().unwrap().len();
    let r = owner.post(&format!("/organisations/{org}/api/deliveries/{}/replay", submitted.id), &[]).await;
    assert_eq!(r.status(), 303);
    wait_until(&seen, |s| s.len() == before + 1).await;
    // a stranger cannot replay
    let stranger = citizen(app, "la@example.vn", "079199054321").await;
    let r = stranger.post(&format!("/organisations/{org}/api/deliveries/{}/replay", submitted.id), &[]).await;
    assert_eq!(r.status(), 404);
}
