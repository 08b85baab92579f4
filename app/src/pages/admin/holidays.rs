//! `/admin/holidays`: the public holidays and the weekend days worked, per year (system
//! administrators). The working-day calendar reads this table, so edits count at once.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::widgets::{CheckField, set_status};
use crate::components::form::{ErrorSummary, Notice, TextField};
use crate::components::viewer::require_signed_in;
use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Ngày nghỉ lễ và ngày làm bù", en: "Holidays and extra working days" }
    FORBIDDEN = { vi: "Trang này dành cho quản trị hệ thống.", en: "This page is for system administrators." }
    INTRO = { vi: "Thời hạn giải quyết hồ sơ được tính theo ngày làm việc: bỏ qua thứ Bảy, Chủ nhật và các ngày nghỉ dưới đây, tính các ngày làm bù.", en: "Deadlines count working days: Saturdays, Sundays and the holidays below are skipped; extra working days count." }
    YEAR = { vi: "Năm", en: "Year" }
    YEARS = { vi: "Chọn năm", en: "Choose a year" }
    HOLIDAYS = { vi: "Ngày nghỉ", en: "Holidays" }
    DATE = { vi: "Ngày", en: "Date" }
    NAME = { vi: "Tên", en: "Name" }
    KIND = { vi: "Loại", en: "Kind" }
    COMPENSATORY = { vi: "Nghỉ bù", en: "Day off in lieu" }
    PUBLIC_HOLIDAY = { vi: "Nghỉ lễ", en: "Public holiday" }
    ACTIONS = { vi: "Thao tác", en: "Actions" }
    REMOVE = { vi: "Xóa", en: "Remove" }
    NONE = { vi: "Chưa có ngày nào trong năm này.", en: "No days in this year yet." }
    ADD_HOLIDAY = { vi: "Thêm ngày nghỉ", en: "Add a holiday" }
    HOLIDAY_DAY = { vi: "Ngày nghỉ mới", en: "Date of the new holiday" }
    HOLIDAY_NAME_VI = { vi: "Tên (tiếng Việt)", en: "Name (Vietnamese)" }
    HOLIDAY_NAME_EN = { vi: "Tên (tiếng Anh)", en: "Name (English)" }
    HOLIDAY_COMPENSATORY = { vi: "Là ngày nghỉ bù", en: "A day off in lieu" }
    EXTRA = { vi: "Ngày làm bù (thứ Bảy, Chủ nhật đi làm)", en: "Extra working days (Saturdays or Sundays worked)" }
    NOTE = { vi: "Ghi chú", en: "Note" }
    ADD_EXTRA = { vi: "Thêm ngày làm bù", en: "Add an extra working day" }
    EXTRA_DAY = { vi: "Ngày làm bù mới", en: "Date of the new extra working day" }
    EXTRA_NOTE = { vi: "Ghi chú (không bắt buộc)", en: "Note (optional)" }
    SAVED = { vi: "Đã lưu. Thời hạn tính từ nay dùng lịch mới.", en: "Saved. Deadlines computed from now on use the new calendar." }
    REMOVED = { vi: "Đã xóa.", en: "Removed." }
}

#[derive(Debug, Clone)]
struct YearData {
    year: i32,
    holidays: Vec<(String, String, String, bool)>,
    extra: Vec<(String, String)>,
}

/// `2026-09-02` → `02/09/2026` (the Vietnamese way of writing dates).
fn vn_date(day: &str) -> String {
    let parts: Vec<&str> = day.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => day.to_string(),
    }
}

/// The holiday table of one year with its forms.
#[component]
pub fn HolidaysPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let year: Option<i32> = query.with_untracked(|q| q.get("year")).and_then(|y| y.parse().ok());
    let notice = if query.with_untracked(|q| q.get("saved").is_some()) {
        Some(SAVED)
    } else if query.with_untracked(|q| q.get("removed").is_some()) {
        Some(REMOVED)
    } else {
        None
    };
    require_signed_in().map(|_| {
        let data = crate::pages::loader::spawn(load(year));
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Some(data) = data.await else {
                        set_status(403);
                        return view! { <p>{t(FORBIDDEN)}</p> }.into_any();
                    };
                    let y = data.year;
                    let pick = move |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
                    view! {
                        <p>{t(INTRO)}</p>
                        <nav aria-label=t(YEARS) class="pagination">
                            <a href=format!("/admin/holidays?year={}", y - 1)>{t(YEAR)} " " {y - 1}</a>
                            <span aria-current="page">{t(YEAR)} " " {y}</span>
                            <a href=format!("/admin/holidays?year={}", y + 1)>{t(YEAR)} " " {y + 1}</a>
                        </nav>
                        {notice.map(|n| view! { <Notice text=n/> })}
                        <ErrorSummary/>
                        <section class="admin-section" aria-labelledby="holidays-title">
                            <h2 id="holidays-title">{format!("{} {y}", t(HOLIDAYS))}</h2>
                            {if data.holidays.is_empty() {
                                view! { <p class="empty">{t(NONE)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table" id="holiday-list">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t(DATE)}</th>
                                                <th scope="col">{t(NAME)}</th>
                                                <th scope="col">{t(KIND)}</th>
                                                <th scope="col">{t(ACTIONS)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {data.holidays.iter().map(|(day, vi, en, comp)| {
                                                let shown = vn_date(day);
                                                view! {
                                                    <tr>
                                                        <td>{shown.clone()}</td>
                                                        <td>{pick(vi, en)}</td>
                                                        <td>{if *comp { t(COMPENSATORY) } else { t(PUBLIC_HOLIDAY) }}</td>
                                                        <td>
                                                            <form method="post" action="/admin/holidays/remove">
                                                                <input type="hidden" name="day" value=day.clone()/>
                                                                <input type="hidden" name="year" value=y.to_string()/>
                                                                <button type="submit" class="small-button">
                                                                    {t(REMOVE)}
                                                                    <span class="visually-hidden">" " {shown}</span>
                                                                </button>
                                                            </form>
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                            <h3>{t(ADD_HOLIDAY)}</h3>
                            <form method="post" action="/admin/holidays" novalidate>
                                <input type="hidden" name="year" value=y.to_string()/>
                                <div class="form-grid">
                                    <TextField name="holiday_day" label=HOLIDAY_DAY kind="date" required=true/>
                                    <TextField name="holiday_name_vi" label=HOLIDAY_NAME_VI required=true/>
                                    <TextField name="holiday_name_en" label=HOLIDAY_NAME_EN required=true/>
                                </div>
                                <CheckField name="holiday_compensatory" label=HOLIDAY_COMPENSATORY initial=false/>
                                <button type="submit" class="button">{t(ADD_HOLIDAY)}</button>
                            </form>
                        </section>
                        <section class="admin-section" aria-labelledby="extra-title">
                            <h2 id="extra-title">{format!("{} {y}", t(EXTRA))}</h2>
                            {if data.extra.is_empty() {
                                view! { <p class="empty">{t(NONE)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table" id="extra-list">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t(DATE)}</th>
                                                <th scope="col">{t(NOTE)}</th>
                                                <th scope="col">{t(ACTIONS)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {data.extra.iter().map(|(day, note)| {
                                                let shown = vn_date(day);
                                                view! {
                                                    <tr>
                                                        <td>{shown.clone()}</td>
                                                        <td>{note.clone()}</td>
                                                        <td>
                                                            <form method="post" action="/admin/holidays/extra/remove">
                                                                <input type="hidden" name="day" value=day.clone()/>
                                                                <input type="hidden" name="year" value=y.to_string()/>
                                                                <button type="submit" class="small-button">
                                                                    {t(REMOVE)}
                                                                    <span class="visually-hidden">" " {shown}</span>
                                                                </button>
                                                            </form>
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                            <h3>{t(ADD_EXTRA)}</h3>
                            <form method="post" action="/admin/holidays/extra" novalidate>
                                <input type="hidden" name="year" value=y.to_string()/>
                                <div class="form-grid">
                                    <TextField name="extra_day" label=EXTRA_DAY kind="date" required=true/>
                                    <TextField name="extra_note" label=EXTRA_NOTE/>
                                </div>
                                <button type="submit" class="button">{t(ADD_EXTRA)}</button>
                            </form>
                        </section>
                    }
                    .into_any()
                })}
            </Suspense>
        }
    })
}

async fn load(year: Option<i32>) -> Option<YearData> {
    #[cfg(feature = "ssr")]
    {
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = super::widgets::current_actor()?;
        let year = year.filter(|y| (1900..=2200).contains(y)).unwrap_or_else(|| state.clock.now().year());
        let v = crate::ssr::services::holidays::year(&state, &actor, year).await.ok()?;
        Some(YearData {
            year: v.year,
            holidays: v.holidays.into_iter().map(|h| (h.day, h.name_vi, h.name_en, h.compensatory)).collect(),
            extra: v.extra,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = year;
        None
    }
}
