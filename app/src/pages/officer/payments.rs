//! `/officer/payments`: the reconciliation report (issue #7): payment orders by status with
//! count and sum, filterable by status — for system administrators (everything) and the desk
//! officers and agency administrators of receiving units (their units). Late payments (after
//! the order expired or the dossier was paid) are listed for refund follow-up.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::viewer::{roles, with_role};
use crate::i18n::{t, use_locale};

crate::texts! {
    TITLE = { vi: "Đối soát thanh toán", en: "Payment reconciliation" }
    FORBIDDEN = { vi: "Trang này dành cho cán bộ một cửa, quản trị đơn vị và quản trị hệ thống.", en: "This page is for desk officers and administrators." }
    BY_STATUS = { vi: "Tổng hợp theo trạng thái", en: "Totals by status" }
    STATUS = { vi: "Trạng thái", en: "Status" }
    COUNT = { vi: "Số lệnh", en: "Orders" }
    SUM = { vi: "Tổng tiền", en: "Sum" }
    ALL = { vi: "Tất cả", en: "All" }
    FILTER = { vi: "Lọc theo trạng thái", en: "Filter by status" }
    SHOW = { vi: "Xem", en: "Show" }
    ORDERS = { vi: "Các lệnh thanh toán", en: "Orders" }
    DOSSIER = { vi: "Hồ sơ", en: "Dossier" }
    AMOUNT = { vi: "Số tiền", en: "Amount" }
    METHOD = { vi: "Hình thức", en: "Method" }
    REFERENCE = { vi: "Mã tham chiếu", en: "Reference" }
    RECEIPT = { vi: "Biên lai", en: "Receipt" }
    CREATED = { vi: "Tạo lúc", en: "Created" }
    SETTLED = { vi: "Thanh toán lúc", en: "Settled" }
    NONE = { vi: "Không có lệnh thanh toán nào.", en: "No orders." }
}

/// A line of the report.
#[derive(Debug, Clone)]
pub struct Line {
    dossier_id: String,
    code: String,
    amount: String,
    status: String,
    method: String,
    reference: String,
    receipt: String,
    created: String,
    settled: String,
}

/// The report page.
#[component]
pub fn PaymentsReportPage() -> impl IntoView {
    let status = use_query_map().with_untracked(|q| q.get("status")).unwrap_or_default();
    let locale = use_locale();
    with_role(roles::OFFICER, |_| {
        let data = crate::pages::loader::spawn(load(status.clone(), locale));
        let statuses = STATUSES;
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Some((totals, lines)) = data.await else {
                        #[cfg(feature = "ssr")]
                        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                            r.set_status(http::StatusCode::NOT_FOUND);
                        }
                        return view! { <p>{t(FORBIDDEN)}</p> }.into_any();
                    };
                    let chosen = status.clone();
                    view! {
                        <h2>{t(BY_STATUS)}</h2>
                        <table class="table" data-testid="totals">
                            <thead><tr><th scope="col">{t(STATUS)}</th><th scope="col">{t(COUNT)}</th><th scope="col">{t(SUM)}</th></tr></thead>
                            <tbody>
                                {totals.into_iter().map(|(s, n, sum)| view! { <tr><td>{s}</td><td>{n}</td><td class="money">{sum}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                        <form method="get" action="/officer/payments" class="inline">
                            <label for="f-status">{t(FILTER)}</label>
                            " "
                            <select id="f-status" name="status">
                                <option value="" selected=chosen.is_empty()>{t(ALL)}</option>
                                {statuses
                                    .iter()
                                    .map(|(code, vi, en)| {
                                        let label = if locale == crate::i18n::Locale::Vi { *vi } else { *en };
                                        view! { <option value=*code selected=chosen == *code>{label}</option> }
                                    })
                                    .collect_view()}
                            </select>
                            " "
                            <button type="submit" class="button secondary">{t(SHOW)}</button>
                        </form>
                        <h2>{t(ORDERS)}</h2>
                        {if lines.is_empty() {
                            view! { <p class="empty">{t(NONE)}</p> }.into_any()
                        } else {
                            view! {
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(DOSSIER)}</th>
                                            <th scope="col">{t(AMOUNT)}</th>
                                            <th scope="col">{t(STATUS)}</th>
                                            <th scope="col">{t(METHOD)}</th>
                                            <th scope="col">{t(REFERENCE)}</th>
                                            <th scope="col">{t(RECEIPT)}</th>
                                            <th scope="col">{t(CREATED)}</th>
                                            <th scope="col">{t(SETTLED)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {lines
                                            .into_iter()
                                            .map(|l| view! {
                                                <tr>
                                                    <td><a href=format!("/officer/dossiers/{}", l.dossier_id)>{l.code}</a></td>
                                                    <td class="money">{l.amount}</td>
                                                    <td>{l.status}</td>
                                                    <td>{l.method}</td>
                                                    <td><code>{l.reference}</code></td>
                                                    <td>{l.receipt}</td>
                                                    <td>{l.created}</td>
                                                    <td>{l.settled}</td>
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

const STATUSES: [(&str, &str, &str); 6] = [
    ("pending", "Đang chờ", "Pending"),
    ("paid", "Đã thanh toán", "Paid"),
    ("failed", "Không thành công", "Failed"),
    ("cancelled", "Đã hủy", "Cancelled"),
    ("expired", "Hết hạn", "Expired"),
    ("late_paid", "Thanh toán muộn — chờ hoàn tiền", "Paid late — to refund"),
];

#[allow(clippy::type_complexity)]
async fn load(
    status: String,
    locale: crate::i18n::Locale,
) -> Option<(Vec<(String, i64, String)>, Vec<Line>)> {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::Money;
        use crate::i18n::Locale;
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::payments;
        use crate::ssr::services::receipts::local_time;
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        let report =
            payments::report(&state, &actor, Some(status.as_str()).filter(|s| !s.is_empty())).await.ok()?;
        let vi = locale == Locale::Vi;
        let money = |d: i64| {
            Money::from_dong(d).map(|m| if vi { m.format_vi() } else { m.format_en() }).unwrap_or_default()
        };
        let pick = |(v, e): (&'static str, &'static str)| if vi { v.to_string() } else { e.to_string() };
        let totals = report
            .totals
            .into_iter()
            .map(|(s, n, sum)| (pick(payments::status_label(&s)), n, money(sum)))
            .collect();
        let lines = report
            .rows
            .into_iter()
            .map(|r| Line {
                dossier_id: r.dossier_id,
                code: r.code.unwrap_or_default(),
                amount: money(r.amount),
                status: pick(payments::status_label(&r.status)),
                method: pick(payments::method_label(&r.method)),
                reference: r.txn_ref,
                receipt: r.receipt_no.unwrap_or_default(),
                created: local_time(from_db(r.created_at)),
                settled: r.settled_at.map(|s| local_time(from_db(s))).unwrap_or_default(),
            })
            .collect();
        Some((totals, lines))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (status, locale);
        None
    }
}
