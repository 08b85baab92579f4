//! Demo dossiers: a few hundred dossiers in every state, spread over the past months, so that
//! queues, timelines and (later) statistics look real. They are made by the same services a
//! person uses (filing, reception, workflow), on a clock set back in time, so every row,
//! event, step and audit entry is what the portal itself would have written. Only for the
//! demo (`--demo-dossiers N`), into a database without dossiers; their emails are dropped.

use std::collections::BTreeMap;
use std::sync::Arc;

use app::domain::FieldKind;
use app::domain::procedure::{ProcedureDef, StepRole};
use app::ssr::auth::policy::{Actor, Role};
use app::ssr::db::users;
use app::ssr::ports::OffsetClock;
use app::ssr::services::accounts::current::actor_of;
use app::ssr::services::{RequestMeta, feedback as fb, filing, ratings, reception, workflow};
use app::ssr::state::AppState;

const PDF: &[u8] =
    b"%PDF-1.4\n% MotCua demo\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Where a demo dossier stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Draft,
    Submitted,
    Supplement,
    Refused,
    Withdrawn,
    Received,
    InProcess,
    Stopped,
    Decided,
    Returned,
}

/// The mix of outcomes, out of 20.
const MIX: [Target; 20] = [
    Target::Draft,
    Target::Submitted,
    Target::Submitted,
    Target::Supplement,
    Target::Refused,
    Target::Withdrawn,
    Target::Received,
    Target::InProcess,
    Target::InProcess,
    Target::InProcess,
    Target::Stopped,
    Target::Decided,
    Target::Returned,
    Target::Returned,
    Target::Returned,
    Target::Returned,
    Target::Returned,
    Target::Returned,
    Target::Returned,
    Target::Returned,
];

/// A small deterministic generator (the demo is the same on every machine).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }
}

/// A valid value for a field, for the demo.
pub fn sample(kind: &FieldKind) -> String {
    match kind {
        FieldKind::Text { min_len, max_len } => {
            let base = "Nội dung minh họa cho hồ sơ mẫu";
            let max = max_len.map(|m| m as usize).unwrap_or(base.len());
            let mut s: String = base.chars().take(max).collect();
            while s.chars().count() < min_len.unwrap_or(0) as usize {
                s.push('.');
            }
            s
        }
        FieldKind::Number { min, max } => min.unwrap_or(1).max(1).min(max.unwrap_or(i64::MAX)).to_string(),
        FieldKind::Date { min, max } => {
            let d = time::macros::date!(2020 - 01 - 15);
            let d = min.map_or(d, |m| m.max(d));
            max.map_or(d, |m| m.min(d)).to_string()
        }
        FieldKind::Choice { options } => options.first().map(|o| o.value.clone()).unwrap_or_default(),
        FieldKind::Checkbox => "on".into(),
        FieldKind::CitizenId => "033099001234".into(),
        FieldKind::TaxCode => "0300588569".into(),
        FieldKind::Address => "Số 5 phố Bạch Đằng, phường Hiến Nam, thành phố Hưng Yên".into(),
    }
}

/// Loads `count` demo dossiers when there are none yet. Returns how many were made.
pub async fn load(state: &AppState, count: usize) -> anyhow::Result<usize> {
    let (existing,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM dossiers").fetch_one(state.db.reader()).await?;
    if existing > 0 || count == 0 {
        return Ok(0);
    }
    let clock = Arc::new(OffsetClock::default());
    let seeding = state.with_clock(clock.clone());
    let now = state.clock.now();
    let mut conn = state.db.reader().acquire().await?;
    // the people: demo citizens and officers, as the actors they sign in as
    let mut citizens = Vec::new();
    for email in ["citizen@demo.motcua.vn", "member1@demo.motcua.vn", "member2@demo.motcua.vn"] {
        if let Some(u) = users::by_email(&mut conn, email).await? {
            citizens.push(actor_of(&mut conn, &u, now).await?);
        }
    }
    let mut officers: BTreeMap<(String, &'static str), Actor> = BTreeMap::new();
    for (email, role, unit) in [
        ("desk@demo.motcua.vn", Role::DeskOfficer, "000.00.31.H26"),
        ("specialist@demo.motcua.vn", Role::Specialist, "000.00.31.H26"),
        ("leader@demo.motcua.vn", Role::Leader, "000.00.31.H26"),
        ("clerk@demo.motcua.vn", Role::Clerk, "000.00.31.H26"),
        ("district-specialist@demo.motcua.vn", Role::Specialist, "000.00.21.H26"),
        ("district-leader@demo.motcua.vn", Role::Leader, "000.00.21.H26"),
        ("district-clerk@demo.motcua.vn", Role::Clerk, "000.00.21.H26"),
    ] {
        if let Some(u) = users::by_email(&mut conn, email).await? {
            officers.insert((unit.to_string(), role.code()), actor_of(&mut conn, &u, now).await?);
        }
    }
    drop(conn);
    if citizens.is_empty() || officers.is_empty() {
        return Ok(0);
    }
    // the procedures the demo officers can carry through: received by the ward, every step
    // at the ward or its district
    let procedures: Vec<ProcedureDef> = app::ssr::db::catalogue::published_definitions(&state.db)
        .await?
        .iter()
        .filter_map(|json| serde_json::from_str::<ProcedureDef>(json).ok())
        .filter(|def| def.receiving.iter().any(|r| r == "000.00.31.H26"))
        .filter(|def| {
            def.workflow
                .iter()
                .all(|s| officers.contains_key(&(s.agency.clone(), workflow::role_of(s.role).code())))
                || def.workflow.iter().all(|s| s.agency == "000.00.31.H26" || s.agency == "000.00.21.H26")
        })
        .collect();
    if procedures.is_empty() {
        return Ok(0);
    }
    let officer_for = |unit: &str, role: StepRole| {
        officers.get(&(unit.to_string(), workflow::role_of(role).code())).cloned()
    };
    let desk = officers
        .get(&("000.00.31.H26".to_string(), Role::DeskOfficer.code()))
        .cloned()
        .unwrap_or_else(|| citizens[0].clone());
    let meta = RequestMeta::default();
    let mut rng = Lcg(20_261_123);
    let mut made = 0;
    for i in 0..count {
        let def = &procedures[rng.next(procedures.len() as u64) as usize];
        let citizen = &citizens[i % citizens.len()];
        let target = MIX[i % MIX.len()];
        // finished ones spread over the past six months; open ones recent, some of them late
        let days_ago = match target {
            Target::Draft => 1 + rng.next(10),
            Target::Submitted
            | Target::Supplement
            | Target::Received
            | Target::InProcess
            | Target::Decided => 2 + rng.next(30),
            _ => 3 + rng.next(180),
        } as i64;
        let start = now - time::Duration::days(days_ago);
        let start = start.replace_time(time::Time::from_hms(1 + rng.next(8) as u8, rng.next(60) as u8, 0)?);
        clock.set(start - now);
        let step = |clock: &OffsetClock, rng: &mut Lcg| {
            clock.advance(time::Duration::hours(2 + rng.next(40) as i64))
        };

        let Ok(id) = filing::start(&seeding, citizen, &def.code, None).await else { continue };
        let mut values: BTreeMap<String, String> =
            def.form.iter().filter(|f| f.required).map(|f| (f.key.clone(), sample(&f.kind))).collect();
        let delivery = if def.delivery.contains(&app::domain::procedure::Delivery::Electronic) {
            "electronic"
        } else {
            "desk"
        };
        values.insert("delivery".into(), delivery.into());
        if filing::save(&seeding, citizen, &id, &values).await.is_err() {
            continue;
        }
        for (p, paper) in def.papers.iter().enumerate() {
            if paper.required {
                let body =
                    futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from_static(PDF))]);
                if filing::upload(&seeding, citizen, &id, p, "giay-to.pdf", body).await.is_err() {
                    break;
                }
            }
        }
        if target == Target::Draft {
            made += 1;
            continue;
        }
        step(&clock, &mut rng);
        if filing::submit(&seeding, citizen, &id, &format!("demo-{i}"), &meta).await.is_err() {
            continue;
        }
        made += 1;
        step(&clock, &mut rng);
        let done = match target {
            Target::Submitted => Ok(()),
            Target::Supplement => filing::request_supplement(
                &seeding,
                &desk,
                &id,
                "Bổ sung bản sao giấy tờ còn thiếu (hồ sơ mẫu).",
                &meta,
            )
            .await
            .map(|_| ()),
            Target::Refused => {
                reception::refuse(&seeding, &desk, &id, "Thủ tục không thuộc thẩm quyền (hồ sơ mẫu).", &meta)
                    .await
            }
            Target::Withdrawn => {
                filing::withdraw(&seeding, citizen, &id, "Tôi nộp nhầm thủ tục (hồ sơ mẫu).")
                    .await
                    .map(|_| ())
            }
            _ => carry(&seeding, &clock, &mut rng, def, &id, target, &desk, &officer_for, &meta).await,
        };
        // most applicants rate a returned dossier a day or two later, mostly satisfied
        if done.is_ok() && target == Target::Returned && rng.next(7) != 0 {
            clock.advance(time::Duration::hours(20 + rng.next(30) as i64));
            let mut level = || {
                match rng.next(25) {
                    0..=14 => "3",
                    15..=22 => "2",
                    _ => "1",
                }
                .to_string()
            };
            let input = ratings::RatingInput {
                reception: level(),
                timing: level(),
                attitude: level(),
                correctness: level(),
                comment: String::new(),
            };
            if let Err(e) = ratings::rate(&seeding, citizen, &id, &input, &meta).await {
                tracing::debug!(error = %e, dossier = %id, "demo rating refused");
            }
        }
        if let Err(e) = done {
            tracing::debug!(error = %e, dossier = %id, "demo dossier stopped early");
        }
    }
    feedback(&seeding, &clock, &citizens, &desk, &meta).await;
    // the demo's notifications are not sent
    let mut tx = state.db.begin_write().await?;
    sqlx::query("DELETE FROM jobs WHERE kind = 'send_email' AND done_at IS NULL").execute(&mut *tx).await?;
    tx.commit().await?;
    // and the dossiers that fell late are marked so
    workflow::sweep_overdue(state).await?;
    Ok(made)
}

/// A few feedback items about the ward: most answered in time and published, one answered
/// late, one still waiting.
async fn feedback(
    state: &AppState,
    clock: &OffsetClock,
    citizens: &[Actor],
    desk: &Actor,
    meta: &RequestMeta,
) {
    let items = [
        (
            60,
            Some(2),
            true,
            "Thời gian chờ tại quầy buổi sáng",
            "Buổi sáng thứ Hai phải chờ gần một giờ mới đến lượt.",
            "Phường đã bố trí thêm một quầy tiếp nhận vào sáng thứ Hai từ tháng này.",
        ),
        (
            45,
            Some(4),
            true,
            "Hướng dẫn giấy tờ hộ nghèo",
            "Trên Cổng chưa rõ cần bản sao hay bản chính giấy chứng nhận hộ nghèo.",
            "Chỉ cần bản sao điện tử; trang thủ tục đã được bổ sung ghi chú.",
        ),
        (
            30,
            Some(1),
            true,
            "Cảm ơn cán bộ một cửa",
            "Cán bộ hướng dẫn tận tình, hồ sơ có kết quả trước hẹn.",
            "Cảm ơn ông/bà đã phản hồi; phường sẽ tiếp tục duy trì.",
        ),
        (
            40,
            Some(20),
            false,
            "Không nhận được thư báo",
            "Tôi không nhận được thư điện tử khi hồ sơ có kết quả.",
            "Địa chỉ thư điện tử trong tài khoản bị sai một ký tự; đã hướng dẫn cập nhật.",
        ),
        (
            3,
            None,
            false,
            "Đề nghị mở quầy chiều thứ Bảy",
            "Đề nghị phường tiếp nhận hồ sơ vào chiều thứ Bảy cho người đi làm.",
            "",
        ),
    ];
    for (i, (days_ago, answer_after, publish, subject, body, answer)) in items.into_iter().enumerate() {
        let Some(citizen) = citizens.get(i % citizens.len()) else { return };
        clock.set(time::Duration::days(-days_ago));
        let input = fb::FeedbackInput {
            about: "unit".into(),
            target: "000.00.31.H26".into(),
            subject: subject.into(),
            body: body.into(),
        };
        let Ok(id) = fb::send(state, citizen, &input, meta).await else { continue };
        let Some(after) = answer_after else { continue };
        clock.advance(time::Duration::days(after));
        if fb::answer(state, desk, &id, answer, meta).await.is_ok() && publish {
            let _ = fb::publish(state, desk, &id, meta).await;
        }
    }
    clock.set(time::Duration::ZERO);
}

/// Receives a submitted dossier and carries it through the workflow up to `target`.
#[allow(clippy::too_many_arguments)]
async fn carry(
    state: &AppState,
    clock: &OffsetClock,
    rng: &mut Lcg,
    def: &ProcedureDef,
    id: &str,
    target: Target,
    desk: &Actor,
    officer_for: &impl Fn(&str, StepRole) -> Option<Actor>,
    meta: &RequestMeta,
) -> Result<(), app::ssr::services::ServiceError> {
    reception::accept(state, desk, id, meta).await?;
    if target == Target::Received {
        return Ok(());
    }
    // the steps after the desk's reception step
    let last = def.workflow.len().saturating_sub(1);
    for (index, s) in def.workflow.iter().enumerate().skip(1) {
        clock.advance(time::Duration::hours(3 + rng.next(60) as i64));
        let Some(actor) = officer_for(&s.agency, s.role) else { return Ok(()) };
        if target == Target::InProcess && index >= 2 && rng.next(3) == 0 {
            return Ok(());
        }
        match s.role {
            StepRole::Clerk => {
                let body =
                    futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from_static(PDF))]);
                workflow::issue_result(state, &actor, id, "ket-qua.pdf", body).await?;
                if target == Target::Decided {
                    return Ok(());
                }
            }
            _ if index == last => {
                if target == Target::Returned {
                    // the fee (if any) is paid at the counter before the result is handed over
                    let receipt = format!("BL-DEMO-{}", rng.next(1_000_000));
                    let _ = app::ssr::services::payments::record_counter(
                        state,
                        &actor,
                        id,
                        "counter_cash",
                        &receipt,
                        meta,
                    )
                    .await;
                    workflow::return_result(state, &actor, id, "electronic", "", meta).await?;
                }
                return Ok(());
            }
            _ if target == Target::Stopped => {
                workflow::forward(state, &actor, id, "").await?;
                if let Some(next) = def.workflow.get(index + 1).and_then(|n| officer_for(&n.agency, n.role)) {
                    workflow::stop(state, &next, id, "Người nộp đề nghị dừng giải quyết (hồ sơ mẫu).", meta)
                        .await?;
                }
                return Ok(());
            }
            _ => workflow::forward(state, &actor, id, "").await?,
        }
        if target == Target::InProcess && index >= 1 && rng.next(2) == 0 {
            return Ok(());
        }
    }
    Ok(())
}
