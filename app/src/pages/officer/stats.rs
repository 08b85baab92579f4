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
    PRESETS = { vi: "Kỳ nhanh:", en: "Quick periods:" }
    THIS_MONTH = { vi: "Tháng này", en: "This month" }
    THIS_QUARTER = { vi: "Quý này", en: "This quarter" }
    THIS_YEAR = { vi: "Năm nay", en: "This year" }
    LAST_MONTH = { vi: "Tháng trước", en: "Last month" }
    SAT_TITLE = { vi: "Mức độ hài lòng theo tiêu chí", en: "Satisfaction by criterion" }
    SAT_DESC = { vi: "Mỗi thanh là một tiêu chí: phần đậm là lượt rất hài lòng và hài lòng, phần nhạt là không hài lòng; số ghi sau thanh. Bảng dưới có cùng số liệu.", en: "One bar per criterion: the dark part is answers very satisfied or satisfied, the light part not satisfied; the numbers follow the bar. The table below has the same numbers." }
    CRITERION = { vi: "Tiêu chí", en: "Criterion" }
    VERY = { vi: "Rất hài lòng", en: "Very satisfied" }
    SATISFIED = { vi: "Hài lòng", en: "Satisfied" }
    NOT_SATISFIED = { vi: "Không hài lòng", en: "Not satisfied" }
    SHARE = { vi: "Tỷ lệ hài lòng", en: "Satisfied share" }
    GOOD_SAT = { vi: "Rất hài lòng, hài lòng", en: "Very satisfied or satisfied" }
    NO_RATINGS = { vi: "Chưa có lượt đánh giá trong kỳ.", en: "No rating in the period." }
    SAT_UNITS = { vi: "Tỷ lệ hài lòng theo đơn vị", en: "Satisfied share by unit" }
    RATINGS = { vi: "Lượt đánh giá", en: "Ratings" }
    BACKLOG_TITLE = { vi: "Hồ sơ đang chờ theo bước", en: "Backlog by step" }
    BACKLOG_DESC = { vi: "Mỗi thanh là một bước hồ sơ đang chờ (tại thời điểm xem): phần đậm là còn trong hạn, phần nhạt là đã quá hạn; số ghi sau thanh. Bảng dưới có cùng số liệu.", en: "One bar per step where dossiers wait now: the dark part is in time, the light part past the appointment; the numbers follow the bar. The table below has the same numbers." }
    STEP = { vi: "Bước", en: "Step" }
    IN_TIME = { vi: "Trong hạn", en: "In time" }
    LATE = { vi: "Quá hạn", en: "Late" }
    NO_BACKLOG = { vi: "Không có hồ sơ đang chờ.", en: "No dossier waiting." }
    BY_FIELD = { vi: "Theo lĩnh vực", en: "By field" }
    FIELD = { vi: "Lĩnh vực", en: "Field" }
    BY_OFFICER = { vi: "Theo cán bộ", en: "By officer" }
    BY_OFFICER_INTRO = { vi: "Các bước xử lý (phiếu kiểm soát quá trình) mỗi cán bộ đã hoàn thành trong kỳ so với thời hạn của bước, và các bước đang giao cho cán bộ (tại thời điểm xem, không tính hồ sơ đang chờ công dân bổ sung hoặc nộp phí).", en: "The workflow steps (process-control log) each officer finished in the period against the step's own deadline, and the steps assigned to them now (not counting dossiers waiting for the applicant's supplement or payment)." }
    OFFICER = { vi: "Cán bộ", en: "Officer" }
    NOBODY = { vi: "Chưa giao cho cán bộ nào", en: "Not assigned to anyone" }
    NO_OFFICERS = { vi: "Không có cán bộ hay bước xử lý nào trong kỳ.", en: "No officer or workflow step in the period." }
    DOSSIERS_OF = { vi: "hồ sơ", en: "dossiers" }
    EVAL_TITLE = { vi: "Đánh giá việc giải quyết theo 9 tiêu chí, theo đơn vị", en: "Evaluation of the handling on the nine criteria, by unit" }
    EVAL_INTRO = { vi: "Điểm trung bình (tối đa 2) của mỗi tiêu chí trên các hồ sơ đã trả kết quả trong kỳ; tiêu chí không tính được cho một hồ sơ thì không tính hồ sơ đó vào trung bình của tiêu chí.", en: "The average points (at most 2) of each criterion over the dossiers whose result was returned in the period; a dossier on which a criterion cannot be computed is left out of that criterion's average." }
    EVAL_DOSSIERS = { vi: "Số hồ sơ được đánh giá", en: "Dossiers evaluated" }
    EVAL_TRUNCATED = { vi: "Kỳ có nhiều hồ sơ: chỉ tính 1.000 hồ sơ trả kết quả gần nhất.", en: "A busy period: only the latest 1,000 dossiers returned are counted." }
    NO_EVAL = { vi: "Không có hồ sơ trả kết quả trong kỳ.", en: "No result returned in the period." }
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

/// One officer's line as shown.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub struct OfficerRow {
    unit: String,
    unit_name: String,
    /// The user id, or `none` for the steps nobody was assigned.
    officer: String,
    name: String,
    values: Vec<(&'static str, i64)>,
}

/// A number that links to the dossiers behind it (plain text when zero). Its accessible name
/// starts with the number shown, followed by what it counts and for whom.
fn figure_link(href: String, testid: String, v: i64, what: String) -> AnyView {
    if v == 0 {
        view! { <td>"0"</td> }.into_any()
    } else {
        let label = format!("{v} {} — {what}", t(DOSSIERS_OF));
        view! { <td><a href=href data-testid=testid aria-label=label>{v}</a></td> }.into_any()
    }
}

/// The nine criteria by unit as shown: unit names, dossiers evaluated per unit, per
/// criterion its name and the averages, and whether the period had more dossiers than are
/// evaluated.
type EvaluationTable = (Vec<String>, Vec<i64>, Vec<(String, Vec<String>)>, bool);

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
    presets: Vec<(String, String)>,
    satisfaction: Vec<(String, i64, i64, i64, String)>,
    criteria: Vec<String>,
    sat_units: Vec<(String, i64, Vec<String>)>,
    backlog: Vec<(String, i64, i64)>,
    fields: Vec<Line>,
    field_labels: Vec<(&'static str, String)>,
    officers: Vec<OfficerRow>,
    step_labels: Vec<(&'static str, String)>,
    evaluation: EvaluationTable,
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
        let data = crate::pages::loader::spawn(load(query.clone(), locale));
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
                    let labels = r.labels.clone();
                    let cell = move |unit: &str, name: &str, figure: &'static str, v: i64| {
                        let what = labels.iter().find(|(c, _)| *c == figure).map(|(_, l)| l.clone()).unwrap_or_default();
                        figure_link(
                            format!("/officer/stats/list?figure={figure}&unit={unit}&{}", q.query()),
                            format!("n-{figure}-{unit}"),
                            v,
                            format!("{what}, {name}"),
                        )
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
                        <p class="presets">
                            {t(PRESETS)}" "
                            {r.presets.iter().map(|(label, href)| view! { <a href=href.clone()>{label.clone()}</a>" " }).collect_view()}
                        </p>
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
                                                            {l.values.iter().map(|(f, v)| cell(&l.code, &l.name, f, *v)).collect_view()}
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
                                                {r.total.values.iter().map(|(f, v)| cell2("", t(TOTAL), f, *v)).collect_view()}
                                                <td>{r.total.on_time.clone()}</td>
                                                <td>{r.total.online.clone()}</td>
                                            </tr>
                                        </tfoot>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }}
                        {field_section(&r)}
                        {officer_section(&r)}
                        {evaluation_section(&r)}
                        {satisfaction_section(&r)}
                        {backlog_section(&r)}
                    }
                        .into_any()
                })}
            </Suspense>
        }
    })
}

fn satisfaction_section(r: &Report) -> impl IntoView + use<> {
    use crate::components::chart::{Bar, HorizontalBars};
    let rated = r.satisfaction.iter().any(|(_, a, b, c, _)| a + b + c > 0);
    let bars: Vec<Bar> =
        r.satisfaction.iter().map(|(l, a, b, c, _)| Bar { label: l.clone(), good: a + b, bad: *c }).collect();
    let rows = r.satisfaction.clone();
    let criteria = r.criteria.clone();
    let units = r.sat_units.clone();
    view! {
        <section aria-labelledby="sat-title">
            <h2 id="sat-title">{t(SAT_TITLE)}</h2>
            {if rated {
                view! {
                    <HorizontalBars
                        id="sat-chart"
                        title=t(SAT_TITLE).to_string()
                        description=t(SAT_DESC).to_string()
                        bars=bars
                        good_label=t(GOOD_SAT).to_string()
                        bad_label=t(NOT_SATISFIED).to_string()
                    />
                    <table class="table" data-testid="satisfaction">
                        <caption>{t(SAT_TITLE)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t(CRITERION)}</th>
                                <th scope="col">{t(VERY)}</th>
                                <th scope="col">{t(SATISFIED)}</th>
                                <th scope="col">{t(NOT_SATISFIED)}</th>
                                <th scope="col">{t(SHARE)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|(l, a, b, c, share)| view! {
                                <tr><th scope="row">{l}</th><td>{a}</td><td>{b}</td><td>{c}</td><td>{share}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <div class="table-scroll">
                        <table class="table">
                            <caption>{t(SAT_UNITS)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(UNIT)}</th>
                                    <th scope="col">{t(RATINGS)}</th>
                                    {criteria.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                {units.into_iter().map(|(name, n, shares)| view! {
                                    <tr>
                                        <th scope="row">{name}</th>
                                        <td>{n}</td>
                                        {shares.into_iter().map(|s| view! { <td>{s}</td> }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            } else {
                view! { <p class="empty">{t(NO_RATINGS)}</p> }.into_any()
            }}
        </section>
    }
}

fn field_section(r: &Report) -> impl IntoView + use<> {
    let labels = r.field_labels.clone();
    let rows = r.fields.clone();
    let q = r.query.query();
    (!rows.is_empty()).then(|| {
        view! {
            <section aria-labelledby="field-title">
                <h2 id="field-title">{t(BY_FIELD)}</h2>
                <div class="table-scroll">
                    <table class="table stats" data-testid="by-field">
                        <caption>{format!("{} {} — {}", t(BY_FIELD), r.query.from, r.query.to)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t(FIELD)}</th>
                                {labels.iter().map(|(_, l)| view! { <th scope="col">{l.clone()}</th> }).collect_view()}
                                <th scope="col">{t(ON_TIME_RATE)}</th>
                                <th scope="col">{t(ONLINE_SHARE)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|l| {
                                let cells = labels
                                    .iter()
                                    .map(|(code, label)| {
                                        let v = l.values.iter().find(|(c, _)| c == code).map(|(_, v)| *v).unwrap_or(0);
                                        figure_link(
                                            format!("/officer/stats/list?figure={code}&unit=&field={}&{q}", l.code),
                                            format!("f-{code}-{}", l.code),
                                            v,
                                            format!("{label}, {}", l.name),
                                        )
                                    })
                                    .collect_view();
                                view! {
                                    <tr>
                                        <th scope="row">{l.name.clone()}</th>
                                        {cells}
                                        <td>{l.on_time}</td>
                                        <td>{l.online}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    })
}

fn officer_section(r: &Report) -> impl IntoView + use<> {
    let labels = r.step_labels.clone();
    let rows = r.officers.clone();
    let q = r.query.query();
    view! {
        <section aria-labelledby="officer-title">
            <h2 id="officer-title">{t(BY_OFFICER)}</h2>
            <p>{t(BY_OFFICER_INTRO)}</p>
            {if rows.is_empty() {
                view! { <p class="empty">{t(NO_OFFICERS)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="table stats" data-testid="by-officer">
                            <caption>{format!("{} {} — {}", t(BY_OFFICER), r.query.from, r.query.to)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(OFFICER)}</th>
                                    <th scope="col">{t(UNIT)}</th>
                                    {labels.iter().map(|(_, l)| view! { <th scope="col">{l.clone()}</th> }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|o| {
                                    let cells = o
                                        .values
                                        .iter()
                                        .map(|(code, v)| {
                                            let label = labels.iter().find(|(c, _)| c == code).map(|(_, l)| l.clone()).unwrap_or_default();
                                            figure_link(
                                                format!("/officer/stats/list?figure={code}&unit={}&officer={}&{q}", o.unit, o.officer),
                                                format!("o-{code}-{}-{}", o.unit, o.officer),
                                                *v,
                                                format!("{label}, {}", o.name),
                                            )
                                        })
                                        .collect_view();
                                    view! {
                                        <tr>
                                            <th scope="row">{o.name.clone()}</th>
                                            <td>{o.unit_name.clone()}</td>
                                            {cells}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

fn evaluation_section(r: &Report) -> impl IntoView + use<> {
    let (units, counts, rows, truncated) = r.evaluation.clone();
    view! {
        <section aria-labelledby="eval-title">
            <h2 id="eval-title">{t(EVAL_TITLE)}</h2>
            <p>{t(EVAL_INTRO)}</p>
            {if units.is_empty() {
                view! { <p class="empty">{t(NO_EVAL)}</p> }.into_any()
            } else {
                view! {
                    {truncated.then(|| view! { <p class="note">{t(EVAL_TRUNCATED)}</p> })}
                    <div class="table-scroll">
                        <table class="table stats" data-testid="evaluation-units">
                            <caption>{format!("{} {} — {}", t(EVAL_TITLE), r.query.from, r.query.to)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(CRITERION)}</th>
                                    {units.into_iter().map(|u| view! { <th scope="col">{u}</th> }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                <tr>
                                    <th scope="row">{t(EVAL_DOSSIERS)}</th>
                                    {counts.into_iter().map(|n| view! { <td>{n}</td> }).collect_view()}
                                </tr>
                                {rows.into_iter().map(|(name, averages)| view! {
                                    <tr>
                                        <th scope="row">{name}</th>
                                        {averages.into_iter().map(|a| view! { <td>{a}</td> }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

fn backlog_section(r: &Report) -> impl IntoView + use<> {
    use crate::components::chart::{Bar, HorizontalBars};
    let bars: Vec<Bar> =
        r.backlog.iter().map(|(l, good, bad)| Bar { label: l.clone(), good: *good, bad: *bad }).collect();
    let rows = r.backlog.clone();
    view! {
        <section aria-labelledby="backlog-title">
            <h2 id="backlog-title">{t(BACKLOG_TITLE)}</h2>
            {if rows.is_empty() {
                view! { <p class="empty">{t(NO_BACKLOG)}</p> }.into_any()
            } else {
                view! {
                    <HorizontalBars
                        id="backlog-chart"
                        title=t(BACKLOG_TITLE).to_string()
                        description=t(BACKLOG_DESC).to_string()
                        bars=bars
                        good_label=t(IN_TIME).to_string()
                        bad_label=t(LATE).to_string()
                    />
                    <table class="table" data-testid="backlog">
                        <caption>{t(BACKLOG_TITLE)}</caption>
                        <thead>
                            <tr><th scope="col">{t(STEP)}</th><th scope="col">{t(IN_TIME)}</th><th scope="col">{t(LATE)}</th></tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|(l, a, b)| view! {
                                <tr><th scope="row">{l}</th><td>{a}</td><td>{b}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
    }
}

/// A percentage as shown, or a dash.
pub fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1} %")).unwrap_or_else(|| "—".into())
}

async fn load(query: StatsQuery, locale: Locale) -> Report {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::quality::Criterion;
        use crate::ssr::services::stats::{self, Figure, StepFigure};
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
        let pick = |p: (&'static str, &'static str)| if vi { p.0.to_string() } else { p.1.to_string() };
        let today = state.clock.now().to_offset(crate::domain::VIETNAM_OFFSET).date();
        let presets = presets(today, &query.procedure)
            .into_iter()
            .map(|(label, href)| (t(label).to_string(), href))
            .collect();
        let satisfaction = Criterion::ALL
            .iter()
            .map(|c| {
                let s = total.satisfaction.get(*c);
                (pick(c.label()), s.very_satisfied, s.satisfied, s.not_satisfied, percent(s.share()))
            })
            .collect();
        let sat_units = lines
            .iter()
            .filter(|l| l.satisfaction.ratings() > 0)
            .chain(std::iter::once(&total))
            .map(|l| {
                let name = if l.code.is_empty() {
                    t(TOTAL).to_string()
                } else if vi {
                    l.name.0.clone()
                } else {
                    l.name.1.clone()
                };
                (
                    name,
                    l.satisfaction.ratings(),
                    Criterion::ALL.iter().map(|c| percent(l.satisfaction.get(*c).share())).collect(),
                )
            })
            .collect();
        let backlog = stats::backlog(&state, scope.as_deref())
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|s| (pick(s.label), s.in_time, s.late))
            .collect();
        let show = |l: &stats::UnitLine| Line {
            code: l.code.clone(),
            name: if vi { l.name.0.clone() } else { l.name.1.clone() },
            values: Figure::ALL.iter().map(|f| (f.code(), l.value(*f))).collect(),
            on_time: percent(l.on_time_rate()),
            online: percent(l.online_share()),
        };
        let officers = stats::by_officer(&state, scope.as_deref(), from, to, procedure)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|o| OfficerRow {
                officer: o.officer.clone().unwrap_or_else(|| "none".into()),
                name: if o.officer.is_some() { o.name.clone() } else { t(NOBODY).to_string() },
                unit_name: if vi { o.unit_name.0.clone() } else { o.unit_name.1.clone() },
                values: StepFigure::ALL.iter().map(|f| (f.code(), o.value(*f))).collect(),
                unit: o.unit,
            })
            .collect();
        let evaluation = if procedure.is_none() {
            let end = to.next_day().unwrap_or(to).midnight().assume_offset(crate::domain::VIETNAM_OFFSET);
            let start = from.midnight().assume_offset(crate::domain::VIETNAM_OFFSET);
            let (units, truncated) =
                crate::ssr::services::evaluation::by_unit(&state, scope.as_deref(), start, end)
                    .await
                    .unwrap_or_default();
            let unit_name = |code: &str| {
                lines
                    .iter()
                    .find(|l| l.code == code)
                    .map(|l| if vi { l.name.0.clone() } else { l.name.1.clone() })
                    .unwrap_or_else(|| code.to_string())
            };
            (
                units.iter().map(|u| unit_name(&u.unit)).collect(),
                units.iter().map(|u| u.dossiers).collect(),
                crate::domain::quality::HandlingCriterion::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        (
                            pick(c.label()),
                            units
                                .iter()
                                .map(|u| {
                                    u.average(i).map(|a| format!("{a:.2}")).unwrap_or_else(|| "—".into())
                                })
                                .collect(),
                        )
                    })
                    .collect(),
                truncated,
            )
        } else {
            Default::default()
        };
        let fields = if procedure.is_none() {
            stats::by_field(&state, scope.as_deref(), from, to)
                .await
                .unwrap_or_default()
                .iter()
                .map(show)
                .collect()
        } else {
            Vec::new()
        };
        Report {
            allowed: true,
            presets,
            fields,
            field_labels: Figure::ALL
                .iter()
                .filter(|f| !f.is_live())
                .map(|f| (f.code(), pick(f.label())))
                .collect(),
            officers,
            evaluation,
            step_labels: StepFigure::ALL.iter().map(|f| (f.code(), pick(f.label()))).collect(),
            satisfaction,
            criteria: Criterion::ALL.iter().map(|c| pick(c.label())).collect(),
            sat_units,
            backlog,
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

/// Quick periods: this month, last month, this quarter, this year (up to `today`).
pub fn presets(today: time::Date, procedure: &str) -> Vec<(crate::i18n::Text, String)> {
    let href = |from: time::Date, to: time::Date| {
        format!("/officer/stats?from={from}&to={to}&procedure={procedure}")
    };
    let month_start = today.replace_day(1).unwrap_or(today);
    let last_month_end = month_start.previous_day().unwrap_or(month_start);
    let last_month_start = last_month_end.replace_day(1).unwrap_or(last_month_end);
    let quarter_month = (u8::from(today.month()) - 1) / 3 * 3 + 1;
    let quarter_start = time::Month::try_from(quarter_month)
        .ok()
        .and_then(|m| time::Date::from_calendar_date(today.year(), m, 1).ok())
        .unwrap_or(month_start);
    let year_start =
        time::Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(month_start);
    vec![
        (THIS_MONTH, href(month_start, today)),
        (LAST_MONTH, href(last_month_start, last_month_end)),
        (THIS_QUARTER, href(quarter_start, today)),
        (THIS_YEAR, href(year_start, today)),
    ]
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

/// What a drill-down list is narrowed to, besides the period and procedure.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
struct ListFilter {
    figure: String,
    unit: String,
    /// An officer's user id, or `none` (steps nobody was assigned), for the figures by officer.
    officer: String,
    /// A field's code, for the figures by field.
    field: String,
}

fn read_list_filter() -> ListFilter {
    use_query_map().with_untracked(|q| {
        let code = |k: &str, max: usize| -> String {
            q.get(k)
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                .take(max)
                .collect()
        };
        ListFilter {
            figure: code("figure", 30),
            unit: q.get("unit").unwrap_or_default(),
            officer: code("officer", 40),
            field: code("field", 30),
        }
    })
}

/// `/officer/stats/list?figure=…&unit=…&from=…&to=…` (and `officer=…` or `field=…`).
#[component]
pub fn StatsListPage() -> impl IntoView {
    let locale = use_locale();
    let query = read_query();
    let filter = read_list_filter();
    with_role(roles::LEADERS, move |_| {
        let data = crate::pages::loader::spawn(load_list(query.clone(), filter.clone(), locale));
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

async fn load_list(query: StatsQuery, filter: ListFilter, locale: Locale) -> Option<(String, Vec<Item>)> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::services::stats::{self, Figure, Narrow, StepFigure, Whose};
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        let scope = stats::scope(&state, &actor).await.ok()?;
        let ListFilter { figure, unit, officer, field } = filter;
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
        let procedure = (!query.procedure.is_empty()).then_some(query.procedure.as_str());
        let vi = locale == Locale::Vi;
        let pick = |p: (&'static str, &'static str)| if vi { p.0 } else { p.1 };
        let (rows, label, whom) = if let Some(step) = StepFigure::from_code(&figure) {
            let (whose, whom) = match officer.as_str() {
                "" => (Whose::All, String::new()),
                "none" => (Whose::Nobody, format!("{}, ", t(NOBODY))),
                id => {
                    let name =
                        crate::ssr::db::stats::user_name(&state.db, id).await.ok()?.unwrap_or_default();
                    (Whose::Officer(id.to_string()), format!("{name}, "))
                }
            };
            let rows = stats::steps_behind(&state, &units, &whose, step, from, to, procedure).await.ok()?;
            (rows, pick(step.label()), whom)
        } else {
            let figure = Figure::from_code(&figure)?;
            let narrow = Narrow {
                procedure: procedure.map(str::to_string),
                field: (!field.is_empty()).then(|| field.clone()),
            };
            let rows = stats::behind(&state, &units, figure, from, to, &narrow).await.ok()?;
            let whom = if field.is_empty() { String::new() } else { format!("{} {field}, ", t(FIELD)) };
            (rows, pick(figure.label()), whom)
        };
        let title = format!(
            "{label} — {whom}{} ({from} — {to})",
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
        let _ = (query, filter, locale);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_quick_periods_are_this_month_last_month_this_quarter_and_this_year() {
        let hrefs: Vec<String> =
            presets(date!(2026 - 11 - 23), "1.001622").into_iter().map(|(_, h)| h).collect();
        assert_eq!(
            hrefs,
            vec![
                "/officer/stats?from=2026-11-01&to=2026-11-23&procedure=1.001622",
                "/officer/stats?from=2026-10-01&to=2026-10-31&procedure=1.001622",
                "/officer/stats?from=2026-10-01&to=2026-11-23&procedure=1.001622",
                "/officer/stats?from=2026-01-01&to=2026-11-23&procedure=1.001622",
            ]
        );
        let january = presets(date!(2027 - 01 - 05), "");
        assert!(january[1].1.contains("from=2026-12-01&to=2026-12-31"), "{}", january[1].1);
        assert!(january[2].1.contains("from=2027-01-01"), "{}", january[2].1);
    }
}
