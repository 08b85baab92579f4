//! Online filing: drafts, scans, submission, lookup — and who may touch a dossier.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use app::ssr::services::catalogue::import_json;
use common::dossiers::{
    JPEG, PASSWORD, PDF, PROCEDURE, SMALL, app_with_catalogue, citizen, desk_officer, ready_draft, start,
    upload,
};
use common::{TestApp, location};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(app.running.state.db.reader()).await.unwrap()
}

fn stored_blobs(app: &TestApp) -> usize {
    let root = app.settings.data_dir.join("files");
    let Ok(dirs) = std::fs::read_dir(&root) else { return 0 };
    dirs.flatten()
        .filter(|d| d.file_name() != ".tmp")
        .map(|d| std::fs::read_dir(d.path()).map(|f| f.count()).unwrap_or(0))
        .sum()
}

#[tokio::test]
async fn a_citizen_files_submits_once_gets_the_email_and_receipt_and_the_public_lookup_finds_it() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "nop@example.vn", "001199012345").await;
    let id = start(&b, "self").await;

    // the draft page renders the version's form and papers
    let page = b.get(&format!("/dossiers/{id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("name=\"address\""), "the form field is rendered");
    assert!(html.contains("enctype=\"multipart/form-data\""));

    // the review lists what is missing and offers no submit button yet
    let review = b.get(&format!("/dossiers/{id}/review")).await.text().await.unwrap();
    assert!(review.contains("Chưa đính kèm"), "missing paper is named");
    assert!(!review.contains("/submit\""), "no submit form while incomplete");
    let refused = b.post(&format!("/dossiers/{id}/submit"), &[("token", "t1")]).await;
    assert_eq!(refused.status(), 422, "the server refuses an incomplete dossier too");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossiers WHERE code IS NOT NULL").await, 0);

    let r = b
        .post(
            &format!("/dossiers/{id}/save"),
            &[
                ("address", "Số 5 phố Bạch Đằng, phường Hiến Nam"),
                ("delivery", "electronic"),
                ("next", "review"),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("/dossiers/{id}/review"));
    assert_eq!(upload(&b, &id, 0, "don-de-nghi.pdf", PDF.to_vec()).await.status(), 303);
    assert_eq!(upload(&b, &id, 0, "ban-ve.jpg", JPEG.to_vec()).await.status(), 303);
    let review = b.get(&format!("/dossiers/{id}/review")).await.text().await.unwrap();
    assert!(review.contains(&format!("/dossiers/{id}/submit")), "ready: the submit form is there");

    // a double click: the same token twice, then a resubmission with another token
    let submit = format!("/dossiers/{id}/submit");
    let (first, second) =
        tokio::join!(b.post(&submit, &[("token", "tok-A")]), b.post(&submit, &[("token", "tok-A")]));
    assert_eq!(first.status(), 303);
    assert_eq!(second.status(), 303);
    assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "tok-B")]).await.status(), 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossiers WHERE code IS NOT NULL").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossier_events WHERE kind = 'submitted'").await, 1);

    let (code, key): (String, String) =
        sqlx::query_as("SELECT code, lookup_secret FROM dossiers WHERE id = $1")
            .bind(&id)
            .fetch_one(app.running.state.db.reader())
            .await
            .unwrap();
    let parsed = app::domain::DossierCode::parse(&code).unwrap();
    assert_eq!(parsed.unit().as_str(), "000.00.31.H26");
    assert_eq!(parsed.seq(), 1);

    // the confirmation email carries the code and the lookup key
    let mail = app.mail.wait_for("nop@example.vn", 2).await;
    assert!(mail.subject.contains(&code), "{}", mail.subject);
    assert!(mail.text.contains(&key));

    // the dossier page shows status 1 and the timeline; the receipt is a PDF
    let page = b.get(&format!("/dossiers/{id}?submitted=1")).await.text().await.unwrap();
    assert!(page.contains("Mới đăng ký"));
    assert!(page.contains("Nộp hồ sơ trực tuyến"), "timeline entry");
    let receipt = b.get(&format!("/dossiers/{id}/receipt.pdf")).await;
    assert_eq!(receipt.status(), 200);
    assert_eq!(receipt.headers()["content-type"], "application/pdf");
    assert!(receipt.bytes().await.unwrap().starts_with(b"%PDF-"));

    // public lookup: right key → status, no personal data; wrong key → not found
    let anonymous = app.browser();
    let found = anonymous.get(&format!("/lookup?code={code}&key={key}")).await;
    assert_eq!(found.status(), 200);
    let found = found.text().await.unwrap();
    assert!(found.contains("Mới đăng ký"));
    assert!(!found.contains("Người Nộp Thử") && !found.contains("Bạch Đằng"), "no personal data");
    let wrong = anonymous.get(&format!("/lookup?code={code}&key=AAAAAAAA")).await;
    assert_eq!(wrong.status(), 404);
    let by_phone = anonymous.get(&format!("/lookup?code={code}&key=0912345678")).await;
    assert_eq!(by_phone.status(), 200, "the applicant's phone number works too");

    // a submitted dossier can no longer be changed
    let late = upload(&b, &id, 0, "late.pdf", PDF.to_vec()).await;
    assert_eq!(late.status(), 422);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossier_files").await, 2);

    // withdrawing before reception is immediate and logged with the reason
    let w = b.post(&format!("/dossiers/{id}/withdraw"), &[("reason", "Nộp nhầm thủ tục")]).await;
    assert_eq!(w.status(), 303);
    let page = b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("Đã rút hồ sơ") && page.contains("Nộp nhầm thủ tục"));
}

#[tokio::test]
async fn another_citizen_cannot_see_download_change_supplement_or_withdraw_a_dossier() {
    let app = app_with_catalogue().await;
    let owner = citizen(&app, "chu@example.vn", "001199012345").await;
    let stranger = citizen(&app, "la@example.vn", "079199054321").await;
    let draft = ready_draft(&owner).await;
    let submitted = ready_draft(&owner).await;
    assert_eq!(owner.post(&format!("/dossiers/{submitted}/submit"), &[("token", "x")]).await.status(), 303);
    let document: String = sqlx::query_scalar("SELECT id FROM documents LIMIT 1")
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap();
    let before = count(&app, "SELECT COUNT(*) FROM dossier_files").await;

    for id in [&draft, &submitted] {
        assert_eq!(stranger.get(&format!("/dossiers/{id}")).await.status(), 404);
        assert_eq!(stranger.get(&format!("/dossiers/{id}/review")).await.status(), 404);
        assert_eq!(stranger.get(&format!("/dossiers/{id}/receipt.pdf")).await.status(), 404);
        assert_eq!(upload(&stranger, id, 0, "x.pdf", PDF.to_vec()).await.status(), 404);
        let save = stranger.post(&format!("/dossiers/{id}/save"), &[("address", "hijack")]).await;
        assert_eq!(save.status(), 404);
        assert_eq!(stranger.post(&format!("/dossiers/{id}/submit"), &[("token", "y")]).await.status(), 404);
        let w = stranger.post(&format!("/dossiers/{id}/withdraw"), &[("reason", "Tôi muốn rút")]).await;
        assert_eq!(w.status(), 404);
        assert_eq!(stranger.post(&format!("/dossiers/{id}/discard"), &[]).await.status(), 404);
        let attach =
            stranger.post(&format!("/dossiers/{id}/papers/0/attach"), &[("document", &document)]).await;
        assert_eq!(attach.status(), 404);
    }
    assert_eq!(stranger.get(&format!("/documents/{document}")).await.status(), 404);
    // a stranger's draft cannot take the owner's document by id either
    let own = start(&stranger, "self").await;
    let attach = stranger.post(&format!("/dossiers/{own}/papers/0/attach"), &[("document", &document)]).await;
    assert_eq!(attach.status(), 404);
    let list = stranger.get("/dossiers").await.text().await.unwrap();
    assert!(!list.contains(&submitted) && !list.contains(&draft));

    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossier_files").await, before, "nothing attached");
    let unchanged: String = sqlx::query_scalar("SELECT form_values FROM dossiers WHERE id = $1")
        .bind(&draft)
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap();
    assert!(!unchanged.contains("hijack"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossiers WHERE state = '\"submitted\"'").await, 1);
    // the owner still sees and downloads everything
    assert_eq!(owner.get(&format!("/dossiers/{submitted}")).await.status(), 200);
    let file = owner.get(&format!("/documents/{document}")).await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert!(file.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert_eq!(&file.bytes().await.unwrap()[..], PDF);
}

#[tokio::test]
async fn an_organisations_dossier_is_visible_to_its_members_only() {
    let app = app_with_catalogue().await;
    let owner = citizen(&app, "giamdoc@example.vn", "001199012345").await;
    let member = citizen(&app, "ketoan@example.vn", "079199054321").await;
    let outsider = citizen(&app, "ngoai@example.vn", "031099011111").await;
    let r = owner
        .post(
            "/organisations",
            &[
                ("name", "Công ty TNHH Sen Vàng"),
                ("tax_code", "0100109106"),
                ("address", "Số 1 Giang Văn Minh"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let org = location(&r).trim_start_matches("/organisations/").to_string();
    let state = &app.running.state;
    let mut conn = state.db.reader().acquire().await.unwrap();
    let member_id = app::ssr::db::users::by_email(&mut conn, "ketoan@example.vn").await.unwrap().unwrap().id;
    drop(conn);
    let mut tx = state.db.begin_write().await.unwrap();
    app::ssr::db::organisations::add_member(&mut tx, &org, &member_id, "member", state.clock.now())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // the outsider cannot file for the organisation
    let r = outsider.post("/dossiers", &[("procedure", PROCEDURE), ("filer", &org)]).await;
    assert_eq!(r.status(), 404);

    let id = start(&owner, &org).await;
    assert_eq!(member.get(&format!("/dossiers/{id}")).await.status(), 200, "a member sees it");
    assert!(member.get("/dossiers").await.text().await.unwrap().contains(&format!("/dossiers/{id}")));
    assert_eq!(outsider.get(&format!("/dossiers/{id}")).await.status(), 404);
    assert!(!outsider.get("/dossiers").await.text().await.unwrap().contains(&id));
    // members work on it together: the member attaches a scan the owner then opens
    assert_eq!(upload(&member, &id, 0, "giay-phep.pdf", PDF.to_vec()).await.status(), 303);
    let document: String = sqlx::query_scalar("SELECT document_id FROM dossier_files WHERE dossier_id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(owner.get(&format!("/documents/{document}")).await.status(), 200);
    assert_eq!(outsider.get(&format!("/documents/{document}")).await.status(), 404);
}

#[tokio::test]
async fn files_are_checked_by_content_and_size_and_refusals_store_nothing() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "tep@example.vn", "001199012345").await;
    let id = start(&b, "self").await;

    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF".to_vec();
    exe.extend_from_slice(&[0u8; 4096]);
    let r = upload(&b, &id, 0, "giay-to.pdf", exe).await;
    assert_eq!(r.status(), 415);
    let html = r.text().await.unwrap();
    assert!(html.contains("Chỉ nhận tệp PDF, JPEG hoặc PNG"), "clear message next to the paper");

    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(25 * 1000 * 1000, b'0');
    let r = upload(&b, &id, 0, "qua-lon.pdf", big).await;
    assert_eq!(r.status(), 413);
    let html = r.text().await.unwrap();
    assert!(html.contains("Tệp quá lớn") && html.contains("20,0 MB"), "the limit is named");

    // the script path (progress bar) gets the message as text
    let part = reqwest::multipart::Part::bytes(b"hello world, not a scan".to_vec()).file_name("a.png");
    let r = b
        .client
        .post(format!("{}/dossiers/{id}/papers/0", b.base))
        .header("origin", &b.base)
        .header("x-requested-with", "motcua-upload")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    assert!(r.text().await.unwrap().starts_with("Chỉ nhận tệp"));

    assert_eq!(count(&app, "SELECT COUNT(*) FROM documents").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossier_files").await, 0);
    assert_eq!(stored_blobs(&app), 0, "no blob was kept");
    assert_eq!(app.running.state.blobs.temp_files(), 0, "no temporary file left");

    // a good file still goes in afterwards
    assert_eq!(
        upload(&b, &id, 0, "anh.png", [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0].to_vec())
            .await
            .status(),
        303
    );
    assert_eq!(stored_blobs(&app), 1);
}

#[tokio::test]
async fn an_interrupted_upload_leaves_nothing_attached() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "ngat@example.vn", "001199012345").await;
    let id = start(&b, "self").await;
    // a body that sends the multipart head and part of a PDF, then breaks off
    let boundary = "XBOUNDARYX";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    );
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
        Ok(bytes::Bytes::from(head)),
        Ok(bytes::Bytes::from(vec![b'x'; 200_000])),
        Err(std::io::Error::other("client vanished")),
    ];
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let result = b
        .client
        .post(format!("{}/dossiers/{id}/papers/0", b.base))
        .header("origin", &b.base)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await;
    if let Ok(r) = result {
        assert_ne!(r.status(), 303, "an interrupted upload is never reported as attached");
    }
    // the server notices the broken stream; give it a moment to clean up
    for _ in 0..50 {
        if app.running.state.blobs.temp_files() == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossier_files").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM documents").await, 0);
    assert_eq!(stored_blobs(&app), 0);
    assert_eq!(app.running.state.blobs.temp_files(), 0);
}

#[tokio::test]
async fn fifty_concurrent_submissions_get_fifty_distinct_gap_free_codes() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "nhieu@example.vn", "001199012345").await;
    let first = ready_draft(&b).await;
    let document: String = sqlx::query_scalar("SELECT document_id FROM dossier_files WHERE dossier_id = $1")
        .bind(&first)
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap();
    let mut ids = vec![first];
    for _ in 1..50 {
        let id = start(&b, "self").await;
        let save = b
            .post(&format!("/dossiers/{id}/save"), &[("address", "Số 7 Điện Biên"), ("delivery", "desk")])
            .await;
        assert_eq!(save.status(), 303);
        let attach = b.post(&format!("/dossiers/{id}/papers/0/attach"), &[("document", &document)]).await;
        assert_eq!(attach.status(), 303, "the document store is reused");
        ids.push(id);
    }
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let client = b.client.clone();
            let url = format!("{}/dossiers/{id}/submit", b.base);
            let origin = b.base.clone();
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("origin", origin)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body("token=same-page")
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 303);
    }
    let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM dossiers WHERE code IS NOT NULL")
        .fetch_all(app.running.state.db.reader())
        .await
        .unwrap();
    assert_eq!(codes.len(), 50);
    let mut seqs: Vec<u16> =
        codes.iter().map(|c| app::domain::DossierCode::parse(c).unwrap().seq()).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=50).collect::<Vec<u16>>(), "distinct and gap-free");
}

#[tokio::test]
async fn stale_drafts_and_leftover_temporary_files_are_swept() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "cu@example.vn", "001199012345").await;
    let old = ready_draft(&b).await;
    let state = &app.running.state;
    app.clock.advance(time::Duration::days(31));
    // the session has long expired too
    assert_eq!(b.post("/login", &[("email", "cu@example.vn"), ("password", PASSWORD)]).await.status(), 303);
    let fresh = start(&b, "self").await;
    // a temporary file as a crash mid-upload would leave it
    let temp_dir = app.settings.data_dir.join("files").join(".tmp");
    std::fs::write(temp_dir.join("upload-crashed"), b"%PDF-half").unwrap();
    assert_eq!(state.blobs.temp_files(), 1);
    assert_eq!(
        state.blobs.sweep_temp(std::time::Duration::from_secs(3600)),
        0,
        "a fresh temp file may be in use"
    );

    let removed = app::ssr::services::filing::sweep_drafts(state, time::Duration::days(30)).await.unwrap();
    assert_eq!(removed, 1);
    assert_eq!(b.get(&format!("/dossiers/{old}")).await.status(), 404);
    assert_eq!(b.get(&format!("/dossiers/{fresh}")).await.status(), 200);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM documents").await, 0, "its only document went with it");
    assert_eq!(stored_blobs(&app), 0);
    assert_eq!(state.blobs.sweep_temp(std::time::Duration::ZERO), 1);
    assert_eq!(state.blobs.temp_files(), 0);
}

/// The hourly draft sweep and the five-minute rating-reminder sweep read their partial indexes
/// (migration 0070), not every draft or returned dossier of the table. On PostgreSQL the
/// tables are nearly empty here, so sequential scans are turned off for the check: what it
/// shows is that the index serves the query as written.
#[tokio::test]
async fn the_background_sweeps_are_served_by_their_partial_indexes() {
    use app::ssr::db::{dossiers::STALE_DRAFTS_SQL, ratings::MARK_REMINDED_SQL};
    use sqlx::Row;
    let app = TestApp::spawn().await;
    let postgres = common::backend_name() == "postgres";
    let mut conn = app.running.state.db.reader().acquire().await.unwrap();
    if postgres {
        sqlx::query("SET enable_seqscan = off").execute(&mut *conn).await.unwrap();
    }
    let explain = if postgres { "EXPLAIN " } else { "EXPLAIN QUERY PLAN " };
    let drafts = format!("{explain}{STALE_DRAFTS_SQL}");
    let drafts = sqlx::query(&drafts).bind("\"draft\"").bind(0_i64).fetch_all(&mut *conn).await.unwrap();
    let reminders = format!("{explain}{MARK_REMINDED_SQL}");
    let reminders = sqlx::query(&reminders).bind(0_i64).bind(0_i64).fetch_all(&mut *conn).await.unwrap();
    for (rows, index) in [(drafts, "dossiers_drafts"), (reminders, "dossiers_rating_due")] {
        // the plan's text is the last column (SQLite: id, parent, notused, detail)
        let plan: Vec<String> = rows.iter().map(|r| r.get::<String, _>(r.len() - 1)).collect();
        assert!(
            plan.iter().any(|line| line.contains(index)),
            "should use {index}; the plan was:\n{}",
            plan.join("\n")
        );
    }
    if postgres {
        sqlx::query("RESET enable_seqscan").execute(&mut *conn).await.unwrap();
    }
}

#[tokio::test]
async fn a_supplement_request_is_answered_by_the_applicant_only_and_goes_back_to_the_desk() {
    use app::domain::{DossierState, Stage};
    use app::ssr::services::{RequestMeta, filing};
    let app = app_with_catalogue().await;
    let owner = citizen(&app, "bosung@example.vn", "001199012345").await;
    let stranger = citizen(&app, "nguoila@example.vn", "079199054321").await;
    let id = ready_draft(&owner).await;
    assert_eq!(owner.post(&format!("/dossiers/{id}/submit"), &[("token", "t")]).await.status(), 303);
    let state = &app.running.state;
    let meta = RequestMeta::default();

    // an officer of another unit cannot ask; the ward's desk can, once, listing everything
    let elsewhere = desk_officer(&app, "tinh@example.gov.vn", "000.00.00.H26").await;
    assert!(filing::request_supplement(state, &elsewhere, &id, "Thiếu bản vẽ", &meta).await.is_err());
    let desk = desk_officer(&app, "motcua@example.gov.vn", "000.00.31.H26").await;
    let next = filing::request_supplement(state, &desk, &id, "Bổ sung bản vẽ mặt bằng có chữ ký", &meta)
        .await
        .unwrap();
    assert_eq!(next, DossierState::SupplementRequested(Stage::Reception));
    let mail = app.mail.wait_for("bosung@example.vn", 3).await;
    assert!(mail.subject.contains("Yêu cầu bổ sung"), "{}", mail.subject);
    assert!(mail.text.contains("Bổ sung bản vẽ mặt bằng có chữ ký"));

    // the applicant sees exactly what is asked; a stranger sees nothing and cannot answer
    let page = owner.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("Bổ sung bản vẽ mặt bằng có chữ ký"));
    assert!(page.contains(&format!("/dossiers/{id}/supplement")));
    assert_eq!(upload(&stranger, &id, 0, "x.pdf", PDF.to_vec()).await.status(), 404);
    assert_eq!(stranger.post(&format!("/dossiers/{id}/supplement"), &[("note", "xong")]).await.status(), 404);

    // the applicant adds the paper, may take back only what they just added, and sends it
    let before: i64 = count(&app, "SELECT COUNT(*) FROM dossier_files").await;
    let original: String = sqlx::query_scalar("SELECT id FROM dossier_files WHERE dossier_id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(owner.post(&format!("/dossiers/{id}/files/{original}/remove"), &[]).await.status(), 422);
    assert_eq!(upload(&owner, &id, 0, "ban-ve.pdf", b"%PDF-1.4\nban ve\n".to_vec()).await.status(), 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossier_files").await, before + 1);
    let r = owner.post(&format!("/dossiers/{id}/supplement"), &[("note", "Đã bổ sung bản vẽ")]).await;
    assert_eq!(r.status(), 303);
    let state_json: String = sqlx::query_scalar("SELECT state FROM dossiers WHERE id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(state_json, "\"submitted\"", "back in the desk's queue");
    // nothing more can be added now, and the desk may not ask a second time at reception
    assert_eq!(upload(&owner, &id, 0, "muon.pdf", PDF.to_vec()).await.status(), 422);
    assert!(filing::request_supplement(state, &desk, &id, "Lại thiếu giấy tờ khác", &meta).await.is_err());
}

#[tokio::test]
async fn with_clamd_an_infected_scan_is_refused_with_a_clear_message() {
    let Ok(clamd) = std::env::var("MOTCUA_TEST_CLAMD") else {
        eprintln!("[clamd not run: MOTCUA_TEST_CLAMD is not set]");
        return;
    };
    let app = TestApp::spawn_with(|args| args.clamd = Some(clamd)).await;
    import_json(&app.running.state, SMALL).await.unwrap();
    let b = citizen(&app, "mada@example.vn", "001199012345").await;
    let id = start(&b, "self").await;
    let mut infected = b"%PDF-1.4\n".to_vec();
    infected.extend_from_slice(b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");
    let r = upload(&b, &id, 0, "ho-so.pdf", infected).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("phát hiện mã độc"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM documents").await, 0);
    assert_eq!(stored_blobs(&app), 0);
    assert_eq!(upload(&b, &id, 0, "sach.pdf", PDF.to_vec()).await.status(), 303, "clean files still go in");
}

#[tokio::test]
async fn a_dossier_keeps_the_procedure_version_it_was_filed_under() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "phienban@example.vn", "001199012345").await;
    let submitted = ready_draft(&b).await;
    assert_eq!(b.post(&format!("/dossiers/{submitted}/submit"), &[("token", "t")]).await.status(), 303);
    let draft = start(&b, "self").await;
    let version_of = |id: String| {
        let db = app.running.state.db.clone();
        async move {
            sqlx::query_as::<_, (String, i64)>(
                "SELECT d.version_id, v.version FROM dossiers d JOIN procedure_versions v ON v.id = d.version_id WHERE d.id = $1",
            )
            .bind(id)
            .fetch_one(db.reader())
            .await
            .unwrap()
        }
    };
    let before = (version_of(submitted.clone()).await, version_of(draft.clone()).await);
    assert_eq!(before.0.1, 1);

    // a new version adds a required paper and a form field
    let mut file: serde_json::Value = serde_json::from_str(SMALL).unwrap();
    file["procedures"][0]["papers"].as_array_mut().unwrap().push(serde_json::json!({
        "name_vi": "Bản vẽ thiết kế mới", "name_en": "New design drawings", "form": "copy", "count": 1, "required": true
    }));
    file["procedures"][0]["form"].as_array_mut().unwrap().push(serde_json::json!({
        "key": "floors", "label_vi": "Số tầng", "label_en": "Floors", "kind": {"type": "number", "min": 1, "max": 50}, "required": true
    }));
    let report = import_json(&app.running.state, &file.to_string()).await.unwrap();
    assert_eq!(report.new_versions, 1);

    // both dossiers keep version 1; the draft can still be submitted under it
    assert_eq!((version_of(submitted.clone()).await, version_of(draft.clone()).await), before);
    let page = b.get(&format!("/dossiers/{draft}")).await.text().await.unwrap();
    assert!(!page.contains("name=\"floors\"") && !page.contains("Bản vẽ thiết kế mới"), "the old form");
    let r = b
        .post(&format!("/dossiers/{draft}/save"), &[("address", "Số 9 Phố Hiến"), ("delivery", "desk")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(upload(&b, &draft, 0, "don.pdf", PDF.to_vec()).await.status(), 303);
    assert_eq!(b.post(&format!("/dossiers/{draft}/submit"), &[("token", "u")]).await.status(), 303);
    // a new draft takes version 2, with the new paper and field
    let newer = start(&b, "self").await;
    assert_eq!(version_of(newer.clone()).await.1, 2);
    let page = b.get(&format!("/dossiers/{newer}")).await.text().await.unwrap();
    assert!(page.contains("name=\"floors\"") && page.contains("Bản vẽ thiết kế mới"));
}

/// Found by sqlmap (scripts/scan): a procedure code or dossier id with characters a URI
/// cannot carry (quotes, angle brackets, spaces) made re-rendering the page fail with a 500.
/// They are refused like any unknown code or id.
#[tokio::test]
async fn malformed_codes_and_ids_in_forms_are_not_found_not_server_errors() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "malformed@example.vn", "001199012399").await;
    for code in
        [format!("{PROCEDURE}'wHjGmD<'\">QGBMpK"), format!("{PROCEDURE}) AND 6831=7834 AND (1486=1486")]
    {
        let r = b.post("/dossiers", &[("procedure", code.as_str()), ("filer", "self")]).await;
        assert_eq!(r.status(), 404, "{code}");
        assert!(r.text().await.unwrap().contains("<html"), "the page, with its message");
    }
    for id in ["abc'%22%3Cx%3E", "1)%20AND%201=1%20--%20"] {
        let r = b.post(&format!("/dossiers/{id}/save"), &[("delivery", "electronic")]).await;
        assert_eq!(r.status(), 404, "{id}");
        let r = b.post(&format!("/dossiers/{id}/withdraw"), &[("reason", "x")]).await;
        assert_eq!(r.status(), 404, "{id}");
    }
}

/// Found by wapiti (scripts/scan): a value kept in a `<textarea>` (a draft's postal address,
/// which the members of an organisation share; a feedback text shown again) could end the
/// textarea and inject markup, because Leptos writes a textarea's children unescaped.
#[tokio::test]
async fn stored_and_typed_values_in_textareas_stay_text() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "textarea@example.vn", "001199012398").await;
    let id = start(&b, "self").await;
    let typed = "</textarea><img src=x onerror=alert(1)><textarea>";
    let r =
        b.post(&format!("/dossiers/{id}/save"), &[("delivery", "post"), ("delivery_address", typed)]).await;
    assert_eq!(r.status(), 303);
    let html = b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(!html.contains("<img src=x"), "the stored markup is not in the page");
    assert!(html.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;&lt;textarea&gt;</textarea>"));

    let r = b
        .post(
            "/feedback/mine",
            &[("about", "dossier"), ("target", "nope"), ("subject", "s"), ("body", typed)],
        )
        .await;
    assert_eq!(r.status(), 422, "an unknown dossier is refused and the form shown again");
    let html = r.text().await.unwrap();
    assert!(!html.contains("<img src=x"), "the typed markup is not in the page");
    assert!(html.contains("&lt;/textarea&gt;&lt;img"), "the text is in the textarea");
}
