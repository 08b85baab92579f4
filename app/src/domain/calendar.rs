//! The working-day calendar: due dates, working-time arithmetic and timeliness.
//!
//! Vietnam keeps UTC+7 all year (no daylight saving), so every rule here works in the fixed
//! offset [`VIETNAM_OFFSET`]. Inputs may carry any offset; they are converted first, and every
//! returned moment is in UTC+7.
//!
//! # Working days
//! A date is a working day unless it is a holiday, or a weekend day (Saturday and Sunday by
//! default) that is not listed as an extra working day (a make-up Saturday, *ngày làm bù*).
//! A date listed both as a holiday and as an extra working day is a holiday: a legal day off
//! wins over a data-entry mistake. A holiday that falls on a weekend is simply a day off once:
//! it is never counted twice, and compensatory days off (*nghỉ bù*) exist only when listed.
//!
//! # Due dates (`add_working_days`), DOMAIN.md step 2
//! 1. **Receipt day.** The dossier's receipt day is the Vietnam-local date of `received_at`
//!    if that date is a working day and the local time is before the day's limit; otherwise it
//!    is the next working day. The limit is the end of the last working session (17:00 by
//!    default) — a dossier accepted after office hours counts as received the next working day
//!    — or the optional `cutoff` if earlier (e.g. 15:00 for same-day procedures). A receipt
//!    exactly at the limit already counts as the next day. A dossier received on a weekend or
//!    holiday therefore counts as received on the next working day.
//! 2. **The receipt day is not counted.** The due day is the N-th working day after the receipt
//!    day. For N = 0 (same-day procedures) the due day is the receipt day itself.
//! 3. **The due moment is the end of the due day**: the end of its last working session.
//! 4. Only working days are counted, so a deadline can never fall on a day off ("a deadline
//!    that falls on a day off moves to the next working day" holds by construction).
//!
//! Example (default hours, no holidays): accepted Monday 09:00, 1 working day → due Tuesday
//! 17:00; accepted Friday 14:00, 1 day → Monday 17:00; accepted Saturday, 1 day → Tuesday
//! 17:00 (Saturday counts as Monday, and Monday is not counted).
//!
//! # Working time (`add_working_minutes`, `working_minutes_between`)
//! Step deadlines are shares of the processing time, so they are measured in working minutes
//! (480 a day with the default sessions 07:00–11:30 and 13:30–17:00). Only time inside a
//! session on a working day counts.
//!
//! # Timeliness (`classify`)
//! * **Late**: completed strictly after the due moment.
//! * **Early**: completed at or before the due moment, on an earlier working day than the due
//!   day. A completion on a day off belongs to the next working day, so finishing on the
//!   Saturday before a Monday deadline is *on time*, while finishing on Thursday evening before
//!   a Friday deadline is *early* (a whole working day was left).
//! * **On time**: otherwise (completed on the due day, before or at the due moment).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::macros::{offset, time};

use super::iso_date;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

/// Vietnam's offset from UTC: +07:00, all year.
pub const VIETNAM_OFFSET: UtcOffset = offset!(+7);

/// Longest run of consecutive days off that the calendar will search through before giving up
/// (a guard against configurations with no working days at all).
const MAX_DAYS_OFF_IN_A_ROW: u32 = 3_660;

/// Why a calendar cannot be built or a computation cannot be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarError {
    /// A working session does not start before it ends.
    #[error("a working session must start before it ends")]
    EmptySession,
    /// No working sessions at all.
    #[error("working hours need at least one session")]
    NoSessions,
    /// Sessions are not in order or overlap.
    #[error("working sessions must be in order and must not overlap")]
    OverlappingSessions,
    /// Every day of the week is a weekend day.
    #[error("at least one day of the week must be a working day")]
    NoWorkingWeekday,
    /// No working day was found within ten years.
    #[error("no working day found within ten years")]
    NoWorkingDay,
    /// The computation left the supported date range.
    #[error("date out of range")]
    OutOfRange,
}

impl CalendarError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptySession => "calendar_empty_session",
            Self::NoSessions => "calendar_no_sessions",
            Self::OverlappingSessions => "calendar_overlapping_sessions",
            Self::NoWorkingWeekday => "calendar_no_working_weekday",
            Self::NoWorkingDay => "calendar_no_working_day",
            Self::OutOfRange => "calendar_out_of_range",
        }
    }
}

/// One working session of the day, e.g. 07:00–11:30 (local time, start < end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkingSession {
    start: Time,
    end: Time,
}

impl WorkingSession {
    /// A session from `start` to `end`; `start` must be before `end`.
    pub fn new(start: Time, end: Time) -> Result<Self, CalendarError> {
        if start < end { Ok(Self { start, end }) } else { Err(CalendarError::EmptySession) }
    }

    /// When the session starts.
    pub fn start(&self) -> Time {
        self.start
    }

    /// When the session ends.
    pub fn end(&self) -> Time {
        self.end
    }

    /// Its length in whole minutes.
    pub fn minutes(&self) -> i64 {
        (self.end - self.start).whole_minutes()
    }
}

/// The office hours of a working day: one or more sessions, in order, not overlapping.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorkingHours {
    sessions: Vec<WorkingSession>,
}

impl Default for WorkingHours {
    /// 07:00–11:30 and 13:30–17:00: 8 working hours.
    fn default() -> Self {
        Self {
            sessions: vec![
                WorkingSession { start: time!(07:00), end: time!(11:30) },
                WorkingSession { start: time!(13:30), end: time!(17:00) },
            ],
        }
    }
}

impl WorkingHours {
    /// Office hours from sessions that are in order and do not overlap (they may touch).
    pub fn new(sessions: Vec<WorkingSession>) -> Result<Self, CalendarError> {
        if sessions.is_empty() {
            return Err(CalendarError::NoSessions);
        }
        if sessions.windows(2).any(|w| match w {
            [a, b] => a.end > b.start,
            _ => false,
        }) {
            return Err(CalendarError::OverlappingSessions);
        }
        Ok(Self { sessions })
    }

    /// The sessions, in order.
    pub fn sessions(&self) -> &[WorkingSession] {
        &self.sessions
    }

    /// Working minutes in a full working day (480 by default).
    pub fn minutes_per_day(&self) -> i64 {
        self.sessions.iter().map(WorkingSession::minutes).sum()
    }

    /// When the first session starts.
    pub fn day_start(&self) -> Time {
        self.sessions.first().map_or(Time::MIDNIGHT, |s| s.start)
    }

    /// When the last session ends: the moment a due day ends.
    pub fn day_end(&self) -> Time {
        self.sessions.last().map_or(Time::MIDNIGHT, |s| s.end)
    }
}

/// Early, on time or late (the process-control slip and the statistics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Trước hạn: finished on a working day before the due day.
    Early,
    /// Đúng hạn: finished on the due day, by the due moment.
    OnTime,
    /// Quá hạn: finished after the due moment.
    Late,
}

impl Timeliness {
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Early => "Trước hạn",
            Self::OnTime => "Đúng hạn",
            Self::Late => "Quá hạn",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Early => "Early",
            Self::OnTime => "On time",
            Self::Late => "Late",
        }
    }
}

/// The working calendar of a deployment: office hours, weekend, holidays and make-up days.
/// See the module documentation for the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    hours: WorkingHours,
    holidays: BTreeSet<Date>,
    extra_working_days: BTreeSet<Date>,
    /// Indexed by `Weekday::number_days_from_monday`.
    weekend: [bool; 7],
}

impl Default for Calendar {
    /// Default hours, Saturday and Sunday off, no holidays.
    fn default() -> Self {
        Self::new(WorkingHours::default())
    }
}

/// `date` at local `time` in Vietnam.
fn at(date: Date, time: Time) -> OffsetDateTime {
    PrimitiveDateTime::new(date, time).assume_offset(VIETNAM_OFFSET)
}

/// `t` in Vietnam time.
fn to_vn(t: OffsetDateTime) -> Result<OffsetDateTime, CalendarError> {
    t.checked_to_offset(VIETNAM_OFFSET).ok_or(CalendarError::OutOfRange)
}

/// The Vietnam-local date of `t` (its own date at the edges of the supported range).
fn local_date(t: OffsetDateTime) -> Date {
    to_vn(t).map_or(t.date(), OffsetDateTime::date)
}

impl Calendar {
    /// A calendar with the given hours, Saturday and Sunday off, and no holidays.
    pub fn new(hours: WorkingHours) -> Self {
        let mut weekend = [false; 7];
        for day in [Weekday::Saturday, Weekday::Sunday] {
            if let Some(slot) = weekend.get_mut(usize::from(day.number_days_from_monday())) {
                *slot = true;
            }
        }
        Self { hours, holidays: BTreeSet::new(), extra_working_days: BTreeSet::new(), weekend }
    }

    /// Default hours with the pre-filled Vietnamese holidays and make-up days of `years`
    /// ([`vietnam_holidays`], [`vietnam_extra_working_days`]). Deployments load their own
    /// table from the database instead.
    pub fn vietnam(years: std::ops::RangeInclusive<i32>) -> Self {
        let mut cal = Self::default();
        for year in years {
            cal.holidays.extend(vietnam_holidays(year).into_iter().map(|h| h.date));
            cal.extra_working_days.extend(vietnam_extra_working_days(year));
        }
        cal
    }

    /// Replaces the weekly days off; at least one day of the week must remain a working day.
    pub fn with_weekend(mut self, days: &[Weekday]) -> Result<Self, CalendarError> {
        let mut weekend = [false; 7];
        for day in days {
            if let Some(slot) = weekend.get_mut(usize::from(day.number_days_from_monday())) {
                *slot = true;
            }
        }
        if weekend.iter().all(|off| *off) {
            return Err(CalendarError::NoWorkingWeekday);
        }
        self.weekend = weekend;
        Ok(self)
    }

    /// Adds holidays (days off).
    pub fn with_holidays(mut self, dates: impl IntoIterator<Item = Date>) -> Self {
        self.holidays.extend(dates);
        self
    }

    /// Adds extra working days (make-up Saturdays).
    pub fn with_extra_working_days(mut self, dates: impl IntoIterator<Item = Date>) -> Self {
        self.extra_working_days.extend(dates);
        self
    }

    /// The office hours.
    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// The holidays.
    pub fn holidays(&self) -> &BTreeSet<Date> {
        &self.holidays
    }

    /// The extra working days.
    pub fn extra_working_days(&self) -> &BTreeSet<Date> {
        &self.extra_working_days
    }

    /// Whether `date`'s weekday is a weekly day off.
    pub fn is_weekend(&self, date: Date) -> bool {
        self.weekend.get(usize::from(date.weekday().number_days_from_monday())).copied().unwrap_or(false)
    }

    /// Whether `date` is a working day (module docs, "Working days").
    pub fn is_working_day(&self, date: Date) -> bool {
        !self.holidays.contains(&date) && (!self.is_weekend(date) || self.extra_working_days.contains(&date))
    }

    /// The first working day on or after `date`.
    pub fn first_working_day_from(&self, date: Date) -> Result<Date, CalendarError> {
        let mut d = date;
        for _ in 0..=MAX_DAYS_OFF_IN_A_ROW {
            if self.is_working_day(d) {
                return Ok(d);
            }
            d = d.next_day().ok_or(CalendarError::OutOfRange)?;
        }
        Err(CalendarError::NoWorkingDay)
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: Date) -> Result<Date, CalendarError> {
        self.first_working_day_from(date.next_day().ok_or(CalendarError::OutOfRange)?)
    }

    /// The working day a dossier received at `received_at` counts as received on (rule 1 of
    /// "Due dates" in the module docs).
    pub fn receipt_day(
        &self,
        received_at: OffsetDateTime,
        cutoff: Option<Time>,
    ) -> Result<Date, CalendarError> {
        let local = to_vn(received_at)?;
        let day_end = self.hours.day_end();
        let limit = cutoff.map_or(day_end, |c| c.min(day_end));
        if self.is_working_day(local.date()) && local.time() < limit {
            Ok(local.date())
        } else {
            self.next_working_day(local.date())
        }
    }

    /// The due day: the `days`-th working day after the receipt day (rules 1–2).
    pub fn due_day(
        &self,
        received_at: OffsetDateTime,
        days: u32,
        cutoff: Option<Time>,
    ) -> Result<Date, CalendarError> {
        let mut day = self.receipt_day(received_at, cutoff)?;
        for _ in 0..days {
            day = self.next_working_day(day)?;
        }
        Ok(day)
    }

    /// The due moment of a dossier received at `received_at` with a processing time of
    /// `days` working days: the end of the due day, in UTC+7 (module docs, "Due dates").
    /// `cutoff` is the optional afternoon time after which a dossier counts as received the
    /// next working day (e.g. 15:00).
    pub fn add_working_days(
        &self,
        received_at: OffsetDateTime,
        days: u32,
        cutoff: Option<Time>,
    ) -> Result<OffsetDateTime, CalendarError> {
        let day = self.due_day(received_at, days, cutoff)?;
        Ok(at(day, self.hours.day_end()))
    }

    /// Working minutes in `days` full working days (to turn a processing time into a budget
    /// that workflow steps can share).
    pub fn working_days_to_minutes(&self, days: u32) -> i64 {
        i64::from(days) * self.hours.minutes_per_day()
    }

    /// The moment when `minutes` of working time have elapsed after `start`.
    ///
    /// Time outside sessions and on days off does not count; a start outside working time
    /// starts counting at the next session. When the budget runs out exactly at the end of a
    /// session, the result is that session's end (e.g. 11:30), not the next session's start.
    /// With `minutes == 0`, `start` itself is returned (in UTC+7).
    pub fn add_working_minutes(
        &self,
        start: OffsetDateTime,
        minutes: u32,
    ) -> Result<OffsetDateTime, CalendarError> {
        let start = to_vn(start)?;
        let mut remaining = Duration::minutes(i64::from(minutes));
        if remaining.is_zero() {
            return Ok(start);
        }
        let mut date = start.date();
        let mut days_off_in_a_row = 0;
        loop {
            if self.is_working_day(date) {
                days_off_in_a_row = 0;
                for session in &self.hours.sessions {
                    let from = at(date, session.start).max(start);
                    let to = at(date, session.end);
                    if from >= to {
                        continue;
                    }
                    let available = to - from;
                    if available >= remaining {
                        return from.checked_add(remaining).ok_or(CalendarError::OutOfRange);
                    }
                    remaining -= available;
                }
            } else {
                days_off_in_a_row += 1;
                if days_off_in_a_row > MAX_DAYS_OFF_IN_A_ROW {
                    return Err(CalendarError::NoWorkingDay);
                }
            }
            date = date.next_day().ok_or(CalendarError::OutOfRange)?;
        }
    }

    /// Working minutes from `a` to `b` (whole minutes, rounded toward zero); negative when
    /// `b` is before `a`. Only time inside sessions on working days counts.
    pub fn working_minutes_between(&self, a: OffsetDateTime, b: OffsetDateTime) -> i64 {
        if b < a {
            return -self.working_minutes_between(b, a);
        }
        let mut total = Duration::ZERO;
        let mut date = local_date(a);
        let last = local_date(b);
        while date <= last {
            if self.is_working_day(date) {
                for session in &self.hours.sessions {
                    let from = at(date, session.start).max(a);
                    let to = at(date, session.end).min(b);
                    if to > from {
                        total += to - from;
                    }
                }
            }
            match date.next_day() {
                Some(next) => date = next,
                None => break,
            }
        }
        total.whole_minutes()
    }

    /// Early, on time or late (module docs, "Timeliness").
    pub fn classify(&self, due: OffsetDateTime, completed: OffsetDateTime) -> Timeliness {
        if completed > due {
            return Timeliness::Late;
        }
        // Early iff a working day W exists with completion date <= W < due date.
        let due_date = local_date(due);
        let mut day = local_date(completed);
        while day < due_date {
            if self.is_working_day(day) {
                return Timeliness::Early;
            }
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        Timeliness::OnTime
    }
}

/// A public holiday or day off, as pre-filled for administrators to review.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Holiday {
    /// The day off.
    #[serde(with = "iso_date")]
    pub date: Date,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// A day off given in exchange (*nghỉ bù* for a holiday on a weekend, or a swapped day),
    /// not the holiday's own date.
    pub compensatory: bool,
}

impl Holiday {
    fn new(date: Date, name_vi: &str, name_en: &str) -> Self {
        Self { date, name_vi: name_vi.to_owned(), name_en: name_en.to_owned(), compensatory: false }
    }

    fn compensatory(date: Date, name_vi: &str, name_en: &str) -> Self {
        Self { compensatory: true, ..Self::new(date, name_vi, name_en) }
    }
}

const TET_VI: &str = "Tết Nguyên Đán";
const TET_EN: &str = "Lunar New Year (Tết)";
const HUNG_VI: &str = "Giỗ Tổ Hùng Vương (10/3 âm lịch)";
const HUNG_EN: &str = "Hùng Kings' Commemoration Day";

/// One year of [`LUNAR_TABLE`]: (year, Tết days as (month, day, compensatory), Hùng Kings' day).
type LunarYear = (i32, &'static [(Month, u8, bool)], (Month, u8));

/// The hard-coded lunar-calendar table: for each year, the Tết days off as (month, day,
/// compensatory), and the Hùng Kings' day (10th of the 3rd lunar month).
///
/// * 2025, Tết Ất Tỵ (1st day Wed 29 Jan): official break Sat 25 Jan – Sun 2 Feb; the five
///   statutory days are Mon 27 – Fri 31 Jan. Hùng Kings: Mon 7 Apr.
/// * 2026, Tết Bính Ngọ (1st day Tue 17 Feb): announced break Sat 14 – Sun 22 Feb; the five
///   statutory days are Mon 16 – Fri 20 Feb. Hùng Kings: Sun 26 Apr (compensated on Monday by
///   the general weekend rule).
/// * 2027, Tết Đinh Mùi (1st day Sat 6 Feb): **provisional**, not yet announced; modelled on
///   2024, when Tết also began on a Saturday: statutory Thu 4 – Mon 8 Feb (two days before the
///   1st, three from it) with Tue 9 and Wed 10 in compensation for Sat 6 and Sun 7.
///   Hùng Kings: Fri 16 Apr.
const LUNAR_TABLE: [LunarYear; 3] = [
    (
        2025,
        &[
            (Month::January, 27, false),
            (Month::January, 28, false),
            (Month::January, 29, false),
            (Month::January, 30, false),
            (Month::January, 31, false),
        ],
        (Month::April, 7),
    ),
    (
        2026,
        &[
            (Month::February, 16, false),
            (Month::February, 17, false),
            (Month::February, 18, false),
            (Month::February, 19, false),
            (Month::February, 20, false),
        ],
        (Month::April, 26),
    ),
    (
        2027,
        &[
            (Month::February, 4, false),
            (Month::February, 5, false),
            (Month::February, 6, false),
            (Month::February, 7, false),
            (Month::February, 8, false),
            (Month::February, 9, true),
            (Month::February, 10, true),
        ],
        (Month::April, 16),
    ),
];

/// Lunar-calendar holidays known for `year` (from [`LUNAR_TABLE`]): Tết days off (with their
/// compensatory days) and the Hùng Kings' day.
fn lunar_holidays(year: i32) -> Option<(Vec<Holiday>, Date)> {
    let ymd = |m: Month, d: u8| Date::from_calendar_date(year, m, d).ok();
    let (_, tet, (hung_month, hung_day)) = LUNAR_TABLE.iter().find(|(y, _, _)| *y == year)?;
    let tet = tet
        .iter()
        .filter_map(|(m, d, compensatory)| {
            ymd(*m, *d).map(|date| {
                if *compensatory {
                    Holiday::compensatory(
                        date,
                        "Nghỉ bù Tết Nguyên Đán",
                        "Lunar New Year (compensatory day off)",
                    )
                } else {
                    Holiday::new(date, TET_VI, TET_EN)
                }
            })
        })
        .collect();
    Some((tet, ymd(*hung_month, *hung_day)?))
}

/// Public holidays and days off for `year`, sorted by date — a **pre-fill only**: the
/// authoritative table lives in the database and administrators edit it every year when the
/// Government announces the schedule (swapped days, make-up Saturdays, one-off holidays).
///
/// Contents (Labour Code 2019, art. 112, as applied to civil servants):
/// * fixed dates: 1 January; 30 April; 1 May; 2 September and one adjacent day, 1 or 3
///   September as decided each year — the pre-fill picks the day that joins the weekend
///   (Mon → 3/9, Tue → 1/9, Wed → 1/9, Thu → 3/9, Fri → 1/9, Sat → 1/9, Sun → 3/9; this
///   matches 2023, 2024 and 2025);
/// * lunar dates, only for 2025–2027 (a hard-coded table; other years get none): Tết and the
///   Hùng Kings' day (10th of the 3rd lunar month: 7 Apr 2025, 26 Apr 2026, 16 Apr 2027);
/// * a compensatory day off (`compensatory: true`) on the next weekday that is not already a
///   day off, for each single-day holiday that falls on a Saturday or Sunday (art. 111(3));
/// * known swaps: 2 May 2025 off, worked on Saturday 26 April 2025 (see
///   [`vietnam_extra_working_days`]).
pub fn vietnam_holidays(year: i32) -> Vec<Holiday> {
    let ymd = |m: Month, d: u8| Date::from_calendar_date(year, m, d).ok();
    let mut single: Vec<Holiday> = Vec::new();
    let mut push = |date: Option<Date>, vi: &str, en: &str| {
        if let Some(date) = date {
            single.push(Holiday::new(date, vi, en));
        }
    };
    push(ymd(Month::January, 1), "Tết Dương lịch", "New Year's Day");
    push(ymd(Month::April, 30), "Ngày Chiến thắng (30/4)", "Reunification Day");
    push(ymd(Month::May, 1), "Ngày Quốc tế Lao động (1/5)", "International Labour Day");
    let national_day = ymd(Month::September, 2);
    push(national_day, "Quốc khánh (2/9)", "National Day");
    if let Some(nd) = national_day {
        let adjacent = match nd.weekday() {
            Weekday::Monday | Weekday::Thursday | Weekday::Sunday => nd.next_day(),
            _ => nd.previous_day(),
        };
        push(adjacent, "Quốc khánh (ngày liền kề)", "National Day (adjacent day)");
    }
    let mut all: Vec<Holiday> = Vec::new();
    if let Some((tet, hung)) = lunar_holidays(year) {
        all.extend(tet);
        single.push(Holiday::new(hung, HUNG_VI, HUNG_EN));
    }
    single.sort_by_key(|h| h.date);
    all.extend(single.iter().cloned());
    let taken = |all: &[Holiday], d: Date| all.iter().any(|h| h.date == d);
    for h in &single {
        if matches!(h.date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            let mut d = h.date;
            while let Some(next) = d.next_day() {
                d = next;
                if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && !taken(&all, d) {
                    all.push(Holiday::compensatory(
                        d,
                        &format!("Nghỉ bù {}", h.name_vi),
                        &format!("{} (compensatory day off)", h.name_en),
                    ));
                    break;
                }
            }
        }
    }
    if year == 2025
        && let Some(d) = ymd(Month::May, 2)
    {
        all.push(Holiday::compensatory(
            d,
            "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)",
            "Swapped day off (worked on Saturday 26 April 2025)",
        ));
    }
    all.sort_by_key(|h| h.date);
    all
}

/// Make-up working days (weekend days worked in exchange for a swapped day off) known for
/// `year` — a pre-fill, like [`vietnam_holidays`]: Saturday 26 April 2025.
pub fn vietnam_extra_working_days(year: i32) -> Vec<Date> {
    match year {
        2025 => Date::from_calendar_date(2025, Month::April, 26).ok().into_iter().collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime, time};

    fn vn() -> Calendar {
        Calendar::vietnam(2024..=2028)
    }

    fn plain() -> Calendar {
        Calendar::default()
    }

    const CUTOFF: Option<Time> = Some(time!(15:00));

    // ---------- working hours ----------

    #[test]
    fn default_hours_are_eight_hours() {
        let h = WorkingHours::default();
        assert_eq!(h.minutes_per_day(), 480);
        assert_eq!(h.day_start(), time!(07:00));
        assert_eq!(h.day_end(), time!(17:00));
        assert_eq!(h.sessions().len(), 2);
        assert_eq!(h.sessions()[0].minutes(), 270);
        assert_eq!(h.sessions()[1].minutes(), 210);
        assert_eq!(plain().working_days_to_minutes(15), 7200);
    }

    #[test]
    fn working_hours_validation() {
        assert_eq!(WorkingSession::new(time!(11:00), time!(11:00)), Err(CalendarError::EmptySession));
        assert_eq!(WorkingSession::new(time!(12:00), time!(11:00)), Err(CalendarError::EmptySession));
        assert_eq!(WorkingHours::new(vec![]), Err(CalendarError::NoSessions));
        let s = |a, b| WorkingSession::new(a, b).unwrap();
        assert_eq!(
            WorkingHours::new(vec![s(time!(8:00), time!(12:00)), s(time!(11:00), time!(17:00))]),
            Err(CalendarError::OverlappingSessions)
        );
        assert_eq!(
            WorkingHours::new(vec![s(time!(13:00), time!(17:00)), s(time!(8:00), time!(12:00))]),
            Err(CalendarError::OverlappingSessions)
        );
        let touching =
            WorkingHours::new(vec![s(time!(8:00), time!(12:00)), s(time!(12:00), time!(16:00))]).unwrap();
        assert_eq!(touching.minutes_per_day(), 480);
        assert_eq!(touching.day_end(), time!(16:00));
    }

    #[test]
    fn error_codes() {
        assert_eq!(CalendarError::OutOfRange.code(), "calendar_out_of_range");
        assert_eq!(CalendarError::NoWorkingDay.code(), "calendar_no_working_day");
        assert_eq!(CalendarError::EmptySession.code(), "calendar_empty_session");
    }

    // ---------- working days ----------

    #[test]
    fn weekdays_weekends_holidays() {
        let cal = vn();
        assert!(cal.is_working_day(date!(2025 - 03 - 10))); // Monday
        assert!(cal.is_working_day(date!(2025 - 03 - 14))); // Friday
        assert!(!cal.is_working_day(date!(2025 - 03 - 15))); // Saturday
        assert!(!cal.is_working_day(date!(2025 - 03 - 16))); // Sunday
        assert!(!cal.is_working_day(date!(2025 - 01 - 01))); // New Year
        assert!(!cal.is_working_day(date!(2025 - 04 - 30)));
        assert!(!cal.is_working_day(date!(2025 - 05 - 02))); // swapped day off
        assert!(cal.is_working_day(date!(2025 - 04 - 26))); // make-up Saturday
        assert!(cal.is_weekend(date!(2025 - 04 - 26)));
        assert!(!cal.is_working_day(date!(2025 - 04 - 27))); // the Sunday after it
    }

    #[test]
    fn holiday_beats_extra_working_day() {
        let cal =
            plain().with_holidays([date!(2025 - 04 - 26)]).with_extra_working_days([date!(2025 - 04 - 26)]);
        assert!(!cal.is_working_day(date!(2025 - 04 - 26)));
    }

    #[test]
    fn custom_weekend() {
        let cal = plain().with_weekend(&[Weekday::Sunday]).unwrap();
        assert!(cal.is_working_day(date!(2025 - 03 - 15))); // Saturday
        assert!(!cal.is_working_day(date!(2025 - 03 - 16)));
        let all = [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ];
        assert_eq!(plain().with_weekend(&all).unwrap_err(), CalendarError::NoWorkingWeekday);
    }

    #[test]
    fn endless_days_off_give_an_error_not_a_hang() {
        let start = date!(2025 - 01 - 01);
        let days = (0..4000).map(|i| start + Duration::days(i));
        let cal = plain().with_holidays(days);
        assert_eq!(cal.next_working_day(start), Err(CalendarError::NoWorkingDay));
        assert_eq!(
            cal.add_working_days(datetime!(2025-01-01 09:00 +7), 1, None),
            Err(CalendarError::NoWorkingDay)
        );
        assert_eq!(
            cal.add_working_minutes(datetime!(2025-01-01 09:00 +7), 1),
            Err(CalendarError::NoWorkingDay)
        );
    }

    #[test]
    fn end_of_time_is_an_error() {
        assert_eq!(plain().next_working_day(Date::MAX), Err(CalendarError::OutOfRange));
    }

    // ---------- due dates ----------

    fn due(cal: &Calendar, received: OffsetDateTime, days: u32, cutoff: Option<Time>) -> OffsetDateTime {
        cal.add_working_days(received, days, cutoff).unwrap()
    }

    #[test]
    fn ordinary_weekdays() {
        let cal = vn();
        let mon = datetime!(2025-03-10 09:00 +7);
        assert_eq!(due(&cal, mon, 1, None), datetime!(2025-03-11 17:00 +7));
        assert_eq!(due(&cal, mon, 3, None), datetime!(2025-03-13 17:00 +7));
        assert_eq!(due(&cal, mon, 4, None), datetime!(2025-03-14 17:00 +7));
        assert_eq!(due(&cal, mon, 5, None), datetime!(2025-03-17 17:00 +7));
        assert_eq!(due(&cal, mon, 10, None), datetime!(2025-03-24 17:00 +7));
        // the receipt hour does not matter within the day
        assert_eq!(
            due(&cal, datetime!(2025-03-10 07:00 +7), 1, None),
            due(&cal, datetime!(2025-03-10 16:59 +7), 1, None)
        );
        // early morning before opening still counts as that day
        assert_eq!(due(&cal, datetime!(2025-03-10 05:00 +7), 1, None), datetime!(2025-03-11 17:00 +7));
    }

    #[test]
    fn result_is_in_vietnam_offset() {
        let d = due(&vn(), datetime!(2025-03-10 09:00 +7), 1, None);
        assert_eq!(d.offset(), VIETNAM_OFFSET);
    }

    #[test]
    fn friday_afternoon_goes_to_next_week() {
        let cal = vn();
        let fri = datetime!(2025-03-14 16:00 +7);
        assert_eq!(due(&cal, fri, 1, None), datetime!(2025-03-17 17:00 +7));
        assert_eq!(due(&cal, fri, 2, None), datetime!(2025-03-18 17:00 +7));
        assert_eq!(due(&cal, fri, 5, None), datetime!(2025-03-21 17:00 +7));
        assert_eq!(due(&cal, fri, 6, None), datetime!(2025-03-24 17:00 +7));
    }

    #[test]
    fn same_day_procedures() {
        let cal = vn();
        let tue = datetime!(2025-03-11 10:00 +7);
        assert_eq!(due(&cal, tue, 0, None), datetime!(2025-03-11 17:00 +7));
        assert_eq!(due(&cal, tue, 0, CUTOFF), datetime!(2025-03-11 17:00 +7));
    }

    #[test]
    fn cutoff_moves_receipt_to_next_working_day() {
        let cal = vn();
        assert_eq!(due(&cal, datetime!(2025-03-11 14:59 +7), 0, CUTOFF), datetime!(2025-03-11 17:00 +7));
        assert_eq!(due(&cal, datetime!(2025-03-11 15:00 +7), 0, CUTOFF), datetime!(2025-03-12 17:00 +7));
        assert_eq!(due(&cal, datetime!(2025-03-11 15:30 +7), 1, CUTOFF), datetime!(2025-03-13 17:00 +7));
        // Friday after the cutoff: next working day is Monday
        assert_eq!(due(&cal, datetime!(2025-03-14 15:30 +7), 0, CUTOFF), datetime!(2025-03-17 17:00 +7));
        // without a cutoff the same receipt stays on Friday
        assert_eq!(due(&cal, datetime!(2025-03-14 15:30 +7), 0, None), datetime!(2025-03-14 17:00 +7));
        // a cutoff later than closing time cannot extend the day
        assert_eq!(
            due(&cal, datetime!(2025-03-11 17:30 +7), 0, Some(time!(18:00))),
            datetime!(2025-03-12 17:00 +7)
        );
        // day before a holiday, after the cutoff: 31 Dec 2025 -> skip 1 Jan -> Fri 2 Jan
        assert_eq!(due(&cal, datetime!(2025-12-31 15:10 +7), 0, CUTOFF), datetime!(2026-01-02 17:00 +7));
    }

    #[test]
    fn after_office_hours_counts_as_next_day() {
        let cal = vn();
        assert_eq!(due(&cal, datetime!(2025-03-10 17:00 +7), 0, None), datetime!(2025-03-11 17:00 +7));
        assert_eq!(due(&cal, datetime!(2025-03-10 21:00 +7), 1, None), datetime!(2025-03-12 17:00 +7));
    }

    #[test]
    fn received_on_a_day_off() {
        let cal = vn();
        // Saturday and Sunday count as Monday; Monday is then not counted
        for received in
            [datetime!(2025-03-15 10:00 +7), datetime!(2025-03-16 23:59 +7), datetime!(2025-03-15 00:00 +7)]
        {
            assert_eq!(cal.receipt_day(received, None), Ok(date!(2025 - 03 - 17)));
            assert_eq!(due(&cal, received, 1, None), datetime!(2025-03-18 17:00 +7));
            assert_eq!(due(&cal, received, 0, None), datetime!(2025-03-17 17:00 +7));
            // the cutoff plays no part on a day off
            assert_eq!(due(&cal, received, 0, CUTOFF), datetime!(2025-03-17 17:00 +7));
        }
        // received on 30/4/2025 (holiday): 1/5, 2/5 off, 3-4/5 weekend -> counts as Mon 5/5
        let holiday = datetime!(2025-04-30 09:00 +7);
        assert_eq!(cal.receipt_day(holiday, None), Ok(date!(2025 - 05 - 05)));
        assert_eq!(due(&cal, holiday, 1, None), datetime!(2025-05-06 17:00 +7));
    }

    #[test]
    fn year_end() {
        let cal = vn();
        assert_eq!(due(&cal, datetime!(2025-12-31 09:00 +7), 1, None), datetime!(2026-01-02 17:00 +7));
        assert_eq!(due(&cal, datetime!(2025-12-30 09:00 +7), 2, None), datetime!(2026-01-02 17:00 +7));
        assert_eq!(due(&cal, datetime!(2025-12-30 09:00 +7), 3, None), datetime!(2026-01-05 17:00 +7));
        // received on New Year's Day itself counts as Fri 2 Jan
        assert_eq!(due(&cal, datetime!(2026-01-01 10:00 +7), 1, None), datetime!(2026-01-05 17:00 +7));
    }

    #[test]
    fn tet_spans() {
        let cal = vn();
        // Tết 2025: off Mon 27 – Fri 31 Jan (plus the weekends around it)
        assert_eq!(due(&cal, datetime!(2025-01-24 10:00 +7), 1, None), datetime!(2025-02-03 17:00 +7));
        assert_eq!(due(&cal, datetime!(2025-01-23 10:00 +7), 2, None), datetime!(2025-02-03 17:00 +7));
        // Tết 2026: off Mon 16 – Fri 20 Feb
        assert_eq!(due(&cal, datetime!(2026-02-13 10:00 +7), 1, None), datetime!(2026-02-23 17:00 +7));
        assert_eq!(due(&cal, datetime!(2026-02-12 10:00 +7), 3, None), datetime!(2026-02-24 17:00 +7));
        // received during Tết counts as the first working day after it
        assert_eq!(due(&cal, datetime!(2026-02-18 10:00 +7), 0, None), datetime!(2026-02-23 17:00 +7));
        // Tết 2027 (provisional): off Thu 4 – Wed 10 Feb
        assert_eq!(due(&cal, datetime!(2027-02-03 10:00 +7), 1, None), datetime!(2027-02-11 17:00 +7));
        // 15 working days over Tết 2026: from Fri 6 Feb 2026
        // 9,10,11,12,13 (5) 23..27 (10) 2..6 Mar (15)
        assert_eq!(due(&cal, datetime!(2026-02-06 10:00 +7), 15, None), datetime!(2026-03-06 17:00 +7));
    }

    #[test]
    fn holiday_on_a_weekend_is_not_counted_twice() {
        // a holiday on a Saturday with no compensatory day: Friday + 1 = Monday
        let cal = plain().with_holidays([date!(2027 - 05 - 01)]);
        assert_eq!(due(&cal, datetime!(2027-04-29 10:00 +7), 1, None), datetime!(2027-04-30 17:00 +7));
        assert_eq!(due(&cal, datetime!(2027-04-30 10:00 +7), 1, None), datetime!(2027-05-03 17:00 +7));
        // with the real 2026 table: Hùng Kings on Sun 26 Apr, compensatory Mon 27 Apr
        let cal = vn();
        assert_eq!(due(&cal, datetime!(2026-04-24 10:00 +7), 1, None), datetime!(2026-04-28 17:00 +7));
        // Tue 28, Wed 29, then Thu 30/4 and Fri 1/5 off -> Mon 4 May
        assert_eq!(due(&cal, datetime!(2026-04-24 10:00 +7), 3, None), datetime!(2026-05-04 17:00 +7));
    }

    #[test]
    fn make_up_saturday_is_a_working_day() {
        let cal = vn();
        let fri = datetime!(2025-04-25 10:00 +7);
        assert_eq!(due(&cal, fri, 1, None), datetime!(2025-04-26 17:00 +7));
        assert_eq!(due(&cal, fri, 2, None), datetime!(2025-04-28 17:00 +7));
        assert_eq!(due(&cal, fri, 3, None), datetime!(2025-04-29 17:00 +7));
        // 30/4, 1/5, 2/5 off, 3-4/5 weekend
        assert_eq!(due(&cal, fri, 4, None), datetime!(2025-05-05 17:00 +7));
        // received on the make-up Saturday itself
        assert_eq!(due(&cal, datetime!(2025-04-26 09:00 +7), 0, None), datetime!(2025-04-26 17:00 +7));
        // without the make-up day the same Friday + 1 is Monday
        assert_eq!(due(&plain(), fri, 1, None), datetime!(2025-04-28 17:00 +7));
    }

    #[test]
    fn inputs_in_other_offsets_are_converted() {
        let cal = vn();
        // 01:00 UTC = 08:00 Monday in Hà Nội
        assert_eq!(due(&cal, datetime!(2025-03-10 01:00 UTC), 1, None), datetime!(2025-03-11 17:00 +7));
        // 10:30 UTC = 17:30 Monday in Hà Nội: after hours
        assert_eq!(due(&cal, datetime!(2025-03-10 10:30 UTC), 1, None), datetime!(2025-03-12 17:00 +7));
        // Sunday 18:00 UTC = Monday 01:00 in Hà Nội
        assert_eq!(due(&cal, datetime!(2025-03-09 18:00 UTC), 0, None), datetime!(2025-03-10 17:00 +7));
        // 08:00 UTC = 15:00 in Hà Nội: at the cutoff
        assert_eq!(due(&cal, datetime!(2025-03-11 08:00 UTC), 0, CUTOFF), datetime!(2025-03-12 17:00 +7));
    }

    // ---------- working minutes ----------

    fn add(cal: &Calendar, start: OffsetDateTime, minutes: u32) -> OffsetDateTime {
        cal.add_working_minutes(start, minutes).unwrap()
    }

    #[test]
    fn add_minutes_within_and_across_sessions() {
        let cal = vn();
        let mon = |h, m| {
            PrimitiveDateTime::new(date!(2025 - 03 - 10), Time::from_hms(h, m, 0).unwrap())
                .assume_offset(VIETNAM_OFFSET)
        };
        assert_eq!(add(&cal, mon(9, 0), 60), datetime!(2025-03-10 10:00 +7));
        assert_eq!(add(&cal, mon(11, 0), 30), datetime!(2025-03-10 11:30 +7));
        assert_eq!(add(&cal, mon(11, 0), 31), datetime!(2025-03-10 13:31 +7));
        assert_eq!(add(&cal, mon(11, 0), 60), datetime!(2025-03-10 14:00 +7));
        assert_eq!(add(&cal, mon(12, 0), 30), datetime!(2025-03-10 14:00 +7));
        assert_eq!(add(&cal, mon(6, 0), 30), datetime!(2025-03-10 07:30 +7));
        assert_eq!(add(&cal, mon(16, 30), 60), datetime!(2025-03-11 07:30 +7));
        assert_eq!(add(&cal, mon(16, 30), 30), datetime!(2025-03-10 17:00 +7));
        assert_eq!(add(&cal, mon(18, 0), 1), datetime!(2025-03-11 07:01 +7));
        assert_eq!(add(&cal, mon(7, 0), 480), datetime!(2025-03-10 17:00 +7));
        assert_eq!(add(&cal, mon(7, 0), 3 * 480), datetime!(2025-03-12 17:00 +7));
        assert_eq!(add(&cal, mon(10, 0), 480), datetime!(2025-03-11 10:00 +7));
    }

    #[test]
    fn add_minutes_over_weekends_and_holidays() {
        let cal = vn();
        assert_eq!(add(&cal, datetime!(2025-03-14 16:00 +7), 120), datetime!(2025-03-17 08:00 +7));
        assert_eq!(add(&cal, datetime!(2025-03-16 12:00 +7), 480), datetime!(2025-03-17 17:00 +7));
        // Tue 29 Apr 2025 16:00 + 2h: 30/4–4/5 off -> Mon 5 May 08:00
        assert_eq!(add(&cal, datetime!(2025-04-29 16:00 +7), 120), datetime!(2025-05-05 08:00 +7));
        // make-up Saturday counts
        assert_eq!(add(&cal, datetime!(2025-04-25 16:00 +7), 120), datetime!(2025-04-26 08:00 +7));
    }

    #[test]
    fn add_zero_minutes_returns_start() {
        let cal = vn();
        let sunday = datetime!(2025-03-16 12:00 UTC);
        assert_eq!(add(&cal, sunday, 0), sunday);
        assert_eq!(add(&cal, sunday, 0).offset(), VIETNAM_OFFSET);
    }

    #[test]
    fn seconds_are_kept() {
        let cal = vn();
        assert_eq!(add(&cal, datetime!(2025-03-10 11:29:30 +7), 1), datetime!(2025-03-10 13:30:30 +7));
    }

    #[test]
    fn minutes_between() {
        let cal = vn();
        let m = |a, b| cal.working_minutes_between(a, b);
        assert_eq!(m(datetime!(2025-03-10 07:00 +7), datetime!(2025-03-10 17:00 +7)), 480);
        assert_eq!(m(datetime!(2025-03-10 00:00 +7), datetime!(2025-03-11 00:00 +7)), 480);
        assert_eq!(m(datetime!(2025-03-10 11:00 +7), datetime!(2025-03-10 14:00 +7)), 60);
        // lunch to lunch: nothing
        assert_eq!(m(datetime!(2025-03-10 11:30 +7), datetime!(2025-03-10 13:30 +7)), 0);
        // overnight
        assert_eq!(m(datetime!(2025-03-10 16:00 +7), datetime!(2025-03-11 08:00 +7)), 120);
        // over a weekend
        assert_eq!(m(datetime!(2025-03-14 16:00 +7), datetime!(2025-03-17 08:00 +7)), 120);
        // a whole week
        assert_eq!(m(datetime!(2025-03-10 00:00 +7), datetime!(2025-03-17 00:00 +7)), 2400);
        // the week of 30/4/2025: Mon 28, Tue 29 only (26/4 is before the range)
        assert_eq!(m(datetime!(2025-04-28 00:00 +7), datetime!(2025-05-05 00:00 +7)), 960);
        // reversed and empty
        assert_eq!(m(datetime!(2025-03-11 08:00 +7), datetime!(2025-03-10 16:00 +7)), -120);
        let t = datetime!(2025-03-10 09:00 +7);
        assert_eq!(m(t, t), 0);
        // mixed offsets: 02:00 UTC = 09:00 local
        assert_eq!(m(datetime!(2025-03-10 02:00 UTC), datetime!(2025-03-10 10:00 +7)), 60);
        // partial minutes are truncated
        assert_eq!(m(datetime!(2025-03-10 09:00 +7), datetime!(2025-03-10 09:01:59 +7)), 1);
    }

    // ---------- timeliness ----------

    #[test]
    fn classification_edges() {
        let cal = vn();
        let due = datetime!(2025-03-14 17:00 +7); // Friday
        let c = |t| cal.classify(due, t);
        assert_eq!(c(datetime!(2025-03-10 09:00 +7)), Timeliness::Early);
        assert_eq!(c(datetime!(2025-03-13 16:59 +7)), Timeliness::Early);
        assert_eq!(c(datetime!(2025-03-13 22:00 +7)), Timeliness::Early);
        assert_eq!(c(datetime!(2025-03-14 00:30 +7)), Timeliness::OnTime);
        assert_eq!(c(datetime!(2025-03-14 07:00 +7)), Timeliness::OnTime);
        assert_eq!(c(datetime!(2025-03-14 17:00 +7)), Timeliness::OnTime);
        assert_eq!(c(datetime!(2025-03-14 17:00:01 +7)), Timeliness::Late);
        assert_eq!(c(datetime!(2025-03-17 08:00 +7)), Timeliness::Late);
        // the moment is compared, not the wall clock: 10:00 UTC = 17:00 local
        assert_eq!(c(datetime!(2025-03-14 10:00 UTC)), Timeliness::OnTime);
        assert_eq!(c(datetime!(2025-03-14 10:01 UTC)), Timeliness::Late);
        // 16:00 UTC Thursday = 23:00 local Thursday: early
        assert_eq!(c(datetime!(2025-03-13 16:00 UTC)), Timeliness::Early);
        // 17:30 UTC Thursday = 00:30 local Friday: on time
        assert_eq!(c(datetime!(2025-03-13 17:30 UTC)), Timeliness::OnTime);
    }

    #[test]
    fn classification_around_days_off() {
        let cal = vn();
        let monday_due = datetime!(2025-03-17 17:00 +7);
        // finished on the weekend before a Monday deadline: on time
        assert_eq!(cal.classify(monday_due, datetime!(2025-03-15 10:00 +7)), Timeliness::OnTime);
        assert_eq!(cal.classify(monday_due, datetime!(2025-03-16 10:00 +7)), Timeliness::OnTime);
        // finished the Friday before: early
        assert_eq!(cal.classify(monday_due, datetime!(2025-03-14 16:00 +7)), Timeliness::Early);
        // due Mon 5 May 2025 after the long holiday; finished Tue 29 Apr: early;
        // finished on 1 May (holiday): on time
        let due = datetime!(2025-05-05 17:00 +7);
        assert_eq!(cal.classify(due, datetime!(2025-04-29 10:00 +7)), Timeliness::Early);
        assert_eq!(cal.classify(due, datetime!(2025-05-01 10:00 +7)), Timeliness::OnTime);
        // the make-up Saturday is a working day: finishing then is early for a Monday due
        let due = datetime!(2025-04-28 17:00 +7);
        assert_eq!(cal.classify(due, datetime!(2025-04-26 16:00 +7)), Timeliness::Early);
        assert_eq!(cal.classify(due, datetime!(2025-04-27 16:00 +7)), Timeliness::OnTime);
    }

    #[test]
    fn timeliness_labels() {
        assert_eq!(Timeliness::Early.label_vi(), "Trước hạn");
        assert_eq!(Timeliness::OnTime.label_vi(), "Đúng hạn");
        assert_eq!(Timeliness::Late.label_vi(), "Quá hạn");
        assert_eq!(Timeliness::OnTime.label_en(), "On time");
        assert_eq!(serde_json::to_string(&Timeliness::OnTime).unwrap(), "\"on_time\"");
    }

    // ---------- holidays ----------

    fn dates(year: i32) -> Vec<(Date, bool)> {
        vietnam_holidays(year).into_iter().map(|h| (h.date, h.compensatory)).collect()
    }

    #[test]
    fn holidays_2025() {
        assert_eq!(
            dates(2025),
            vec![
                (date!(2025 - 01 - 01), false),
                (date!(2025 - 01 - 27), false),
                (date!(2025 - 01 - 28), false),
                (date!(2025 - 01 - 29), false),
                (date!(2025 - 01 - 30), false),
                (date!(2025 - 01 - 31), false),
                (date!(2025 - 04 - 07), false),
                (date!(2025 - 04 - 30), false),
                (date!(2025 - 05 - 01), false),
                (date!(2025 - 05 - 02), true),
                (date!(2025 - 09 - 01), false),
                (date!(2025 - 09 - 02), false),
            ]
        );
        assert_eq!(vietnam_extra_working_days(2025), vec![date!(2025 - 04 - 26)]);
    }

    #[test]
    fn holidays_2026() {
        assert_eq!(
            dates(2026),
            vec![
                (date!(2026 - 01 - 01), false),
                (date!(2026 - 02 - 16), false),
                (date!(2026 - 02 - 17), false),
                (date!(2026 - 02 - 18), false),
                (date!(2026 - 02 - 19), false),
                (date!(2026 - 02 - 20), false),
                (date!(2026 - 04 - 26), false),
                (date!(2026 - 04 - 27), true),
                (date!(2026 - 04 - 30), false),
                (date!(2026 - 05 - 01), false),
                (date!(2026 - 09 - 01), false),
                (date!(2026 - 09 - 02), false),
            ]
        );
        let comp = &vietnam_holidays(2026)[7];
        assert_eq!(comp.name_vi, "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)");
        assert!(vietnam_extra_working_days(2026).is_empty());
    }

    #[test]
    fn holidays_2027() {
        assert_eq!(
            dates(2027),
            vec![
                (date!(2027 - 01 - 01), false),
                (date!(2027 - 02 - 04), false),
                (date!(2027 - 02 - 05), false),
                (date!(2027 - 02 - 06), false),
                (date!(2027 - 02 - 07), false),
                (date!(2027 - 02 - 08), false),
                (date!(2027 - 02 - 09), true),
                (date!(2027 - 02 - 10), true),
                (date!(2027 - 04 - 16), false),
                (date!(2027 - 04 - 30), false),
                (date!(2027 - 05 - 01), false),
                (date!(2027 - 05 - 03), true),
                (date!(2027 - 09 - 02), false),
                (date!(2027 - 09 - 03), false),
            ]
        );
    }

    #[test]
    fn fixed_date_rules_match_past_years() {
        // 2023: 1/1 Sunday -> Monday 2/1; 30/4 Sunday -> 2/5 (1/5 is taken);
        // 2/9 Saturday -> 1/9 Friday + compensatory Monday 4/9
        assert_eq!(
            dates(2023),
            vec![
                (date!(2023 - 01 - 01), false),
                (date!(2023 - 01 - 02), true),
                (date!(2023 - 04 - 30), false),
                (date!(2023 - 05 - 01), false),
                (date!(2023 - 05 - 02), true),
                (date!(2023 - 09 - 01), false),
                (date!(2023 - 09 - 02), false),
                (date!(2023 - 09 - 04), true),
            ]
        );
        // 2022: 2/9 Friday -> 1/9 Thursday (as announced that year)
        let d2022 = dates(2022);
        assert!(d2022.contains(&(date!(2022 - 09 - 01), false)));
        assert!(!d2022.iter().any(|(d, _)| *d == date!(2022 - 09 - 03)));
        // 2029: 2/9 Sunday -> 3/9 Monday, and 2/9 itself compensated on Tuesday 4/9
        let d2029: Vec<_> = dates(2029).into_iter().filter(|(d, _)| d.month() == Month::September).collect();
        assert_eq!(
            d2029,
            vec![
                (date!(2029 - 09 - 02), false),
                (date!(2029 - 09 - 03), false),
                (date!(2029 - 09 - 04), true)
            ]
        );
        // 2024: 2/9 Monday -> 3/9
        let d2024 = dates(2024);
        assert!(d2024.contains(&(date!(2024 - 09 - 03), false)));
        assert!(!d2024.iter().any(|(d, _)| *d == date!(2024 - 09 - 01)));
    }

    #[test]
    fn other_years_have_only_fixed_dates() {
        let d = dates(2030);
        assert_eq!(d.len(), 5);
        assert!(d.iter().all(|(d, _)| matches!(
            d.month(),
            Month::January | Month::April | Month::May | Month::September
        )));
    }

    #[test]
    fn holiday_lists_are_sorted_unique_and_named() {
        for year in 2020..=2035 {
            let list = vietnam_holidays(year);
            assert!(list.windows(2).all(|w| w[0].date < w[1].date), "{year}");
            assert!(list.iter().all(|h| h.date.year() == year));
            assert!(list.iter().all(|h| !h.name_vi.is_empty() && !h.name_en.is_empty()));
            // compensatory days are never on a weekend
            assert!(
                list.iter()
                    .filter(|h| h.compensatory)
                    .all(|h| !matches!(h.date.weekday(), Weekday::Saturday | Weekday::Sunday))
            );
        }
    }

    #[test]
    fn holiday_serde_uses_iso_dates() {
        let h = &vietnam_holidays(2025)[0];
        let json = serde_json::to_string(h).unwrap();
        assert_eq!(
            json,
            r#"{"date":"2025-01-01","name_vi":"Tết Dương lịch","name_en":"New Year's Day","compensatory":false}"#
        );
        assert_eq!(&serde_json::from_str::<Holiday>(&json).unwrap(), h);
    }

    // ---------- properties ----------

    /// Seconds from 2025-01-01 00:00 +7 to 2027-12-01 00:00 +7.
    fn instant() -> impl Strategy<Value = OffsetDateTime> {
        let base = datetime!(2025-01-01 00:00 +7).unix_timestamp();
        let end = datetime!(2027-12-01 00:00 +7).unix_timestamp();
        (base..end).prop_map(|s| OffsetDateTime::from_unix_timestamp(s).unwrap().to_offset(VIETNAM_OFFSET))
    }

    proptest! {
        #[test]
        fn due_is_a_working_day_end_and_monotonic(
            received in instant(), n in 0u32..40, cutoff in proptest::option::of(12u8..17)
        ) {
            let cal = vn();
            let cutoff = cutoff.map(|h| Time::from_hms(h, 0, 0).unwrap());
            let d0 = cal.add_working_days(received, n, cutoff).unwrap();
            let d1 = cal.add_working_days(received, n + 1, cutoff).unwrap();
            prop_assert!(cal.is_working_day(d0.date()));
            prop_assert_eq!(d0.time(), time!(17:00));
            prop_assert_eq!(d0.offset(), VIETNAM_OFFSET);
            prop_assert!(d0 < d1);
            prop_assert!(d0 >= received);
            // exactly n working days lie strictly between the receipt day and the due day,
            // counting the due day itself
            let receipt = cal.receipt_day(received, cutoff).unwrap();
            let mut count = 0;
            let mut day = receipt;
            while day < d0.date() {
                day = day.next_day().unwrap();
                count += u32::from(cal.is_working_day(day));
            }
            prop_assert_eq!(count, n);
            // working time from receipt to due is at least n days' worth
            prop_assert!(cal.working_minutes_between(received, d0) >= i64::from(n) * 480);
        }

        #[test]
        fn add_minutes_inverts_minutes_between(start in instant(), minutes in 1u32..20_000) {
            let cal = vn();
            let end = cal.add_working_minutes(start, minutes).unwrap();
            prop_assert!(end > start);
            let start_minute = start.replace_second(0).unwrap().replace_nanosecond(0).unwrap();
            let end_minute = cal.add_working_minutes(start_minute, minutes).unwrap();
            prop_assert_eq!(cal.working_minutes_between(start_minute, end_minute), i64::from(minutes));
            prop_assert_eq!(cal.working_minutes_between(end_minute, start_minute), -i64::from(minutes));
            // the end is inside working time (or at a session end)
            prop_assert!(cal.is_working_day(end.date()));
            let t = end.time();
            prop_assert!(cal.hours().sessions().iter().any(|s| s.start() < t && t <= s.end()));
        }

        #[test]
        fn classify_is_consistent(due in instant(), completed in instant()) {
            let cal = vn();
            let class = cal.classify(due, completed);
            prop_assert_eq!(class == Timeliness::Late, completed > due);
            if class == Timeliness::Early {
                prop_assert!(completed.date() < due.date());
            }
        }
    }
}
