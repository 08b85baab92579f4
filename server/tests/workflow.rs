//! The workflow after reception: step by step to the result, with every actor checked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use app::ssr::auth::policy::Role;
use app::ssr::services::{RequestMeta, reception, workflow};
use common::TestApp;
use common::dossiers::{SMALL, citizen, officer, ready_draft};

/// The small catalogue with the full five-step workflow on the test procedure.
async fn app_with_full_workflow() -> TestApp {
    let app = TestApp::spawn().await;
    common::office::import_full_workflow(&app).await;
    app
}

async fn step_of(app: &TestApp, id: &str) -> (Option<i64>, String) {
    sqlx::query_as("SELECT current_step, state FROM dossiers WHERE id = $1")
        .bind(id)
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap()
}

fn pdf_stream(
    bytes: &'static [u8],
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Unpin {
    futures_util::stream::iter(vec![Ok(bytes::Bytes::from_static(bytes))])
}

#[tokio::test]
async fn a_dossier_goes_step_by_step_to_an_electronic_result_and_only_each_steps_officers_act() {
    let app = app_with_full_workflow().await;
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let unit = "000.00.31.H26";
    let b = citizen(&app, "buoc@example.vn", "001199012345").await;
    let id = ready_draft(&b).await;
    assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "t")]).await.status(), 303);

    let desk = officer(&app, "motcua@example.gov.vn", unit, Role::DeskOfficer).await;
    let specialist = officer(&app, "chuyenvien@example.gov.vn", unit, Role::Specialist).await;
    let leader = officer(&app, "lanhdao@example.gov.vn", unit, Role::Leader).await;
    let clerk = officer(&app, "vanthu@example.gov.vn", unit, Role::Clerk).await;
    let stranger = officer(&app, "tinh@example.gov.vn", "000.00.00.H26", Role::Specialist).await;

    let due = reception::accept(state, &desk, &id, &meta).await.unwrap();
    assert_eq!(step_of(&app, &id).await, (Some(1), "\"received\"".into()), "on the specialist's step");
    let step_due: Option<i64> = sqlx::query_scalar("SELECT step_due_at FROM dossiers WHERE id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    let step_due = app::ssr::db::columns::from_db(step_due.unwrap());
    assert!(step_due > state.clock.now() && step_due < due, "the step's share of the time");

    // the queue shows it to the specialist only
    assert_eq!(workflow::queue(state, &specialist).await.unwrap().len(), 1);
    assert!(workflow::queue(state, &leader).await.unwrap().is_empty());
    assert!(workflow::queue(state, &stranger).await.unwrap().is_empty());
    // others can neither see nor act
    assert!(workflow::get(state, &stranger, &id).await.is_err());
    for actor in [&stranger, &leader, &clerk, &desk] {
        assert!(workflow::forward(state, actor, &id, "").await.is_err());
    }

    workflow::forward(state, &specialist, &id, "Đủ điều kiện").await.unwrap();
    assert_eq!(step_of(&app, &id).await, (Some(2), "\"in_process\"".into()));
    assert!(workflow::send_back(state, &leader, &id, "ngắn").await.is_err(), "a reason is required");
    workflow::send_back(state, &leader, &id, "Bổ sung ý kiến thẩm định").await.unwrap();
    assert_eq!(step_of(&app, &id).await.0, Some(1));
    workflow::forward(state, &specialist, &id, "Đã bổ sung ý kiến").await.unwrap();
    workflow::forward(state, &leader, &id, "Đồng ý").await.unwrap();
    assert_eq!(step_of(&app, &id).await.0, Some(3), "at the clerk's");

    // the clerk issues a PDF result (not anything else), which decides the dossier
    assert!(workflow::forward(state, &clerk, &id, "").await.is_err());
    let png: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0];
    assert!(workflow::issue_result(state, &clerk, &id, "kq.png", pdf_stream(png)).await.is_err());
    assert!(
        workflow::return_result(state, &desk, &id, "electronic", "", &meta).await.is_err(),
        "nothing to return yet"
    );
    workflow::issue_result(state, &clerk, &id, "giay-phep.pdf", pdf_stream(b"%PDF-1.4\nket qua\n"))
        .await
        .unwrap();
    assert_eq!(step_of(&app, &id).await, (Some(4), "\"decided\"".into()));
    assert_eq!(count_docs(&app, "result").await, 0, "not the applicant's until returned");

    // the fee is taken at the counter first (#7: no result while a fee is unpaid)
    app::ssr::services::payments::record_counter(state, &desk, &id, "counter_cash", "BL-0001", &meta)
        .await
        .unwrap();
    workflow::return_result(state, &desk, &id, "electronic", "", &meta).await.unwrap();
    assert_eq!(step_of(&app, &id).await, (None, "\"returned\"".into()));
    assert!(workflow::return_result(state, &desk, &id, "electronic", "", &meta).await.is_err(), "once");
    assert_eq!(count_docs(&app, "result").await, 1);

    // the applicant downloads it from the dossier page and from My documents
    let page = b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("Đã trả kết quả") && page.contains("giay-phep.pdf"));
    let docs = b.get("/documents").await.text().await.unwrap();
    assert!(docs.contains("giay-phep.pdf") && docs.contains("Kết quả"));
    let result_id: String = sqlx::query_scalar("SELECT result_document_id FROM dossiers WHERE id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    let file = b.get(&format!("/documents/{result_id}?download=1")).await;
    assert_eq!(file.status(), 200);
    assert_eq!(&file.bytes().await.unwrap()[..], b"%PDF-1.4\nket qua\n");
    let mail = app.mail.wait_for("buoc@example.vn", 4).await;
    assert!(mail.subject.contains("Đã có kết quả"), "{}", mail.subject);

    // every hand-off is in the process-control log
    let steps: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT step_index, outcome FROM dossier_steps WHERE dossier_id = $1 ORDER BY started_at, id",
    )
    .bind(&id)
    .fetch_all(state.db.reader())
    .await
    .unwrap();
    let outcomes: Vec<&str> = steps.iter().map(|(_, o)| o.as_deref().unwrap_or("open")).collect();
    assert_eq!(outcomes, ["forwarded", "sent_back", "forwarded", "approved", "issued", "returned"]);
}

async fn count_docs(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE kind = $1")
        .bind(kind)
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_step_at_another_agency_moves_the_dossier_into_that_agencys_queue_and_back() {
    let app = TestApp::spawn().await;
    let mut file: serde_json::Value = serde_json::from_str(SMALL).unwrap();
    let (ward, province) = ("000.00.31.H26", "000.00.00.H26");
    // liên thông: the ward receives, the province appraises and approves, the ward returns
    file["procedures"][0]["workflow"] = serde_json::json!([
        {"name_vi": "Tiếp nhận", "name_en": "Reception", "role": "desk_officer", "agency": ward, "share": 10},
        {"name_vi": "Thẩm định (tỉnh)", "name_en": "Appraisal (province)", "role": "specialist", "agency": province, "share": 50},
        {"name_vi": "Phê duyệt (tỉnh)", "name_en": "Approval (province)", "role": "leader", "agency": province, "share": 20},
        {"name_vi": "Phát hành", "name_en": "Issue", "role": "clerk", "agency": ward, "share": 10},
        {"name_vi": "Trả kết quả", "name_en": "Return", "role": "desk_officer", "agency": ward, "share": 10}
    ]);
    app::ssr::services::catalogue::import_json(&app.running.state, &file.to_string()).await.unwrap();
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let b = citizen(&app, "lienthong@example.vn", "001199012345").await;
    let id = ready_draft(&b).await;
    assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "t")]).await.status(), 303);

    let ward_desk = officer(&app, "phuong@example.gov.vn", ward, Role::DeskOfficer).await;
    let ward_specialist = officer(&app, "cv-phuong@example.gov.vn", ward, Role::Specialist).await;
    let province_specialist = officer(&app, "cv-tinh@example.gov.vn", province, Role::Specialist).await;
    let province_leader = officer(&app, "ld-tinh@example.gov.vn", province, Role::Leader).await;
    let ward_clerk = officer(&app, "vt-phuong@example.gov.vn", ward, Role::Clerk).await;

    reception::accept(state, &ward_desk, &id, &meta).await.unwrap();
    // in the province's queue, not the ward specialist's
    assert_eq!(workflow::queue(state, &province_specialist).await.unwrap().len(), 1);
    assert!(workflow::queue(state, &ward_specialist).await.unwrap().is_empty());
    assert!(workflow::forward(state, &ward_specialist, &id, "").await.is_err());
    // the ward desk can still follow it while it is away
    assert!(workflow::get(state, &ward_desk, &id).await.is_ok());
    workflow::forward(state, &province_specialist, &id, "Đủ điều kiện").await.unwrap();
    workflow::forward(state, &province_leader, &id, "Đồng ý").await.unwrap();
    // and back at the ward for the result
    assert!(workflow::get(state, &province_leader, &id).await.is_err(), "the province no longer holds it");
    assert_eq!(workflow::queue(state, &ward_clerk).await.unwrap().len(), 1);
    workflow::issue_result(state, &ward_clerk, &id, "kq.pdf", pdf_stream(b"%PDF-1.4\nlien thong\n"))
        .await
        .unwrap();
    app::ssr::services::payments::record_counter(state, &ward_desk, &id, "counter_cash", "BL-0002", &meta)
        .await
        .unwrap();
    workflow::return_result(state, &ward_desk, &id, "electronic", "", &meta).await.unwrap();
    let agencies: Vec<String> = sqlx::query_scalar(
        "SELECT agency_code FROM dossier_steps WHERE dossier_id = $1 ORDER BY started_at, id",
    )
    .bind(&id)
    .fetch_all(state.db.reader())
    .await
    .unwrap();
    assert_eq!(agencies, [province, province, ward, ward], "every hand-off between agencies is logged");
}

#[tokio::test]
async fn the_overdue_sweep_on_two_processes_marks_each_late_dossier_once() {
    let app = app_with_full_workflow().await;
    let other = app.second_server().await;
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let unit = "000.00.31.H26";
    let b = citizen(&app, "tre@example.vn", "001199012345").await;
    let desk = officer(&app, "motcua@example.gov.vn", unit, Role::DeskOfficer).await;
    let mut ids = Vec::new();
    for i in 0..6 {
        let id = ready_draft(&b).await;
        assert_eq!(
            b.post(&format!("/dossiers/{id}/submit"), &[("token", &format!("t{i}"))]).await.status(),
            303
        );
        reception::accept(state, &desk, &id, &meta).await.unwrap();
        ids.push(id);
    }
    // one is still waiting at the desk: it has no appointment and is never "overdue"
    let waiting = ready_draft(&b).await;
    assert_eq!(b.post(&format!("/dossiers/{waiting}/submit"), &[("token", "w")]).await.status(), 303);
    assert!(workflow::sweep_overdue(state).await.unwrap().is_empty(), "nothing is late yet");

    // two months later, both processes sweep at the same time
    app.clock.advance(time::Duration::days(60));
    other.clock.advance(time::Duration::days(60));
    let (a, b2) = tokio::join!(workflow::sweep_overdue(state), workflow::sweep_overdue(&other.running.state));
    let mut marked: Vec<String> = a.unwrap().into_iter().chain(b2.unwrap()).collect();
    marked.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(marked, expected, "each late dossier marked exactly once");
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dossier_events WHERE kind = 'overdue'")
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(events, 6);
    let late_steps: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM dossier_steps WHERE overdue_at IS NOT NULL")
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    assert_eq!(late_steps, 6, "the specialist's step of each is late");
    assert!(workflow::sweep_overdue(state).await.unwrap().is_empty(), "and never again");
}

#[tokio::test]
async fn officer_actions_and_downloads_are_audited_in_a_chain_that_shows_tampering() {
    use app::ssr::db::audit;
    let app = app_with_full_workflow().await;
    let state = &app.running.state;
    let meta = RequestMeta { ip: Some("203.0.113.7".into()), ..RequestMeta::default() };
    let unit = "000.00.31.H26";
    let b = citizen(&app, "kiemtra@example.vn", "001199012345").await;
    let id = ready_draft(&b).await;
    assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "t")]).await.status(), 303);
    let desk = officer(&app, "motcua@example.gov.vn", unit, Role::DeskOfficer).await;
    let specialist = officer(&app, "chuyenvien@example.gov.vn", unit, Role::Specialist).await;
    reception::accept(state, &desk, &id, &meta).await.unwrap();
    workflow::forward(state, &specialist, &id, "Đủ điều kiện").await.unwrap();
    let document: String = sqlx::query_scalar("SELECT document_id FROM dossier_files WHERE dossier_id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(b.get(&format!("/documents/{document}")).await.status(), 200);

    let rows = audit::latest(&state.db, 10).await.unwrap();
    let actions: Vec<&str> = rows.iter().rev().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["dossier.accept", "dossier.forward", "document.download"]);
    assert_eq!(rows.last().unwrap().ip, "203.0.113.7");
    assert_eq!(audit::verify(&state.db).await.unwrap(), Ok(3));
    // a refused action writes nothing
    assert!(workflow::forward(state, &desk, &id, "").await.is_err());
    assert_eq!(audit::verify(&state.db).await.unwrap(), Ok(3));

    // editing a row breaks the chain at that row
    sqlx::query("UPDATE audit_log SET actor_id = NULL WHERE seq = 2")
        .execute(state.db.reader())
        .await
        .unwrap();
    assert_eq!(audit::verify(&state.db).await.unwrap(), Err(2));
    sqlx::query("UPDATE audit_log SET actor_id = $1 WHERE seq = 2")
        .bind(specialist.user_id())
        .execute(state.db.reader())
        .await
        .unwrap();
    assert_eq!(audit::verify(&state.db).await.unwrap(), Ok(3), "restored");
    // so does removing the newest row
    sqlx::query("DELETE FROM audit_log WHERE seq = 3").execute(state.db.reader()).await.unwrap();
    assert_eq!(audit::verify(&state.db).await.unwrap(), Err(3));
}

#[tokio::test]
async fn the_leader_refuses_with_reasons_and_the_applicant_gets_the_refusal_notice() {
    let app = app_with_full_workflow().await;
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let unit = "000.00.31.H26";
    let b = citizen(&app, "tuchoi-gq@example.vn", "001199012345").await;
    let id = ready_draft(&b).await;
    assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "t")]).await.status(), 303);
    let desk = officer(&app, "motcua@example.gov.vn", unit, Role::DeskOfficer).await;
    let specialist = officer(&app, "chuyenvien@example.gov.vn", unit, Role::Specialist).await;
    let leader = officer(&app, "lanhdao@example.gov.vn", unit, Role::Leader).await;
    let clerk = officer(&app, "vanthu@example.gov.vn", unit, Role::Clerk).await;
    reception::accept(state, &desk, &id, &meta).await.unwrap();
    // only the leader refuses, and only at their step, with reasons
    assert!(
        workflow::refuse_to_grant(state, &specialist, &id, "Không đủ điều kiện cấp phép xây dựng")
            .await
            .is_err()
    );
    workflow::forward(state, &specialist, &id, "Đề xuất từ chối").await.unwrap();
    assert!(workflow::refuse_to_grant(state, &leader, &id, "ngắn").await.is_err());
    workflow::refuse_to_grant(state, &leader, &id, "Vị trí xây dựng nằm trong hành lang bảo vệ đê điều")
        .await
        .unwrap();
    assert_eq!(step_of(&app, &id).await, (Some(3), "\"decided\"".into()));
    workflow::issue_result(state, &clerk, &id, "thong-bao-tu-choi.pdf", pdf_stream(b"%PDF-1.4\ntu choi\n"))
        .await
        .unwrap();
    app::ssr::services::payments::record_counter(state, &desk, &id, "counter_cash", "BL-0003", &meta)
        .await
        .unwrap();
    workflow::return_result(state, &desk, &id, "electronic", "", &meta).await.unwrap();
    let page = b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("Từ chối giải quyết") && page.contains("hành lang bảo vệ đê điều"));
    assert!(page.contains("thong-bao-tu-choi.pdf"));
}
