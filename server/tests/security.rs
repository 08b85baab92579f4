//! Access control, route by route. Every HTTP route the server has — the form and file
//! endpoints, the Leptos pages, operational endpoints, the sandbox gateway — is in [`TABLE`]
//! with who may use it. The test
//!
//! 1. finds every route in the source (`.route("…", method(…))` in `app/src` and
//!    `server/src`) and every page in the Leptos route tree, and fails when one is missing
//!    from the table (or the table lists one that no longer exists);
//! 2. calls each route as every identity that is *not* allowed — a stranger, a citizen who
//!    owns nothing, the owner of the dossier, each officer role of the ward, the ward's
//!    administrator — and expects a refusal: 401/403/404, or a redirect to sign in. Never a
//!    success, never a 5xx.
//!
//! Object-level access (a citizen changing an id) is the "Owner" rows: the dossier, file,
//! payment and feedback ids in the paths belong to the demo citizen, and another citizen
//! must be refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::BTreeSet;

use common::{Browser, TestApp, location};

/// Who can be signed in while calling a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Stranger,
    Citizen,
    Owner,
    Desk,
    Specialist,
    Leader,
    Clerk,
    WardAdmin,
    SysAdmin,
}

use Who::*;

const EVERYONE: &[Who] = &[Stranger, Citizen, Owner, Desk, Specialist, Leader, Clerk, WardAdmin, SysAdmin];
const SIGNED_IN: &[Who] = &[Citizen, Owner, Desk, Specialist, Leader, Clerk, WardAdmin, SysAdmin];
const OWNER: &[Who] = &[Owner];
/// The dossier's owner and the officers handling it (the unit's officers and admins).
const OWNER_AND_UNIT: &[Who] = &[Owner, Desk, Specialist, Leader, Clerk, WardAdmin, SysAdmin];
const OFFICERS: &[Who] = &[Desk, Specialist, Leader, Clerk, WardAdmin, SysAdmin];
const DESK: &[Who] = &[Desk, SysAdmin];
const HANDLERS: &[Who] = &[Desk, Specialist, Leader, Clerk, SysAdmin];
const LEADERS: &[Who] = &[Leader, WardAdmin, SysAdmin];
const ADMINS: &[Who] = &[WardAdmin, SysAdmin];
const SYSADMIN: &[Who] = &[SysAdmin];
/// The JSON API: no browser session is enough (`tests/api.rs` checks tokens).
const TOKEN: &[Who] = &[];
/// Pages and actions that only make sense signed out, or open to anyone by design.
const PUBLIC: &[Who] = EVERYONE;

/// (method, path, who may use it). Paths are as in the router; `{…}` and `:…` are
/// placeholders filled with the demo citizen's objects.
const TABLE: &[(&str, &str, &[Who])] = &[
    // operations and static files
    ("GET", "/healthz", PUBLIC),
    ("GET", "/readyz", PUBLIC),
    ("GET", "/metrics", PUBLIC),
    ("POST", "/lang", PUBLIC),
    // public pages
    ("GET", "/", PUBLIC),
    ("GET", "/procedures", PUBLIC),
    ("GET", "/procedures/{code}", PUBLIC),
    ("GET", "/catalogue.json", PUBLIC),
    ("GET", "/lookup", PUBLIC),
    ("GET", "/statistics", PUBLIC),
    ("GET", "/feedback", PUBLIC),
    ("GET", "/kiosk/rate", PUBLIC),
    ("POST", "/kiosk/rate", PUBLIC),
    ("GET", "/verify/{code}/{token}", PUBLIC),
    // accounts
    ("GET", "/register", PUBLIC),
    ("POST", "/register", PUBLIC),
    ("GET", "/verify-email", PUBLIC),
    ("POST", "/verify-email", PUBLIC),
    ("GET", "/login", PUBLIC),
    ("POST", "/login", PUBLIC),
    ("POST", "/logout", PUBLIC),
    ("POST", "/logout-everywhere", SIGNED_IN),
    ("GET", "/forgot-password", PUBLIC),
    ("POST", "/forgot-password", PUBLIC),
    ("GET", "/reset-password", PUBLIC),
    ("POST", "/reset-password", PUBLIC),
    ("GET", "/account", SIGNED_IN),
    ("POST", "/account/profile", SIGNED_IN),
    ("POST", "/account/password", SIGNED_IN),
    ("GET", "/login/verify", PUBLIC),
    ("POST", "/login/verify", PUBLIC),
    ("GET", "/account/security/enrol", OFFICERS),
    ("POST", "/account/security/enrol", OFFICERS),
    // organisations
    ("GET", "/organisations", SIGNED_IN),
    ("POST", "/organisations", SIGNED_IN),
    ("GET", "/organisations/{id}", OWNER),
    ("POST", "/organisations/{id}/invite", OWNER),
    ("POST", "/organisations/{id}/members/{user_id}/remove", OWNER),
    // the owner's API tokens and webhooks
    ("GET", "/organisations/{id}/api", OWNER),
    ("POST", "/organisations/{id}/api/tokens", OWNER),
    ("POST", "/organisations/{id}/api/tokens/{token}/revoke", OWNER),
    ("POST", "/organisations/{id}/api/webhooks", OWNER),
    ("POST", "/organisations/{id}/api/webhooks/{endpoint}/remove", OWNER),
    ("POST", "/organisations/{id}/api/deliveries/{delivery}/replay", OWNER),
    ("GET", "/invitation", PUBLIC),
    ("POST", "/invitation", SIGNED_IN),
    // the citizen's dossiers and papers
    ("GET", "/dossiers", SIGNED_IN),
    ("POST", "/dossiers", SIGNED_IN),
    ("GET", "/dossiers/{id}", OWNER),
    ("GET", "/dossiers/{id}/review", OWNER),
    ("POST", "/dossiers/{id}/save", OWNER),
    ("POST", "/dossiers/{id}/papers/{paper}", OWNER),
    ("POST", "/dossiers/{id}/papers/{paper}/attach", OWNER),
    ("POST", "/dossiers/{id}/files/{file}/remove", OWNER),
    ("POST", "/dossiers/{id}/discard", OWNER),
    // the desk submits what it filed at the counter for a walk-in applicant
    ("POST", "/dossiers/{id}/submit", &[Owner, Desk, SysAdmin]),
    ("POST", "/dossiers/{id}/withdraw", OWNER),
    ("POST", "/dossiers/{id}/supplement", OWNER),
    ("GET", "/dossiers/{id}/receipt.pdf", OWNER_AND_UNIT),
    ("GET", "/dossiers/{id}/appointment.pdf", OWNER_AND_UNIT),
    ("GET", "/dossiers/{id}/forms/{file}", OWNER_AND_UNIT),
    ("POST", "/dossiers/{id}/pay", OWNER),
    ("GET", "/dossiers/{id}/payments/{payment}/receipt.pdf", OWNER_AND_UNIT),
    ("POST", "/dossiers/{id}/rate", OWNER),
    ("GET", "/documents", SIGNED_IN),
    ("GET", "/documents/{id}", OWNER_AND_UNIT),
    ("GET", "/feedback/mine", SIGNED_IN),
    ("POST", "/feedback/mine", SIGNED_IN),
    // payments gateway callbacks: signed by the gateway, not by a session
    ("GET", "/payments/vnpay/ipn", PUBLIC),
    ("GET", "/payments/vnpay/return", PUBLIC),
    ("GET", "SANDBOX_PAY", PUBLIC),
    ("POST", "SANDBOX_ACTION", PUBLIC),
    ("POST", "SANDBOX_API", PUBLIC),
    // back office
    ("GET", "/officer", OFFICERS),
    ("GET", "/officer/reception", DESK),
    ("GET", "/officer/work", OFFICERS),
    ("GET", "/officer/intake", DESK),
    ("POST", "/officer/intake", DESK),
    ("GET", "/officer/delegation", LEADERS),
    ("POST", "/officer/delegation", LEADERS),
    ("POST", "/officer/delegation/{id}/revoke", LEADERS),
    ("GET", "/officer/stats", LEADERS),
    ("GET", "/officer/stats/list", LEADERS),
    ("GET", "/officer/stats.csv", LEADERS),
    ("GET", "/officer/stats.xlsx", LEADERS),
    ("GET", "/officer/payments", OFFICERS),
    ("GET", "/officer/feedback", OFFICERS),
    ("POST", "/officer/feedback/{id}/answer", OFFICERS),
    ("POST", "/officer/feedback/{id}/publish", OFFICERS),
    ("GET", "/officer/register.pdf", DESK),
    ("GET", "/officer/dossiers/{id}", OFFICERS),
    ("POST", "/officer/dossiers/{id}/accept", DESK),
    ("POST", "/officer/dossiers/{id}/supplement", HANDLERS),
    ("POST", "/officer/dossiers/{id}/refuse", DESK),
    ("POST", "/officer/dossiers/{id}/forward", HANDLERS),
    ("POST", "/officer/dossiers/{id}/send-back", HANDLERS),
    ("POST", "/officer/dossiers/{id}/refuse-grant", HANDLERS),
    ("POST", "/officer/dossiers/{id}/result", HANDLERS),
    ("POST", "/officer/dossiers/{id}/result/generate", HANDLERS),
    ("POST", "/officer/dossiers/{id}/return", DESK),
    ("POST", "/officer/dossiers/{id}/stop", HANDLERS),
    ("POST", "/officer/dossiers/{id}/assign", HANDLERS),
    ("POST", "/officer/dossiers/{id}/reschedule", HANDLERS),
    ("POST", "/officer/dossiers/{id}/payments", DESK),
    // the JSON API: a bearer token of an organisation, never a browser session
    ("GET", "/api/v1/openapi.json", PUBLIC),
    ("GET", "/api/v1/docs", PUBLIC),
    ("GET", "/api/v1/procedures", TOKEN),
    ("GET", "/api/v1/procedures/{code}", TOKEN),
    ("GET", "/api/v1/dossiers", TOKEN),
    ("POST", "/api/v1/dossiers", TOKEN),
    ("GET", "/api/v1/dossiers/{id}", TOKEN),
    ("PATCH", "/api/v1/dossiers/{id}", TOKEN),
    ("POST", "/api/v1/dossiers/{id}/papers/{paper}", TOKEN),
    ("POST", "/api/v1/dossiers/{id}/submit", TOKEN),
    ("POST", "/api/v1/dossiers/{id}/supplement", TOKEN),
    ("GET", "/api/v1/dossiers/{id}/payments", TOKEN),
    ("GET", "/api/v1/dossiers/{id}/result", TOKEN),
    // administration
    ("GET", "/admin/officers", ADMINS),
    ("POST", "/admin/officers", ADMINS),
    ("GET", "/admin/audit", ADMINS),
    ("GET", "/admin/procedures", ADMINS),
    ("GET", "/admin/procedures/{code}", ADMINS),
    ("POST", "/admin/procedures/{code}/basics", ADMINS),
    ("POST", "/admin/procedures/{code}/papers", ADMINS),
    ("POST", "/admin/procedures/{code}/fields", ADMINS),
    ("POST", "/admin/procedures/{code}/steps", ADMINS),
    ("POST", "/admin/procedures/{code}/fees", ADMINS),
    ("POST", "/admin/procedures/{code}/units", ADMINS),
    ("POST", "/admin/procedures/{code}/{section}/{index}/{action}", ADMINS),
    ("POST", "/admin/procedures/{code}/publish", ADMINS),
    ("POST", "/admin/procedures/{code}/discard", ADMINS),
    ("GET", "/admin/holidays", SYSADMIN),
    ("POST", "/admin/holidays", SYSADMIN),
    ("POST", "/admin/holidays/remove", SYSADMIN),
    ("POST", "/admin/holidays/extra", SYSADMIN),
    ("POST", "/admin/holidays/extra/remove", SYSADMIN),
    ("GET", "/admin/agencies", ADMINS),
    ("POST", "/admin/agencies/{code}", ADMINS),
    ("POST", "/admin/agencies/{code}/children", ADMINS),
];

/// `{x}` and `:x` both become `{}`, so that the router's and Leptos' spellings compare.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.starts_with('{') || seg.starts_with(':') { "{}" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every `.route(PATH, method(…))` in the source, as (METHOD, shape).
fn routes_in_source() -> BTreeSet<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let re = regex::Regex::new(
        r#"\.route\(\s*("[^"]+"|[A-Z_]+)\s*,\s*(get|post|put|patch|delete)\((?s:[^;]*?)\)\s*(\.(get|post|put|patch|delete)\()?"#,
    )
    .unwrap();
    let mut found = BTreeSet::new();
    let mut stack = vec![root.join("app/src"), root.join("server/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // the API's router is nested at /api/v1 by server/src/router.rs
                let prefix = if path.to_string_lossy().contains("api/v1") { "/api/v1" } else { "" };
                for c in re.captures_iter(&text) {
                    let p = format!("{prefix}{}", c[1].trim_matches('"'));
                    let p = p.as_str();
                    let p = match p {
                        "PAY_PATH" => "SANDBOX_PAY",
                        "ACTION_PATH" => "SANDBOX_ACTION",
                        "API_PATH" => "SANDBOX_API",
                        other => other,
                    };
                    found.insert((c[2].to_uppercase(), shape(p)));
                    if let Some(second) = c.get(4) {
                        found.insert((second.as_str().to_uppercase(), shape(p)));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_route_is_in_the_table() {
    let mut actual = routes_in_source();
    for route in leptos_axum::generate_route_list(app::app::App) {
        actual.insert(("GET".to_string(), shape(route.path())));
    }
    let listed: BTreeSet<(String, String)> =
        TABLE.iter().map(|(m, p, _)| (m.to_string(), shape(p))).collect();
    let missing: Vec<_> = actual.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&actual).collect();
    assert!(missing.is_empty(), "routes without an access rule in the table: {missing:?}");
    assert!(gone.is_empty(), "table rows for routes that no longer exist: {gone:?}");
    assert!(actual.len() > 100, "the route discovery found {} routes", actual.len());
}

/// The objects the placeholders stand for, all the demo citizen's.
struct Ids {
    dossier: String,
    file: String,
    document: String,
    payment: String,
    organisation: String,
    member: String,
    feedback: String,
    delegation: String,
    code: String,
}

fn fill(path: &str, ids: &Ids) -> String {
    path.replace("{id}/members/{user_id}", &format!("{}/members/{}", ids.organisation, ids.member))
        .replace("/organisations/{id}", &format!("/organisations/{}", ids.organisation))
        .replace("/documents/{id}", &format!("/documents/{}", ids.document))
        .replace("/feedback/{id}", &format!("/feedback/{}", ids.feedback))
        .replace("/delegation/{id}", &format!("/delegation/{}", ids.delegation))
        .replace("{id}", &ids.dossier)
        .replace("{paper}", "0")
        .replace("{file}", &ids.file)
        .replace("{payment}", &ids.payment)
        .replace("{token}", "00000000-0000-0000-0000-000000000000")
        .replace("{endpoint}", "00000000-0000-0000-0000-000000000000")
        .replace("{delivery}", "00000000-0000-0000-0000-000000000000")
        .replace("{code}/{section}/{index}/{action}", &format!("{}/papers/0/remove", ids.code))
        .replace("{code}", &ids.code)
}

async fn one(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar::<_, String>(sql).fetch_one(app.running.state.db.reader()).await.unwrap()
}

/// Signs a demo officer in through the real pages (password, then TOTP enrolment).
async fn officer(app: &TestApp, email: &str) -> Browser {
    common::signed_in_officer(app, email, "MotCua-demo-2026").await
}

async fn optional(app: &TestApp, sql: &str) -> Option<String> {
    sqlx::query_scalar::<_, String>(sql).fetch_optional(app.running.state.db.reader()).await.unwrap()
}

fn refused(status: u16, location: &str) -> bool {
    matches!(status, 401 | 403 | 404 | 405)
        || ((300..400).contains(&status) && (location.starts_with("/login") || location == "/"))
}

#[tokio::test]
async fn every_route_refuses_everyone_it_is_not_for() {
    let app = TestApp::spawn_with(|args| {
        args.demo_data = Some(true);
        args.demo_dossiers = Some(12);
    })
    .await;
    let citizen_id = one(&app, "SELECT id FROM users WHERE email = 'citizen@demo.motcua.vn'").await;
    let owner = app.browser();
    let r =
        owner.post("/login", &[("email", "citizen@demo.motcua.vn"), ("password", "MotCua-demo-2026")]).await;
    assert_eq!(r.status(), 303);
    let stranger = app.browser();
    let other = common::dossiers::citizen(&app, "nguoi-khac@example.vn", "001199888777").await;

    let of_owner = format!("d.applicant_id = '{citizen_id}' AND d.code IS NOT NULL");
    let dossier = match optional(
        &app,
        &format!("SELECT d.id FROM dossiers d JOIN payments p ON p.dossier_id = d.id WHERE {of_owner} ORDER BY d.id LIMIT 1"),
    )
    .await
    {
        Some(id) => id,
        None => one(&app, &format!("SELECT d.id FROM dossiers d WHERE {of_owner} ORDER BY d.id LIMIT 1")).await,
    };
    let none = "00000000-0000-0000-0000-000000000000".to_string();
    let ids = Ids {
        file: optional(&app, &format!("SELECT id FROM dossier_files WHERE dossier_id = '{dossier}' LIMIT 1"))
            .await
            .unwrap_or_else(|| none.clone()),
        document: one(
            &app,
            &format!("SELECT id FROM documents WHERE owner_id = '{citizen_id}' ORDER BY id LIMIT 1"),
        )
        .await,
        payment: optional(&app, &format!("SELECT id FROM payments WHERE dossier_id = '{dossier}' LIMIT 1"))
            .await
            .unwrap_or_else(|| none.clone()),
        // the demo business the citizen owns, and its member
        organisation: one(&app, "SELECT id FROM organisations WHERE tax_code = '0300588569'").await,
        member: one(&app, "SELECT id FROM users WHERE email = 'member1@demo.motcua.vn'").await,
        feedback: optional(&app, "SELECT id FROM feedback ORDER BY id LIMIT 1")
            .await
            .unwrap_or_else(|| none.clone()),
        delegation: none.clone(),
        code: one(&app, "SELECT code FROM procedures ORDER BY code LIMIT 1").await,
        dossier,
    };

    let mut browsers: Vec<(Who, Browser)> = vec![(Stranger, stranger), (Citizen, other), (Owner, owner)];
    for (who, email) in [
        (Desk, "desk@demo.motcua.vn"),
        (Specialist, "specialist@demo.motcua.vn"),
        (Leader, "leader@demo.motcua.vn"),
        (Clerk, "clerk@demo.motcua.vn"),
        (WardAdmin, "agency-admin@demo.motcua.vn"),
        (SysAdmin, "admin@demo.motcua.vn"),
    ] {
        browsers.push((who, officer(&app, email).await));
    }

    let mut failures = Vec::new();
    let mut checked = 0;
    for (method, path, allowed) in TABLE {
        if path.starts_with("SANDBOX") {
            continue;
        }
        let url = fill(path, &ids);
        for (who, b) in &browsers {
            if allowed.contains(who) {
                continue;
            }
            let response = if *method == "GET" {
                b.get(&url).await
            } else if *method == "PATCH" {
                b.client
                    .patch(format!("{}{url}", b.base))
                    .header("origin", &b.base)
                    .header("content-type", "application/json")
                    .body("{}")
                    .send()
                    .await
                    .unwrap()
            } else if path.ends_with("/papers/{paper}") || path.ends_with("/result") {
                // uploads: a real PDF in a real multipart body, so the refusal is about who
                let form = reqwest::multipart::Form::new().part(
                    "file",
                    reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec())
                        .file_name("a.pdf")
                        .mime_str("application/pdf")
                        .unwrap(),
                );
                b.client
                    .post(format!("{}{url}", b.base))
                    .header("origin", &b.base)
                    .header("accept", "text/html")
                    .multipart(form)
                    .send()
                    .await
                    .unwrap()
            } else {
                b.post(&url, &[("x", "1")]).await
            };
            let status = response.status().as_u16();
            let loc = location(&response);
            checked += 1;
            if !refused(status, &loc) {
                failures.push(format!("{method} {url} as {who:?}: {status} {loc}"));
            }
        }
    }
    assert!(checked > 300, "only {checked} refusals checked");
    assert!(failures.is_empty(), "{} routes not refused:\n{}", failures.len(), failures.join("\n"));
}

/// Twenty-one public lookups from `forwarded` (an `X-Forwarded-For` value); the statuses.
async fn lookups_from(app: &TestApp, forwarded: &str, n: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for _ in 0..n {
        let r = app
            .client
            .get(app.url("/lookup?code=000.00.31.H26-261123-0001&key=AAAAAAAA"))
            .header("accept", "text/html")
            .header("x-forwarded-for", forwarded)
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn x_forwarded_for_counts_only_from_a_trusted_proxy() {
    let limit = usize::try_from(app::ssr::services::filing::LOOKUPS_PER_MINUTE).unwrap();
    // No proxy configured: a client writing a new address each time is still one client.
    let app = TestApp::spawn().await;
    let mut statuses = Vec::new();
    for i in 0..=limit {
        statuses.extend(lookups_from(&app, &format!("203.0.113.{i}"), 1).await);
    }
    assert!(statuses[..limit].iter().all(|s| *s != 429), "{statuses:?}");
    assert_eq!(statuses[limit], 429, "the header is ignored: {statuses:?}");

    // Behind a trusted proxy (here the test itself, on loopback): one client per address.
    let app = TestApp::spawn_with(|a| a.trusted_proxies = Some("127.0.0.1".into())).await;
    let first = lookups_from(&app, "198.51.100.7", limit + 1).await;
    assert!(first[..limit].iter().all(|s| *s != 429), "{first:?}");
    assert_eq!(first[limit], 429, "that client's limit: {first:?}");
    let other = lookups_from(&app, "198.51.100.8", 1).await;
    assert_ne!(other[0], 429, "another client behind the same proxy is not limited");
    // what the client wrote before the proxy's entry proves nothing
    let spoofed = lookups_from(&app, "198.51.100.99, 198.51.100.7", 1).await;
    assert_eq!(spoofed[0], 429, "the proxy's entry is the client");
}
