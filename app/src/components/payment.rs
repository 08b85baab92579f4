//! Fees and payment on the dossier pages (issue #7): the fee lines and total (review page),
//! and the payment section of a submitted dossier — its state, the "Pay online" form for the
//! applicant, the orders with their e-receipts, and the counter-payment form for the desk.
//! Server-rendered; every form is a plain POST.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::form::use_form_state;
use crate::i18n::{t, use_locale};

crate::texts! {
    FEES = { vi: "Phí, lệ phí", en: "Fees and charges" }
    TOTAL = { vi: "Tổng số tiền phải nộp", en: "Total to pay" }
    NO_FEE = { vi: "Thủ tục này không thu phí, lệ phí.", en: "This procedure has no fee." }
    EXEMPT = { vi: "Miễn phí, lệ phí", en: "Exempt from fees" }
    PAY_AT_SUBMISSION = { vi: "Nộp phí ngay sau khi nộp hồ sơ (trực tuyến qua VNPay hoặc tại quầy).", en: "Pay right after submitting (online through VNPay, or at the counter)." }
    PAY_AT_ACCEPTANCE = { vi: "Nộp phí sau khi hồ sơ được tiếp nhận; bạn sẽ nhận thư mời thanh toán.", en: "Pay after the dossier is accepted; you will be emailed a link." }
    STATE = { vi: "Tình trạng thanh toán", en: "Payment status" }
    PAY_ONLINE = { vi: "Thanh toán trực tuyến", en: "Pay online" }
    PAY_AGAIN = { vi: "Thanh toán lại", en: "Pay again" }
    PAY_HINT = { vi: "Bạn sẽ được chuyển đến cổng thanh toán VNPay, rồi quay lại Cổng Dịch vụ công.", en: "You will go to the VNPay gateway and come back to the portal." }
    ORDERS = { vi: "Các lần thanh toán", en: "Payments" }
    WHEN = { vi: "Thời điểm", en: "When" }
    AMOUNT = { vi: "Số tiền", en: "Amount" }
    METHOD = { vi: "Hình thức", en: "Method" }
    STATUS = { vi: "Trạng thái", en: "Status" }
    RECEIPT = { vi: "Biên lai", en: "Receipt" }
    E_RECEIPT = { vi: "Tải biên lai điện tử", en: "Download the e-receipt" }
    COUNTER_TITLE = { vi: "Thu phí tại quầy", en: "Take the fee at the counter" }
    COUNTER_METHOD = { vi: "Hình thức thu", en: "Method" }
    CASH = { vi: "Tiền mặt", en: "Cash" }
    CARD = { vi: "Thẻ ngân hàng", en: "Bank card" }
    RECEIPT_NO = { vi: "Số biên lai thu tiền", en: "Receipt number" }
    RECORD = { vi: "Ghi nhận đã thu phí", en: "Record the payment" }
    RETURNED_PAID = { vi: "Thanh toán thành công. Cảm ơn bạn!", en: "Payment successful. Thank you!" }
    RETURNED_PENDING = { vi: "Cổng thanh toán báo đã trừ tiền; hệ thống đang chờ xác nhận chính thức (IPN). Trang sẽ cập nhật khi có xác nhận.", en: "The gateway reports the payment; the portal is waiting for its official confirmation (IPN). This page updates once it arrives." }
    RETURNED_CANCELLED = { vi: "Bạn đã hủy hoặc chưa hoàn tất thanh toán. Bạn có thể thanh toán lại.", en: "The payment was cancelled or not completed. You can pay again." }
    RETURNED_INVALID = { vi: "Kết quả thanh toán không hợp lệ (sai chữ ký). Không có thay đổi nào được ghi nhận.", en: "The payment result is not valid (bad signature). Nothing was recorded." }
    COUNTER_DONE = { vi: "Đã ghi nhận thu phí tại quầy.", en: "The counter payment was recorded." }
    PLEASE_PAY = { vi: "Hồ sơ cần được nộp phí, lệ phí để được giải quyết: thanh toán trực tuyến ngay, hoặc nộp tại bộ phận một cửa.", en: "The fee must be paid for the dossier to be processed: pay online now, or at the one-stop desk." }
}

/// A fee line as shown.
#[derive(Debug, Clone)]
pub struct FeeLineView {
    name: String,
    detail: String,
    amount: String,
}

/// An order as shown.
#[derive(Debug, Clone)]
pub struct OrderView {
    when: String,
    amount: String,
    method: String,
    status: String,
    receipt_no: String,
    receipt_link: Option<String>,
}

/// Everything the payment section shows.
#[derive(Debug, Clone)]
pub struct PaymentView {
    dossier_id: String,
    lines: Vec<FeeLineView>,
    exemption: Option<String>,
    total: String,
    due: bool,
    at_acceptance: bool,
    state_code: &'static str,
    state_label: String,
    payable_now: bool,
    retry: bool,
    orders: Vec<OrderView>,
    counter: bool,
}

fn fee_table(v: &PaymentView) -> AnyView {
    if v.lines.is_empty() {
        return view! { <p>{t(NO_FEE)}</p> }.into_any();
    }
    view! {
        <table class="table fees">
            <caption class="visually-hidden">{t(FEES)}</caption>
            <tbody>
                {v.lines
                    .iter()
                    .map(|l| view! {
                        <tr>
                            <th scope="row">{l.name.clone()} {(!l.detail.is_empty()).then(|| view! { <span class="hint">" (" {l.detail.clone()} ")"</span> })}</th>
                            <td class="money">{l.amount.clone()}</td>
                        </tr>
                    })
                    .collect_view()}
                {v.exemption.clone().map(|e| view! { <tr><th scope="row">{t(EXEMPT)}</th><td>{e}</td></tr> })}
                <tr class="total">
                    <th scope="row">{t(TOTAL)}</th>
                    <td class="money"><strong data-testid="fee-total">{v.total.clone()}</strong></td>
                </tr>
            </tbody>
        </table>
        <p class="hint">{if v.at_acceptance { t(PAY_AT_ACCEPTANCE) } else { t(PAY_AT_SUBMISSION) }}</p>
    }
    .into_any()
}

/// The fee lines and total of a draft (review page).
#[component]
pub fn FeeSummary(dossier_id: String) -> impl IntoView {
    let locale = use_locale();
    let data = crate::pages::loader::spawn(load(dossier_id, false, locale));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                data.await.map(|v| view! {
                    <section aria-labelledby="fees-title">
                        <h2 id="fees-title">{t(FEES)}</h2>
                        {fee_table(&v)}
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The payment section of a submitted dossier, for its applicant (`officer = false`) or an
/// officer who may see it.
#[component]
pub fn PaymentSection(dossier_id: String, officer: bool) -> impl IntoView {
    let locale = use_locale();
    let outcome = use_query_map().with_untracked(|q| q.get("payment"));
    let data = crate::pages::loader::spawn(load(dossier_id, officer, locale));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                data.await.map(|v| section(v, officer, outcome.clone()))
            })}
        </Suspense>
    }
}

fn section(v: PaymentView, officer: bool, outcome: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let error = |k: &str| use_form_state().and_then(|s| s.errors.get(k).map(|m| m.get(locale).to_string()));
    let receipt_error = error("receipt_no");
    let method_error = error("method");
    let payment_error = error("payment");
    let notice = outcome.as_deref().map(|o| match (o, v.state_code) {
        ("counter", _) => (COUNTER_DONE, "notice"),
        ("invalid", _) => (RETURNED_INVALID, "error-summary"),
        (_, "paid") => (RETURNED_PAID, "notice"),
        ("success", _) => (RETURNED_PENDING, "notice"),
        _ => (RETURNED_CANCELLED, "notice"),
    });
    let id = v.dossier_id.clone();
    view! {
        <section class="payment" id="payment" aria-labelledby="payment-title">
            <h2 id="payment-title">{t(FEES)}</h2>
            {notice.map(|(text, class)| view! { <div class=class role="status"><p data-testid="payment-notice">{t(text)}</p></div> })}
            {payment_error.map(|e| view! { <div class="error-summary" role="alert"><p>{e}</p></div> })}
            {v.due.then(|| view! {
                <p>{t(STATE)} ": " <strong class="status" data-testid="payment-status">{v.state_label.clone()}</strong></p>
            })}
            {fee_table(&v)}
            {(!officer && v.payable_now).then(|| view! {
                <p class="lead">{t(PLEASE_PAY)}</p>
                <form method="post" action=format!("/dossiers/{id}/pay") class="inline">
                    <button type="submit" class="button">{if v.retry { t(PAY_AGAIN) } else { t(PAY_ONLINE) }}</button>
                </form>
                <p class="hint">{t(PAY_HINT)}</p>
            })}
            {(!v.orders.is_empty()).then(|| view! {
                <h3>{t(ORDERS)}</h3>
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{t(WHEN)}</th>
                            <th scope="col">{t(AMOUNT)}</th>
                            <th scope="col">{t(METHOD)}</th>
                            <th scope="col">{t(STATUS)}</th>
                            <th scope="col">{t(RECEIPT)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {v.orders
                            .iter()
                            .map(|o| view! {
                                <tr>
                                    <td>{o.when.clone()}</td>
                                    <td class="money">{o.amount.clone()}</td>
                                    <td>{o.method.clone()}</td>
                                    <td>{o.status.clone()}</td>
                                    <td>
                                        {match o.receipt_link.clone() {
                                            Some(href) => view! { <a href=href data-testid="e-receipt">{t(E_RECEIPT)} " " {o.receipt_no.clone()}</a> }.into_any(),
                                            None => o.receipt_no.clone().into_any(),
                                        }}
                                    </td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            })}
            {(officer && v.counter).then(|| view! {
                <section class="narrow" aria-labelledby="counter-title">
                    <h3 id="counter-title">{t(COUNTER_TITLE)}</h3>
                    <form method="post" action=format!("/officer/dossiers/{id}/payments") novalidate>
                        <fieldset class="field" class:field-error=method_error.is_some()>
                            <legend>{t(COUNTER_METHOD)}</legend>
                            {method_error.clone().map(|e| view! { <p class="error-message">{e}</p> })}
                            <label><input type="radio" name="method" value="counter_cash" checked=true/> " " {t(CASH)}</label>
                            <label><input type="radio" name="method" value="counter_card"/> " " {t(CARD)}</label>
                        </fieldset>
                        <div class="field" class:field-error=receipt_error.is_some()>
                            <label for="f-receipt_no">{t(RECEIPT_NO)}</label>
                            {receipt_error.clone().map(|e| view! { <p class="error-message" id="f-receipt_no-error">{e}</p> })}
                            <input id="f-receipt_no" name="receipt_no" type="text" maxlength="40" required=true/>
                        </div>
                        <button type="submit" class="button secondary">{t(RECORD)}</button>
                    </form>
                </section>
            })}
        </section>
    }
}

async fn load(dossier_id: String, officer: bool, locale: crate::i18n::Locale) -> Option<PaymentView> {
    #[cfg(feature = "ssr")]
    {
        use crate::i18n::Locale;
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::payments::{self, PayState};
        use crate::ssr::services::receipts::local_time;
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        let info = if officer {
            payments::for_officer(&state, &actor, &dossier_id).await.ok()?
        } else {
            payments::for_applicant(&state, &actor, &dossier_id).await.ok()?
        };
        let vi = locale == Locale::Vi;
        let money = |m: crate::domain::Money| if vi { m.format_vi() } else { m.format_en() };
        let pick = |(v, e): (&'static str, &'static str)| if vi { v.to_string() } else { e.to_string() };
        let lines = info
            .quote
            .lines
            .iter()
            .map(|l| {
                let mut detail = Vec::new();
                if let Some(u) = l.units {
                    detail.push(format!("{u} {}", if vi { "đơn vị" } else { "units" }));
                }
                if let Some(n) = l.times {
                    detail.push(format!("× {n}"));
                }
                FeeLineView {
                    name: if vi { l.name_vi.clone() } else { l.name_en.clone() },
                    detail: detail.join(" "),
                    amount: money(l.amount),
                }
            })
            .collect();
        let orders = info
            .orders
            .iter()
            .map(|o| OrderView {
                when: local_time(from_db(o.settled_at.unwrap_or(o.created_at))),
                amount: crate::domain::Money::from_dong(o.amount).map(money).unwrap_or_default(),
                method: pick(payments::method_label(&o.method)),
                status: pick(payments::status_label(&o.status)),
                receipt_no: o.receipt_no.clone().unwrap_or_default(),
                receipt_link: matches!(o.status.as_str(), "paid" | "late_paid")
                    .then(|| format!("/dossiers/{}/payments/{}/receipt.pdf", dossier_id, o.id)),
            })
            .collect::<Vec<_>>();
        let state_code = match info.state {
            PayState::Free => "free",
            PayState::NotYet => "not_yet",
            PayState::Unpaid => "unpaid",
            PayState::Pending => "pending",
            PayState::Paid => "paid",
        };
        // the counter form only for the desk of the receiving unit (the service checks again)
        let desk = officer && crate::ssr::services::reception::get(&state, &actor, &dossier_id).await.is_ok();
        let retry =
            info.orders.iter().any(|o| matches!(o.status.as_str(), "cancelled" | "failed" | "expired"));
        Some(PaymentView {
            dossier_id: dossier_id.clone(),
            lines,
            exemption: info
                .quote
                .exemption
                .as_ref()
                .map(|e| if vi { e.name_vi.clone() } else { e.name_en.clone() }),
            total: money(info.quote.total),
            due: info.quote.is_due() || info.state == PayState::Paid,
            at_acceptance: info.pay_when == crate::domain::procedure::PayWhen::Acceptance,
            state_code,
            state_label: pick(info.state.label()),
            payable_now: info.payable_now,
            retry,
            orders,
            counter: desk && info.quote.is_due() && info.state != PayState::Paid,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (dossier_id, officer, locale);
        None
    }
}
