//! Statistics: the aggregates match counts taken independently from the raw events, a
//! rebuild gives identical rows, only leaders and administrators see their units' figures,
//! and the public page shows them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::ssr::auth::policy::Role;
use app::ssr::services::stats::{self, Figure};
use app::ssr::services::{RequestMeta, payments, reception, workflow};
use common::TestApp;
use common::dossiers::{SMALL, citizen, officer, ready_draft};

const UNIT: &str = "000.00.31.H26";

async fn rows(app: &TestApp) -> Vec<(String, String, String, i64, i64, i64, i64, i64, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT day, agency_code, procedure_code, submitted_online, accepted, refused_at_reception, withdrawn, \
         resolved_early, resolved_on_time, resolved_late, returned FROM stats_daily ORDER BY day, agency_code, procedure_code",
    )
    .fetch_all(app.running.state.db.reader())
    .await
    .unwrap()
}

async fn events(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM dossier_events WHERE kind = $1")
        .bind(kind)
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_figures_match_the_raw_events_and_a_rebuild_gives_the_same_rows() {
    let app = TestApp::spawn().await;
    let mut file: serde_json::Value = serde_json::from_str(SMALL).unwrap();
    file["procedures"][0]["workflow"] = serde_json::json!([
        {"name_vi": "Tiếp nhận", "name_en": "Reception", "role": "desk_officer", "agency": UNIT, "share": 10},
        {"name_vi": "Thẩm định", "name_en": "Appraisal", "role": "specialist", "agency": UNIT, "share": 50},
        {"name_vi": "Phát hành", "name_en": "Issue", "role": "clerk", "agency": UNIT, "share": 30},
        {"name_vi": "Trả kết quả", "name_en": "Return", "role": "desk_officer", "agency": UNIT, "share": 10}
    ]);
    app::ssr::services::catalogue::import_json(&app.running.state, &file.to_string()).await.unwrap();
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let desk = officer(&app, "motcua@example.gov.vn", UNIT, Role::DeskOfficer).await;
    let specialist = officer(&app, "chuyenvien@example.gov.vn", UNIT, Role::Specialist).await;
    let clerk = officer(&app, "vanthu@example.gov.vn", UNIT, Role::Clerk).await;
    let leader = officer(&app, "lanhdao@example.gov.vn", UNIT, Role::Leader).await;
    let province_admin = officer(&app, "quantri@example.gov.vn", "000.00.00.H26", Role::AgencyAdmin).await;

    let mut ids = Vec::new();
    for i in 0..7 {
        let b = citizen(&app, &format!("tk{i}@example.vn"), &format!("001199{:06}", 500 + i)).await;
        let id = ready_draft(&b).await;
        assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "t")]).await.status(), 303);
        ids.push((b, id));
    }
    let pdf = || {
        futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from_static(
            b"%PDF-1.4\nkq\n",
        ))])
    };
    // 0: refused; 1: withdrawn; 2 and 3: resolved and returned in time; 4: received, open
    reception::refuse(state, &desk, &ids[0].1, "Không thuộc thẩm quyền tiếp nhận.", &meta).await.unwrap();
    let r =
        ids[1].0.post(&format!("/dossiers/{}/withdraw", ids[1].1), &[("reason", "Nộp nhầm thủ tục")]).await;
    assert_eq!(r.status(), 303);
    for (_, id) in &ids[2..7] {
        reception::accept(state, &desk, id, &meta).await.unwrap();
    }
    for (_, id) in &ids[2..4] {
        workflow::forward(state, &specialist, id, "").await.unwrap();
        workflow::issue_result(state, &clerk, id, "kq.pdf", pdf()).await.unwrap();
        payments::record_counter(state, &desk, id, "counter_cash", &format!("BL-{id}"), &meta).await.ok();
        workflow::return_result(state, &desk, id, "electronic", "", &meta).await.unwrap();
    }
    // 5 and 6: decided two months later (late); 6 also apologised first
    app.clock.advance(time::Duration::days(60));
    for (_, id) in &ids[5..7] {
        workflow::forward(state, &specialist, id, "").await.unwrap();
        workflow::issue_result(state, &clerk, id, "kq.pdf", pdf()).await.unwrap();
    }
    stats::refresh(state).await.unwrap();
    // the refresh covers the last days only: the whole history needs a rebuild
    stats::rebuild(state, None).await.unwrap();
    let before = rows(&app).await;

    // totals against counts taken straight from the events
    let (lines, total) = stats::report(
        state,
        None,
        time::Date::from_calendar_date(2000, time::Month::January, 1).unwrap(),
        state.clock.now().to_offset(app::domain::VIETNAM_OFFSET).date() + time::Duration::days(1),
        None,
    )
    .await
    .unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(total.value(Figure::Submitted), events(&app, "submitted").await);
    assert_eq!(total.value(Figure::Accepted), events(&app, "received").await);
    assert_eq!(total.value(Figure::Refused), events(&app, "refused_at_reception").await);
    assert_eq!(total.value(Figure::Withdrawn), events(&app, "withdrawn").await);
    assert_eq!(total.counts.returned, events(&app, "returned").await);
    // late: decided after the (first) appointment, counted here without the service's code
    let decided: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT e.at, COALESCE(d.original_due_at, d.due_at) FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id \
         WHERE e.kind = 'decided'",
    )
    .fetch_all(state.db.reader())
    .await
    .unwrap();
    let late = decided.iter().filter(|(at, due)| at > due).count() as i64;
    assert_eq!(total.value(Figure::Late), late);
    assert_eq!(late, 2);
    assert_eq!(
        total.value(Figure::Early) + total.value(Figure::OnTime) + total.value(Figure::Late),
        decided.len() as i64
    );
    assert_eq!(total.value(Figure::OpenLate), 1, "dossier 4 is open and past its appointment");

    // a rebuild from the events gives identical rows, even from nothing
    stats::rebuild(state, None).await.unwrap();
    assert_eq!(rows(&app).await, before);
    let mut tx = state.db.begin_write().await.unwrap();
    sqlx::query("DELETE FROM stats_daily").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    stats::rebuild(state, None).await.unwrap();
    assert_eq!(rows(&app).await, before);

    // the drill-down lists exactly the late ones
    // the portal's days are Vietnamese days (UTC+7), whatever the machine's time zone
    let today = state.clock.now().to_offset(app::domain::VIETNAM_OFFSET).date();
    let behind =
        stats::behind(state, &[UNIT.to_string()], Figure::Late, today - time::Duration::days(90), today)
            .await
            .unwrap();
    let mut late_ids: Vec<&str> = behind.iter().map(|b| b.0.as_str()).collect();
    late_ids.sort_unstable();
    let mut expected = vec![ids[5].1.as_str(), ids[6].1.as_str()];
    expected.sort_unstable();
    assert_eq!(late_ids, expected);

    // who sees what: leaders of the unit, administrators of a parent unit; not a specialist
    assert_eq!(stats::scope(state, &leader).await.unwrap(), Some(vec![UNIT.to_string()]));
    let province = stats::scope(state, &province_admin).await.unwrap().unwrap();
    assert!(
        province.contains(&UNIT.to_string()) && province.contains(&"000.00.00.H26".to_string()),
        "{province:?}"
    );
    assert!(stats::scope(state, &specialist).await.is_err());

    // the public page, without signing in
    let page = app.get_html("/statistics").await.text().await.unwrap();
    assert!(page.contains("data-testid=\"public-stats\""));
    assert!(page.contains("Hiến Nam"), "the unit is listed");
    assert!(
        page.contains("<svg") && page.contains("role=\"img\""),
        "the on-time chart, as an image with its text"
    );
    assert!(page.contains("Tỷ lệ giải quyết đúng hạn theo tháng"));
}
