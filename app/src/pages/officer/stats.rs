//! `/officer/stats` (figures per unit and period, for leaders and administrators, with every
//! number linking to the dossiers behind it) and `/officer/stats/list` (those dossiers).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::viewer::{roles, with_role};
use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Thống kê giải quyết hồ sơ", en: "Dossier statistics" }
    INTRO = { vi: "Số liệu theo đơn vị tiếp nhận (gồm đơn vị trực thuộc) trong kỳ; bấm vào một con số để xem các hồ sơ.", en: "Figures by receiving unit (with its sub-units) for the period; select a number to see the dossiers." }
    FROM = { vi: "Từ ngày", en: "From" }
    TO = { vi: "Đến ngày", en: "To" }
    PROCEDURE = { vi: "Mã thủ tục (không bắt buộc)", en: "Procedure code (optional)" }
    SHOW = { vi: "Xem", en: "Show" }
    UNIT = { vi: "Đơn vị", en: "Unit" }
    TOTAL = { vi: "Tổng cộng", en: "Total" }
    ON_TIME_RATE = { vi: "Tỷ lệ đúng hạn", en: "On-time rate" }
    ONLINE_SHARE = { vi: "Tỷ lệ nộp trực tuyến", en: "Filed online" }
    CSV = { vi: "Tải CSV", en: "Download CSV" }
    XLSX = { vi: "Tải Excel (XLSX)", en: "Download Excel (XLSX)" }
    NONE = { vi: "Không có số liệu trong kỳ.", en: "No figures for the period." }
    NOT_ALLOWED = { vi: "Trang này dành cho lãnh đạo và quản trị đơn vị.", en: "This page is for leaders and administrators." }
    LIST_TITLE = { vi: "Hồ sơ", en: "Dossiers" }
    LIST_NONE = { vi: "Không có hồ sơ nào.", en: "No dossier." }
    BACK = { vi: "Về thống kê", en: "Back to the statistics" }
    CODE = { vi: "Mã hồ sơ", en: "Dossier code" }
    WHEN = { vi: "Thời điểm", en: "When" }
}

/// The period and filter from the query string (defaults: this month).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatsQuery {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Procedure code.
    pub procedure: String,
}

impl StatsQuery {
    fn query(&self) -> String {
        format!("from={}&to={}&procedure={}", self.from, self.to, self.procedure)
    }
}

fn read_query() -> StatsQuery {
    use_query_map().with_untracked(|q| {
        let date = |k: &str| {
            q.get(k)
                .filter(|v| v.len() == 10 && v.chars().all(|c| c.is_ascii_digit() || c == '-'))
                .unwrap_or_default()
        };
        StatsQuery {
            from: date("from"),
            to: date("to"),
            procedure: q
                .get("procedure")
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                .take(20)
                .collect(),
        }
    })
}

/// One line as shown.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub struct Line {
    code: String,
    name: String,
    values: Vec<(&'static str, i64)>,
    on_time: String,
    online: String,
}

/// The report as shown.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub struct Report {
    allowed: bool,
    query: StatsQuery,
    labels: Vec<(&'static str, String)>,
    lines: Vec<Line>,
    total: Line,
}

/// `/officer/stats`.
#[component]
pub fn StatsPage() -> impl IntoView {
    let locale = use_locale();
    let query = read_query();
    with_role(roles::LEADERS, move |_| {
        let data = load(query.clone(), locale);
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            <p>{t(INTRO)}</p>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let r = data.await;
                    if !r.allowed {
                        return view! { <p class="empty">{t(NOT_ALLOWED)}</p> }.into_any();
                    }
                    let q = r.query.clone();
                    let cell = move |unit: &str, figure: &'static str, v: i64| {
                        if v == 0 {
                            view! { <td>"0"</td> }.into_any()
                        } else {
                            let href = format!("/officer/stats/list?figure={figure}&unit={unit}&{}", q.query());
                            view! { <td><a href=href data-testid=format!("n-{figure}-{unit}")>{v}</a></td> }.into_any()
                        }
                    };
                    let cell2 = cell.clone();
                    view! {
                        <form method="get" action="/officer/stats" class="filters" role="search">
                            <div class="field">
                                <label for="f-from">{t(FROM)}</label>
                                <input type="date" id="f-from" name="from" value=r.query.from.clone()/>
                            </div>
                            <div class="field">
                                <label for="f-to">{t(TO)}</label>
                                <input type="date" id="f-to" name="to" value=r.query.to.clone()/>
                            </div>
                            <div class="field">
                                <label for="f-procedure">{t(PROCEDURE)}</label>
                                <input id="f-procedure" name="procedure" value=r.query.procedure.clone() maxlength="20"/>
                            </div>
                            <button type="submit" class="button secondary">{t(SHOW)}</button>
                        </form>
                        <p class="actions">
                            <a href=format!("/officer/stats.csv?{}", r.query.query()) class="button secondary">{t(CSV)}</a>
                            " "
                            <a href=format!("/officer/stats.xlsx?{}", r.query.query()) class="button secondary">{t(XLSX)}</a>
                        </p>
                        {if r.lines.is_empty() {
                            view! { <p class="empty">{t(NONE)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll">
                                    <table class="table stats">
                                        <caption>{format!("{} {} — {}", t(TITLE), r.query.from, r.query.to)}</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">{t(UNIT)}</th>
                                                {r.labels.iter().map(|(_, l)| view! { <th scope="col">{l.clone()}</th> }).collect_view()}
                                                <th scope="col">{t(ON_TIME_RATE)}</th>
                                                <th scope="col">{t(ONLINE_SHARE)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {r.lines
                                                .iter()
                                                .map(|l| {
                                                    let cell = cell.clone();
                                                    view! {
                                                        <tr>
                                                            <th scope="row">{l.name.clone()}</th>
                                                            {l.values.iter().map(|(f, v)| cell(&l.code, f, *v)).collect_view()}
                                                            <td>{l.on_time.clone()}</td>
                                                            <td>{l.online.clone()}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                        <tfoot>
                                            <tr>
                                                <th scope="row">{t(TOTAL)}</th>
                                                {r.total.values.iter().map(|(f, v)| cell2("", f, *v)).collect_view()}
                                                <td>{r.total.on_time.clone()}</td>
                                                <td>{r.total.online.clone()}</td>
                                            </tr>
                                        </tfoot>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }}
                    }
                        .into_any()
                })}
            </Suspense>
        }
    })
}

/// A percentage as shown, or a dash.
pub fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1} %")).unwrap_or_else(|| "—".into())
}

async fn load(query: StatsQuery, locale: Locale) -> Report {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::services::stats::{self, Figure};
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return Report::default() };
        let Some(actor) = crate::components::viewer::current_actor() else { return Report::default() };
        let Ok(scope) = stats::scope(&state, &actor).await else { return Report::default() };
        let (from, to) = period(&state, &query);
        let query = StatsQuery { from: from.to_string(), to: to.to_string(), procedure: query.procedure };
        let procedure = (!query.procedure.is_empty()).then_some(query.procedure.as_str());
        let Ok((lines, total)) = stats::report(&state, scope.as_deref(), from, to, procedure).await else {
            return Report { allowed: true, query, ..Default::default() };
        };
        let vi = locale == Locale::Vi;
        let show = |l: &stats::UnitLine| Line {
            code: l.code.clone(),
            name: if vi { l.name.0.clone() } else { l.name.1.clone() },
            values: Figure::ALL.iter().map(|f| (f.code(), l.value(*f))).collect(),
            on_time: percent(l.on_time_rate()),
            online: percent(l.online_share()),
        };
        Report {
            allowed: true,
            labels: Figure::ALL
                .iter()
                .map(|f| (f.code(), if vi { f.label().0.to_string() } else { f.label().1.to_string() }))
                .collect(),
            lines: lines.iter().map(show).collect(),
            total: show(&total),
            query,
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (query, locale);
        Report::default()
    }
}

/// The period asked for, or this month; at most five years.
#[cfg(feature = "ssr")]
pub fn period(state: &crate::ssr::state::AppState, q: &StatsQuery) -> (time::Date, time::Date) {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let today = state.clock.now().to_offset(crate::domain::VIETNAM_OFFSET).date();
    let first = today.replace_day(1).unwrap_or(today);
    let from = time::Date::parse(&q.from, fmt).unwrap_or(first);
    let to = time::Date::parse(&q.to, fmt).unwrap_or(today);
    let to = if to < from { from } else { to };
    let from = if (to - from).whole_days() > 5 * 366 { to - time::Duration::days(5 * 366) } else { from };
    (from, to)
}

/// One dossier behind a figure.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
struct Item {
    id: String,
    code: String,
    procedure: String,
    when: String,
}

/// `/officer/stats/list?figure=…&unit=…&from=…&to=…`.
#[component]
pub fn StatsListPage() -> impl IntoView {
    let locale = use_locale();
    let query = read_query();
    let (figure, unit) = use_query_map()
        .with_untracked(|q| (q.get("figure").unwrap_or_default(), q.get("unit").unwrap_or_default()));
    with_role(roles::LEADERS, move |_| {
        let data = load_list(query.clone(), figure.clone(), unit.clone(), locale);
        let back = format!("/officer/stats?{}", query.query());
        view! {
            <Title text=t(LIST_TITLE)/>
            <p class="breadcrumb"><a href=back>{t(BACK)}</a></p>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Some((title, items)) = data.await else {
                        return view! { <h1>{t(LIST_TITLE)}</h1><p class="empty">{t(NOT_ALLOWED)}</p> }.into_any();
                    };
                    view! {
                        <h1>{title}</h1>
                        {if items.is_empty() {
                            view! { <p class="empty">{t(LIST_NONE)}</p> }.into_any()
                        } else {
                            view! {
                                <table class="table">
                                    <caption class="visually-hidden">{t(LIST_TITLE)}</caption>
                                    <thead><tr><th scope="col">{t(CODE)}</th><th scope="col">{t(PROCEDURE)}</th><th scope="col">{t(WHEN)}</th></tr></thead>
                                    <tbody>
                                        {items
                                            .into_iter()
                                            .map(|i| view! {
                                                <tr>
                                                    <td><a href=format!("/officer/dossiers/{}", i.id)>{i.code}</a></td>
                                                    <td>{i.procedure}</td>
                                                    <td>{i.when}</td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any()
                        }}
                    }
                        .into_any()
                })}
            </Suspense>
        }
    })
}

async fn load_list(
    query: StatsQuery,
    figure: String,
    unit: String,
    locale: Locale,
) -> Option<(String, Vec<Item>)> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::services::stats::{self, Figure};
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        let scope = stats::scope(&state, &actor).await.ok()?;
        let figure = Figure::from_code(&figure)?;
        // one unit within the viewer's scope, or all of it
        let units: Vec<String> = match (&scope, unit.is_empty()) {
            (Some(units), true) => units.clone(),
            (Some(units), false) => units.iter().filter(|u| **u == unit).cloned().collect(),
            (None, false) => vec![unit.clone()],
            (None, true) => crate::ssr::db::catalogue::agencies(&state.db)
                .await
                .ok()?
                .into_iter()
                .map(|a| a.code)
                .collect(),
        };
        if units.is_empty() {
            return None;
        }
        let (from, to) = period(&state, &query);
        let rows = stats::behind(&state, &units, figure, from, to).await.ok()?;
        let vi = locale == Locale::Vi;
        let label = if vi { figure.label().0 } else { figure.label().1 };
        let title = format!(
            "{label} — {} ({from} — {to})",
            if unit.is_empty() { t(TOTAL).to_string() } else { unit }
        );
        Some((
            title,
            rows.into_iter()
                .map(|(id, code, procedure, when)| Item {
                    id,
                    code,
                    procedure,
                    when: crate::ssr::services::receipts::local_time(when),
                })
                .collect(),
        ))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (query, figure, unit, locale);
        None
    }
}
