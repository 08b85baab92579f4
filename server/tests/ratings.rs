//! Service quality: the applicant's satisfaction rating of a returned dossier (account and
//! kiosk, once), the reminder to rate, and feedback answered by the responsible unit, marked
//! overdue once, and published without personal data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use app::ssr::auth::policy::Actor;
use app::ssr::services::feedback::{self, FeedbackInput};
use app::ssr::services::ratings::{self, RatingInput};
use app::ssr::services::{RequestMeta, ServiceError, workflow};
use common::dossiers::citizen;
use common::office::{Office, UNIT, office, received};

/// The same dossier worked to the end and returned at the desk.
async fn returned(o: &Office, email: &str) -> (common::Browser, String) {
    let (b, id) = received(o, email).await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    workflow::forward(state, &o.specialist, &id, "").await.unwrap();
    workflow::forward(state, &o.leader, &id, "").await.unwrap();
    workflow::generate_result(
        state,
        &o.clerk,
        &id,
        "Cấp giấy phép theo đề nghị.\nCó hiệu lực ngay.",
        Default::default(),
    )
    .await
    .unwrap();
    app::ssr::services::payments::record_counter(state, &o.desk, &id, "counter_cash", "BL-0202", &meta)
        .await
        .unwrap();
    workflow::return_result(state, &o.desk, &id, "desk", "Người nộp", &meta).await.unwrap();
    (b, id)
}

fn all_satisfied() -> RatingInput {
    RatingInput {
        reception: "3".into(),
        timing: "2".into(),
        attitude: "3".into(),
        correctness: "1".into(),
        comment: "Nhanh gọn.".into(),
    }
}

fn field_error(result: Result<(), ServiceError>, field: &str) {
    match result {
        Err(ServiceError::Invalid(errors)) => assert!(errors.contains_key(field), "{errors:?}"),
        other => panic!("expected a message on {field}, got {other:?}"),
    }
}

async fn user_id(o: &Office, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(o.app.running.state.db.reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn only_the_applicant_rates_a_returned_dossier_and_only_once() {
    let o = office().await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    // not returned yet: refused with a message
    let (_b0, open) = received(&o, "mo@example.vn").await;
    let owner = Actor::Citizen { user_id: user_id(&o, "mo@example.vn").await };
    field_error(ratings::rate(state, &owner, &open, &all_satisfied(), &meta).await, "rating");

    let (b, id) = returned(&o, "danhgia@example.vn").await;
    let applicant = Actor::Citizen { user_id: user_id(&o, "danhgia@example.vn").await };
    // a stranger (another citizen, an officer) does not even learn it exists
    let other = Actor::Citizen { user_id: user_id(&o, "mo@example.vn").await };
    assert!(matches!(
        ratings::rate(state, &other, &id, &all_satisfied(), &meta).await,
        Err(ServiceError::Refused(app::error::AppError::NotFound))
    ));
    assert!(ratings::rate(state, &o.desk, &id, &all_satisfied(), &meta).await.is_err());
    // every criterion is required, levels are 1–3
    let mut bad = all_satisfied();
    bad.timing = "7".into();
    field_error(ratings::rate(state, &applicant, &id, &bad, &meta).await, "timing");

    // the form on the dossier page posts without JavaScript
    let page = b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains(&format!("action=\"/dossiers/{id}/rate\"")), "the rating form is offered");
    let r = b
        .post(
            &format!("/dossiers/{id}/rate"),
            &[
                ("reception", "3"),
                ("timing", "2"),
                ("attitude", "3"),
                ("correctness", "1"),
                ("comment", "Tốt"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(common::location(&r), format!("/dossiers/{id}?rated=1#rating"));
    // a second attempt gets a clear message
    let again = b
        .post(
            &format!("/dossiers/{id}/rate"),
            &[("reception", "1"), ("timing", "1"), ("attitude", "1"), ("correctness", "1")],
        )
        .await;
    assert_eq!(again.status(), 422);
    let text = again.text().await.unwrap();
    assert!(text.contains("đã được đánh giá"), "the refusal says why");
    field_error(ratings::rate(state, &applicant, &id, &all_satisfied(), &meta).await, "rating");

    let (n, channel, timing, unit): (i64, String, i64, String) = sqlx::query_as(
        "SELECT COUNT(*), MIN(channel), CAST(MIN(timing) AS BIGINT), MIN(agency_code) FROM ratings WHERE dossier_id = $1",
    )
    .bind(&id)
    .fetch_one(state.db.reader())
    .await
    .unwrap();
    assert_eq!((n, channel.as_str(), timing, unit.as_str()), (1, "account", 2, UNIT));

    // the desk and the leader see it; an officer of another unit does not
    assert!(ratings::for_officer(state, &o.desk, &id).await.unwrap().is_some());
    assert!(ratings::for_officer(state, &o.leader, &id).await.unwrap().is_some());
    assert!(ratings::for_officer(state, &o.stranger, &id).await.is_err());
}

#[tokio::test]
async fn the_kiosk_needs_the_dossier_code_and_its_lookup_key() {
    let o = office().await;
    let state = &o.app.running.state;
    let (_b, id) = returned(&o, "kiosk@example.vn").await;
    let (code, key): (String, String) =
        sqlx::query_as("SELECT code, lookup_secret FROM dossiers WHERE id = $1")
            .bind(&id)
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    let visitor = o.app.browser();
    let page = visitor.get("/kiosk/rate").await;
    assert_eq!(page.status(), 200);
    let form = |key: &str| {
        vec![
            ("code", code.clone()),
            ("key", key.to_string()),
            ("reception", "3".into()),
            ("timing", "3".into()),
            ("attitude", "2".into()),
            ("correctness", "3".into()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let visitor = &visitor;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            visitor.post("/kiosk/rate", &pairs).await
        }
    };
    let wrong = post(form("SAIKHOA9")).await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("Không tìm thấy hồ sơ"));
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM ratings").fetch_one(state.db.reader()).await.unwrap();
    assert_eq!(n, 0, "a wrong key rates nothing");
    let ok = post(form(&key.to_lowercase())).await;
    assert_eq!(ok.status(), 303);
    assert_eq!(common::location(&ok), "/kiosk/rate?rated=1");
    let channel: String = sqlx::query_scalar("SELECT channel FROM ratings WHERE dossier_id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(channel, "kiosk");
    assert_eq!(post(form(&key)).await.status(), 422, "once per dossier");
}

#[tokio::test]
async fn the_reminder_to_rate_goes_out_once_even_with_two_sweeps() {
    let o = office().await;
    let state = &o.app.running.state;
    let (_b, id) = returned(&o, "nhac@example.vn").await;
    let (_b2, rated) = returned(&o, "danhroi@example.vn").await;
    let rater = Actor::Citizen { user_id: user_id(&o, "danhroi@example.vn").await };
    ratings::rate(state, &rater, &rated, &all_satisfied(), &RequestMeta::default()).await.unwrap();
    assert!(ratings::send_reminders(state).await.unwrap().is_empty(), "not before three days");
    o.app.clock.advance(time::Duration::days(3) + time::Duration::minutes(1));
    // two sweeps at once (as two server processes would run them): one of them reminds
    let (a, b) = tokio::join!(ratings::send_reminders(state), ratings::send_reminders(state));
    let mut reminded = a.unwrap();
    reminded.extend(b.unwrap());
    assert_eq!(reminded, vec![id.clone()], "only the unrated dossier, once");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dossiers WHERE rating_reminded_at IS NOT NULL")
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert!(ratings::send_reminders(state).await.unwrap().is_empty(), "once");
    let jobs: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'send_email' AND payload LIKE '%đánh giá mức độ hài lòng%'",
    )
    .fetch_one(state.db.reader())
    .await
    .unwrap();
    assert_eq!(jobs, 1, "one reminder email");
}

fn about(kind: &str, target: &str, subject: &str, body: &str) -> FeedbackInput {
    FeedbackInput { about: kind.into(), target: target.into(), subject: subject.into(), body: body.into() }
}

#[tokio::test]
async fn feedback_is_answered_only_by_the_responsible_unit_and_marked_overdue_once() {
    let o = office().await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    let (_b, id) = received(&o, "phananh@example.vn").await;
    let sender = Actor::Citizen { user_id: user_id(&o, "phananh@example.vn").await };
    let code: String = sqlx::query_scalar("SELECT code FROM dossiers WHERE id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();

    // about one's own dossier (not someone else's), a procedure, a unit
    let on_dossier =
        feedback::send(state, &sender, &about("dossier", &code, "Chậm", "Hồ sơ chậm."), &meta).await.unwrap();
    let stranger_citizen = citizen(&o.app, "khac@example.vn", "001199777777").await;
    drop(stranger_citizen);
    let other = Actor::Citizen { user_id: user_id(&o, "khac@example.vn").await };
    assert!(feedback::send(state, &other, &about("dossier", &code, "Chậm", "x"), &meta).await.is_err());
    let on_procedure = feedback::send(
        state,
        &sender,
        &about("procedure", common::dossiers::PROCEDURE, "Giấy tờ", "Nhiều giấy tờ."),
        &meta,
    )
    .await
    .unwrap();
    assert!(feedback::send(state, &sender, &about("unit", "999.99.99.H99", "x", "y"), &meta).await.is_err());
    assert!(feedback::send(state, &sender, &about("unit", UNIT, "", "y"), &meta).await.is_err(), "a subject");

    // the ward answers (its desk, its leader); the province's desk does not even see it
    assert!(feedback::answer(state, &o.stranger, &on_dossier, "Không phải đơn vị tôi", &meta).await.is_err());
    assert!(feedback::answer(state, &o.specialist, &on_dossier, "Chuyên viên", &meta).await.is_err());
    assert!(feedback::answer(state, &sender, &on_dossier, "Tự trả lời", &meta).await.is_err());
    assert!(feedback::queue(state, &o.stranger).await.unwrap().is_empty());
    assert_eq!(feedback::queue(state, &o.desk).await.unwrap().len(), 2);
    feedback::answer(state, &o.desk, &on_dossier, "Đã chỉ đạo xử lý.", &meta).await.unwrap();
    assert!(feedback::answer(state, &o.leader, &on_dossier, "Lần hai", &meta).await.is_err(), "once");
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.answer'")
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(audit, 1);
    let mine = feedback::mine(state, &sender).await.unwrap();
    assert!(mine.iter().any(|f| f.answer == "Đã chỉ đạo xử lý."), "the sender sees the answer");
    let mut emailed = false;
    for _ in 0..200 {
        emailed =
            o.app.mail.all().iter().any(|m| {
                m.to.iter().any(|t| t == "phananh@example.vn") && m.subject.contains("đã được trả lời")
            });
        if emailed {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(emailed, "the sender is emailed");

    // ten working days later the unanswered one is overdue, marked once
    assert!(feedback::sweep_overdue(state).await.unwrap().is_empty());
    o.app.clock.advance(time::Duration::days(20));
    let (a, b) = tokio::join!(feedback::sweep_overdue(state), feedback::sweep_overdue(state));
    let mut marked = a.unwrap();
    marked.extend(b.unwrap());
    assert_eq!(marked, vec![on_procedure.clone()]);
    assert!(feedback::sweep_overdue(state).await.unwrap().is_empty(), "once");
}

#[tokio::test]
async fn published_feedback_shows_no_personal_data_and_unpublished_is_not_public() {
    let o = office().await;
    let state = &o.app.running.state;
    let meta = RequestMeta::default();
    let b = citizen(&o.app, "congkhai@example.vn", "001199888888").await;
    let sender = Actor::Citizen { user_id: user_id(&o, "congkhai@example.vn").await };
    // through the form, without JavaScript
    let r = b
        .post(
            "/feedback/mine",
            &[
                ("about", "unit"),
                ("target", UNIT),
                ("subject", "Thái độ cán bộ tiếp dân"),
                ("body", "Tôi, CCCD 001099012345, email nguoidan@example.com, chờ lâu ở quầy."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let published = feedback::mine(state, &sender).await.unwrap().remove(0).id;
    let hidden =
        feedback::send(state, &sender, &about("unit", UNIT, "Chưa công khai", "Nội dung riêng tư."), &meta)
            .await
            .unwrap();
    // only an answered item is published, by the responsible unit
    assert!(feedback::publish(state, &o.desk, &published, &meta).await.is_err());
    let desk_browser_answer = "Đơn vị đã nhắc nhở cán bộ. Liên hệ 0912345678 nếu cần.";
    feedback::answer(state, &o.desk, &published, desk_browser_answer, &meta).await.unwrap();
    feedback::answer(state, &o.desk, &hidden, "Đã trả lời riêng.", &meta).await.unwrap();
    assert!(feedback::publish(state, &o.stranger, &published, &meta).await.is_err());
    feedback::publish(state, &o.desk, &published, &meta).await.unwrap();
    assert!(feedback::publish(state, &o.desk, &published, &meta).await.is_err(), "once");
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.publish'")
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(audit, 1);

    let page = o.app.get_html("/feedback").await.text().await.unwrap();
    assert!(page.contains("Thái độ cán bộ tiếp dân"), "the published item is listed");
    assert!(page.contains("chờ lâu ở quầy"));
    for private in
        ["001099012345", "nguoidan@example.com", "example.com", "0912345678", "congkhai@example.vn"]
    {
        assert!(!page.contains(private), "{private} must not be public");
    }
    assert!(!page.contains("Chưa công khai"), "an unpublished item is not public");
    // searchable without diacritics
    let found = o.app.get_html("/feedback?q=thai+do").await.text().await.unwrap();
    assert!(found.contains("Thái độ cán bộ tiếp dân"));
    let none = o.app.get_html("/feedback?q=khongcotu").await.text().await.unwrap();
    assert!(!none.contains("Thái độ cán bộ tiếp dân"));
}
