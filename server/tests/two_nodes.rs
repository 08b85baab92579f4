//! Several machines: two server processes share one database (PostgreSQL when
//! `MOTCUA_TEST_DATABASE_URL` is set) and one file store (the S3-compatible server when
//! `MOTCUA_TEST_S3_ENDPOINT` is set, else one directory). A citizen files and a desk officer
//! receives with every request going to the other process than the one before; each email
//! is sent once although both processes run the job worker.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::BTreeMap;
use std::time::Duration;

use app::ssr::auth::policy::Role;
use common::dossiers::{PDF, SMALL, citizen, officer, upload};
use common::{TestApp, location};

#[tokio::test]
async fn a_dossier_is_filed_and_received_across_two_processes_and_each_email_goes_once() {
    // scripts/s3 starts the S3-compatible server and sets the AWS_* variables for it
    let storage = if std::env::var("MOTCUA_TEST_S3_ENDPOINT").is_ok() && std::env::var("AWS_ENDPOINT").is_ok()
    {
        eprintln!("[file store: s3]");
        Some("s3://motcua-test".to_string())
    } else {
        eprintln!("[file store: one shared directory]");
        None
    };
    let one = TestApp::spawn_with(|args| args.storage = storage.clone()).await;
    app::ssr::services::catalogue::import_json(&one.running.state, SMALL).await.unwrap();
    let (db, smtp, files) =
        (one.settings.database_url.clone(), one.mail.url.clone(), one.settings.storage.clone());
    let mut two = TestApp::spawn_with(|args| {
        args.database_url = Some(db);
        args.smtp_url = Some(smtp);
        args.storage = Some(files);
    })
    .await;
    two.mail = one.mail.clone();
    let nodes = [one.base.clone(), two.base.clone()];
    let mut turn = 0usize;
    let mut next = || {
        turn += 1;
        nodes[turn % 2].clone()
    };

    // the citizen: registered on one, then every request on the other process than before
    let email = "hai-may@example.vn";
    let person = citizen(&one, email, "001199054321").await;
    let b = person.against(&next());
    let r = b.post("/dossiers", &[("procedure", common::dossiers::PROCEDURE), ("filer", "self")]).await;
    assert_eq!(r.status(), 303);
    let id = location(&r).trim_start_matches("/dossiers/").to_string();
    let b = person.against(&next());
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
    let b = person.against(&next());
    assert_eq!(upload(&b, &id, 0, "don.pdf", PDF.to_vec()).await.status(), 303, "upload");
    let b = person.against(&next());
    assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "hai-may")]).await.status(), 303);

    // the scan written through one process is read through the other
    let document: String = sqlx::query_scalar(
        "SELECT f.document_id FROM dossier_files f WHERE f.dossier_id = $1 ORDER BY f.id LIMIT 1",
    )
    .bind(&id)
    .fetch_one(one.running.state.db.reader())
    .await
    .unwrap();
    for node in &nodes {
        let got = person.against(node).get(&format!("/documents/{document}")).await;
        assert_eq!(got.status(), 200, "{node}");
        assert_eq!(got.bytes().await.unwrap().as_ref(), PDF, "the same bytes from {node}");
    }

    // the desk officer signs in across both and receives the dossier
    officer(&one, "motcua@example.gov.vn", "000.00.31.H26", Role::DeskOfficer).await;
    let desk = one.browser();
    let d = desk.against(&next());
    let r = d
        .post("/login", &[("email", "motcua@example.gov.vn"), ("password", "Một cửa phường Hiến Nam 2026")])
        .await;
    assert_eq!(location(&r), "/account/security/enrol");
    let page = desk.against(&next()).get("/account/security/enrol").await.text().await.unwrap();
    let secret = page.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let code = app::ssr::auth::totp::code_at(&secret, u64::try_from(one.clock.now_unix()).unwrap()).unwrap();
    assert_eq!(desk.against(&next()).post("/account/security/enrol", &[("code", &code)]).await.status(), 200);
    let queue = desk.against(&next()).get("/officer/reception").await.text().await.unwrap();
    assert!(queue.contains(&id), "the dossier is in the desk's queue");
    let r = desk.against(&next()).post(&format!("/officer/dossiers/{id}/accept"), &[]).await;
    assert_eq!(r.status(), 303, "accepted");
    let (code, due): (String, Option<i64>) =
        sqlx::query_as("SELECT code, due_at FROM dossiers WHERE id = $1")
            .bind(&id)
            .fetch_one(one.running.state.db.reader())
            .await
            .unwrap();
    assert!(due.is_some(), "accepted: it has an appointment");
    for node in &nodes {
        let page = person.against(node).get(&format!("/dossiers/{id}")).await.text().await.unwrap();
        assert!(page.contains(&code) && page.contains("Được tiếp nhận"), "received, as seen through {node}");
    }

    // the emails: wait until they stop coming, then each subject was sent once
    let mut last = 0;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = one.mail.count_to(email);
        if now == last && now >= 3 {
            break;
        }
        last = now;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut subjects: BTreeMap<String, usize> = BTreeMap::new();
    for m in one.mail.all().into_iter().filter(|m| m.to.iter().any(|t| t == email)) {
        *subjects.entry(m.subject).or_default() += 1;
    }
    assert!(subjects.len() >= 3, "verification, submission and reception emails: {subjects:?}");
    assert!(subjects.values().all(|n| *n == 1), "each email once: {subjects:?}");
    two.running.shutdown().await.unwrap();
    one.running.shutdown().await.unwrap();
}
