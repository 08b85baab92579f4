//! The rest of the back office: results the portal writes with a verification QR code, the
//! ways a result is handed over, apologies with one new appointment, stopping, warnings
//! before a deadline, and the printed forms 02–07 with their access rules.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use app::ssr::auth::policy::{Actor, Role};
use app::ssr::services::{RequestMeta, reception, workflow};
use common::TestApp;
use common::dossiers::{citizen, officer};
use common::office::{Office, UNIT, office, received};

async fn code_of(o: &Office, id: &str) -> String {
    sqlx::query_scalar("SELECT code FROM dossiers WHERE id = $1")
        .bind(id)
        .fetch_one(o.app.running.state.db.reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_result_the_portal_writes_is_verified_by_its_qr_address_and_returned_by_post_with_a_tracking_number()
 {
    let o = office().await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    let (b, id) = received(&o, "kq@example.vn").await;
    workflow::forward(state, &o.specialist, &id, "").await.unwrap();
    workflow::forward(state, &o.leader, &id, "").await.unwrap();

    // only the clerk, and only with a text
    assert!(
        workflow::generate_result(state, &o.leader, &id, "Cấp giấy phép xây dựng.", Default::default())
            .await
            .is_err()
    );
    assert!(workflow::generate_result(state, &o.clerk, &id, "ngắn", Default::default()).await.is_err());
    workflow::generate_result(
        state,
        &o.clerk,
        &id,
        "Cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ ông Nguyễn Văn Bình.\nThời hạn khởi công: 12 tháng.",
        Default::default(),
    )
    .await
    .unwrap();
    assert!(
        workflow::generate_result(state, &o.clerk, &id, "Lần thứ hai, không được.", Default::default())
            .await
            .is_err(),
        "issued once"
    );
    let (key, sha, token): (String, String, String) = sqlx::query_as(
        "SELECT result_blob_key, result_sha256, result_verify_token FROM dossiers WHERE id = $1",
    )
    .bind(&id)
    .fetch_one(state.db.reader())
    .await
    .unwrap();
    let pdf = {
        use futures_util::StreamExt as _;
        let mut stream = state.blobs.get(&key).await.unwrap();
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            bytes.extend_from_slice(&chunk.unwrap());
        }
        bytes
    };
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    use sha2::Digest as _;
    assert_eq!(hex::encode(sha2::Sha256::digest(&pdf)), sha, "the recorded hash is the file's");

    // anyone with the QR address sees it is genuine and its hash; a wrong token shows nothing
    let code = code_of(&o, &id).await;
    let (found, _unit) = workflow::verify(state, &code, &token).await.unwrap().expect("verified");
    assert_eq!(found.result_sha256, sha);
    assert!(workflow::verify(state, &code, "khong-dung-ma-nay").await.unwrap().is_none());
    let page = o.app.get_html(&format!("/verify/{code}/{token}")).await.text().await.unwrap();
    assert!(page.contains("data-testid=\"verified\"") && page.contains(&sha), "the page shows the hash");
    assert!(!page.contains("Nguyễn Văn Bình"), "no personal data on the public page");
    let page = o.app.get_html(&format!("/verify/{code}/sai")).await.text().await.unwrap();
    assert!(page.contains("data-testid=\"not-verified\""));

    // by post: the tracking number is required and recorded, and the applicant sees it
    // (the fee is taken at the counter first: no result while a fee is unpaid)
    app::ssr::services::payments::record_counter(state, &o.desk, &id, "counter_cash", "BL-0101", &meta)
        .await
        .unwrap();
    let refused = workflow::return_result(state, &o.desk, &id, "post", "", &meta).await;
    assert!(refused.is_err(), "a tracking number is required");
    assert!(workflow::return_result(state, &o.desk, &id, "pigeon", "x", &meta).await.is_err());
    workflow::return_result(state, &o.desk, &id, "post", "EB123456789VN", &meta).await.unwrap();
    let (via, detail): (String, String) =
        sqlx::query_as("SELECT returned_via, return_detail FROM dossiers WHERE id = $1")
            .bind(&id)
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    assert_eq!((via.as_str(), detail.as_str()), ("post", "EB123456789VN"));
    let page = b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("EB123456789VN"), "the applicant sees the tracking number");
    assert!(page.contains(&format!("/verify/{code}/{token}")), "and the verification link");
}

#[tokio::test]
async fn a_result_handed_over_at_the_desk_records_who_collected_it() {
    let o = office().await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    let (_b, id) = received(&o, "quay@example.vn").await;
    workflow::forward(state, &o.specialist, &id, "").await.unwrap();
    workflow::forward(state, &o.leader, &id, "").await.unwrap();
    workflow::generate_result(state, &o.clerk, &id, "Chấp thuận đề nghị của công dân.", Default::default())
        .await
        .unwrap();
    app::ssr::services::payments::record_counter(state, &o.desk, &id, "counter_cash", "BL-0102", &meta)
        .await
        .unwrap();
    assert!(workflow::return_result(state, &o.desk, &id, "desk", " ", &meta).await.is_err());
    workflow::return_result(state, &o.desk, &id, "desk", "Trần Thị Nhận", &meta).await.unwrap();
    let note: String =
        sqlx::query_scalar("SELECT note FROM dossier_events WHERE dossier_id = $1 AND kind = 'returned'")
            .bind(&id)
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    assert!(note.contains("Trần Thị Nhận"), "{note}");
}

#[tokio::test]
async fn a_late_dossier_is_rescheduled_once_with_an_apology_the_applicant_sees_and_prints() {
    let o = office().await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    let (b, id) = received(&o, "tre@example.vn").await;
    let tomorrow = (state.clock.now() + time::Duration::days(1)).date().to_string();
    // not late yet: no apology
    let early =
        workflow::apologise(state, &o.specialist, &id, "Chưa quá hạn nhưng thử.", &tomorrow, &meta).await;
    assert!(early.is_err());

    // two months later it is late
    o.app.clock.advance(time::Duration::days(60));
    let now = state.clock.now().to_offset(app::domain::VIETNAM_OFFSET);
    // a working day a week on, by the portal's calendar (holidays too: from 2026-12-01 this
    // lands on Tết 2027, which a weekday check alone took for a working day)
    let calendar = reception::calendar(state).await.unwrap();
    let mut day = now.date() + time::Duration::days(7);
    while !calendar.is_working_day(day) {
        day += time::Duration::days(1);
    }
    let new_date = day.to_string();
    // a stranger cannot, a reason is required, the date must be a working day in the future
    assert!(
        workflow::apologise(state, &o.stranger, &id, "Lý do chậm trễ đầy đủ.", &new_date, &meta)
            .await
            .is_err()
    );
    assert!(workflow::apologise(state, &o.specialist, &id, "ngắn", &new_date, &meta).await.is_err());
    let past = (now.date() - time::Duration::days(3)).to_string();
    assert!(
        workflow::apologise(state, &o.specialist, &id, "Lý do chậm trễ đầy đủ.", &past, &meta).await.is_err()
    );
    let mut sunday = now.date() + time::Duration::days(1);
    while sunday.weekday() != time::Weekday::Sunday {
        sunday += time::Duration::days(1);
    }
    let sunday = sunday.to_string();
    assert!(
        workflow::apologise(state, &o.specialist, &id, "Lý do chậm trễ đầy đủ.", &sunday, &meta)
            .await
            .is_err()
    );

    let (old_due,): (i64,) = sqlx::query_as("SELECT due_at FROM dossiers WHERE id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    let new_due = workflow::apologise(
        state,
        &o.specialist,
        &id,
        "Cần xác minh thực địa, thời tiết mưa lũ kéo dài.",
        &new_date,
        &meta,
    )
    .await
    .unwrap();
    assert_eq!(new_due.to_offset(app::domain::VIETNAM_OFFSET).date(), day);
    let (due, original, apology): (i64, i64, String) =
        sqlx::query_as("SELECT due_at, original_due_at, apology FROM dossiers WHERE id = $1")
            .bind(&id)
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    assert_eq!(original, old_due);
    assert_eq!(app::ssr::db::columns::from_db(due), new_due);
    assert!(apology.contains("mưa lũ"));
    // only once
    let again = (day + time::Duration::days(7)).to_string();
    assert!(workflow::apologise(state, &o.desk, &id, "Lần thứ hai xin lỗi.", &again, &meta).await.is_err());

    // the applicant is told, sees it and prints form 04; a stranger cannot
    let mail = o.app.mail.wait_for("tre@example.vn", 4).await;
    assert!(mail.subject.contains("xin lỗi"), "{}", mail.subject);
    // (the session expired over the two months: sign in again)
    let pw = common::dossiers::PASSWORD;
    assert_eq!(b.post("/login", &[("email", "tre@example.vn"), ("password", pw)]).await.status(), 303);
    let page = b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("data-testid=\"apology\"") && page.contains("mưa lũ"));
    let form = b.get(&format!("/dossiers/{id}/forms/04.pdf")).await;
    assert_eq!(form.status(), 200);
    assert!(form.bytes().await.unwrap().starts_with(b"%PDF-"));
    let other = citizen(&o.app, "khac@example.vn", "001199054321").await;
    assert_eq!(other.get(&format!("/dossiers/{id}")).await.status(), 404);
    assert_eq!(other.get(&format!("/dossiers/{id}/forms/04.pdf")).await.status(), 404);
    // nothing that did not happen is printed
    assert_eq!(b.get(&format!("/dossiers/{id}/forms/05.pdf")).await.status(), 404);
    assert_eq!(b.get(&format!("/dossiers/{id}/forms/09.pdf")).await.status(), 404);
    // the process-control slip is for officers
    assert_eq!(b.get(&format!("/dossiers/{id}/forms/06.pdf")).await.status(), 404);
}

#[tokio::test]
async fn a_step_officer_stops_processing_with_a_reason_and_the_notice_is_printed() {
    let o = office().await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    let (b, id) = received(&o, "dung@example.vn").await;
    assert!(workflow::stop(state, &o.leader, &id, "Không phải bước của lãnh đạo.", &meta).await.is_err());
    assert!(workflow::stop(state, &o.specialist, &id, "ngắn", &meta).await.is_err());
    // a received dossier must be in process to be stopped
    workflow::forward(state, &o.specialist, &id, "").await.unwrap();
    workflow::stop(state, &o.leader, &id, "Người nộp đề nghị dừng để điều chỉnh thiết kế.", &meta)
        .await
        .unwrap();
    let (state_json, step): (String, Option<i64>) =
        sqlx::query_as("SELECT state, current_step FROM dossiers WHERE id = $1")
            .bind(&id)
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    assert_eq!((state_json.as_str(), step), ("\"stopped\"", None));
    assert!(workflow::forward(state, &o.leader, &id, "").await.is_err(), "nothing happens after");
    let form = b.get(&format!("/dossiers/{id}/forms/05.pdf")).await;
    assert_eq!(form.status(), 200);
    let mail = o.app.mail.wait_for("dung@example.vn", 4).await;
    assert!(mail.text.contains("điều chỉnh thiết kế"), "{}", mail.text);
}

#[tokio::test]
async fn officers_are_warned_once_before_a_step_falls_due() {
    let o = office().await;
    let state = &o.app.running.state;
    let (_b, id) = received(&o, "canhbao@example.vn").await;
    let step_due: i64 = sqlx::query_scalar("SELECT step_due_at FROM dossiers WHERE id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    // move to a few hours before the step's deadline
    let until = app::ssr::db::columns::from_db(step_due) - state.clock.now() - time::Duration::hours(2);
    o.app.clock.advance(until);
    assert_eq!(workflow::warn_due_soon(state).await.unwrap(), 1);
    assert_eq!(workflow::warn_due_soon(state).await.unwrap(), 0, "once");
    let mail = o.app.mail.wait_for("chuyenvien@example.gov.vn", 1).await;
    assert!(mail.subject.contains("đến hạn"), "{}", mail.subject);
}

#[tokio::test]
async fn the_process_control_slip_and_the_register_are_for_the_units_officers() {
    let o = office().await;
    let state = &o.app.running.state;
    let (b, id) = received(&o, "so@example.vn").await;
    workflow::forward(state, &o.specialist, &id, "Đủ điều kiện").await.unwrap();
    let (name, pdf) = app::ssr::services::forms::printed(
        state,
        &o.desk,
        &id,
        app::ssr::services::forms::Printed::ProcessControl,
        Default::default(),
    )
    .await
    .unwrap();
    assert!(name.starts_with("mau-06-") && pdf.starts_with(b"%PDF-"));
    assert!(
        app::ssr::services::forms::printed(
            state,
            &o.stranger,
            &id,
            app::ssr::services::forms::Printed::ProcessControl,
            Default::default()
        )
        .await
        .is_err()
    );
    let now = state.clock.now().to_offset(app::domain::VIETNAM_OFFSET);
    let (name, pdf) = app::ssr::services::forms::register(
        state,
        &o.desk,
        now.year(),
        u8::from(now.month()),
        Default::default(),
    )
    .await
    .unwrap();
    assert!(name.starts_with("so-theo-doi-") && pdf.starts_with(b"%PDF-"));
    assert!(
        app::ssr::services::forms::register(state, &o.desk, now.year(), 13, Default::default())
            .await
            .is_err()
    );
    // a citizen gets nothing
    assert_eq!(b.get("/officer/register.pdf").await.status(), 404);
}

fn stream_of(
    bytes: &'static [u8],
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Unpin {
    futures_util::stream::iter(vec![Ok(bytes::Bytes::from_static(bytes))])
}

#[tokio::test]
async fn the_desk_files_for_a_walk_in_person_who_then_owns_the_dossier_and_its_scans() {
    use app::ssr::services::{filing, intake};
    let o = office().await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    let form = |citizen_id: &str, name: &str, email: &str| intake::IntakeForm {
        procedure: common::dossiers::PROCEDURE.into(),
        citizen_id: citizen_id.into(),
        full_name: name.into(),
        phone: "0987654321".into(),
        email: email.into(),
    };
    // checked like a registration; only desks of a receiving unit
    assert!(intake::start(state, &o.desk, &form("12", "Bà Tư", ""), &meta).await.is_err());
    assert!(
        intake::start(state, &o.desk, &form("001199077777", "", ""), &meta).await.is_err(),
        "a name for a new person"
    );
    assert!(
        intake::start(state, &o.stranger, &form("001199077777", "Phạm Thị Tư", ""), &meta).await.is_err()
    );
    assert!(
        intake::start(state, &o.specialist, &form("001199077777", "Phạm Thị Tư", ""), &meta).await.is_err()
    );

    let id = intake::start(state, &o.desk, &form("001199077777", "Phạm Thị Tư", ""), &meta).await.unwrap();
    let (applicant, channel, filed_by): (String, String, String) =
        sqlx::query_as("SELECT applicant_id, channel, filed_by FROM dossiers WHERE id = $1")
            .bind(&id)
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    assert_eq!(channel, "desk");
    assert_eq!(filed_by, o.desk.user_id());
    let (email, name): (String, String) = sqlx::query_as("SELECT email, full_name FROM users WHERE id = $1")
        .bind(&applicant)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(name, "Phạm Thị Tư");
    assert!(!intake::deliverable(&email), "no email: a placeholder nothing is sent to");

    // the desk fills it and scans the paper; the scan is the applicant's, not the officer's
    let values = [
        ("address".to_string(), "Số 9 phố Điện Biên, phường Hiến Nam".to_string()),
        ("delivery".to_string(), "desk".to_string()),
    ]
    .into_iter()
    .collect();
    filing::save(state, &o.desk, &id, &values).await.unwrap();
    filing::upload(state, &o.desk, &id, 0, "don.pdf", stream_of(common::dossiers::PDF)).await.unwrap();
    let owners: Vec<String> = sqlx::query_scalar(
        "SELECT d.owner_id FROM documents d JOIN dossier_files f ON f.document_id = d.id WHERE f.dossier_id = $1",
    )
    .bind(&id)
    .fetch_all(state.db.reader())
    .await
    .unwrap();
    assert_eq!(owners, std::slice::from_ref(&applicant));
    // another desk cannot touch the draft
    assert!(filing::get(state, &o.stranger, &id).await.is_err());
    assert!(filing::save(state, &o.stranger, &id, &values).await.is_err());
    let code = filing::submit(state, &o.desk, &id, "quay-1", &meta).await.unwrap();
    assert!(code.starts_with(UNIT));
    // now it is in the desk's queue like any other, and follows the same path
    let (queue, _) = reception::queue(state, &o.desk, 1).await.unwrap();
    assert!(queue.iter().any(|r| r.id == id));
    reception::accept(state, &o.desk, &id, &meta).await.unwrap();
    // the officer no longer edits it as an applicant would
    assert!(filing::get(state, &o.desk, &id).await.is_err());
    // nothing was queued for the placeholder address
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE payload LIKE $1")
        .bind(format!("%{}%", intake::NO_EMAIL_DOMAIN))
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(queued, 0);

    // the same person comes back: found by citizen id, no second account
    let again = intake::start(state, &o.desk, &form("001199077777", "", ""), &meta).await.unwrap();
    let applicant_again: String = sqlx::query_scalar("SELECT applicant_id FROM dossiers WHERE id = $1")
        .bind(&again)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(applicant_again, applicant);
    // and a person with an account keeps theirs
    let b = citizen(&o.app, "cocongdan@example.vn", "001199088888").await;
    let theirs = intake::start(state, &o.desk, &form("001199088888", "", ""), &meta).await.unwrap();
    let page = b.get("/dossiers").await.text().await.unwrap();
    assert!(page.contains(&theirs), "the citizen sees the dossier filed for them");
}

#[tokio::test]
async fn a_deputy_signs_for_the_leader_only_during_the_delegation() {
    use app::ssr::services::{accounts::current::actor_of, delegation};
    let o = office().await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    let deputy_of = |o: &Office| o.specialist.user_id().to_string();
    let actor_now = |id: String| async move {
        let mut conn = state.db.reader().acquire().await.unwrap();
        let user = app::ssr::db::users::by_id(&mut conn, &id).await.unwrap().unwrap();
        actor_of(&mut conn, &user, state.clock.now()).await.unwrap()
    };
    let today = state.clock.now().to_offset(app::domain::VIETNAM_OFFSET).date();
    let week = (today + time::Duration::days(6)).to_string();
    let today_s = today.to_string();
    // only a leader, to an officer of the unit, for a valid period
    assert!(
        delegation::grant(state, &o.specialist, "", "lanhdao@example.gov.vn", &today_s, &week, &meta)
            .await
            .is_err()
    );
    assert!(
        delegation::grant(state, &o.leader, "", "tinh@example.gov.vn", &today_s, &week, &meta).await.is_err()
    );
    let too_long = (today + time::Duration::days(120)).to_string();
    assert!(
        delegation::grant(state, &o.leader, "", "chuyenvien@example.gov.vn", &today_s, &too_long, &meta)
            .await
            .is_err()
    );
    let yesterday = (today - time::Duration::days(1)).to_string();
    assert!(
        delegation::grant(state, &o.leader, "", "chuyenvien@example.gov.vn", &yesterday, &week, &meta)
            .await
            .is_err()
    );

    let (_b, id) = received(&o, "uyquyen@example.vn").await;
    workflow::forward(state, &o.specialist, &id, "Đủ điều kiện").await.unwrap();
    // before the delegation the specialist cannot approve
    assert!(workflow::forward(state, &actor_now(deputy_of(&o)).await, &id, "").await.is_err());
    let grant =
        delegation::grant(state, &o.leader, UNIT, "chuyenvien@example.gov.vn", &today_s, &week, &meta)
            .await
            .unwrap();
    let deputy = actor_now(deputy_of(&o)).await;
    // the deputy cannot delegate further
    assert!(
        delegation::grant(state, &deputy, "", "vanthu@example.gov.vn", &today_s, &week, &meta).await.is_err()
    );
    workflow::forward(state, &deputy, &id, "Đồng ý").await.unwrap();
    let note: String =
        sqlx::query_scalar("SELECT note FROM dossier_steps WHERE dossier_id = $1 AND outcome = 'approved'")
            .bind(&id)
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    assert!(note.starts_with("Ký thay"), "{note}");

    // after the period, and once revoked, nothing
    o.app.clock.advance(time::Duration::days(8));
    let (_b2, id2) = received(&o, "uyquyen2@example.vn").await;
    workflow::forward(state, &o.specialist, &id2, "").await.unwrap();
    assert!(workflow::forward(state, &actor_now(deputy_of(&o)).await, &id2, "").await.is_err(), "expired");
    let today = state.clock.now().to_offset(app::domain::VIETNAM_OFFSET).date();
    let again = delegation::grant(
        state,
        &o.leader,
        "",
        "chuyenvien@example.gov.vn",
        &today.to_string(),
        &(today + time::Duration::days(2)).to_string(),
        &meta,
    )
    .await
    .unwrap();
    assert!(
        delegation::revoke(state, &o.specialist, &again, &meta).await.is_err(),
        "only its leader revokes"
    );
    delegation::revoke(state, &o.leader, &again, &meta).await.unwrap();
    assert!(workflow::forward(state, &actor_now(deputy_of(&o)).await, &id2, "").await.is_err(), "revoked");
    assert_ne!(grant, again);
}

#[tokio::test]
async fn the_work_queue_counts_late_and_due_soon_steps_and_filters_them() {
    use app::ssr::db::dossiers::WorkFilter;
    let o = office().await;
    let state = &o.app.running.state;
    let (_a, late) = received(&o, "hang1@example.vn").await;
    let step_due: i64 = sqlx::query_scalar("SELECT step_due_at FROM dossiers WHERE id = $1")
        .bind(&late)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    let past = app::ssr::db::columns::from_db(step_due) - state.clock.now() + time::Duration::hours(1);
    o.app.clock.advance(past);
    let (_b, fresh) = received(&o, "hang2@example.vn").await;

    let specialist = &o.specialist;
    let page = |f: WorkFilter| async move { workflow::queue_page(state, specialist, &f).await.unwrap() };
    let (rows, matching, counts) = page(WorkFilter::default()).await;
    assert_eq!((matching, counts.total, counts.overdue), (2, 2, 1));
    assert_eq!(rows[0].id, late, "the late step first");
    let (rows, matching, _) = page(WorkFilter { due: Some("overdue".into()), ..Default::default() }).await;
    assert_eq!((matching, rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>()), (1, vec![late.clone()]));
    let (_, matching, _) = page(WorkFilter { channel: Some("desk".into()), ..Default::default() }).await;
    assert_eq!(matching, 0, "none filed at the counter");
    let (_, matching, _) =
        page(WorkFilter { procedure: Some(common::dossiers::PROCEDURE.into()), ..Default::default() }).await;
    assert_eq!(matching, 2);
    let (_, matching, _) =
        page(WorkFilter { procedure: Some("9.999999".into()), ..Default::default() }).await;
    assert_eq!(matching, 0);
    let (rows, _, _) = page(WorkFilter { page: 2, ..Default::default() }).await;
    assert!(rows.is_empty(), "one page of 20");
    // nothing for officers of other steps or units
    let (_, _, counts) = workflow::queue_page(state, &o.leader, &WorkFilter::default()).await.unwrap();
    assert_eq!(counts.total, 0);
    let (_, _, counts) = workflow::queue_page(state, &o.stranger, &WorkFilter::default()).await.unwrap();
    assert_eq!(counts.total, 0);
    assert_ne!(late, fresh);
}

#[tokio::test]
async fn the_demo_makes_dossiers_in_every_state_through_the_services() {
    let app = TestApp::spawn().await;
    let state = &app.running.state;
    motcua_server::demo::load(state).await.unwrap();
    let made = motcua_server::demo_dossiers::load(state, 60).await.unwrap();
    assert!(made >= 50, "{made}");
    let states: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT state FROM dossiers").fetch_all(state.db.reader()).await.unwrap();
    for expected in [
        "\"draft\"",
        "\"submitted\"",
        "\"received\"",
        "\"in_process\"",
        "\"decided\"",
        "\"returned\"",
        "\"refused_at_reception\"",
        "\"withdrawn\"",
        "\"stopped\"",
    ] {
        assert!(states.iter().any(|s| s == expected), "no demo dossier {expected} in {states:?}");
    }
    // every submitted one has its timeline and the audit chain still verifies
    let without_events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM dossiers d WHERE d.code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dossier_events e WHERE e.dossier_id = d.id AND e.kind = 'submitted')",
    )
    .fetch_one(state.db.reader())
    .await
    .unwrap();
    assert_eq!(without_events, 0);
    assert!(app::ssr::db::audit::verify(&state.db).await.unwrap().is_ok(), "the audit chain holds");
    // the returned ones are mostly rated, and the ward has answered and published feedback
    let rated: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM ratings").fetch_one(state.db.reader()).await.unwrap();
    assert!(rated > 0, "demo ratings");
    let published: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feedback WHERE published_at IS NOT NULL")
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(published, 3, "demo feedback published");
    // once only
    assert_eq!(motcua_server::demo_dossiers::load(state, 60).await.unwrap(), 0);
}

#[tokio::test]
async fn the_appointment_moves_by_the_time_the_applicant_owed_papers_during_processing() {
    let o = office().await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    let (b, id) = received(&o, "tamdung@example.vn").await;
    workflow::forward(state, &o.specialist, &id, "").await.unwrap();
    let (due_before, step_before) = deadlines(&o.app, &id).await;
    app::ssr::services::filing::request_supplement(state, &o.desk, &id, "Bổ sung bản vẽ mặt bằng.", &meta)
        .await
        .unwrap();
    let asked = state.clock.now();
    o.app.clock.advance(time::Duration::days(3));
    let pw = common::dossiers::PASSWORD;
    assert_eq!(b.post("/login", &[("email", "tamdung@example.vn"), ("password", pw)]).await.status(), 303);
    let r = b.post(&format!("/dossiers/{id}/supplement"), &[("note", "Đã bổ sung")]).await;
    assert_eq!(common::location(&r), format!("/dossiers/{id}?supplemented=1"));
    let calendar = reception::calendar(state).await.unwrap();
    let stood = u32::try_from(calendar.working_minutes_between(asked, state.clock.now())).unwrap();
    assert!(stood > 0, "working time passed");
    let (due_after, step_after) = deadlines(&o.app, &id).await;
    let within =
        |a: time::OffsetDateTime, b: time::OffsetDateTime| (a - b).abs() < time::Duration::minutes(2);
    assert!(
        within(due_after, calendar.add_working_minutes(due_before, stood).unwrap()),
        "{due_before} → {due_after}"
    );
    assert!(within(step_after, calendar.add_working_minutes(step_before, stood).unwrap()));
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM dossier_events WHERE dossier_id = $1 ORDER BY at, id")
            .bind(&id)
            .fetch_all(state.db.reader())
            .await
            .unwrap();
    assert!(kinds.iter().any(|k| k == "clock_resumed"));
}

async fn deadlines(app: &TestApp, id: &str) -> (time::OffsetDateTime, time::OffsetDateTime) {
    let (due, step): (i64, i64) = sqlx::query_as("SELECT due_at, step_due_at FROM dossiers WHERE id = $1")
        .bind(id)
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap();
    (app::ssr::db::columns::from_db(due), app::ssr::db::columns::from_db(step))
}

#[tokio::test]
async fn a_step_is_taken_or_handed_to_a_colleague_of_the_same_role_and_unit() {
    use app::ssr::db::dossiers::WorkFilter;
    let o = office().await;
    let state = &o.app.running.state;
    let colleague = officer(&o.app, "chuyenvien2@example.gov.vn", UNIT, Role::Specialist).await;
    let (_b, id) = received(&o, "phancong@example.vn").await;
    // only those who work the step; only to an officer of the step's role and unit
    assert!(workflow::assign(state, &o.leader, &id, "").await.is_err());
    assert!(workflow::assign(state, &o.specialist, &id, "lanhdao@example.gov.vn").await.is_err());
    assert!(workflow::assign(state, &o.specialist, &id, "khong-co@example.gov.vn").await.is_err());
    workflow::assign(state, &o.specialist, &id, "").await.unwrap();
    let mine = |who: &Actor| WorkFilter { assignee: Some(who.user_id().to_string()), ..Default::default() };
    let (rows, _, _) = workflow::queue_page(state, &o.specialist, &mine(&o.specialist)).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].assignee_name.is_some());
    workflow::assign(state, &o.specialist, &id, "chuyenvien2@example.gov.vn").await.unwrap();
    let (rows, _, _) = workflow::queue_page(state, &o.specialist, &mine(&o.specialist)).await.unwrap();
    assert!(rows.is_empty(), "handed over");
    let (rows, _, _) = workflow::queue_page(state, &colleague, &mine(&colleague)).await.unwrap();
    assert_eq!(rows.len(), 1);
    let nobody = WorkFilter { assignee: Some(String::new()), ..Default::default() };
    assert!(workflow::queue_page(state, &colleague, &nobody).await.unwrap().0.is_empty());
    // the next step starts unassigned
    workflow::forward(state, &colleague, &id, "").await.unwrap();
    let (rows, _, _) = workflow::queue_page(state, &o.leader, &nobody).await.unwrap();
    assert_eq!(rows.len(), 1);
    let assigned: Option<String> = sqlx::query_scalar(
        "SELECT assignee_id FROM dossier_steps WHERE dossier_id = $1 AND outcome = 'forwarded'",
    )
    .bind(&id)
    .fetch_one(state.db.reader())
    .await
    .unwrap();
    assert_eq!(assigned.as_deref(), Some(colleague.user_id()), "the log keeps who had the step");
}
