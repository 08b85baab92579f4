//! The holiday table as administrators edit it: public holidays (with compensatory days off)
//! and the weekend days worked to make up for a bridge. The working-day calendar reads the
//! table (`db::catalogue::calendar_days`) each time it is built, with no cache, so an edit
//! counts for the next deadline computed.

use time::Weekday;

use crate::domain::iso_date;
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, may_edit_holidays};
use crate::ssr::db::catalogue_edit::{self as db, HolidayRow};
use crate::ssr::services::{FieldErrors, ServiceError, ServiceResult};
use crate::ssr::state::AppState;

crate::texts! {
    DATE = { vi: "Ngày có dạng YYYY-MM-DD, ví dụ 2026-09-02.", en: "A date looks like YYYY-MM-DD, e.g. 2026-09-02." }
    NAME = { vi: "Vui lòng nhập tên ngày nghỉ.", en: "Please enter the holiday's name." }
    WEEKEND = { vi: "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.", en: "An extra working day must be a Saturday or a Sunday." }
    NOTE_LONG = { vi: "Ghi chú quá dài.", en: "The note is too long." }
    NOT_THERE = { vi: "Ngày này không có trong danh sách.", en: "This day is not in the list." }
}

/// A holiday as shown.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct HolidayView {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// A compensatory day off.
    pub compensatory: bool,
}

/// One year of the calendar table.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct YearView {
    /// The year.
    pub year: i32,
    /// Holidays, by date.
    pub holidays: Vec<HolidayView>,
    /// Extra working days (date, note), by date.
    pub extra: Vec<(String, String)>,
}

/// The holidays and extra working days of `year`.
pub async fn year(state: &AppState, actor: &Actor, year: i32) -> ServiceResult<YearView> {
    if !may_edit_holidays(actor) {
        return Err(AppError::Forbidden.into());
    }
    let holidays = db::holidays_of_year(&state.db, year)
        .await?
        .into_iter()
        .map(|h| HolidayView {
            day: h.day,
            name_vi: h.name_vi,
            name_en: h.name_en,
            compensatory: h.compensatory != 0,
        })
        .collect();
    let extra = db::extra_working_days_of_year(&state.db, year).await?;
    Ok(YearView { year, holidays, extra })
}

fn parse_day(e: &mut FieldErrors, name: &str, value: &str) -> Option<time::Date> {
    let d = iso_date::parse(value.trim()).ok();
    if d.is_none() {
        e.add(name, DATE);
    }
    d
}

/// A holiday as typed.
#[derive(Debug, Clone, Default)]
pub struct HolidayInput {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Compensatory day off.
    pub compensatory: bool,
}

/// Adds a holiday (or renames the one on that day). Returns its year.
pub async fn add_holiday(state: &AppState, actor: &Actor, input: HolidayInput) -> ServiceResult<i32> {
    if !may_edit_holidays(actor) {
        return Err(AppError::Forbidden.into());
    }
    let mut e = FieldErrors::default();
    let day = parse_day(&mut e, "holiday_day", &input.day);
    let (name_vi, name_en) = (input.name_vi.trim(), input.name_en.trim());
    for (field, name) in [("holiday_name_vi", name_vi), ("holiday_name_en", name_en)] {
        if name.is_empty() {
            e.add(field, NAME);
        } else if name.chars().count() > 200 {
            e.add(field, NOTE_LONG);
        }
    }
    e.finish()?;
    let day = day.ok_or(AppError::InvalidInput)?;
    let mut tx = state.db.begin_write().await?;
    let row = HolidayRow {
        day: iso_date::format(day),
        name_vi: name_vi.into(),
        name_en: name_en.into(),
        compensatory: i64::from(input.compensatory),
    };
    db::put_holiday(&mut tx, &row).await?;
    db::delete_extra_working_day(&mut tx, &row.day).await?;
    tx.commit().await?;
    tracing::info!(day = %row.day, "holiday saved");
    Ok(day.year())
}

/// Removes a holiday. Returns its year.
pub async fn remove_holiday(state: &AppState, actor: &Actor, day: &str) -> ServiceResult<i32> {
    if !may_edit_holidays(actor) {
        return Err(AppError::Forbidden.into());
    }
    let date = iso_date::parse(day.trim()).map_err(|_| ServiceError::field("holiday_day", DATE))?;
    let mut tx = state.db.begin_write().await?;
    if !db::delete_holiday(&mut tx, &iso_date::format(date)).await? {
        return Err(ServiceError::field("holiday_day", NOT_THERE));
    }
    tx.commit().await?;
    tracing::info!(day = %iso_date::format(date), "holiday removed");
    Ok(date.year())
}

/// Adds a Saturday or Sunday that is worked. Returns its year.
pub async fn add_extra_day(state: &AppState, actor: &Actor, day: &str, note: &str) -> ServiceResult<i32> {
    if !may_edit_holidays(actor) {
        return Err(AppError::Forbidden.into());
    }
    let mut e = FieldErrors::default();
    let date = parse_day(&mut e, "extra_day", day);
    if let Some(d) = date
        && !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    {
        e.add("extra_day", WEEKEND);
    }
    let note = note.trim();
    if note.chars().count() > 200 {
        e.add("extra_note", NOTE_LONG);
    }
    e.finish()?;
    let date = date.ok_or(AppError::InvalidInput)?;
    let mut tx = state.db.begin_write().await?;
    let day = iso_date::format(date);
    db::put_extra_working_day(&mut tx, &day, if note.is_empty() { "Làm bù" } else { note }).await?;
    db::delete_holiday(&mut tx, &day).await?;
    tx.commit().await?;
    tracing::info!(%day, "extra working day saved");
    Ok(date.year())
}

/// Removes an extra working day. Returns its year.
pub async fn remove_extra_day(state: &AppState, actor: &Actor, day: &str) -> ServiceResult<i32> {
    if !may_edit_holidays(actor) {
        return Err(AppError::Forbidden.into());
    }
    let date = iso_date::parse(day.trim()).map_err(|_| ServiceError::field("extra_day", DATE))?;
    let mut tx = state.db.begin_write().await?;
    if !db::delete_extra_working_day(&mut tx, &iso_date::format(date)).await? {
        return Err(ServiceError::field("extra_day", NOT_THERE));
    }
    tx.commit().await?;
    Ok(date.year())
}
