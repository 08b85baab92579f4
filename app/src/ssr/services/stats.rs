//! Statistics of the dossiers: what was filed (online, at the desk), received, refused,
//! withdrawn, resolved early / on time / late, handed over (electronically), paid (online),
//! and what is open now in time or late — per receiving unit, procedure and period.
//!
//! The counts are pre-aggregated per day (Vietnam time), unit and procedure in
//! `stats_daily`, computed from the dossiers' events: each event counts on its own day, so a
//! rebuild of any range of days is exact. A job rebuilds the last days every few minutes;
//! `server stats rebuild` rebuilds everything. "Open" figures are counted live.
//!
//! A resolution is early when the decision falls on a day before the appointment day, on
//! time when it falls on that day before the appointment time, late after it; the
//! appointment is the first one (an apology's new date does not make a late dossier on
//! time).

use std::collections::BTreeMap;

use time::{Date, OffsetDateTime};

use super::ServiceResult;
use crate::domain::VIETNAM_OFFSET;
use crate::domain::quality::{Criterion, IndexInputs, Satisfaction};
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, Role};
use crate::ssr::db::columns::from_db;
use crate::ssr::db::stats::{self as db, COUNTED, Counters, EventFact, StepClass};
pub use crate::ssr::db::stats::{Narrow, Whose};
use crate::ssr::state::AppState;

/// A figure that can be drilled into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Filed (online or at the desk).
    Submitted,
    /// Received by the desk in the period (new).
    Accepted,
    /// In progress at the start of the period (carried over from the previous one).
    CarriedOver,
    /// Refused at reception.
    Refused,
    /// Withdrawn.
    Withdrawn,
    /// Resolved before the appointment day.
    Early,
    /// Resolved on the appointment day in time.
    OnTime,
    /// Resolved late.
    Late,
    /// Open, in time.
    OpenInTime,
    /// Open, late.
    OpenLate,
}

impl Figure {
    /// All, in the order pages show them.
    pub const ALL: [Figure; 10] = [
        Figure::Submitted,
        Figure::Accepted,
        Figure::CarriedOver,
        Figure::Refused,
        Figure::Withdrawn,
        Figure::Early,
        Figure::OnTime,
        Figure::Late,
        Figure::OpenInTime,
        Figure::OpenLate,
    ];

    /// The code in addresses.
    pub fn code(self) -> &'static str {
        match self {
            Figure::Submitted => "submitted",
            Figure::Accepted => "accepted",
            Figure::CarriedOver => "carried_over",
            Figure::Refused => "refused",
            Figure::Withdrawn => "withdrawn",
            Figure::Early => "early",
            Figure::OnTime => "on_time",
            Figure::Late => "late",
            Figure::OpenInTime => "open_in_time",
            Figure::OpenLate => "open_late",
        }
    }

    /// From its code.
    pub fn from_code(code: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Vietnamese and English labels.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Figure::Submitted => ("Tiếp nhận (nộp)", "Filed"),
            Figure::Accepted => ("Tiếp nhận mới trong kỳ", "Received in the period (new)"),
            Figure::CarriedOver => ("Tồn kỳ trước chuyển sang", "Carried over from the previous period"),
            Figure::Refused => ("Từ chối tiếp nhận", "Refused at reception"),
            Figure::Withdrawn => ("Rút hồ sơ", "Withdrawn"),
            Figure::Early => ("Giải quyết trước hạn", "Resolved early"),
            Figure::OnTime => ("Giải quyết đúng hạn", "Resolved on time"),
            Figure::Late => ("Giải quyết quá hạn", "Resolved late"),
            Figure::OpenInTime => ("Đang giải quyết trong hạn", "In progress, in time"),
            Figure::OpenLate => ("Đang giải quyết quá hạn", "In progress, late"),
        }
    }

    /// The event it counts, for event figures.
    fn event(self) -> Option<&'static str> {
        match self {
            Figure::Submitted => Some("submitted"),
            Figure::Accepted => Some("received"),
            Figure::Refused => Some("refused_at_reception"),
            Figure::Withdrawn => Some("withdrawn"),
            Figure::Early | Figure::OnTime | Figure::Late => Some("decided"),
            Figure::CarriedOver | Figure::OpenInTime | Figure::OpenLate => None,
        }
    }

    /// Whether it counts what is open now rather than what happened in the period.
    pub fn is_live(self) -> bool {
        matches!(self, Figure::OpenInTime | Figure::OpenLate)
    }
}

/// The day (Vietnam time) of an instant, `YYYY-MM-DD`.
pub fn day_of(at: OffsetDateTime) -> String {
    at.to_offset(VIETNAM_OFFSET).date().to_string()
}

fn start_of(day: Date) -> OffsetDateTime {
    day.midnight().assume_offset(VIETNAM_OFFSET)
}

/// How a decision at `decided` compares with the appointment `due`.
pub fn resolution(decided: OffsetDateTime, due: OffsetDateTime) -> Figure {
    let (d, a) = (decided.to_offset(VIETNAM_OFFSET), due.to_offset(VIETNAM_OFFSET));
    if d.date() < a.date() {
        Figure::Early
    } else if d <= a {
        Figure::OnTime
    } else {
        Figure::Late
    }
}

fn due_of(f: &EventFact) -> Option<OffsetDateTime> {
    f.original_due_at.or(f.due_at).map(from_db)
}

/// A dossier's papers at filing: unit, procedure, when filed, papers, of which reused.
pub type PaperFact = (String, String, i64, i64, i64);
/// A rating: unit, procedure, when, the four levels.
pub type RatingFact = (String, String, i64, i64, i64, i64, i64);
/// The key of a daily aggregate: day, unit, procedure.
pub type DayKey = (String, String, String);

/// Counts events, payments and the papers at filing into per-day, per-unit, per-procedure
/// counters.
pub fn count(
    facts: &[EventFact],
    payments: &[(String, String, String, i64)],
    papers: &[PaperFact],
) -> BTreeMap<DayKey, Counters> {
    let mut map: BTreeMap<(String, String, String), Counters> = BTreeMap::new();
    for f in facts {
        let key = (day_of(from_db(f.at)), f.agency_code.clone(), f.procedure_code.clone());
        let c = map.entry(key).or_default();
        match f.kind.as_str() {
            "submitted" if f.channel == "desk" => c.submitted_desk += 1,
            "submitted" => c.submitted_online += 1,
            "received" => c.accepted += 1,
            "refused_at_reception" => c.refused_at_reception += 1,
            "withdrawn" => {
                c.withdrawn += 1;
                // a dossier in progress leaves it; one withdrawn before reception never entered
                if f.received_at.is_some_and(|r| r <= f.at) {
                    c.closed += 1;
                }
            }
            "stopped" => c.closed += 1,
            "decided" => {
                c.closed += 1;
                match due_of(f).map(|due| resolution(from_db(f.at), due)) {
                    Some(Figure::Early) => c.resolved_early += 1,
                    Some(Figure::Late) => c.resolved_late += 1,
                    _ => c.resolved_on_time += 1,
                }
            }
            "returned" => {
                c.returned += 1;
                if f.returned_via.as_deref() == Some("electronic") {
                    c.returned_electronic += 1;
                }
            }
            _ => {}
        }
    }
    for (agency, procedure, method, at) in payments {
        let c = map.entry((day_of(from_db(*at)), agency.clone(), procedure.clone())).or_default();
        if method.starts_with("counter") {
            c.paid_counter += 1;
        } else {
            c.paid_online += 1;
        }
    }
    for (agency, procedure, at, n, reused) in papers {
        let c = map.entry((day_of(from_db(*at)), agency.clone(), procedure.clone())).or_default();
        if *n > 0 {
            c.filed_digitised += 1;
        }
        c.papers += n;
        c.papers_reused += reused;
    }
    map
}

/// Sums ratings per day (of the rating), unit and procedure.
pub fn count_ratings(ratings: &[RatingFact]) -> BTreeMap<DayKey, Satisfaction> {
    let mut map: BTreeMap<DayKey, Satisfaction> = BTreeMap::new();
    for (agency, procedure, at, a, b, c, d) in ratings {
        map.entry((day_of(from_db(*at)), agency.clone(), procedure.clone()))
            .or_default()
            .count([*a, *b, *c, *d]);
    }
    map
}

/// Rebuilds the aggregates from `from` (a day; everything when `None`) to today, in one
/// transaction. Returns the number of rows written.
pub async fn rebuild(state: &AppState, from: Option<Date>) -> ServiceResult<usize> {
    let now = state.clock.now();
    let from = match from {
        Some(d) => d,
        None => {
            let first: Option<i64> = sqlx::query_scalar("SELECT CAST(MIN(at) AS BIGINT) FROM dossier_events")
                .fetch_one(state.db.reader())
                .await?;
            first.map(from_db).unwrap_or(now).to_offset(VIETNAM_OFFSET).date()
        }
    };
    let to = now.to_offset(VIETNAM_OFFSET).date().next_day().ok_or(AppError::InvalidInput)?;
    let (start, end) = (start_of(from), start_of(to));
    // The facts are read and counted before the write transaction, not inside it: on SQLite
    // every write of the portal waits for that one transaction, and reading three busy days
    // inside it held sign-ins, filings and uploads for seconds. An event that lands between
    // the read and the write is counted by the next refresh, which recomputes these days.
    let mut conn = state.db.reader().acquire().await?;
    let facts = db::events_between(&mut conn, start, end, None, &COUNTED, &Narrow::default()).await?;
    let payments = db::payments_between(&mut conn, start, end).await?;
    let papers = db::papers_between(&mut conn, start, end).await?;
    let ratings = db::ratings_between(&mut conn, start, end).await?;
    drop(conn);
    let rows: Vec<_> = count(&facts, &payments, &papers).into_iter().collect();
    let rated: Vec<_> = count_ratings(&ratings).into_iter().collect();
    let mut tx = state.db.begin_write().await?;
    db::replace_days(&mut tx, &from.to_string(), &to.to_string(), &rows, &rated).await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// Keeps the aggregates current: rebuilds the last three days.
pub async fn refresh(state: &AppState) -> ServiceResult<usize> {
    let today = state.clock.now().to_offset(VIETNAM_OFFSET).date();
    rebuild(state, Some(today - time::Duration::days(2))).await
}

/// The units whose statistics the actor sees: where they are a leader or an agency
/// administrator, with all their sub-units; everything for a system administrator (`None`).
pub async fn scope(state: &AppState, actor: &Actor) -> ServiceResult<Option<Vec<String>>> {
    let Actor::Officer { grants, .. } = actor else { return Err(AppError::NotFound.into()) };
    if actor.is_system_admin() {
        return Ok(None);
    }
    let all = crate::ssr::db::catalogue::agencies(&state.db).await?;
    let mut ids: Vec<String> = grants
        .iter()
        .filter(|g| matches!(g.role, Role::Leader | Role::AgencyAdmin))
        .filter_map(|g| g.agency_id.clone())
        .collect();
    if ids.is_empty() {
        return Err(AppError::NotFound.into());
    }
    // sub-units, breadth first
    let mut i = 0;
    while i < ids.len() {
        let parent = ids[i].clone();
        for a in all.iter().filter(|a| a.parent_id.as_deref() == Some(parent.as_str())) {
            if !ids.contains(&a.id) {
                ids.push(a.id.clone());
            }
        }
        i += 1;
    }
    Ok(Some(all.iter().filter(|a| ids.contains(&a.id)).map(|a| a.code.clone()).collect()))
}

/// One unit's line in a report.
#[derive(Debug, Clone, Default)]
pub struct UnitLine {
    /// National code.
    pub code: String,
    /// Name (Vietnamese, English).
    pub name: (String, String),
    /// The period's counts.
    pub counts: Counters,
    /// In progress at the start of the period (received before it, not closed before it).
    pub carried_over: i64,
    /// Open now, in time.
    pub open_in_time: i64,
    /// Open now, late.
    pub open_late: i64,
    /// The ratings given in the period, by criterion.
    pub satisfaction: Satisfaction,
    /// Feedback whose answer fell due in the period.
    pub feedback_due: i64,
    /// Of which answered in time.
    pub feedback_in_time: i64,
}

impl UnitLine {
    /// The value of a figure.
    pub fn value(&self, f: Figure) -> i64 {
        let c = &self.counts;
        match f {
            Figure::Submitted => c.submitted_online + c.submitted_desk,
            Figure::Accepted => c.accepted,
            Figure::CarriedOver => self.carried_over,
            Figure::Refused => c.refused_at_reception,
            Figure::Withdrawn => c.withdrawn,
            Figure::Early => c.resolved_early,
            Figure::OnTime => c.resolved_on_time,
            Figure::Late => c.resolved_late,
            Figure::OpenInTime => self.open_in_time,
            Figure::OpenLate => self.open_late,
        }
    }

    /// Resolved on time or early, in per cent of resolved (None when nothing was resolved).
    pub fn on_time_rate(&self) -> Option<f64> {
        let c = &self.counts;
        let resolved = c.resolved_early + c.resolved_on_time + c.resolved_late;
        (resolved > 0).then(|| 100.0 * (c.resolved_early + c.resolved_on_time) as f64 / resolved as f64)
    }

    /// Filed online, in per cent of filed.
    pub fn online_share(&self) -> Option<f64> {
        let c = &self.counts;
        let filed = c.submitted_online + c.submitted_desk;
        (filed > 0).then(|| 100.0 * c.submitted_online as f64 / filed as f64)
    }

    /// Results handed over electronically, in per cent of results handed over.
    pub fn electronic_share(&self) -> Option<f64> {
        let c = &self.counts;
        (c.returned > 0).then(|| 100.0 * c.returned_electronic as f64 / c.returned as f64)
    }

    /// Fees paid online, in per cent of fees paid.
    pub fn paid_online_share(&self) -> Option<f64> {
        let c = &self.counts;
        let paid = c.paid_online + c.paid_counter;
        (paid > 0).then(|| 100.0 * c.paid_online as f64 / paid as f64)
    }

    /// The figures the Decision 766/2022 index is computed from. Every dossier filed gets a
    /// code whose progress anyone can look up, so all filed dossiers count as public.
    pub fn index_inputs(&self) -> IndexInputs {
        let c = &self.counts;
        let filed = c.submitted_online + c.submitted_desk;
        IndexInputs {
            filed,
            filed_online: c.submitted_online,
            filed_digitised: c.filed_digitised,
            filed_public: filed,
            resolved: c.resolved_early + c.resolved_on_time + c.resolved_late,
            resolved_in_time: c.resolved_early + c.resolved_on_time,
            paid: c.paid_online + c.paid_counter,
            paid_online: c.paid_online,
            satisfaction: self.satisfaction.overall(),
            feedback_due: self.feedback_due,
            feedback_in_time: self.feedback_in_time,
            papers: c.papers,
            papers_reused: c.papers_reused,
            returned: c.returned,
            returned_electronic: c.returned_electronic,
        }
    }
}

/// The report for `[from, to]` (inclusive days) over `units` (all when `None`), optionally
/// one procedure: a line per unit with data, and the total.
pub async fn report(
    state: &AppState,
    units: Option<&[String]>,
    from: Date,
    to: Date,
    procedure: Option<&str>,
) -> ServiceResult<(Vec<UnitLine>, UnitLine)> {
    let end = to.next_day().ok_or(AppError::InvalidInput)?;
    let (from_day, end_day) = (from.to_string(), end.to_string());
    let live = procedure.is_none();
    let until = start_of(end).min(state.clock.now());
    // independent reads, run side by side on the reader pool
    let (sums, before, open, agencies, satisfaction, feedback) = tokio::try_join!(
        db::sums_by_unit(&state.db, &from_day, &end_day, units, procedure),
        // carried over: received less closed, summed over every day before the period
        db::carried_by_unit(&state.db, &from_day, units, procedure),
        async {
            if live { db::open_counts(&state.db, units, state.clock.now()).await } else { Ok(Vec::new()) }
        },
        crate::ssr::db::catalogue::agencies(&state.db),
        db::satisfaction_by_unit(&state.db, &from_day, &end_day, units, procedure),
        async {
            if live {
                db::feedback_due_by_unit(&state.db, start_of(from), until.max(start_of(from)), units).await
            } else {
                Ok(Vec::new())
            }
        },
    )?;
    let names: BTreeMap<String, (String, String)> =
        agencies.into_iter().map(|a| (a.code, (a.name_vi.clone(), a.name_en.unwrap_or(a.name_vi)))).collect();
    let mut lines: BTreeMap<String, UnitLine> = BTreeMap::new();
    for (code, counts) in sums {
        lines.entry(code.clone()).or_insert_with(|| UnitLine { code, ..Default::default() }).counts = counts;
    }
    for (code, carried) in before {
        lines.entry(code.clone()).or_insert_with(|| UnitLine { code, ..Default::default() }).carried_over =
            carried;
    }
    for (code, s) in satisfaction {
        lines.entry(code.clone()).or_insert_with(|| UnitLine { code, ..Default::default() }).satisfaction = s;
    }
    for (code, due, in_time) in feedback {
        let line = lines.entry(code.clone()).or_insert_with(|| UnitLine { code, ..Default::default() });
        line.feedback_due = due;
        line.feedback_in_time = in_time;
    }
    for (code, in_time, late) in open {
        let line = lines.entry(code.clone()).or_insert_with(|| UnitLine { code, ..Default::default() });
        line.open_in_time = in_time;
        line.open_late = late;
    }
    let mut total = UnitLine { code: String::new(), ..Default::default() };
    let lines: Vec<UnitLine> = lines
        .into_values()
        .map(|mut l| {
            l.name = names.get(&l.code).cloned().unwrap_or_else(|| (l.code.clone(), l.code.clone()));
            total.counts.add(&l.counts);
            total.carried_over += l.carried_over;
            total.satisfaction.add(&l.satisfaction);
            total.feedback_due += l.feedback_due;
            total.feedback_in_time += l.feedback_in_time;
            total.open_in_time += l.open_in_time;
            total.open_late += l.open_late;
            l
        })
        .collect();
    Ok((lines, total))
}

/// The report by field of the procedures for `[from, to]` over `units` (all when `None`):
/// a line per field (its code and names in `code` and `name`).
pub async fn by_field(
    state: &AppState,
    units: Option<&[String]>,
    from: Date,
    to: Date,
) -> ServiceResult<Vec<UnitLine>> {
    let end = to.next_day().ok_or(AppError::InvalidInput)?;
    let mut lines: Vec<UnitLine> = db::sums_by_field(&state.db, &from.to_string(), &end.to_string(), units)
        .await?
        .into_iter()
        .map(|(code, vi, en, counts)| UnitLine { code, name: (vi, en), counts, ..Default::default() })
        .collect();
    for (code, vi, en, counts) in db::sums_by_field(&state.db, "", &from.to_string(), units).await? {
        let carried = counts.accepted - counts.closed;
        if carried == 0 {
            continue;
        }
        match lines.iter_mut().find(|l| l.code == code) {
            Some(l) => l.carried_over = carried,
            None => {
                lines.push(UnitLine { code, name: (vi, en), carried_over: carried, ..Default::default() })
            }
        }
    }
    lines.sort_by(|a, b| a.name.0.cmp(&b.name.0));
    Ok(lines)
}

/// The on-time rate per month over `[from, to]`: (`YYYY-MM`, resolved in time, late).
pub async fn monthly(
    state: &AppState,
    units: Option<&[String]>,
    from: Date,
    to: Date,
) -> ServiceResult<Vec<(String, i64, i64)>> {
    let end = to.next_day().ok_or(AppError::InvalidInput)?;
    Ok(db::monthly_resolution(&state.db, &from.to_string(), &end.to_string(), units).await?)
}

/// A dossier behind a figure: id, code, procedure code, when (the event, or the appointment).
pub type Behind = (String, String, String, OffsetDateTime);

fn behind_row((id, code, procedure, at): (String, Option<String>, String, Option<i64>)) -> Behind {
    (id, code.unwrap_or_default(), procedure, at.map(from_db).unwrap_or(OffsetDateTime::UNIX_EPOCH))
}

/// The dossiers behind a figure for `units` and `[from, to]` (at most 500), optionally of one
/// procedure or field (`narrow`; the live figures are not narrowed, as the page shows them
/// only unnarrowed).
pub async fn behind(
    state: &AppState,
    units: &[String],
    figure: Figure,
    from: Date,
    to: Date,
    narrow: &Narrow,
) -> ServiceResult<Vec<Behind>> {
    let end = to.next_day().ok_or(AppError::InvalidInput)?;
    if figure == Figure::CarriedOver {
        return Ok(db::carried_over_dossiers(&state.db, units, start_of(from), narrow)
            .await?
            .into_iter()
            .map(behind_row)
            .collect());
    }
    match figure.event() {
        None => Ok(db::open_dossiers(&state.db, units, figure == Figure::OpenLate, state.clock.now())
            .await?
            .into_iter()
            .map(|(id, code, procedure, due)| {
                (
                    id,
                    code.unwrap_or_default(),
                    procedure,
                    due.map(from_db).unwrap_or(OffsetDateTime::UNIX_EPOCH),
                )
            })
            .collect()),
        Some(kind) => {
            let mut conn = state.db.reader().acquire().await?;
            let facts =
                db::events_between(&mut conn, start_of(from), start_of(end), Some(units), &[kind], narrow)
                    .await?;
            Ok(facts
                .into_iter()
                .filter(|f| match figure {
                    Figure::Early | Figure::OnTime | Figure::Late => {
                        due_of(f).map(|due| resolution(from_db(f.at), due)).unwrap_or(Figure::OnTime)
                            == figure
                    }
                    Figure::Submitted | Figure::Accepted | Figure::Refused | Figure::Withdrawn => true,
                    _ => false,
                })
                .take(500)
                .map(|f| (f.dossier_id, f.code.unwrap_or_default(), f.procedure_code, from_db(f.at)))
                .collect())
        }
    }
}

/// A figure of the breakdown by officer: workflow steps finished in the period against
/// their own deadlines, or open now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepFigure {
    /// Finished before the deadline's day.
    Early,
    /// Finished on the deadline's day, in time.
    OnTime,
    /// Finished after the deadline.
    Late,
    /// Open now, in time.
    OpenInTime,
    /// Open now, past the deadline.
    OpenLate,
}

impl StepFigure {
    /// All, in the order pages show them.
    pub const ALL: [StepFigure; 5] = [
        StepFigure::Early,
        StepFigure::OnTime,
        StepFigure::Late,
        StepFigure::OpenInTime,
        StepFigure::OpenLate,
    ];

    /// The code in addresses.
    pub fn code(self) -> &'static str {
        match self {
            StepFigure::Early => "step_early",
            StepFigure::OnTime => "step_on_time",
            StepFigure::Late => "step_late",
            StepFigure::OpenInTime => "step_open_in_time",
            StepFigure::OpenLate => "step_open_late",
        }
    }

    /// From its code.
    pub fn from_code(code: &str) -> Option<StepFigure> {
        StepFigure::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Vietnamese and English labels.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            StepFigure::Early => ("Bước hoàn thành trước hạn", "Steps done early"),
            StepFigure::OnTime => ("Bước hoàn thành đúng hạn", "Steps done on time"),
            StepFigure::Late => ("Bước hoàn thành quá hạn", "Steps done late"),
            StepFigure::OpenInTime => ("Bước đang xử lý trong hạn", "Open steps in time"),
            StepFigure::OpenLate => ("Bước đang xử lý quá hạn", "Open steps overdue"),
        }
    }

    fn class(self) -> StepClass {
        match self {
            StepFigure::Early => StepClass::Early,
            StepFigure::OnTime => StepClass::OnTime,
            StepFigure::Late => StepClass::Late,
            StepFigure::OpenInTime => StepClass::OpenInTime,
            StepFigure::OpenLate => StepClass::OpenLate,
        }
    }
}

/// One officer's line: the steps they finished at a unit in the period, and those open
/// there now that are assigned to them. `officer` is `None` for the line of open steps
/// nobody has taken yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficerLine {
    /// The unit's national code.
    pub unit: String,
    /// The unit's names (Vietnamese, English).
    pub unit_name: (String, String),
    /// The officer's user id.
    pub officer: Option<String>,
    /// The officer's name (empty for nobody).
    pub name: String,
    /// Early, on time, late, open in time, open late (in [`StepFigure::ALL`] order).
    pub values: [i64; 5],
}

impl OfficerLine {
    /// The value of a figure.
    pub fn value(&self, f: StepFigure) -> i64 {
        let i = StepFigure::ALL.iter().position(|x| *x == f).unwrap_or(0);
        self.values.get(i).copied().unwrap_or(0)
    }
}

/// The breakdown by officer for `units` (all when `None`) and `[from, to]`, optionally of
/// one procedure: a line per officer holding a workflow role at a unit (with zeros when they
/// did nothing) or who finished a step there, and one for open steps not assigned; ordered by
/// unit and name. Counted from the step records (indexed by unit and finish time).
pub async fn by_officer(
    state: &AppState,
    units: Option<&[String]>,
    from: Date,
    to: Date,
    procedure: Option<&str>,
) -> ServiceResult<Vec<OfficerLine>> {
    let end = to.next_day().ok_or(AppError::InvalidInput)?;
    let narrow = Narrow { procedure: procedure.map(str::to_string), field: None };
    let counted =
        db::steps_by_officer(&state.db, units, start_of(from), start_of(end), state.clock.now(), &narrow)
            .await?;
    let names: BTreeMap<String, (String, String)> = crate::ssr::db::catalogue::agencies(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.code, (a.name_vi.clone(), a.name_en.unwrap_or(a.name_vi))))
        .collect();
    let mut lines: Vec<OfficerLine> = db::officers_of(&state.db, units)
        .await?
        .into_iter()
        .map(|(unit, id, name)| OfficerLine { unit, officer: Some(id), name, ..Default::default() })
        .collect();
    for (unit, officer, name, values) in counted {
        match lines.iter_mut().find(|l| l.unit == unit && l.officer == officer) {
            Some(l) => l.values = values,
            None => lines.push(OfficerLine {
                unit,
                officer,
                name: name.unwrap_or_default(),
                values,
                ..Default::default()
            }),
        }
    }
    for l in &mut lines {
        l.unit_name = names.get(&l.unit).cloned().unwrap_or_else(|| (l.unit.clone(), l.unit.clone()));
    }
    lines.sort_by(|a, b| {
        (&a.unit_name.0, a.officer.is_none(), &a.name).cmp(&(&b.unit_name.0, b.officer.is_none(), &b.name))
    });
    Ok(lines)
}

/// The dossiers behind a figure by officer: the steps of `whose` at `units` (at most 500).
pub async fn steps_behind(
    state: &AppState,
    units: &[String],
    whose: &Whose,
    figure: StepFigure,
    from: Date,
    to: Date,
    procedure: Option<&str>,
) -> ServiceResult<Vec<Behind>> {
    let end = to.next_day().ok_or(AppError::InvalidInput)?;
    let narrow = Narrow { procedure: procedure.map(str::to_string), field: None };
    Ok(db::step_dossiers(
        &state.db,
        units,
        whose,
        figure.class(),
        start_of(from),
        start_of(end),
        state.clock.now(),
        &narrow,
    )
    .await?
    .into_iter()
    .map(behind_row)
    .collect())
}

/// One cell of an exported line.
enum Cell {
    Count(i64),
    Percent(Option<f64>),
}

/// The export's columns after the unit's name and code: the figures, the rates, and per
/// rating criterion the answers of each level and the satisfied share.
fn columns() -> Vec<String> {
    let mut h: Vec<String> = Figure::ALL.iter().map(|f| f.label().0.to_string()).collect();
    h.extend(["Tỷ lệ đúng hạn (%)".to_string(), "Tỷ lệ nộp trực tuyến (%)".to_string()]);
    for c in Criterion::ALL {
        let name = c.label().0;
        h.push(format!("{name}: rất hài lòng"));
        h.push(format!("{name}: hài lòng"));
        h.push(format!("{name}: không hài lòng"));
        h.push(format!("{name}: tỷ lệ hài lòng (%)"));
    }
    h
}

fn cells(l: &UnitLine) -> Vec<Cell> {
    let mut v: Vec<Cell> = Figure::ALL.iter().map(|f| Cell::Count(l.value(*f))).collect();
    v.push(Cell::Percent(l.on_time_rate()));
    v.push(Cell::Percent(l.online_share()));
    for c in Criterion::ALL {
        let t = l.satisfaction.get(c);
        v.extend([
            Cell::Count(t.very_satisfied),
            Cell::Count(t.satisfied),
            Cell::Count(t.not_satisfied),
            Cell::Percent(t.share()),
        ]);
    }
    v
}

/// The report as CSV (UTF-8 with a byte-order mark so spreadsheet programs read Vietnamese).
pub fn csv(lines: &[UnitLine], total: &UnitLine) -> String {
    let mut out = String::from("\u{feff}");
    let header: Vec<String> =
        ["Đơn vị".to_string(), "Mã đơn vị".to_string()].into_iter().chain(columns()).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for (l, name) in lines.iter().map(|l| (l, l.name.0.as_str())).chain(std::iter::once((total, "Tổng cộng")))
    {
        let mut row = vec![quote(name), quote(&l.code)];
        row.extend(cells(l).into_iter().map(|c| match c {
            Cell::Count(n) => n.to_string(),
            Cell::Percent(v) => v.map(|v| format!("{v:.1}")).unwrap_or_default(),
        }));
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The report as an Excel workbook (one sheet: a line per unit, the total, numbers as numbers).
pub fn xlsx(lines: &[UnitLine], total: &UnitLine, title: &str) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Thong ke")?;
    sheet.write_with_format(0, 0, title, &bold)?;
    let header: Vec<String> =
        ["Đơn vị".to_string(), "Mã đơn vị".to_string()].into_iter().chain(columns()).collect();
    for (c, h) in header.iter().enumerate() {
        sheet.write_with_format(2, u16::try_from(c)?, h.as_str(), &bold)?;
    }
    let all = lines.iter().map(|l| (l, l.name.0.as_str())).chain(std::iter::once((total, "Tổng cộng")));
    for (row, (l, name)) in (3u32..).zip(all) {
        sheet.write(row, 0, name)?;
        sheet.write(row, 1, l.code.as_str())?;
        for (i, cell) in cells(l).into_iter().enumerate() {
            let col = u16::try_from(i + 2)?;
            match cell {
                // counts are far below 2^53: exact as spreadsheet numbers
                Cell::Count(n) => {
                    sheet.write(row, col, n as f64)?;
                }
                Cell::Percent(Some(v)) => {
                    sheet.write(row, col, (v * 10.0).round() / 10.0)?;
                }
                Cell::Percent(None) => {}
            }
        }
    }
    sheet.set_column_width(0, 36)?;
    Ok(workbook.save_to_buffer()?)
}

/// Where open dossiers wait, with how many are in time and late.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BacklogStep {
    /// Vietnamese and English names of the step.
    pub label: (&'static str, &'static str),
    /// In time (or without an appointment yet).
    pub in_time: i64,
    /// Past their appointment.
    pub late: i64,
}

fn step_label(status: i64, role: &str) -> (&'static str, &'static str) {
    match (status, Role::from_code(role)) {
        (1, _) => ("Chờ tiếp nhận", "Awaiting reception"),
        (5, _) => ("Chờ bổ sung hồ sơ", "Awaiting a supplement"),
        (6, _) => ("Chờ thực hiện nghĩa vụ tài chính", "Awaiting payment"),
        (_, Some(Role::DeskOfficer)) => ("Bộ phận Một cửa", "One-stop desk"),
        (_, Some(Role::Specialist)) => ("Thẩm định", "Appraisal"),
        (_, Some(Role::Leader)) => ("Phê duyệt", "Approval"),
        (_, Some(Role::Clerk)) => ("Đóng dấu, phát hành", "Stamping and issue"),
        _ => ("Đang xử lý", "In process"),
    }
}

/// The open dossiers at `units` (all when `None`) by the step where they wait, in the
/// order of a dossier's life; counted live (an indexed query on the dossiers' status).
pub async fn backlog(state: &AppState, units: Option<&[String]>) -> ServiceResult<Vec<BacklogStep>> {
    let rows = db::backlog_by_step(&state.db, units, state.clock.now()).await?;
    let order = [1i64, 2, 4, 5, 6];
    let mut out: Vec<(usize, usize, BacklogStep)> = Vec::new();
    let roles = ["desk_officer", "specialist", "leader", "clerk"];
    for (status, role, in_time, late) in rows {
        let label = step_label(status, &role);
        let rank = (
            order.iter().position(|s| *s == status).unwrap_or(order.len()),
            roles.iter().position(|r| *r == role).unwrap_or(roles.len()),
        );
        // statuses 2 and 4 at the same role are one step
        let rank = if status == 2 { (order.iter().position(|s| *s == 4).unwrap_or(0), rank.1) } else { rank };
        match out.iter_mut().find(|(_, _, s)| s.label == label) {
            Some((_, _, s)) => {
                s.in_time += in_time;
                s.late += late;
            }
            None => out.push((rank.0, rank.1, BacklogStep { label, in_time, late })),
        }
    }
    out.sort_by_key(|(a, b, _)| (*a, *b));
    Ok(out.into_iter().map(|(_, _, s)| s).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_decision_is_early_on_time_or_late_against_the_appointment_day() {
        let due = datetime!(2026-11-20 17:00 +7);
        assert_eq!(resolution(datetime!(2026-11-19 16:00 +7), due), Figure::Early);
        assert_eq!(resolution(datetime!(2026-11-20 08:00 +7), due), Figure::OnTime);
        assert_eq!(resolution(datetime!(2026-11-20 17:00 +7), due), Figure::OnTime);
        assert_eq!(resolution(datetime!(2026-11-20 17:01 +7), due), Figure::Late);
        // the day is Vietnam's: 23:30 UTC on the 19th is the 20th in Hà Nội
        assert_eq!(resolution(datetime!(2026-11-19 23:30 UTC), due), Figure::OnTime);
    }

    #[test]
    fn the_csv_has_a_line_per_unit_and_the_total() {
        let line = UnitLine {
            code: "000.00.31.H26".into(),
            name: ("UBND phường \"Hiến Nam\"".into(), "Ward".into()),
            counts: Counters {
                submitted_online: 3,
                submitted_desk: 1,
                resolved_on_time: 2,
                resolved_late: 1,
                ..Default::default()
            },
            open_in_time: 1,
            open_late: 0,
            ..Default::default()
        };
        let text = csv(std::slice::from_ref(&line), &line);
        let rows: Vec<&str> = text.trim_end().split("\r\n").collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[1].starts_with("\"UBND phường \"\"Hiến Nam\"\"\",\"000.00.31.H26\",4,"), "{}", rows[1]);
        assert!(rows[1].contains(",66.7,75.0,"), "{}", rows[1]);
        assert!(rows[0].contains("Thái độ của cán bộ: tỷ lệ hài lòng (%)"), "{}", rows[0]);
    }

    #[test]
    fn the_workbook_is_a_zip_with_the_sheet() {
        let line = UnitLine {
            code: "000.00.31.H26".into(),
            name: ("Phường".into(), "Ward".into()),
            ..Default::default()
        };
        let bytes = xlsx(std::slice::from_ref(&line), &line, "Thống kê").unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"), "an OOXML package");
        assert!(bytes.windows(b"xl/worksheets/sheet1.xml".len()).any(|w| w == b"xl/worksheets/sheet1.xml"));
    }
}
