//! Fees and payments of dossiers (issue #7): what a dossier owes (`domain::fees`), online
//! payment through the gateway (VNPay protocol: the signed redirect, the IPN callback that is
//! the only thing that marks an order paid, the return page that only shows the outcome),
//! payment at the counter, the e-receipt, reconciliation with the gateway (QueryDR) and the
//! report.
//!
//! Money is never lost or taken twice: one pending order per dossier and one paid order per
//! dossier (partial unique indexes); an order changes status only by a conditional
//! `UPDATE … WHERE status = 'pending'`, so a replayed or concurrent IPN changes nothing; a
//! payment the gateway confirms after its order left `pending` is kept as `late_paid` for a
//! refund. Settling and its timeline event, audit entry and (for a dossier waiting for the
//! payment) the `PaymentSettled` transition are one transaction.

use std::collections::BTreeMap;

use rand::Rng as _;
use time::OffsetDateTime;

use super::filing::{self, DossierView, parse_state, state_json};
use super::{RequestMeta, ServiceError, ServiceResult};
use crate::domain::fees::{self, FeeQuote};
use crate::domain::procedure::{PayWhen, ProcedureDef};
use crate::domain::{DossierAction, DossierState, Money, VIETNAM_OFFSET};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::ssr::auth::policy::{Actor, Role};
use crate::ssr::db::columns::{from_db, new_id};
use crate::ssr::db::dossiers::{self as dossiers_db, DossierRow};
use crate::ssr::db::payments::{self as db, GatewayFacts, PaymentRow};
use crate::ssr::db::{agencies, audit, users};
use crate::ssr::mail;
use crate::ssr::payments::vnpay::{self, IpnAnswer};
use crate::ssr::pdf::Sheet;
use crate::ssr::state::AppState;

crate::texts! {
    NOTHING_TO_PAY = { vi: "Hồ sơ này hiện không có khoản phí nào cần thanh toán.", en: "Nothing is due on this dossier now." }
    ALREADY_PAID = { vi: "Hồ sơ đã được thanh toán; không thu thêm.", en: "The dossier has been paid; nothing more is taken." }
    RECEIPT_REQUIRED = { vi: "Vui lòng nhập số biên lai thu tiền (3–40 ký tự).", en: "Please enter the receipt number (3–40 characters)." }
    METHOD_REQUIRED = { vi: "Vui lòng chọn hình thức thu: tiền mặt hoặc thẻ.", en: "Please choose cash or card." }
    UNPAID = { vi: "Chưa thể trả kết quả: phí, lệ phí của hồ sơ chưa được thanh toán. Hãy thu phí tại quầy hoặc chờ người nộp thanh toán trực tuyến.", en: "The result cannot be returned yet: the dossier's fee has not been paid. Take it at the counter or wait for the online payment." }
    AWAITING_PAYMENT = { vi: "Hồ sơ đang chờ người nộp thanh toán phí, lệ phí; thời gian giải quyết tạm dừng.", en: "The dossier is waiting for the applicant to pay the fee; the clock is stopped." }
}

/// Where a dossier stands with its fees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayState {
    /// Nothing to pay (no fees, zero, or exempt).
    Free,
    /// Due later (after acceptance).
    NotYet,
    /// Due and not paid.
    Unpaid,
    /// An online order is waiting for the gateway.
    Pending,
    /// Paid.
    Paid,
}

impl PayState {
    /// Words for pages (Vietnamese, English).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Self::Free => ("Không phải nộp phí", "No fee"),
            Self::NotYet => ("Nộp phí sau khi hồ sơ được tiếp nhận", "Fee due after acceptance"),
            Self::Unpaid => ("Chưa thanh toán", "Unpaid"),
            Self::Pending => ("Đang chờ xác nhận thanh toán", "Payment being confirmed"),
            Self::Paid => ("Đã thanh toán", "Paid"),
        }
    }
}

/// A dossier's fees and orders, as pages show them.
#[derive(Debug, Clone)]
pub struct PaymentInfo {
    /// The fee lines and total.
    pub quote: FeeQuote,
    /// When the fee is paid.
    pub pay_when: PayWhen,
    /// Every order, newest first.
    pub orders: Vec<PaymentRow>,
    /// The state.
    pub state: PayState,
    /// Whether the applicant may pay now.
    pub payable_now: bool,
}

/// Words for an order's status.
pub fn status_label(status: &str) -> (&'static str, &'static str) {
    match status {
        db::PENDING => ("Đang chờ", "Pending"),
        db::PAID => ("Đã thanh toán", "Paid"),
        db::FAILED => ("Không thành công", "Failed"),
        db::CANCELLED => ("Đã hủy", "Cancelled"),
        db::EXPIRED => ("Hết hạn", "Expired"),
        db::LATE_PAID => ("Thanh toán muộn — chờ hoàn tiền", "Paid late — to refund"),
        _ => ("Không rõ", "Unknown"),
    }
}

/// Words for a method.
pub fn method_label(method: &str) -> (&'static str, &'static str) {
    match method {
        "online" => ("Trực tuyến (VNPay)", "Online (VNPay)"),
        "counter_cash" => ("Tiền mặt tại quầy", "Cash at the counter"),
        "counter_card" => ("Thẻ tại quầy", "Card at the counter"),
        _ => ("Tại quầy", "At the counter"),
    }
}

fn definition(row: &DossierRow) -> ServiceResult<ProcedureDef> {
    Ok(serde_json::from_str(&row.definition).map_err(anyhow::Error::from)?)
}

fn values(row: &DossierRow) -> BTreeMap<String, String> {
    serde_json::from_str(&row.form_values).unwrap_or_default()
}

/// The fees a dossier owes under its version.
pub fn quote_of(def: &ProcedureDef, values: &BTreeMap<String, String>) -> ServiceResult<FeeQuote> {
    fees::compute(def, values).map_err(|e| ServiceError::Internal(anyhow::anyhow!("fees: {e}")))
}

/// The fees of a draft or dossier view (the review page).
pub fn quote(view: &DossierView) -> ServiceResult<FeeQuote> {
    quote_of(&view.def, &view.values)
}

/// Whether the applicant may pay in this state.
fn payable(state: DossierState, pay_when: PayWhen, received: bool) -> bool {
    use DossierState as S;
    let open = matches!(
        state,
        S::Submitted
            | S::Received
            | S::InProcess
            | S::SupplementRequested(_)
            | S::AwaitingPayment
            | S::Decided
    );
    open && (pay_when == PayWhen::Submission || received || state == S::AwaitingPayment)
}

/// The fees and orders of an already authorised dossier row.
pub async fn info_for(conn: &mut sqlx::AnyConnection, row: &DossierRow) -> ServiceResult<PaymentInfo> {
    let def = definition(row)?;
    let quote = quote_of(&def, &values(row))?;
    let orders = db::of_dossier(conn, &row.id).await?;
    let st = parse_state(&row.state)?;
    let paid = orders.iter().any(|o| o.status == db::PAID);
    let pending = orders.iter().any(|o| o.status == db::PENDING);
    let may = row.code.is_some() && payable(st, def.pay_when, row.received_at.is_some());
    let state = if paid {
        PayState::Paid
    } else if !quote.is_due() {
        PayState::Free
    } else if pending {
        PayState::Pending
    } else if may {
        PayState::Unpaid
    } else {
        PayState::NotYet
    };
    let payable_now = may && quote.is_due() && !paid;
    Ok(PaymentInfo { quote, pay_when: def.pay_when, orders, state, payable_now })
}

/// The fees and orders of a dossier the actor may see as applicant (or member).
pub async fn for_applicant(state: &AppState, actor: &Actor, id: &str) -> ServiceResult<PaymentInfo> {
    let mut conn = state.db.reader().acquire().await?;
    let row = filing::visible(&mut conn, actor, id).await?;
    info_for(&mut conn, &row).await
}

/// The same for an officer who may see the dossier (desk of the receiving unit, or the
/// current step's officers).
pub async fn for_officer(state: &AppState, actor: &Actor, id: &str) -> ServiceResult<PaymentInfo> {
    let (view, _) = super::workflow::get(state, actor, id).await?;
    let mut conn = state.db.reader().acquire().await?;
    info_for(&mut conn, &view.row).await
}

/// Whether a fee is owed and not paid (the desk may not return the result then).
pub async fn required_unpaid(conn: &mut sqlx::AnyConnection, row: &DossierRow) -> ServiceResult<bool> {
    let quote = quote_of(&definition(row)?, &values(row))?;
    Ok(quote.is_due() && db::of_dossier_in(conn, &row.id, db::PAID).await?.is_none())
}

/// A fresh gateway reference: Vietnam date and time plus six random digits (alphanumeric,
/// unique by the table's constraint).
fn txn_ref(now: OffsetDateTime) -> String {
    let t = now.to_offset(VIETNAM_OFFSET);
    let n: u32 = rand::rng().random_range(0..1_000_000);
    format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}{n:06}",
        t.year() % 100,
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Starts (or resumes) the online payment of a dossier: one pending order per dossier, so a
/// double click, a reload or a second tab get the same order. Returns the gateway URL to
/// redirect the browser to.
pub async fn start_online(
    state: &AppState,
    actor: &Actor,
    id: &str,
    meta: &RequestMeta,
) -> ServiceResult<String> {
    let cfg = &state.config.vnpay;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = filing::visible(&mut tx, actor, id).await?;
    let Some(code) = row.code.clone() else { return Err(AppError::NotFound.into()) };
    let info = info_for(&mut tx, &row).await?;
    if info.state == PayState::Paid {
        return Err(ServiceError::field("payment", ALREADY_PAID));
    }
    if !info.payable_now {
        return Err(ServiceError::field("payment", NOTHING_TO_PAY));
    }
    let amount = info.quote.total;
    let mut order = db::of_dossier_in(&mut tx, id, db::PENDING).await?;
    if let Some(old) = &order {
        // a link past its expiry, or for another amount, is not reused
        let stale = from_db(old.created_at) + time::Duration::minutes(cfg.expire_minutes) < now;
        if old.method != "online" || old.amount != amount.dong() || stale {
            let to = if stale { db::EXPIRED } else { db::CANCELLED };
            db::transition(&mut tx, &old.id, db::PENDING, to, &GatewayFacts::default(), now).await?;
            order = None;
        }
    }
    let order = match order {
        Some(o) => o,
        None => {
            let reference = txn_ref(now);
            let inserted = db::insert(
                &mut tx,
                &db::NewPayment {
                    dossier_id: id,
                    amount: amount.dong(),
                    txn_ref: &reference,
                    status: db::PENDING,
                    method: "online",
                    receipt_no: None,
                    gateway_date: &vnpay::format_date(now),
                    created_by: Some(actor.user_id()),
                },
                now,
            )
            .await?;
            if inserted.is_some() {
                dossiers_db::insert_event(
                    &mut tx,
                    id,
                    Some(actor.user_id()),
                    "payment_started",
                    None,
                    None,
                    &amount.format_vi(),
                    now,
                )
                .await?;
            }
            // a twin request inserted it first: use theirs
            db::of_dossier_in(&mut tx, id, db::PENDING)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no pending order after insert"))?
        }
    };
    tx.commit().await?;
    let created = from_db(order.created_at);
    Ok(vnpay::payment_url(
        cfg,
        &vnpay::PayRequest {
            txn_ref: &order.txn_ref,
            amount: Money::from_dong(order.amount).map_err(|e| anyhow::anyhow!("{e}"))?,
            order_info: &format!("Thanh toan phi ho so {code}"),
            ip: meta.ip.as_deref().unwrap_or("127.0.0.1"),
            locale: if meta.locale == Locale::En { "en" } else { "vn" },
            created,
        },
    ))
}

/// The side effects of a settled payment, in the caller's transaction: the timeline, the
/// audit entry, and a dossier waiting for the payment goes back to processing.
async fn settled_effects(
    conn: &mut sqlx::AnyConnection,
    order: &PaymentRow,
    receipt_no: &str,
    actor_id: Option<&str>,
    ip: &str,
    now: OffsetDateTime,
) -> ServiceResult<()> {
    let amount = Money::from_dong(order.amount).map_err(|e| anyhow::anyhow!("{e}"))?;
    let note = format!("{} — {receipt_no}", amount.format_vi());
    dossiers_db::insert_event(conn, &order.dossier_id, actor_id, "payment_paid", None, None, &note, now)
        .await?;
    audit::append(
        conn,
        &audit::Entry {
            actor_id,
            action: "payment.paid",
            subject: &order.dossier_id,
            ip,
            detail: &format!("{} {} {}", order.method, order.txn_ref, order.amount),
        },
        now,
    )
    .await?;
    let row = dossiers_db::by_id(conn, &order.dossier_id).await?.ok_or(AppError::NotFound)?;
    let current = parse_state(&row.state)?;
    if current == DossierState::AwaitingPayment {
        let next = current.apply(DossierAction::PaymentSettled).map_err(anyhow::Error::from)?;
        let next_json = state_json(next);
        if dossiers_db::set_state(
            conn,
            &row.id,
            &row.state,
            &next_json,
            next.national_code().map(i64::from),
            now,
        )
        .await?
        {
            // the clock stood still while the fee was owed: the appointment moves by that time
            if let Some(since) = dossiers_db::last_event_at(conn, &row.id, "payment_requested").await? {
                let calendar = super::reception::calendar_in(conn).await?;
                super::workflow::resume_clock(
                    conn,
                    &calendar,
                    &row.id,
                    crate::ssr::db::columns::from_db(since),
                    now,
                )
                .await?;
            }
            dossiers_db::insert_event(
                conn,
                &row.id,
                actor_id,
                "payment_settled",
                Some(&row.state),
                Some(&next_json),
                "",
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// What the gateway says about an order (from an IPN or a QueryDR answer).
#[derive(Debug, Clone, Default)]
pub struct GatewayResult {
    /// `vnp_TxnRef`.
    pub txn_ref: String,
    /// `vnp_Amount` (đồng × 100) as sent.
    pub amount: String,
    /// Whether the money was taken (`vnp_ResponseCode` and `vnp_TransactionStatus` 00).
    pub success: bool,
    /// `vnp_ResponseCode` (24: the payer cancelled).
    pub response_code: String,
    /// `vnp_TransactionNo`.
    pub txn_no: String,
    /// `vnp_BankCode`.
    pub bank_code: String,
}

/// Applies a gateway result to its order in one transaction, and says what to answer.
pub async fn apply_gateway_result(state: &AppState, r: &GatewayResult) -> ServiceResult<IpnAnswer> {
    let Ok(vnp_amount) = r.amount.trim().parse::<i64>() else { return Ok(IpnAnswer::InvalidAmount) };
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let Some(order) = db::by_txn_ref(&mut tx, &r.txn_ref).await?.filter(|o| o.method == "online") else {
        return Ok(IpnAnswer::OrderNotFound);
    };
    if Money::from_vnpay_amount(vnp_amount).map(Money::dong) != Ok(order.amount) {
        return Ok(IpnAnswer::InvalidAmount);
    }
    let receipt = format!("BL{}", order.txn_ref);
    let facts = GatewayFacts {
        txn_no: Some(&r.txn_no).filter(|s| !s.is_empty()).map(String::as_str),
        bank_code: Some(&r.bank_code).filter(|s| !s.is_empty()).map(String::as_str),
        response_code: Some(&r.response_code).filter(|s| !s.is_empty()).map(String::as_str),
        receipt_no: Some(&receipt),
    };
    let answer = match (order.status.as_str(), r.success) {
        (db::PENDING, true) => {
            // another order of the dossier paid first (e.g. at the counter), or the dossier
            // was withdrawn or refused meanwhile: keep the money on record for a refund
            let other_paid = db::of_dossier_in(&mut tx, &order.dossier_id, db::PAID).await?.is_some();
            let closed = match dossiers_db::by_id(&mut tx, &order.dossier_id).await? {
                Some(row) => parse_state(&row.state)?.is_terminal(),
                None => true,
            };
            let to = if other_paid || closed { db::LATE_PAID } else { db::PAID };
            if !db::transition(&mut tx, &order.id, db::PENDING, to, &facts, now).await? {
                return Ok(IpnAnswer::AlreadyConfirmed);
            }
            if to == db::PAID {
                settled_effects(&mut tx, &order, &receipt, None, "", now).await?;
            } else {
                late_paid_effects(&mut tx, &order, now).await?;
            }
            IpnAnswer::Confirmed
        }
        (db::PENDING, false) => {
            let to = if r.response_code == "24" { db::CANCELLED } else { db::FAILED };
            let facts = GatewayFacts { receipt_no: None, ..facts };
            if !db::transition(&mut tx, &order.id, db::PENDING, to, &facts, now).await? {
                return Ok(IpnAnswer::AlreadyConfirmed);
            }
            let kind = if to == db::CANCELLED { "payment_cancelled" } else { "payment_failed" };
            dossiers_db::insert_event(
                &mut tx,
                &order.dossier_id,
                None,
                kind,
                None,
                None,
                &r.response_code,
                now,
            )
            .await?;
            IpnAnswer::Confirmed
        }
        (db::EXPIRED | db::CANCELLED | db::FAILED, true) => {
            // money taken after the order was given up: keep it on record for a refund
            if !db::transition(&mut tx, &order.id, &order.status, db::LATE_PAID, &facts, now).await? {
                return Ok(IpnAnswer::AlreadyConfirmed);
            }
            late_paid_effects(&mut tx, &order, now).await?;
            IpnAnswer::Confirmed
        }
        _ => return Ok(IpnAnswer::AlreadyConfirmed),
    };
    tx.commit().await?;
    tracing::info!(order = %order.id, dossier = %order.dossier_id, answer = answer.code(), "gateway result applied");
    Ok(answer)
}

async fn late_paid_effects(
    conn: &mut sqlx::AnyConnection,
    order: &PaymentRow,
    now: OffsetDateTime,
) -> ServiceResult<()> {
    let amount = Money::from_dong(order.amount).map_err(|e| anyhow::anyhow!("{e}"))?;
    dossiers_db::insert_event(
        conn,
        &order.dossier_id,
        None,
        "payment_late",
        None,
        None,
        &amount.format_vi(),
        now,
    )
    .await?;
    audit::append(
        conn,
        &audit::Entry {
            actor_id: None,
            action: "payment.late_paid",
            subject: &order.dossier_id,
            ip: "",
            detail: &format!("{} {}", order.txn_ref, order.amount),
        },
        now,
    )
    .await?;
    Ok(())
}

/// The IPN callback: checksum (constant time) → order → amount → still pending → applied in
/// one transaction. Never fails: every outcome is an answer for the gateway.
pub async fn ipn(state: &AppState, params: &[(String, String)]) -> IpnAnswer {
    let Some(p) = vnpay::verify_query(&state.config.vnpay, params) else {
        tracing::warn!("IPN with a wrong checksum refused");
        return IpnAnswer::InvalidChecksum;
    };
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    let result = GatewayResult {
        txn_ref: get("vnp_TxnRef"),
        amount: get("vnp_Amount"),
        success: get("vnp_ResponseCode") == "00" && get("vnp_TransactionStatus") == "00",
        response_code: get("vnp_ResponseCode"),
        txn_no: get("vnp_TransactionNo"),
        bank_code: get("vnp_BankCode"),
    };
    match apply_gateway_result(state, &result).await {
        Ok(answer) => answer,
        Err(e) => {
            tracing::error!(error = %e, "IPN failed");
            IpnAnswer::Unknown
        }
    }
}

/// What the return page shows.
#[derive(Debug, Clone)]
pub struct ReturnOutcome {
    /// Whether the parameters carry the gateway's signature.
    pub verified: bool,
    /// Whether the gateway says the money was taken.
    pub success: bool,
    /// The dossier, when the viewer may see it.
    pub dossier_id: Option<String>,
    /// Its code.
    pub code: Option<String>,
    /// The order's status in our books now (the IPN may not have arrived yet).
    pub order_status: Option<String>,
    /// The amount.
    pub amount: Option<Money>,
}

/// The return URL: checks the signature and reads the order; changes nothing.
pub async fn return_outcome(
    state: &AppState,
    actor: Option<&Actor>,
    params: &[(String, String)],
) -> ServiceResult<ReturnOutcome> {
    let mut out = ReturnOutcome {
        verified: false,
        success: false,
        dossier_id: None,
        code: None,
        order_status: None,
        amount: None,
    };
    let Some(p) = vnpay::verify_query(&state.config.vnpay, params) else { return Ok(out) };
    out.verified = true;
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    out.success = get("vnp_ResponseCode") == "00" && get("vnp_TransactionStatus") == "00";
    let mut conn = state.db.reader().acquire().await?;
    if let Some(order) = db::by_txn_ref(&mut conn, &get("vnp_TxnRef")).await?
        && let Some(actor) = actor
        && let Ok(row) = filing::visible(&mut conn, actor, &order.dossier_id).await
    {
        out.dossier_id = Some(row.id.clone());
        out.code = row.code.clone();
        out.order_status = Some(order.status.clone());
        out.amount = Money::from_dong(order.amount).ok();
    }
    Ok(out)
}

/// The desk records a fee paid at the counter (cash or card) with its receipt number; a
/// pending online order is cancelled (a late gateway payment for it becomes `late_paid`).
pub async fn record_counter(
    state: &AppState,
    actor: &Actor,
    id: &str,
    method: &str,
    receipt_no: &str,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    // only the desk of the receiving unit takes fees (others: NotFound)
    super::reception::get(state, actor, id).await?;
    let receipt_no: String = receipt_no.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut e = super::FieldErrors::default();
    if !(3..=40).contains(&receipt_no.chars().count()) {
        e.add("receipt_no", RECEIPT_REQUIRED);
    }
    if !matches!(method, "counter_cash" | "counter_card") {
        e.add("method", METHOD_REQUIRED);
    }
    e.finish()?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let row = dossiers_db::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let info = info_for(&mut tx, &row).await?;
    if info.state == PayState::Paid {
        return Err(ServiceError::field("receipt_no", ALREADY_PAID));
    }
    if !info.quote.is_due() {
        return Err(ServiceError::field("receipt_no", NOTHING_TO_PAY));
    }
    if let Some(p) = db::of_dossier_in(&mut tx, id, db::PENDING).await? {
        db::transition(&mut tx, &p.id, db::PENDING, db::CANCELLED, &GatewayFacts::default(), now).await?;
    }
    let reference = format!("Q{}", new_id().replace('-', ""));
    let inserted = db::insert(
        &mut tx,
        &db::NewPayment {
            dossier_id: id,
            amount: info.quote.total.dong(),
            txn_ref: &reference,
            status: db::PAID,
            method,
            receipt_no: Some(&receipt_no),
            gateway_date: "",
            created_by: Some(actor.user_id()),
        },
        now,
    )
    .await?;
    let Some(payment_id) = inserted else { return Err(ServiceError::field("receipt_no", ALREADY_PAID)) };
    let order = db::by_id(&mut tx, &payment_id).await?.ok_or(AppError::NotFound)?;
    settled_effects(
        &mut tx,
        &order,
        &receipt_no,
        Some(actor.user_id()),
        meta.ip.as_deref().unwrap_or(""),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// On acceptance of a procedure paid after acceptance, with a fee due and not paid: the
/// dossier's next state is "awaiting payment" (status 6, the clock stops). Called by
/// `reception::accept` inside its transaction; returns the amount due, if any.
pub async fn due_on_acceptance(
    conn: &mut sqlx::AnyConnection,
    row: &DossierRow,
    def: &ProcedureDef,
) -> ServiceResult<Option<Money>> {
    if def.pay_when != PayWhen::Acceptance {
        return Ok(None);
    }
    let quote = quote_of(def, &values(row))?;
    if !quote.is_due() || db::of_dossier_in(conn, &row.id, db::PAID).await?.is_some() {
        return Ok(None);
    }
    Ok(Some(quote.total))
}

/// The "Pay now" email and timeline entry of a dossier put to awaiting payment on
/// acceptance (in the caller's transaction).
pub async fn notify_payment_requested(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    row: &DossierRow,
    amount: Money,
    locale: Locale,
    now: OffsetDateTime,
) -> ServiceResult<()> {
    if let Some(applicant) = users::by_id(conn, &row.applicant_id).await? {
        let shown = if locale == Locale::En { amount.format_en() } else { amount.format_vi() };
        let email = mail::payment_requested(
            &applicant.email,
            &applicant.full_name,
            row.code.as_deref().unwrap_or_default(),
            &shown,
            &format!("{}/dossiers/{}#payment", state.config.public_url, row.id),
            locale,
        );
        mail::enqueue(conn, &email, now).await?;
    }
    Ok(())
}

/// What a reconciliation run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Orders found paid at the gateway and settled here.
    pub settled: usize,
    /// Orders with no payment at the gateway, past their link's expiry.
    pub expired: usize,
    /// Orders left pending (still within their time, or the gateway did not answer).
    pub left: usize,
}

/// Asks the gateway (QueryDR) about online orders pending for longer than the configured
/// minutes, and settles or expires them. Idempotent: every change is conditional on the
/// order still being pending, so several processes may run it.
pub async fn reconcile(state: &AppState) -> ServiceResult<Reconciled> {
    let cfg = &state.config.vnpay;
    let now = state.clock.now();
    let before = now - time::Duration::minutes(state.config.payment_reconcile_after_minutes);
    let mut done = Reconciled::default();
    for order in db::pending_before(&state.db, before, 100).await? {
        let request =
            vnpay::query_request(cfg, &new_id().replace('-', ""), &order.txn_ref, &order.gateway_date, now);
        let answer = match vnpay::query(cfg, &request).await {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(order = %order.id, error = %format!("{e:#}"), "QueryDR failed");
                done.left += 1;
                continue;
            }
        };
        let paid = answer.vnp_ResponseCode == "00" && answer.vnp_TransactionStatus == "00";
        let expired_link = from_db(order.created_at) + time::Duration::minutes(cfg.expire_minutes) < now;
        if paid {
            let r = GatewayResult {
                txn_ref: order.txn_ref.clone(),
                amount: answer.vnp_Amount.clone(),
                success: true,
                response_code: answer.vnp_ResponseCode.clone(),
                txn_no: answer.vnp_TransactionNo.clone(),
                bank_code: answer.vnp_BankCode.clone(),
            };
            match apply_gateway_result(state, &r).await? {
                IpnAnswer::Confirmed => done.settled += 1,
                other => {
                    tracing::warn!(order = %order.id, answer = other.code(), "QueryDR result not applied");
                    done.left += 1;
                }
            }
        } else if expired_link && matches!(answer.vnp_ResponseCode.as_str(), "00" | "91") {
            // no money at the gateway and the link can no longer be used
            let mut tx = state.db.begin_write().await?;
            let facts = GatewayFacts {
                response_code: Some(answer.vnp_ResponseCode.as_str()),
                ..GatewayFacts::default()
            };
            if db::transition(&mut tx, &order.id, db::PENDING, db::EXPIRED, &facts, now).await? {
                dossiers_db::insert_event(
                    &mut tx,
                    &order.dossier_id,
                    None,
                    "payment_expired",
                    None,
                    None,
                    "",
                    now,
                )
                .await?;
                done.expired += 1;
            }
            tx.commit().await?;
        } else {
            done.left += 1;
        }
    }
    Ok(done)
}

/// The e-receipt (biên lai điện tử) of a paid order, for the applicant (or a member) and
/// the officers who may see the dossier; anyone else gets `NotFound`.
pub async fn receipt_pdf(
    state: &AppState,
    actor: &Actor,
    dossier_id: &str,
    payment_id: &str,
    locale: Locale,
) -> ServiceResult<(String, Vec<u8>)> {
    let view: DossierView = match filing::get(state, actor, dossier_id).await {
        Ok(view) => view,
        Err(_) => super::workflow::get(state, actor, dossier_id).await?.0,
    };
    let mut conn = state.db.reader().acquire().await?;
    let order = db::by_id(&mut conn, payment_id)
        .await?
        .filter(|o| o.dossier_id == dossier_id && matches!(o.status.as_str(), db::PAID | db::LATE_PAID))
        .ok_or(AppError::NotFound)?;
    let applicant = users::by_id(&mut conn, &view.row.applicant_id).await?.ok_or(AppError::NotFound)?;
    let agency = agencies::names_by_code(&mut conn, &view.row.receiving_agency).await?;
    drop(conn);
    let quote = quote(&view)?;
    let vi = locale == Locale::Vi;
    let l = |v: &'static str, e: &'static str| if vi { v } else { e };
    let money = |m: Money| if vi { m.format_vi() } else { m.format_en() };
    let amount = Money::from_dong(order.amount).map_err(|e| anyhow::anyhow!("{e}"))?;
    let receipt_no = order.receipt_no.clone().unwrap_or_default();
    let mut s = Sheet::new();
    let agency_name =
        agency.map(|(v, e, _)| if vi { v } else { e }).unwrap_or_else(|| view.row.receiving_agency.clone());
    s.paragraph(&agency_name, 10.0, true);
    s.centered(l("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"), 10.5, true);
    s.centered(l("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"), 10.5, false);
    s.gap(12.0);
    s.centered(l("BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ", "ELECTRONIC RECEIPT OF FEES AND CHARGES"), 15.0, true);
    s.centered(&format!("{} {receipt_no}", l("Số:", "No.:")), 12.0, true);
    s.gap(6.0);
    s.field(l("Người nộp", "Payer"), &applicant.full_name);
    if let Some(org) = &view.organisation {
        s.field(l("Tổ chức", "Organisation"), org);
    }
    s.field(l("Mã hồ sơ", "Dossier code"), view.row.code.as_deref().unwrap_or_default());
    s.field(
        l("Thủ tục", "Procedure"),
        &format!("{} ({})", if vi { &view.def.name_vi } else { &view.def.name_en }, view.def.code),
    );
    for line in &quote.lines {
        let name = if vi { &line.name_vi } else { &line.name_en };
        s.field(name, &money(line.amount));
    }
    if let Some(ex) = &quote.exemption {
        s.field(l("Miễn phí", "Exemption"), if vi { &ex.name_vi } else { &ex.name_en });
    }
    s.field(l("Số tiền đã nộp", "Amount paid"), &money(amount));
    let (mv, me) = method_label(&order.method);
    s.field(l("Hình thức", "Method"), l(mv, me));
    if let Some(no) = &order.gateway_txn_no {
        s.field(l("Mã giao dịch VNPay", "VNPay transaction"), no);
    }
    s.field(l("Mã tham chiếu", "Reference"), &order.txn_ref);
    if let Some(at) = order.settled_at {
        s.field(l("Thời gian thanh toán", "Paid at"), &super::receipts::local_time(from_db(at)));
    }
    if order.status == db::LATE_PAID {
        s.paragraph(
            l(
                "Khoản thanh toán này đến sau khi lệnh thanh toán đã hết hạn hoặc hồ sơ đã được thanh toán; cơ quan sẽ hoàn trả.",
                "This payment arrived after its order had expired or the dossier was already paid; it will be refunded.",
            ),
            10.0,
            true,
        );
    }
    s.gap(10.0);
    s.paragraph(
        l(
            "Biên lai điện tử do Cổng Dịch vụ công MotCua lập, có giá trị như biên lai giấy.",
            "Electronic receipt issued by the MotCua portal; it has the value of a paper receipt.",
        ),
        9.0,
        false,
    );
    let pdf = s.finish()?;
    Ok((format!("bien-lai-{receipt_no}.pdf"), pdf))
}

/// The reconciliation report: orders by status with totals, for system administrators
/// (everything) and the desk officers and agency administrators of receiving units (their
/// units).
#[derive(Debug, Clone)]
pub struct Report {
    /// Count and sum (đồng) by status.
    pub totals: Vec<(String, i64, i64)>,
    /// Orders, newest first.
    pub rows: Vec<db::ReportRow>,
}

/// Builds the report (status filter optional: one of [`db::STATUSES`]).
pub async fn report(state: &AppState, actor: &Actor, status: Option<&str>) -> ServiceResult<Report> {
    let units: Option<Vec<String>> = match actor {
        Actor::Officer { .. } if actor.is_system_admin() => None,
        Actor::Officer { grants, .. } => {
            let mut conn = state.db.reader().acquire().await?;
            let mut units = Vec::new();
            for g in grants.iter().filter(|g| matches!(g.role, Role::DeskOfficer | Role::AgencyAdmin)) {
                if let Some(id) = &g.agency_id
                    && let Some(code) = agencies::code_by_id(&mut conn, id).await?
                {
                    units.push(code);
                }
            }
            if units.is_empty() {
                return Err(AppError::NotFound.into());
            }
            Some(units)
        }
        Actor::Citizen { .. } => return Err(AppError::NotFound.into()),
    };
    let status = status.filter(|s| db::STATUSES.contains(s));
    let rows = db::report(&state.db, units.as_deref(), status, 500).await?;
    let totals = db::totals(&state.db, units.as_deref()).await?;
    Ok(Report { totals, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_may_pay_when() {
        use DossierState as S;
        assert!(payable(S::Submitted, PayWhen::Submission, false));
        assert!(!payable(S::Submitted, PayWhen::Acceptance, false));
        assert!(payable(S::AwaitingPayment, PayWhen::Acceptance, true));
        assert!(!payable(S::Draft, PayWhen::Submission, false));
        assert!(!payable(S::Withdrawn, PayWhen::Submission, false));
        assert!(!payable(S::Returned, PayWhen::Submission, true));
    }

    #[test]
    fn references_are_digits() {
        let r = txn_ref(time::macros::datetime!(2026-11-23 03:04:05 UTC));
        assert_eq!(r.len(), 18);
        assert!(r.starts_with("261123100405"));
        assert!(r.chars().all(|c| c.is_ascii_digit()));
    }
}
