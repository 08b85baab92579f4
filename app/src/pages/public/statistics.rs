//! `/statistics`: the public figures of every receiving unit for a year, computed from the
//! portal's own data (updated every few minutes), with each indicator's formula beside it.
//! Plain HTML tables: readable without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Thống kê công khai", en: "Public statistics" }
    INTRO = { vi: "Kết quả giải quyết thủ tục hành chính của từng đơn vị, tính từ dữ liệu của Cổng (cập nhật vài phút một lần).", en: "How each unit handled administrative procedures, computed from the portal's own data (updated every few minutes)." }
    YEAR = { vi: "Năm", en: "Year" }
    SHOW = { vi: "Xem", en: "Show" }
    UNIT = { vi: "Đơn vị", en: "Unit" }
    FILED = { vi: "Hồ sơ tiếp nhận", en: "Dossiers filed" }
    RESOLVED = { vi: "Đã giải quyết", en: "Resolved" }
    ON_TIME = { vi: "Đúng hạn, trước hạn", en: "On time or early" }
    OPEN_LATE = { vi: "Đang quá hạn", en: "Late now" }
    ONLINE = { vi: "Nộp trực tuyến", en: "Filed online" }
    ELECTRONIC = { vi: "Trả kết quả điện tử", en: "Electronic results" }
    PAID_ONLINE = { vi: "Thanh toán trực tuyến", en: "Paid online" }
    NONE = { vi: "Chưa có số liệu trong năm.", en: "No figures for the year yet." }
    TOTAL = { vi: "Toàn tỉnh", en: "All units" }
    FORMULAS = { vi: "Cách tính", en: "How the figures are computed" }
    F_ON_TIME = { vi: "Đúng hạn, trước hạn = số hồ sơ có kết quả không muộn hơn ngày hẹn đầu tiên ÷ số hồ sơ đã có kết quả trong năm.", en: "On time or early = dossiers decided no later than their first appointment ÷ dossiers decided in the year." }
    F_ONLINE = { vi: "Nộp trực tuyến = hồ sơ nộp trên Cổng ÷ tất cả hồ sơ tiếp nhận (trên Cổng và tại quầy).", en: "Filed online = dossiers filed on the portal ÷ all dossiers filed (portal and counter)." }
    F_ELECTRONIC = { vi: "Trả kết quả điện tử = kết quả trả vào tài khoản ÷ tất cả kết quả đã trả.", en: "Electronic results = results handed over into the account ÷ all results handed over." }
    F_PAID = { vi: "Thanh toán trực tuyến = khoản phí nộp qua cổng thanh toán ÷ tất cả khoản phí đã nộp.", en: "Paid online = fees paid through the payment gateway ÷ all fees paid." }
    CHART_TITLE = { vi: "Tỷ lệ giải quyết đúng hạn theo tháng", en: "On-time rate by month" }
    CHART_DESC = { vi: "Mỗi cột là một tháng: phần đậm là hồ sơ giải quyết đúng hạn, phần nhạt là quá hạn; số trên cột là tỷ lệ đúng hạn. Bảng dưới đây có cùng số liệu.", en: "One bar per month: the dark part is dossiers resolved on time, the light part late; the number above is the on-time rate. The table below has the same numbers." }
    MONTH = { vi: "Tháng", en: "Month" }
    GOOD = { vi: "Đúng hạn, trước hạn", en: "On time or early" }
    BAD = { vi: "Quá hạn", en: "Late" }
    SAT_TITLE = { vi: "Mức độ hài lòng theo tiêu chí", en: "Satisfaction by criterion" }
    SAT_DESC = { vi: "Mỗi thanh là một tiêu chí: phần đậm là lượt rất hài lòng và hài lòng, phần nhạt là không hài lòng; số ghi sau thanh. Bảng dưới có cùng số liệu.", en: "One bar per criterion: the dark part is answers very satisfied or satisfied, the light part not satisfied; the numbers follow the bar. The table below has the same numbers." }
    CRITERION = { vi: "Tiêu chí", en: "Criterion" }
    VERY = { vi: "Rất hài lòng", en: "Very satisfied" }
    SATISFIED = { vi: "Hài lòng", en: "Satisfied" }
    NOT_SATISFIED = { vi: "Không hài lòng", en: "Not satisfied" }
    SHARE = { vi: "Tỷ lệ hài lòng", en: "Satisfied share" }
    GOOD_SAT = { vi: "Rất hài lòng, hài lòng", en: "Very satisfied or satisfied" }
    NO_RATINGS = { vi: "Chưa có lượt đánh giá trong năm.", en: "No rating in the year yet." }
    F_SAT = { vi: "Tỷ lệ hài lòng của một tiêu chí = lượt rất hài lòng và hài lòng ÷ tất cả lượt đánh giá tiêu chí đó (người dân đánh giá sau khi nhận kết quả, trên Cổng hoặc tại quầy).", en: "Satisfied share of a criterion = answers very satisfied or satisfied ÷ all answers on that criterion (applicants rate after receiving the result, on the portal or at the desk)." }
    INDEX_TITLE = { vi: "Chỉ số chất lượng phục vụ (Quyết định 766/QĐ-TTg)", en: "Service-quality index (Decision 766/QĐ-TTg)" }
    INDEX_INTRO = { vi: "Điểm của từng nhóm chỉ số tính từ dữ liệu của Cổng trong năm; nhóm không có số liệu ghi “—” và không tính, các nhóm còn lại quy về thang 100. Số liệu tổng hợp được cập nhật 5 phút một lần.", en: "Each group's points computed from the portal's data for the year; a group without data shows “—” and is left out, the others are scaled to 100. The aggregates are updated every 5 minutes." }
    INDEX_TOTAL = { vi: "Chỉ số (thang 100)", en: "Index (out of 100)" }
    INDEX_FORMULAS = { vi: "Cách tính chỉ số", en: "How the index is computed" }
    F_INDEX_TOTAL = { vi: "Chỉ số = tổng điểm các nhóm có số liệu × 100 ÷ tổng điểm tối đa của các nhóm đó.", en: "Index = the points of the groups with data × 100 ÷ those groups' maximum points." }
    F_LATE = { vi: "Đang quá hạn = hồ sơ đang giải quyết đã qua ngày hẹn (tại thời điểm xem).", en: "Late now = dossiers in progress past their appointment (at the time of viewing)." }
}

#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
struct Row {
    name: String,
    filed: i64,
    resolved: i64,
    on_time: String,
    open_late: i64,
    online: String,
    electronic: String,
    paid_online: String,
    index: Vec<String>,
    index_total: String,
}

/// The public statistics page.
#[component]
pub fn StatisticsPage() -> impl IntoView {
    let locale = use_locale();
    let year = use_query_map().with_untracked(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    let data = crate::pages::loader::spawn(load(year, locale));
    view! {
        <Title text=t(TITLE)/>
        <h1>{t(TITLE)}</h1>
        <p>{t(INTRO)}</p>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let (year, rows, total, months, sat) = data.await;
                view! {
                    <form method="get" action="/statistics" class="filters">
                        <div class="field">
                            <label for="f-year">{t(YEAR)}</label>
                            <input type="number" id="f-year" name="year" value=year.to_string() min="2000" max="2100"/>
                        </div>
                        <button type="submit" class="button secondary">{t(SHOW)}</button>
                    </form>
                    {if rows.is_empty() {
                        view! { <p class="empty">{t(NONE)}</p> }.into_any()
                    } else {
                        let line = |r: &Row| {
                            view! {
                                <tr>
                                    <th scope="row">{r.name.clone()}</th>
                                    <td>{r.filed}</td>
                                    <td>{r.resolved}</td>
                                    <td>{r.on_time.clone()}</td>
                                    <td>{r.open_late}</td>
                                    <td>{r.online.clone()}</td>
                                    <td>{r.electronic.clone()}</td>
                                    <td>{r.paid_online.clone()}</td>
                                </tr>
                            }
                        };
                        view! {
                            <div class="table-scroll">
                                <table class="table stats" data-testid="public-stats">
                                    <caption>{format!("{} {year}", t(TITLE))}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(UNIT)}</th>
                                            <th scope="col">{t(FILED)}</th>
                                            <th scope="col">{t(RESOLVED)}</th>
                                            <th scope="col">{t(ON_TIME)}</th>
                                            <th scope="col">{t(OPEN_LATE)}</th>
                                            <th scope="col">{t(ONLINE)}</th>
                                            <th scope="col">{t(ELECTRONIC)}</th>
                                            <th scope="col">{t(PAID_ONLINE)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>{rows.iter().map(line).collect_view()}</tbody>
                                    <tfoot>{line(&total)}</tfoot>
                                </table>
                            </div>
                        }
                            .into_any()
                    }}
                    {(!rows.is_empty()).then(|| index_section(&rows, &total, locale))}
                    {satisfaction_section(sat, locale)}
                    {(!months.is_empty()).then(|| {
                        let bars = months
                            .iter()
                            .map(|(m, good, bad)| crate::components::chart::Bar { label: m.clone(), good: *good, bad: *bad })
                            .collect::<Vec<_>>();
                        view! {
                            <h2>{t(CHART_TITLE)}</h2>
                            <crate::components::chart::StackedBars
                                id="on-time"
                                title=t(CHART_TITLE).to_string()
                                description=t(CHART_DESC).to_string()
                                bars=bars
                                good_label=t(GOOD).to_string()
                                bad_label=t(BAD).to_string()
                            />
                            <table class="table">
                                <caption class="visually-hidden">{t(CHART_TITLE)}</caption>
                                <thead><tr><th scope="col">{t(MONTH)}</th><th scope="col">{t(GOOD)}</th><th scope="col">{t(BAD)}</th></tr></thead>
                                <tbody>
                                    {months.iter().map(|(m, g, b)| view! { <tr><th scope="row">{m.clone()}</th><td>{*g}</td><td>{*b}</td></tr> }).collect_view()}
                                </tbody>
                            </table>
                        }
                    })}
                    <h2>{t(FORMULAS)}</h2>
                    <ul>
                        <li>{t(F_ON_TIME)}</li>
                        <li>{t(F_ONLINE)}</li>
                        <li>{t(F_ELECTRONIC)}</li>
                        <li>{t(F_PAID)}</li>
                        <li>{t(F_LATE)}</li>
                        <li>{t(F_SAT)}</li>
                    </ul>
                }
            })}
        </Suspense>
    }
}

fn pick(p: (&'static str, &'static str), locale: Locale) -> &'static str {
    if locale == Locale::Vi { p.0 } else { p.1 }
}

fn index_section(rows: &[Row], total: &Row, locale: Locale) -> impl IntoView + use<> {
    use crate::domain::quality::IndexGroup;
    let line = |r: &Row| {
        view! {
            <tr>
                <th scope="row">{r.name.clone()}</th>
                {r.index.iter().map(|v| view! { <td>{v.clone()}</td> }).collect_view()}
                <td><strong>{r.index_total.clone()}</strong></td>
            </tr>
        }
    };
    let body = rows.iter().map(line).collect_view();
    let foot = line(total);
    view! {
        <section aria-labelledby="index-title">
            <h2 id="index-title">{t(INDEX_TITLE)}</h2>
            <p>{t(INDEX_INTRO)}</p>
            <div class="table-scroll">
                <table class="table stats" data-testid="quality-index">
                    <caption>{t(INDEX_TITLE)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(UNIT)}</th>
                            {IndexGroup::ALL.iter().map(|g| view! { <th scope="col">{format!("{} ({})", pick(g.label(), locale), g.max())}</th> }).collect_view()}
                            <th scope="col">{t(INDEX_TOTAL)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                    <tfoot>{foot}</tfoot>
                </table>
            </div>
            <h3>{t(INDEX_FORMULAS)}</h3>
            <dl class="formulas" data-testid="index-formulas">
                {IndexGroup::ALL.iter().map(|g| view! {
                    <dt>{format!("{} ({})", pick(g.label(), locale), g.max())}</dt>
                    <dd>{pick(g.formula(), locale)}</dd>
                }).collect_view()}
                <dt>{t(INDEX_TOTAL)}</dt>
                <dd>{t(F_INDEX_TOTAL)}</dd>
            </dl>
        </section>
    }
}

fn satisfaction_section(sat: crate::domain::quality::Satisfaction, locale: Locale) -> impl IntoView + use<> {
    use crate::components::chart::{Bar, HorizontalBars};
    use crate::domain::quality::Criterion;
    let percent = |v: Option<f64>| v.map(|v| format!("{v:.1} %")).unwrap_or_else(|| "—".into());
    let rated = sat.ratings() > 0;
    let bars: Vec<Bar> = Criterion::ALL
        .iter()
        .map(|c| {
            let s = sat.get(*c);
            Bar {
                label: pick(c.label(), locale).to_string(),
                good: s.very_satisfied + s.satisfied,
                bad: s.not_satisfied,
            }
        })
        .collect();
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
                    <table class="table" data-testid="public-satisfaction">
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
                            {Criterion::ALL.iter().map(|c| {
                                let s = sat.get(*c);
                                view! {
                                    <tr>
                                        <th scope="row">{pick(c.label(), locale)}</th>
                                        <td>{s.very_satisfied}</td>
                                        <td>{s.satisfied}</td>
                                        <td>{s.not_satisfied}</td>
                                        <td>{percent(s.share())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            } else {
                view! { <p class="empty">{t(NO_RATINGS)}</p> }.into_any()
            }}
        </section>
    }
}

type Months = Vec<(String, i64, i64)>;
type Loaded = (i32, Vec<Row>, Row, Months, crate::domain::quality::Satisfaction);

async fn load(year: Option<i32>, locale: Locale) -> Loaded {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::quality::service_index;
        use crate::pages::officer::stats::percent;
        use crate::ssr::services::stats::{self, UnitLine};
        let Some(state) = use_context::<crate::ssr::state::AppState>() else {
            return (2026, Vec::new(), Row::default(), Vec::new(), Default::default());
        };
        let now_year = state.clock.now().to_offset(crate::domain::VIETNAM_OFFSET).year();
        let year = year.filter(|y| (2000..=now_year).contains(y)).unwrap_or(now_year);
        let (Ok(from), Ok(to)) = (
            time::Date::from_calendar_date(year, time::Month::January, 1),
            time::Date::from_calendar_date(year, time::Month::December, 31),
        ) else {
            return (year, Vec::new(), Row::default(), Vec::new(), Default::default());
        };
        let vi = locale == Locale::Vi;
        let show = |l: &UnitLine, name: String| Row {
            name,
            filed: l.counts.submitted_online + l.counts.submitted_desk,
            resolved: l.counts.resolved_early + l.counts.resolved_on_time + l.counts.resolved_late,
            on_time: percent(l.on_time_rate()),
            open_late: l.open_late,
            online: percent(l.online_share()),
            electronic: percent(l.electronic_share()),
            paid_online: percent(l.paid_online_share()),
            index: {
                let x = service_index(&l.index_inputs());
                x.groups
                    .iter()
                    .map(|(_, p)| p.map(|p| format!("{p:.1}")).unwrap_or_else(|| "—".into()))
                    .collect()
            },
            index_total: service_index(&l.index_inputs())
                .total
                .map(|p| format!("{p:.1}"))
                .unwrap_or_else(|| "—".into()),
        };
        let (months, report) =
            tokio::join!(stats::monthly(&state, None, from, to), stats::report(&state, None, from, to, None));
        let months = months.unwrap_or_default();
        match report {
            Ok((lines, total)) => (
                year,
                lines.iter().map(|l| show(l, if vi { l.name.0.clone() } else { l.name.1.clone() })).collect(),
                show(&total, t(TOTAL).to_string()),
                months,
                total.satisfaction,
            ),
            Err(_) => (year, Vec::new(), Row::default(), months, Default::default()),
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = locale;
        (year.unwrap_or(2026), Vec::new(), Row::default(), Vec::new(), Default::default())
    }
}
