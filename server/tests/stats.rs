//! Statistics: the aggregates match counts taken independently from the raw events, a
//! rebuild gives identical rows, only leaders and administrators see their units' figures,
//! and the public page shows them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use app::domain::quality::{Criterion, HandlingScore, IndexGroup, service_index};
use app::ssr::auth::policy::Role;
use app::ssr::services::stats::{self, Figure};
use app::ssr::services::{RequestMeta, evaluation, payments, reception, workflow};
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

type RatingRow = (String, String, String, String, i64, i64, i64);

async fn rating_rows(app: &TestApp) -> Vec<RatingRow> {
    sqlx::query_as(
        "SELECT day, agency_code, procedure_code, criterion, very_satisfied, satisfied, not_satisfied \
         FROM stats_ratings_daily ORDER BY day, agency_code, procedure_code, criterion",
    )
    .fetch_all(app.running.state.db.reader())
    .await
    .unwrap()
}

async fn paper_columns(app: &TestApp) -> Vec<(String, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT day, filed_digitised, papers, papers_reused FROM stats_daily ORDER BY day, agency_code, procedure_code",
    )
    .fetch_all(app.running.state.db.reader())
    .await
    .unwrap()
}

/// The monthly rollups hold exactly the daily rows summed per month (summed here, in Rust,
/// from the daily rows), and nothing else.
async fn assert_monthly_is_daily_summed(app: &TestApp) {
    use std::collections::BTreeMap;
    let db = app.running.state.db.reader();
    let columns = "day, agency_code, procedure_code, submitted_online, submitted_desk, accepted, refused_at_reception, \
         withdrawn, resolved_early, resolved_on_time, resolved_late, returned, returned_electronic, paid_online, \
         paid_counter, filed_digitised, papers, papers_reused, closed";
    let read = |table: &str| {
        let sql = format!("SELECT {columns} FROM {table}");
        async move {
            let rows = sqlx::query(&sql).fetch_all(db).await.unwrap();
            rows.iter()
                .map(|row| {
                    use sqlx::Row as _;
                    let day: String = row.get(0);
                    let key = (day[..7].to_string(), row.get::<String, _>(1), row.get::<String, _>(2));
                    (key, (3..19).map(|i| row.get::<i64, _>(i)).collect::<Vec<i64>>())
                })
                .collect::<Vec<_>>()
        }
    };
    let mut expected: BTreeMap<(String, String, String), Vec<i64>> = BTreeMap::new();
    for (key, values) in read("stats_daily").await {
        let sums = expected.entry(key).or_insert_with(|| vec![0; values.len()]);
        sums.iter_mut().zip(&values).for_each(|(s, v)| *s += v);
    }
    let monthly: BTreeMap<_, _> = read("stats_monthly").await.into_iter().collect();
    assert!(!monthly.is_empty(), "the history has months");
    assert_eq!(monthly, expected);
    let ratings = |table: &str| {
        let sql = format!(
            "SELECT SUBSTR(day, 1, 7), agency_code, procedure_code, criterion, CAST(SUM(very_satisfied) AS BIGINT), \
             CAST(SUM(satisfied) AS BIGINT), CAST(SUM(not_satisfied) AS BIGINT) FROM {table} \
             GROUP BY SUBSTR(day, 1, 7), agency_code, procedure_code, criterion \
             ORDER BY SUBSTR(day, 1, 7), agency_code, procedure_code, criterion"
        );
        async move { sqlx::query_as::<_, RatingRow>(&sql).fetch_all(db).await.unwrap() }
    };
    let rated = ratings("stats_ratings_monthly").await;
    assert!(!rated.is_empty(), "the history has ratings");
    assert_eq!(rated, ratings("stats_ratings_daily").await);
}

/// Today in Vietnam (the portal's days), never the UTC date.
fn vn_today(app: &TestApp) -> time::Date {
    app.running.state.clock.now().to_offset(app::domain::VIETNAM_OFFSET).date()
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
    // both returned dossiers are rated by their applicants
    for ((b, id), levels) in ids[2..4].iter().zip([["3", "2", "1", "3"], ["2", "2", "3", "1"]]) {
        let r = b
            .post(
                &format!("/dossiers/{id}/rate"),
                &[
                    ("reception", levels[0]),
                    ("timing", levels[1]),
                    ("attitude", levels[2]),
                    ("correctness", levels[3]),
                    ("comment", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
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
    let ratings_before = rating_rows(&app).await;
    let papers_before = paper_columns(&app).await;
    assert!(!ratings_before.is_empty(), "the ratings are summed");

    // totals against counts taken straight from the events
    let (lines, total) = stats::report(
        state,
        None,
        time::Date::from_calendar_date(2000, time::Month::January, 1).unwrap(),
        vn_today(&app) + time::Duration::days(1),
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

    // satisfaction by criterion against a count straight from the ratings table
    let raw: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT CAST(reception AS BIGINT), CAST(timing AS BIGINT), CAST(attitude AS BIGINT), \
         CAST(correctness AS BIGINT) FROM ratings",
    )
    .fetch_all(state.db.reader())
    .await
    .unwrap();
    assert_eq!(raw.len(), 2);
    for (i, c) in Criterion::ALL.iter().enumerate() {
        let levels: Vec<i64> = raw.iter().map(|r| [r.0, r.1, r.2, r.3][i]).collect();
        let n = |l: i64| levels.iter().filter(|x| **x == l).count() as i64;
        let t = total.satisfaction.get(*c);
        assert_eq!((t.very_satisfied, t.satisfied, t.not_satisfied), (n(3), n(2), n(1)), "{c:?}");
    }
    assert_eq!(total.satisfaction.get(Criterion::Timing).share(), Some(100.0));
    assert_eq!(total.satisfaction.get(Criterion::Attitude).share(), Some(50.0));
    // papers at filing against dossier_files: every dossier filed with its uploaded form
    let (papers, reused): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN doc.created_at < f.added_at THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM dossier_files f JOIN documents doc ON doc.id = f.document_id \
         WHERE EXISTS (SELECT 1 FROM dossier_events e WHERE e.dossier_id = f.dossier_id AND e.kind = 'submitted' AND f.added_at <= e.at)",
    )
    .fetch_one(state.db.reader())
    .await
    .unwrap();
    assert_eq!((total.counts.papers, total.counts.papers_reused), (papers, reused));
    assert_eq!(total.counts.filed_digitised, 7, "all seven were filed with an uploaded paper");
    // by field: the same dossiers, grouped by their procedure's field
    let fields = stats::by_field(
        state,
        None,
        time::Date::from_calendar_date(2000, time::Month::January, 1).unwrap(),
        vn_today(&app) + time::Duration::days(1),
    )
    .await
    .unwrap();
    assert!(!fields.is_empty());
    assert_eq!(
        fields.iter().map(|f| f.value(Figure::Submitted)).sum::<i64>(),
        total.value(Figure::Submitted)
    );
    assert_eq!(fields.iter().map(|f| f.value(Figure::Late)).sum::<i64>(), late);
    // the CSV carries the criteria
    let text = stats::csv(&lines, &total);
    assert!(text.contains("Thái độ của cán bộ: không hài lòng"));

    // the Decision 766/2022 index from these figures
    let index = service_index(&total.index_inputs());
    let progress = index.groups.iter().find(|(g, _)| *g == IndexGroup::Progress).unwrap().1.unwrap();
    assert!((progress - 20.0 * 2.0 / 4.0).abs() < 1e-9, "two of four resolved in time: {progress}");
    assert!(index.total.is_some());

    // the backlog by step: dossier 4 waits in appraisal, late
    let backlog = stats::backlog(state, Some(&[UNIT.to_string()])).await.unwrap();
    assert_eq!(backlog.iter().map(|s| s.in_time + s.late).sum::<i64>(), 1, "{backlog:?}");
    assert_eq!(backlog.iter().map(|s| s.late).sum::<i64>(), 1);

    // the evaluation of a returned dossier on the nine criteria, for leaders only
    let scores = evaluation::evaluate(state, &leader, &ids[2].1).await.unwrap();
    assert_eq!(scores.len(), 9);
    assert!(matches!(scores[0].1, HandlingScore::Points(1..=2, _)), "resolved in time: {:?}", scores[0]);
    assert!(matches!(scores[6].1, HandlingScore::Points(0, _)), "attitude rated not satisfied");
    let late_one = evaluation::evaluate(state, &leader, &ids[5].1).await.unwrap();
    assert!(matches!(late_one[0].1, HandlingScore::Points(0, _)), "decided late");
    assert!(matches!(late_one[6].1, HandlingScore::NotComputable(_)), "not rated");
    assert!(evaluation::evaluate(state, &specialist, &ids[2].1).await.is_err());
    assert!(evaluation::evaluate(state, &desk, &ids[2].1).await.is_err());

    // a rebuild from the events gives identical rows, even from nothing
    stats::rebuild(state, None).await.unwrap();
    assert_eq!(rows(&app).await, before);
    assert_eq!(rating_rows(&app).await, ratings_before);
    assert_eq!(paper_columns(&app).await, papers_before);
    assert_monthly_is_daily_summed(&app).await;
    let mut tx = state.db.begin_write().await.unwrap();
    sqlx::query("DELETE FROM stats_daily").execute(&mut *tx).await.unwrap();
    sqlx::query("DELETE FROM stats_ratings_daily").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    stats::rebuild(state, None).await.unwrap();
    assert_eq!(rows(&app).await, before);
    assert_eq!(rating_rows(&app).await, ratings_before);
    assert_eq!(paper_columns(&app).await, papers_before);
    assert_monthly_is_daily_summed(&app).await;
    // the five-minute refresh keeps the same rows for the last days
    stats::refresh(state).await.unwrap();
    assert_eq!(rating_rows(&app).await, ratings_before);
    // and the monthly rollups are still the daily rows summed per month
    assert_monthly_is_daily_summed(&app).await;

    // the drill-down lists exactly the late ones
    let today = vn_today(&app);
    let behind = stats::behind(
        state,
        &[UNIT.to_string()],
        Figure::Late,
        today - time::Duration::days(90),
        today,
        &stats::Narrow::default(),
    )
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
    // the Decision 766 index per unit with each formula, and satisfaction by criterion
    assert!(page.contains("data-testid=\"quality-index\""));
    assert!(page.contains("20 × hồ sơ giải quyết trước hạn, đúng hạn ÷ hồ sơ đã giải quyết."));
    assert!(page.contains("giấy tờ dùng lại từ kho dữ liệu cá nhân"));
    // the ratings were given sixty days ago: perhaps last year
    let rated_year = (vn_today(&app) - time::Duration::days(60)).year();
    let page = app.get_html(&format!("/statistics?year={rated_year}")).await.text().await.unwrap();
    assert!(page.contains("data-testid=\"public-satisfaction\""));
    assert!(page.contains("Thái độ của cán bộ"));

    // the leader's pages: satisfaction, backlog, presets; the evaluation beside the rating
    let web = officer_browser(&app, "lanhdao.web@example.gov.vn", UNIT, Role::Leader).await;
    let page =
        web.get(&format!("/officer/stats?from=2000-01-01&to={}", vn_today(&app))).await.text().await.unwrap();
    assert!(page.contains("data-testid=\"satisfaction\""), "satisfaction table");
    assert!(page.contains("data-testid=\"backlog\""), "backlog table");
    assert!(page.contains("id=\"backlog-chart-title\""), "backlog chart");
    assert!(page.contains("Quý này"), "period presets");
    assert!(page.contains("data-testid=\"by-field\""), "the breakdown by field");
    let page = web.get(&format!("/officer/dossiers/{}", ids[2].1)).await.text().await.unwrap();
    assert!(page.contains("data-testid=\"evaluation\""), "the evaluation is shown to the leader");
    assert!(page.contains("Tổng thời gian giải quyết so với quy định"));
    let csv = web.get("/officer/stats.csv?from=2000-01-01").await.text().await.unwrap();
    assert!(csv.contains("Tiếp nhận và hướng dẫn: rất hài lòng"));
}

/// An officer created with `officer()` signing in through the pages (TOTP enrolled).
async fn officer_browser(app: &TestApp, email: &str, unit: &str, role: Role) -> common::Browser {
    officer(app, email, unit, role).await;
    let b = app.browser();
    let r = b.post("/login", &[("email", email), ("password", "Một cửa phường Hiến Nam 2026")]).await;
    assert_eq!(common::location(&r), "/account/security/enrol");
    let page = b.get("/account/security/enrol").await.text().await.unwrap();
    let secret = page.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let code = app::ssr::auth::totp::code_at(&secret, u64::try_from(app.clock.now_unix()).unwrap()).unwrap();
    assert_eq!(b.post("/account/security/enrol", &[("code", &code)]).await.status(), 200);
    b
}

/// The four-step workflow of the tests (reception, appraisal, issue, return, all at the ward),
/// and a sibling ward whose leader must not see the ward's figures.
async fn import_workflow(app: &TestApp) {
    let mut file: serde_json::Value = serde_json::from_str(SMALL).unwrap();
    file["procedures"][0]["workflow"] = serde_json::json!([
        {"name_vi": "Tiếp nhận", "name_en": "Reception", "role": "desk_officer", "agency": UNIT, "share": 10},
        {"name_vi": "Thẩm định", "name_en": "Appraisal", "role": "specialist", "agency": UNIT, "share": 50},
        {"name_vi": "Phát hành", "name_en": "Issue", "role": "clerk", "agency": UNIT, "share": 30},
        {"name_vi": "Trả kết quả", "name_en": "Return", "role": "desk_officer", "agency": UNIT, "share": 10}
    ]);
    let mut sibling = file["agencies"][1].clone();
    sibling["code"] = "000.00.32.H26".into();
    sibling["name_vi"] = "UBND phường Lam Sơn".into();
    sibling["name_en"] = "Lam Son Ward".into();
    file["agencies"].as_array_mut().unwrap().push(sibling);
    app::ssr::services::catalogue::import_json(&app.running.state, &file.to_string()).await.unwrap();
}

/// A raw step row: unit, who finished it, to whom it is assigned, deadline, finished,
/// the dossier's status, the dossier.
type StepRaw = (String, Option<String>, Option<String>, Option<i64>, Option<i64>, i64, String);

/// The figures by officer counted here from the raw step rows with the `time` crate (not the
/// service's SQL): per (unit, officer) the dossiers behind early, on time, late, open in time,
/// open late.
fn officer_figures(
    steps: &[StepRaw],
    from: time::OffsetDateTime,
    to: time::OffsetDateTime,
    now: time::OffsetDateTime,
) -> std::collections::BTreeMap<(String, Option<String>), [Vec<String>; 5]> {
    use app::ssr::db::columns::from_db;
    let vn = |t: i64| from_db(t).to_offset(app::domain::VIETNAM_OFFSET);
    let mut out: std::collections::BTreeMap<(String, Option<String>), [Vec<String>; 5]> = Default::default();
    for (unit, actor, assignee, due, finished, status, dossier) in steps {
        let slot = match finished {
            Some(f) if vn(*f) >= from && vn(*f) < to => {
                let i = match due {
                    Some(d) if vn(*f).date() < vn(*d).date() => 0,
                    Some(d) if f > d => 2,
                    _ => 1,
                };
                Some(((unit.clone(), actor.clone()), i))
            }
            None if ![5, 6].contains(status) => {
                let late = due.is_some_and(|d| vn(d) < now);
                Some(((unit.clone(), assignee.clone()), if late { 4 } else { 3 }))
            }
            _ => None,
        };
        if let Some((key, i)) = slot {
            out.entry(key).or_default()[i].push(dossier.clone());
        }
    }
    for v in out.values_mut() {
        for ids in v.iter_mut() {
            ids.sort_unstable();
        }
    }
    out
}

fn sorted(behind: &[stats::Behind]) -> Vec<String> {
    let mut ids: Vec<String> = behind.iter().map(|b| b.0.clone()).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn by_officer_new_and_carried_over_and_by_field_match_the_raw_rows_and_drill_down_exactly() {
    use app::ssr::services::stats::{Narrow, StepFigure, Whose};
    let app = TestApp::spawn().await;
    import_workflow(&app).await;
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let desk = officer(&app, "motcua@example.gov.vn", UNIT, Role::DeskOfficer).await;
    let specialist = officer(&app, "chuyenvien@example.gov.vn", UNIT, Role::Specialist).await;
    let specialist2 = officer(&app, "chuyenvien2@example.gov.vn", UNIT, Role::Specialist).await;
    let clerk = officer(&app, "vanthu@example.gov.vn", UNIT, Role::Clerk).await;
    let pdf = || {
        futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from_static(
            b"%PDF-1.4\nkq\n",
        ))])
    };
    let file = |i: usize| {
        let app = &app;
        async move {
            let b = citizen(app, &format!("cb{i}@example.vn"), &format!("001199{:06}", 700 + i)).await;
            let id = ready_draft(&b).await;
            assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "t")]).await.status(), 303);
            id
        }
    };
    // before the period: 0 and 1 resolved and returned, 2 open (taken by the second
    // specialist), 3 stopped, 4 waits for the clerk, 5 never received
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(file(i).await);
    }
    for id in &ids[0..5] {
        reception::accept(state, &desk, id, &meta).await.unwrap();
    }
    for id in &ids[0..2] {
        workflow::forward(state, &specialist, id, "").await.unwrap();
        workflow::issue_result(state, &clerk, id, "kq.pdf", pdf()).await.unwrap();
        payments::record_counter(state, &desk, id, "counter_cash", &format!("BL-{id}"), &meta).await.ok();
        workflow::return_result(state, &desk, id, "electronic", "", &meta).await.unwrap();
    }
    workflow::assign(state, &specialist2, &ids[2], "").await.unwrap();
    workflow::forward(state, &specialist, &ids[3], "").await.unwrap();
    workflow::stop(state, &clerk, &ids[3], "Hồ sơ thuộc diện dừng xử lý theo quy định.", &meta)
        .await
        .unwrap();
    workflow::forward(state, &specialist, &ids[4], "").await.unwrap();

    // the period starts thirty days later: 2 and 4 are carried over into it
    app.clock.advance(time::Duration::days(30));
    let from = vn_today(&app);
    workflow::issue_result(state, &clerk, &ids[4], "kq.pdf", pdf()).await.unwrap(); // late
    // in the period: 6 and 7 are new; 6 appraised at once (early), 7 on its deadline's day
    for i in 6..8 {
        let id = file(i).await;
        reception::accept(state, &desk, &id, &meta).await.unwrap();
        ids.push(id);
    }
    workflow::forward(state, &specialist, &ids[6], "").await.unwrap();
    let step_due: i64 = sqlx::query_scalar("SELECT step_due_at FROM dossiers WHERE id = $1")
        .bind(&ids[7])
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    let due = app::ssr::db::columns::from_db(step_due);
    app.clock.advance(due - state.clock.now() - time::Duration::minutes(1));
    workflow::forward(state, &specialist, &ids[7], "").await.unwrap(); // on time
    stats::rebuild(state, None).await.unwrap();
    let to = vn_today(&app);
    let now = state.clock.now();
    let start = from.midnight().assume_offset(app::domain::VIETNAM_OFFSET);
    let end = to.next_day().unwrap().midnight().assume_offset(app::domain::VIETNAM_OFFSET);
    let unit = [UNIT.to_string()];

    // received: new in the period and carried over, against the raw events
    let received: Vec<(String, i64)> =
        sqlx::query_as("SELECT dossier_id, at FROM dossier_events WHERE kind = 'received'")
            .fetch_all(state.db.reader())
            .await
            .unwrap();
    let closing: Vec<(String, i64)> = sqlx::query_as(
        "SELECT dossier_id, at FROM dossier_events WHERE kind IN ('decided', 'stopped', 'withdrawn')",
    )
    .fetch_all(state.db.reader())
    .await
    .unwrap();
    let (s, e) = (app::ssr::db::columns::to_db(start), app::ssr::db::columns::to_db(end));
    let mut new: Vec<String> =
        received.iter().filter(|(_, at)| *at >= s && *at < e).map(|(id, _)| id.clone()).collect();
    new.sort_unstable();
    let mut carried: Vec<String> = received
        .iter()
        .filter(|(id, at)| *at < s && !closing.iter().any(|(c, at)| c == id && *at < s))
        .map(|(id, _)| id.clone())
        .collect();
    carried.sort_unstable();
    let mut expected_carried = vec![ids[2].clone(), ids[4].clone()];
    expected_carried.sort_unstable();
    assert_eq!(carried, expected_carried, "2 and 4 were open when the period began");
    assert_eq!(new.len(), 2);
    let (lines, total) = stats::report(state, Some(&unit), from, to, None).await.unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(total.value(Figure::CarriedOver), carried.len() as i64);
    assert_eq!(total.value(Figure::Accepted), new.len() as i64);
    let none = Narrow::default();
    assert_eq!(
        sorted(&stats::behind(state, &unit, Figure::CarriedOver, from, to, &none).await.unwrap()),
        carried
    );
    assert_eq!(sorted(&stats::behind(state, &unit, Figure::Accepted, from, to, &none).await.unwrap()), new);
    // and a period that starts on the first day carries nothing over
    let (_, first) =
        stats::report(state, Some(&unit), from - time::Duration::days(30), to, None).await.unwrap();
    assert_eq!(first.value(Figure::CarriedOver), 0);
    // the export has the new column
    let csv = stats::csv(&lines, &total);
    assert!(csv.lines().next().unwrap().contains("Tồn kỳ trước chuyển sang"));
    assert!(stats::xlsx(&lines, &total, "Thống kê").is_ok());

    // the migration's backfill of `closed` gives what the rebuild counts
    let closed_rows = || async {
        sqlx::query_as::<_, (String, String, String, i64)>(
            "SELECT day, agency_code, procedure_code, closed FROM stats_daily WHERE closed <> 0 ORDER BY day, procedure_code",
        )
        .fetch_all(state.db.reader())
        .await
        .unwrap()
    };
    let rebuilt = closed_rows().await;
    assert_eq!(rebuilt.iter().map(|r| r.3).sum::<i64>(), closing.len() as i64);
    let migration = std::fs::read_to_string(format!(
        "{}/../migrations/{}/0032_stats_breakdown.sql",
        env!("CARGO_MANIFEST_DIR"),
        if common::backend_name() == "postgres" { "postgres" } else { "sqlite" }
    ))
    .unwrap();
    let backfill =
        format!("INSERT INTO stats_daily{}", migration.split("INSERT INTO stats_daily").nth(1).unwrap());
    let mut tx = state.db.begin_write().await.unwrap();
    sqlx::query("UPDATE stats_daily SET closed = 0").execute(&mut *tx).await.unwrap();
    sqlx::query(&backfill).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(closed_rows().await, rebuilt);

    // by officer, against the raw step rows
    let steps: Vec<StepRaw> = sqlx::query_as(
        "SELECT s.agency_code, s.actor_id, s.assignee_id, s.due_at, s.finished_at, CAST(d.national_status AS BIGINT), \
         s.dossier_id FROM dossier_steps s JOIN dossiers d ON d.id = s.dossier_id",
    )
    .fetch_all(state.db.reader())
    .await
    .unwrap();
    let expected = officer_figures(&steps, start, end, now);
    let by_officer = stats::by_officer(state, Some(&unit), from, to, None).await.unwrap();
    for (class, what) in ["early", "on time", "late", "open in time", "open late"].iter().enumerate() {
        assert!(expected.values().any(|v| !v[class].is_empty()), "the history has steps {what}");
    }
    let specialist2_id = specialist2.user_id().to_string();
    assert_eq!(
        expected.get(&(UNIT.to_string(), Some(specialist2_id.clone()))).map(|v| v[4].clone()),
        Some(vec![ids[2].clone()]),
        "the step taken by the second specialist is open and late"
    );
    for line in &by_officer {
        let want = expected.get(&(line.unit.clone(), line.officer.clone())).cloned().unwrap_or_default();
        for (i, f) in StepFigure::ALL.iter().enumerate() {
            assert_eq!(line.value(*f), want[i].len() as i64, "{f:?} of {:?}", line.officer);
            let whose = match &line.officer {
                Some(id) => Whose::Officer(id.clone()),
                None => Whose::Nobody,
            };
            let behind = stats::steps_behind(state, &unit, &whose, *f, from, to, None).await.unwrap();
            assert_eq!(sorted(&behind), want[i], "the dossiers behind {f:?} of {:?}", line.officer);
        }
    }
    // every officer with a step is listed, and every officer of the unit (with zeros)
    for key in expected.keys() {
        assert!(by_officer.iter().any(|l| (l.unit.clone(), l.officer.clone()) == *key), "{key:?}");
    }
    assert!(by_officer.iter().any(|l| l.officer.as_deref() == Some(desk.user_id())));

    // by field: every figure's number is the length of its list
    let fields = stats::by_field(state, Some(&unit), from, to).await.unwrap();
    assert!(!fields.is_empty());
    let mut checked = 0;
    for line in &fields {
        let narrow = Narrow { procedure: None, field: Some(line.code.clone()) };
        for f in Figure::ALL.into_iter().filter(|f| !f.is_live()) {
            let behind = stats::behind(state, &unit, f, from, to, &narrow).await.unwrap();
            assert_eq!(behind.len() as i64, line.value(f), "{f:?} of the field {}", line.code);
            checked += line.value(f);
        }
        // another field's dossiers are not behind this one's numbers
        let other = Narrow { procedure: None, field: Some("chung-thuc".into()) };
        if line.code != "chung-thuc" {
            assert!(
                stats::behind(state, &unit, Figure::Accepted, from, to, &other).await.unwrap().is_empty()
            );
        }
    }
    assert!(checked > 0);
    assert_eq!(fields.iter().map(|l| l.carried_over).sum::<i64>(), carried.len() as i64);

    // the nine criteria per unit: the mean of each returned dossier's own evaluation
    let leader = officer(&app, "lanhdao@example.gov.vn", UNIT, Role::Leader).await;
    let month_before = start - time::Duration::days(30);
    let (evaluated, truncated) = evaluation::by_unit(state, Some(&unit), month_before, end).await.unwrap();
    assert!(!truncated);
    assert_eq!(evaluated.len(), 1);
    assert_eq!(evaluated[0].dossiers, 2, "0 and 1 were returned");
    let mut expected = [(0i64, 0i64); 9];
    for id in &ids[0..2] {
        for (i, (_, score)) in evaluation::evaluate(state, &leader, id).await.unwrap().iter().enumerate() {
            if let HandlingScore::Points(p, _) = score {
                expected[i].0 += 1;
                expected[i].1 += i64::from(*p);
            }
        }
    }
    assert_eq!(evaluated[0].criteria, expected);
    assert!(evaluated[0].average(0).is_some(), "total time is scored");
    assert!(evaluation::by_unit(state, Some(&unit), start, end).await.unwrap().0.is_empty());
    let sibling_units = ["000.00.32.H26".to_string()];
    assert!(evaluation::by_unit(state, Some(&sibling_units), month_before, end).await.unwrap().0.is_empty());

    // through the pages: the leader sees the breakdowns and drills down; others do not
    let web = officer_browser(&app, "lanhdao.web@example.gov.vn", UNIT, Role::Leader).await;
    let period = format!("from={from}&to={to}&procedure=");
    let page = web.get(&format!("/officer/stats?{period}")).await.text().await.unwrap();
    assert!(page.contains("data-testid=\"by-officer\""), "the breakdown by officer");
    assert!(page.contains(&format!("data-testid=\"o-step_open_late-{UNIT}-{specialist2_id}\"")));
    assert!(page.contains(&format!("data-testid=\"n-carried_over-{UNIT}\"")));
    assert!(page.contains("data-testid=\"f-accepted-xay-dung\""), "by field drills down");
    assert!(page.contains("aria-label=\"2 hồ sơ — Tồn kỳ trước chuyển sang, UBND phường Hiến Nam\""));
    let before = web
        .get(&format!("/officer/stats?from={}&to={to}&procedure=", from - time::Duration::days(30)))
        .await
        .text()
        .await
        .unwrap();
    assert!(before.contains("data-testid=\"evaluation-units\""), "the nine criteria by unit");
    assert!(before.contains("Tổng thời gian giải quyết so với quy định"));
    let code: String = sqlx::query_scalar("SELECT code FROM dossiers WHERE id = $1")
        .bind(&ids[2])
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    let officer_list =
        format!("/officer/stats/list?figure=step_open_late&unit={UNIT}&officer={specialist2_id}&{period}");
    let list = web.get(&officer_list).await.text().await.unwrap();
    assert!(list.contains(&code), "the late step of the second specialist");
    assert!(list.contains("Bước đang xử lý quá hạn"));
    let carried_list =
        web.get(&format!("/officer/stats/list?figure=carried_over&unit={UNIT}&{period}")).await;
    let carried_list = carried_list.text().await.unwrap();
    assert!(carried_list.contains(&code));
    let field_list =
        web.get(&format!("/officer/stats/list?figure=carried_over&unit=&field=xay-dung&{period}")).await;
    assert!(field_list.text().await.unwrap().contains(&code));
    let csv = web.get(&format!("/officer/stats.csv?{period}")).await.text().await.unwrap();
    assert!(csv.contains("Tồn kỳ trước chuyển sang") && csv.contains("Tiếp nhận mới trong kỳ"));
    // a specialist of the unit is refused the pages; the leader of the sibling ward sees none
    // of the ward's dossiers, even when asking for its unit
    let other = officer_browser(&app, "chuyenvien.web@example.gov.vn", UNIT, Role::Specialist).await;
    assert_eq!(other.get(&officer_list).await.status(), 403);
    let sibling = officer_browser(&app, "lanhdao.lamson@example.gov.vn", "000.00.32.H26", Role::Leader).await;
    let page = sibling.get(&officer_list).await.text().await.unwrap();
    assert!(!page.contains(&code));
    let page = sibling.get(&format!("/officer/stats/list?figure=carried_over&unit=&{period}")).await;
    assert!(!page.text().await.unwrap().contains(&code));
    let page = sibling.get(&format!("/officer/stats?{period}")).await.text().await.unwrap();
    assert!(!page.contains(&specialist2_id), "the ward's officers are not in the sibling's breakdown");
}
