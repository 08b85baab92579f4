//! The one-stop desk: the queue, accepting with an appointment in working days, asking for
//! a supplement, refusing — and nobody outside the receiving unit's desk can see or act.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use app::domain::{DossierState, Stage};
use app::ssr::services::{RequestMeta, filing, reception};
use common::dossiers::{app_with_catalogue, citizen, desk_officer, ready_draft};
use common::{Browser, TestApp};
use time::Weekday;

async fn submitted(app: &TestApp, b: &Browser) -> String {
    let id = ready_draft(b).await;
    assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "t")]).await.status(), 303);
    let _ = app;
    id
}

async fn events(app: &TestApp, id: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM dossier_events WHERE dossier_id = $1")
        .bind(id)
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_desk_accepts_and_the_appointment_counts_working_days_only() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "hen@example.vn", "001199012345").await;
    let id = submitted(&app, &b).await;
    let state = &app.running.state;
    let desk = desk_officer(&app, "motcua@example.gov.vn", "000.00.31.H26").await;

    assert_eq!(
        b.get(&format!("/dossiers/{id}/appointment.pdf")).await.status(),
        404,
        "no slip before reception"
    );
    let (queue, total) = reception::queue(state, &desk, 1).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(queue[0].id, id);

    let now = state.clock.now();
    let due = reception::accept(state, &desk, &id, &RequestMeta::default()).await.unwrap();
    assert!(due > now);
    let local = due.to_offset(app::domain::VIETNAM_OFFSET);
    assert!(
        !matches!(local.weekday(), Weekday::Saturday | Weekday::Sunday),
        "never due on a weekend: {local}"
    );
    assert_eq!((local.hour(), local.minute()), (17, 0), "due at the end of the office day");
    let calendar = reception::calendar(state).await.unwrap();
    assert!(calendar.is_working_day(local.date()));
    // the fixture's procedure takes 15 working days: at least 3 calendar weeks
    assert!(due - now >= time::Duration::days(19), "{due} vs {now}");

    let row: (String, Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT state, received_at, due_at FROM dossiers WHERE id = $1")
            .bind(&id)
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    assert_eq!(row.0, "\"received\"");
    assert!(row.1.is_some() && row.2.is_some());
    let mail = app.mail.wait_for("hen@example.vn", 3).await;
    assert!(mail.subject.contains("đã được tiếp nhận"), "{}", mail.subject);
    let shown = app::ssr::services::receipts::local_time(due);
    assert!(mail.text.contains(&shown));
    assert!(
        b.get(&format!("/dossiers/{id}")).await.text().await.unwrap().contains(&shown),
        "the applicant sees it"
    );

    // out of the queue; accepting again or refusing now is refused and logs nothing
    assert_eq!(reception::queue(state, &desk, 1).await.unwrap().1, 0);
    let before = events(&app, &id).await;
    assert!(reception::accept(state, &desk, &id, &RequestMeta::default()).await.is_err());
    assert!(
        reception::refuse(state, &desk, &id, "Không đúng thẩm quyền giải quyết", &RequestMeta::default())
            .await
            .is_err()
    );
    assert_eq!(events(&app, &id).await, before);
}

#[tokio::test]
async fn nobody_outside_the_receiving_desk_sees_or_acts() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "kin@example.vn", "001199012345").await;
    let id = submitted(&app, &b).await;
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let elsewhere = desk_officer(&app, "tinh@example.gov.vn", "000.00.00.H26").await;

    assert_eq!(reception::queue(state, &elsewhere, 1).await.unwrap().1, 0);
    assert!(reception::get(state, &elsewhere, &id).await.is_err());
    assert!(reception::accept(state, &elsewhere, &id, &meta).await.is_err());
    assert!(
        reception::refuse(state, &elsewhere, &id, "Không thuộc thẩm quyền tiếp nhận", &meta).await.is_err()
    );
    assert!(filing::request_supplement(state, &elsewhere, &id, "Thiếu giấy tờ", &meta).await.is_err());
    // a citizen (even the applicant) gets nothing from the desk's pages and forms
    assert_eq!(b.get(&format!("/officer/dossiers/{id}")).await.status(), 403, "not an officer");
    assert_eq!(b.post(&format!("/officer/dossiers/{id}/accept"), &[]).await.status(), 404);
    let state_json: String = sqlx::query_scalar("SELECT state FROM dossiers WHERE id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(state_json, "\"submitted\"", "unchanged");
    // a draft never reaches the desk
    let draft = ready_draft(&b).await;
    let desk = desk_officer(&app, "motcua@example.gov.vn", "000.00.31.H26").await;
    assert!(reception::get(state, &desk, &draft).await.is_err());
    assert_eq!(reception::queue(state, &desk, 1).await.unwrap().1, 1);
}

#[tokio::test]
async fn refusing_needs_a_reason_ends_the_dossier_and_tells_the_applicant() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "tuchoi@example.vn", "001199012345").await;
    let id = submitted(&app, &b).await;
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let desk = desk_officer(&app, "motcua@example.gov.vn", "000.00.31.H26").await;

    assert!(reception::refuse(state, &desk, &id, "ngắn", &meta).await.is_err(), "a reason is required");
    // a supplement first, then the refusal (allowed while the supplement is owed)
    let next =
        filing::request_supplement(state, &desk, &id, "Bổ sung giấy phép kinh doanh", &meta).await.unwrap();
    assert_eq!(next, DossierState::SupplementRequested(Stage::Reception));
    reception::refuse(state, &desk, &id, "Hồ sơ không thuộc thẩm quyền giải quyết của phường", &meta)
        .await
        .unwrap();
    let mail = app.mail.wait_for("tuchoi@example.vn", 4).await;
    assert!(mail.subject.contains("không được tiếp nhận"), "{}", mail.subject);
    assert!(mail.text.contains("không thuộc thẩm quyền"));
    let page = b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("Không được tiếp nhận"));
    // terminal: no withdrawal, no supplement
    assert_eq!(
        b.post(&format!("/dossiers/{id}/withdraw"), &[("reason", "Tôi muốn rút hồ sơ")]).await.status(),
        422
    );
    assert!(reception::accept(state, &desk, &id, &meta).await.is_err());
}

#[tokio::test]
async fn a_failure_after_the_state_update_leaves_the_dossier_and_its_log_unchanged() {
    let app = app_with_catalogue().await;
    let b = citizen(&app, "nguyentu@example.vn", "001199012345").await;
    let id = submitted(&app, &b).await;
    let state = &app.running.state;
    let desk = desk_officer(&app, "motcua@example.gov.vn", "000.00.31.H26").await;
    // inject a failure into the log write that follows the state update
    let sqlite = app.settings.database_url.starts_with("sqlite:");
    let statements: Vec<&str> = if sqlite {
        vec![
            "CREATE TRIGGER inject_failure BEFORE INSERT ON dossier_events WHEN NEW.kind = 'received' \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ]
    } else {
        vec![
            "CREATE FUNCTION inject_failure() RETURNS trigger AS $$ BEGIN \
             IF NEW.kind = 'received' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER inject_failure BEFORE INSERT ON dossier_events FOR EACH ROW EXECUTE FUNCTION inject_failure()",
        ]
    };
    for sql in &statements {
        sqlx::raw_sql(sql).execute(state.db.reader()).await.unwrap();
    }
    let before = events(&app, &id).await;
    assert!(reception::accept(state, &desk, &id, &RequestMeta::default()).await.is_err());
    let row: (String, Option<i64>, Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT state, national_status, due_at, current_step FROM dossiers WHERE id = $1")
            .bind(&id)
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    assert_eq!(
        row,
        ("\"submitted\"".to_string(), Some(1), None, None),
        "the update was rolled back with the log"
    );
    assert_eq!(events(&app, &id).await, before);
    let steps: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM dossier_steps").fetch_one(state.db.reader()).await.unwrap();
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(state.db.reader()).await.unwrap();
    assert_eq!((steps, audited), (0, 0));
    // once the fault is gone the same action succeeds
    let drop =
        if sqlite { "DROP TRIGGER inject_failure" } else { "DROP TRIGGER inject_failure ON dossier_events" };
    sqlx::raw_sql(drop).execute(state.db.reader()).await.unwrap();
    reception::accept(state, &desk, &id, &RequestMeta::default()).await.unwrap();
    assert_eq!(events(&app, &id).await, before + 1);
}
