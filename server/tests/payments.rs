//! Fees and online payment (issue #7), on SQLite and PostgreSQL: the IPN's checksum, amount
//! and replay rules, concurrency, the sandbox gateway's whole flow on loopback, cancellation
//! and retry, one pending order under a double click, reconciliation by QueryDR, late
//! payments, payment at acceptance, counter payment, and the rule that no result is returned
//! while a fee is unpaid.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::BTreeMap;

use app::ssr::auth::policy::Role;
use app::ssr::payments::vnpay::{self, VnpayConfig};
use app::ssr::services::{RequestMeta, payments, reception, workflow};
use common::dossiers::{SMALL, citizen, officer, ready_draft};
use common::{Browser, TestApp, location};

const UNIT: &str = "000.00.31.H26";

/// The small catalogue; its test procedure (1.009994) charges 75,000 ₫ at submission. With
/// `at_acceptance`, the fee is due after the desk accepts; the workflow has the five steps.
async fn app_with(at_acceptance: bool) -> TestApp {
    let app = TestApp::spawn().await;
    let mut file: serde_json::Value = serde_json::from_str(SMALL).unwrap();
    file["procedures"][0]["workflow"] = serde_json::json!([
        {"name_vi": "Tiếp nhận", "name_en": "Reception", "role": "desk_officer", "agency": UNIT, "share": 10},
        {"name_vi": "Thẩm định", "name_en": "Appraisal", "role": "specialist", "agency": UNIT, "share": 40},
        {"name_vi": "Phê duyệt", "name_en": "Approval", "role": "leader", "agency": UNIT, "share": 25},
        {"name_vi": "Phát hành", "name_en": "Issue", "role": "clerk", "agency": UNIT, "share": 15},
        {"name_vi": "Trả kết quả", "name_en": "Return", "role": "desk_officer", "agency": UNIT, "share": 10}
    ]);
    if at_acceptance {
        file["procedures"][0]["pay_when"] = serde_json::json!("acceptance");
    }
    app::ssr::services::catalogue::import_json(&app.running.state, &file.to_string()).await.unwrap();
    app
}

/// A citizen with a submitted dossier.
async fn submitted(app: &TestApp, email: &str, citizen_id: &str) -> (Browser, String) {
    let b = citizen(app, email, citizen_id).await;
    let id = ready_draft(&b).await;
    assert_eq!(b.post(&format!("/dossiers/{id}/submit"), &[("token", "t")]).await.status(), 303);
    (b, id)
}

/// "Pay online": the redirect to the (sandbox) gateway; returns its URL.
async fn start_payment(b: &Browser, id: &str) -> String {
    let r = b.post(&format!("/dossiers/{id}/pay"), &[]).await;
    assert_eq!(r.status(), 303, "pay redirects to the gateway");
    let url = location(&r);
    assert!(url.contains("/sandbox/vnpay/paymentv2/vpcpay.html?"), "{url}");
    url
}

fn query_of(url: &str) -> String {
    url.split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default()
}

fn param(url: &str, name: &str) -> String {
    query_of(url)
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

fn cfg(app: &TestApp) -> VnpayConfig {
    app.running.state.config.vnpay.clone()
}

/// The gateway's IPN parameters for an order.
fn ipn_params(txn_ref: &str, vnp_amount: &str, ok: bool) -> BTreeMap<String, String> {
    [
        ("vnp_Amount", vnp_amount),
        ("vnp_BankCode", "NCB"),
        ("vnp_OrderInfo", "Thanh toan phi"),
        ("vnp_PayDate", "20261123101010"),
        ("vnp_ResponseCode", if ok { "00" } else { "24" }),
        ("vnp_TmnCode", "MOTCUA01"),
        ("vnp_TransactionNo", "14226112"),
        ("vnp_TransactionStatus", if ok { "00" } else { "02" }),
        ("vnp_TxnRef", txn_ref),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Sends an IPN signed with `cfg`'s secret; returns `RspCode`.
async fn send_ipn(app: &TestApp, cfg: &VnpayConfig, params: &BTreeMap<String, String>) -> String {
    let url = app.url(&format!("/payments/vnpay/ipn?{}", cfg.signed_query(params)));
    let r = app.client.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["Message"].is_string());
    body["RspCode"].as_str().unwrap().to_string()
}

async fn count(app: &TestApp, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(app.running.state.db.reader()).await.unwrap()
}

async fn status_of(app: &TestApp, txn_ref: &str) -> String {
    sqlx::query_scalar("SELECT status FROM payments WHERE txn_ref = $1")
        .bind(txn_ref)
        .fetch_one(app.running.state.db.reader())
        .await
        .unwrap()
}

async fn paid_events(app: &TestApp, id: &str) -> i64 {
    count(app, "SELECT COUNT(*) FROM dossier_events WHERE dossier_id = $1 AND kind = 'payment_paid'", id)
        .await
}

#[tokio::test]
async fn forged_wrong_amount_and_replayed_ipns_change_nothing() {
    let app = app_with(false).await;
    let (b, id) = submitted(&app, "ipn@example.vn", "001199012345").await;
    let url = start_payment(&b, &id).await;
    let txn = param(&url, "vnp_TxnRef");
    assert_eq!(param(&url, "vnp_Amount"), "7500000", "75,000 ₫ × 100");
    let cfg = cfg(&app);

    // a forged IPN (another secret): 97, nothing changes
    let forger = VnpayConfig::new("MOTCUA01", "not-the-secret", "", "", "", "");
    assert_eq!(send_ipn(&app, &forger, &ipn_params(&txn, "7500000", true)).await, "97");
    // a tampered one: the amount changed after signing
    let mut query = cfg.signed_query(&ipn_params(&txn, "7500000", true));
    query = query.replace("vnp_Amount=7500000", "vnp_Amount=100");
    let r = app.client.get(app.url(&format!("/payments/vnpay/ipn?{query}"))).send().await.unwrap();
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["RspCode"], "97");
    // no signature at all
    let r = app.client.get(app.url(&format!("/payments/vnpay/ipn?vnp_TxnRef={txn}"))).send().await.unwrap();
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["RspCode"], "97");
    assert_eq!(status_of(&app, &txn).await, "pending");

    // a wrong amount, correctly signed: 04; an unknown order: 01
    assert_eq!(send_ipn(&app, &cfg, &ipn_params(&txn, "100", true)).await, "04");
    assert_eq!(send_ipn(&app, &cfg, &ipn_params(&txn, "not-a-number", true)).await, "04");
    assert_eq!(send_ipn(&app, &cfg, &ipn_params("999999", "7500000", true)).await, "01");
    assert_eq!(status_of(&app, &txn).await, "pending");
    assert_eq!(paid_events(&app, &id).await, 0);

    // the real one: 00, paid, once on the timeline and in the audit log
    assert_eq!(send_ipn(&app, &cfg, &ipn_params(&txn, "7500000", true)).await, "00");
    assert_eq!(status_of(&app, &txn).await, "paid");
    let audit =
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE subject = $1 AND action = 'payment.paid'", &id)
            .await;
    assert_eq!((paid_events(&app, &id).await, audit), (1, 1));

    // replayed, even as a failure: 02 and nothing changes
    assert_eq!(send_ipn(&app, &cfg, &ipn_params(&txn, "7500000", true)).await, "02");
    assert_eq!(send_ipn(&app, &cfg, &ipn_params(&txn, "7500000", false)).await, "02");
    assert_eq!(status_of(&app, &txn).await, "paid");
    let audit =
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE subject = $1 AND action = 'payment.paid'", &id)
            .await;
    assert_eq!((paid_events(&app, &id).await, audit), (1, 1));

    // paid: no second order
    let again = b.post(&format!("/dossiers/{id}/pay"), &[]).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("đã được thanh toán"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payments WHERE dossier_id = $1", &id).await, 1);
}

#[tokio::test]
async fn two_concurrent_ipns_settle_an_order_once() {
    let app = app_with(false).await;
    let (b, id) = submitted(&app, "dong-thoi@example.vn", "001199012345").await;
    let txn = param(&start_payment(&b, &id).await, "vnp_TxnRef");
    let cfg = cfg(&app);
    let params = ipn_params(&txn, "7500000", true);
    let (a, c, d) = tokio::join!(
        send_ipn(&app, &cfg, &params),
        send_ipn(&app, &cfg, &params),
        send_ipn(&app, &cfg, &params)
    );
    let mut answers = vec![a, c, d];
    answers.sort();
    assert_eq!(answers, ["00", "02", "02"]);
    assert_eq!(paid_events(&app, &id).await, 1);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM payments WHERE dossier_id = $1 AND status = 'paid'", &id).await,
        1
    );
}

#[tokio::test]
async fn a_double_click_on_pay_makes_one_pending_order() {
    let app = app_with(false).await;
    let (b, id) = submitted(&app, "hai-lan@example.vn", "001199012345").await;
    let path = format!("/dossiers/{id}/pay");
    let (r1, r2) = tokio::join!(b.post(&path, &[]), b.post(&path, &[]));
    assert_eq!((r1.status(), r2.status()), (reqwest::StatusCode::SEE_OTHER, reqwest::StatusCode::SEE_OTHER));
    assert_eq!(param(&location(&r1), "vnp_TxnRef"), param(&location(&r2), "vnp_TxnRef"));
    // a reload, a second tab: the same order again
    let r3 = start_payment(&b, &id).await;
    assert_eq!(param(&r3, "vnp_TxnRef"), param(&location(&r1), "vnp_TxnRef"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payments WHERE dossier_id = $1", &id).await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM dossier_events WHERE dossier_id = $1 AND kind = 'payment_started'",
            &id
        )
        .await,
        1
    );
    // strangers can neither pay nor see it
    let stranger = citizen(&app, "la@example.vn", "001099012346").await;
    assert_eq!(stranger.post(&path, &[]).await.status(), 404);

    // withdrawn meanwhile: money the gateway takes later is kept for a refund, not settled
    let txn = param(&location(&r1), "vnp_TxnRef");
    let r = b.post(&format!("/dossiers/{id}/withdraw"), &[("reason", "Nộp nhầm thủ tục")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(b.post(&path, &[]).await.status(), 422, "nothing to pay on a withdrawn dossier");
    assert_eq!(send_ipn(&app, &cfg(&app), &ipn_params(&txn, "7500000", true)).await, "00");
    assert_eq!(status_of(&app, &txn).await, "late_paid");
    assert_eq!(paid_events(&app, &id).await, 0);
}

#[tokio::test]
async fn the_sandbox_gateway_runs_the_whole_flow_and_the_ipn_arrives_before_the_browser() {
    let app = app_with(false).await;
    let (b, id) = submitted(&app, "sandbox@example.vn", "001199012345").await;
    // the dossier page asks for the payment
    let page = b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("Chưa thanh toán") && page.contains("Thanh toán trực tuyến"));
    assert!(page.contains("75.000"));

    let url = start_payment(&b, &id).await;
    let txn = param(&url, "vnp_TxnRef");
    let gateway = b.get(&url).await;
    assert_eq!(gateway.status(), 200);
    let html = gateway.text().await.unwrap();
    assert!(html.contains("SANDBOX — không phải cổng thanh toán thật") && html.contains("75.000"));
    // a tampered payment link is refused by the gateway
    let tampered = url.replace("vnp_Amount=7500000", "vnp_Amount=100");
    assert_eq!(b.get(&tampered).await.status(), 400);

    // pay: the gateway calls the IPN, then sends the browser back
    let r = b.post("/sandbox/vnpay/pay", &[("q", &query_of(&url)), ("action", "pay")]).await;
    assert_eq!(r.status(), 303);
    let back = location(&r);
    assert!(back.contains("/payments/vnpay/return?"), "{back}");
    assert_eq!(status_of(&app, &txn).await, "paid", "the IPN came before the browser returned");

    // the return page shows the outcome on the dossier page
    let r = b.get(&back).await;
    assert_eq!(r.status(), 303);
    let dossier = location(&r);
    assert!(dossier.starts_with(&format!("/dossiers/{id}?payment=success")), "{dossier}");
    let page = b.get(&dossier).await.text().await.unwrap();
    assert!(page.contains("Đã thanh toán") && page.contains("Thanh toán thành công"));
    // and changes nothing when replayed
    b.get(&back).await;
    assert_eq!(paid_events(&app, &id).await, 1);

    // the e-receipt: for the applicant (and the desk), 404 for anyone else
    let receipt_path = page
        .split("href=\"")
        .find_map(|s| s.split('"').next().filter(|h| h.ends_with("/receipt.pdf") && h.contains("/payments/")))
        .unwrap()
        .to_string();
    let pdf = b.get(&receipt_path).await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let stranger = citizen(&app, "nguoi-la@example.vn", "001099012346").await;
    assert_eq!(stranger.get(&receipt_path).await.status(), 404);
    assert_eq!(app.browser().get(&receipt_path).await.status(), 404);
    let desk = officer(&app, "quay@example.gov.vn", UNIT, Role::DeskOfficer).await;
    let (_, pdf) = payments::receipt_pdf(
        &app.running.state,
        &desk,
        &id,
        receipt_path.split('/').nth(4).unwrap(),
        app::i18n::Locale::En,
    )
    .await
    .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));

    // a forged return (bad signature) says so and changes nothing
    let forged = back.replace("vnp_ResponseCode=00", "vnp_ResponseCode=24");
    let r = b.get(&forged).await;
    assert!(location(&r).contains("payment=invalid") || location(&r).contains("/dossiers"));
}

#[tokio::test]
async fn a_cancelled_payment_can_be_retried() {
    let app = app_with(false).await;
    let (b, id) = submitted(&app, "huy@example.vn", "001199012345").await;
    let url = start_payment(&b, &id).await;
    let first = param(&url, "vnp_TxnRef");
    let r = b.post("/sandbox/vnpay/pay", &[("q", &query_of(&url)), ("action", "cancel")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(status_of(&app, &first).await, "cancelled");
    let r = b.get(&location(&r)).await;
    let page = b.get(&location(&r)).await.text().await.unwrap();
    assert!(page.contains("Thanh toán lại") && page.contains("Chưa thanh toán"), "retry offered");

    let url = start_payment(&b, &id).await;
    let second = param(&url, "vnp_TxnRef");
    assert_ne!(first, second, "a new order");
    let r = b.post("/sandbox/vnpay/pay", &[("q", &query_of(&url)), ("action", "pay")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(status_of(&app, &second).await, "paid");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM payments WHERE dossier_id = $1 AND status = 'paid'", &id).await,
        1
    );
}

#[tokio::test]
async fn reconciliation_settles_an_order_whose_ipn_never_came_and_expires_unpaid_ones() {
    let app = app_with(false).await;
    let state = &app.running.state;
    let (b, id) = submitted(&app, "doi-soat@example.vn", "001199012345").await;
    let url = start_payment(&b, &id).await;
    let txn = param(&url, "vnp_TxnRef");
    // paid at the gateway, but the IPN is lost
    let r =
        b.post("/sandbox/vnpay/pay", &[("q", &query_of(&url)), ("action", "pay"), ("skip_ipn", "1")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(status_of(&app, &txn).await, "pending");

    // a second dossier whose payer never paid
    let (b2, id2) = submitted(&app, "bo-do@example.vn", "001099012346").await;
    let txn2 = param(&start_payment(&b2, &id2).await, "vnp_TxnRef");

    // too early: left alone
    assert_eq!(payments::reconcile(state).await.unwrap(), payments::Reconciled::default());
    app.clock.advance(time::Duration::minutes(20));
    let done = payments::reconcile(state).await.unwrap();
    // (the server's own job may have reconciled one of them a moment earlier)
    assert!(done.settled <= 1 && done.expired <= 1 && done.left == 0, "{done:?}");
    assert_eq!(status_of(&app, &txn).await, "paid");
    assert_eq!(status_of(&app, &txn2).await, "expired");
    assert_eq!(paid_events(&app, &id).await, 1);
    // idempotent: nothing left to do
    assert_eq!(payments::reconcile(state).await.unwrap(), payments::Reconciled::default());

    // the lost IPN arrives at last: already confirmed, nothing changes
    assert_eq!(send_ipn(&app, &cfg(&app), &ipn_params(&txn, "7500000", true)).await, "02");
    // a payment for the expired order arrives late: kept for a refund, not dropped
    assert_eq!(send_ipn(&app, &cfg(&app), &ipn_params(&txn2, "7500000", true)).await, "00");
    assert_eq!(status_of(&app, &txn2).await, "late_paid");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM dossier_events WHERE dossier_id = $1 AND kind = 'payment_late'",
            &id2
        )
        .await,
        1
    );

    // the report lists them for the desk of the unit and the system administrator
    let desk = officer(&app, "doisoat@example.gov.vn", UNIT, Role::DeskOfficer).await;
    let report = payments::report(state, &desk, None).await.unwrap();
    assert_eq!(report.rows.len(), 2);
    let late = payments::report(state, &desk, Some("late_paid")).await.unwrap();
    assert_eq!(late.rows.len(), 1);
    assert!(report.totals.iter().any(|(s, n, sum)| s == "paid" && *n == 1 && *sum == 75_000));
    let elsewhere = officer(&app, "tinh@example.gov.vn", "000.00.00.H26", Role::Specialist).await;
    assert!(payments::report(state, &elsewhere, None).await.is_err());
}

#[tokio::test]
async fn the_desk_cannot_return_a_result_with_an_unpaid_fee_and_records_counter_payments() {
    let app = app_with(false).await;
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let (b, id) = submitted(&app, "quay@example.vn", "001199012345").await;
    let desk = officer(&app, "motcua@example.gov.vn", UNIT, Role::DeskOfficer).await;
    let specialist = officer(&app, "chuyenvien@example.gov.vn", UNIT, Role::Specialist).await;
    let leader = officer(&app, "lanhdao@example.gov.vn", UNIT, Role::Leader).await;
    let clerk = officer(&app, "vanthu@example.gov.vn", UNIT, Role::Clerk).await;
    // the desk sees "unpaid" and may accept anyway
    let info = payments::for_officer(state, &desk, &id).await.unwrap();
    assert_eq!(info.state, payments::PayState::Unpaid);
    reception::accept(state, &desk, &id, &meta).await.unwrap();
    workflow::forward(state, &specialist, &id, "").await.unwrap();
    workflow::forward(state, &leader, &id, "").await.unwrap();
    let pdf = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from_static(
        b"%PDF-1.4\nkq\n",
    ))]);
    workflow::issue_result(state, &clerk, &id, "kq.pdf", pdf).await.unwrap();

    // a pending online order exists too
    let txn = param(&start_payment(&b, &id).await, "vnp_TxnRef");
    let err = workflow::return_result(state, &desk, &id, "electronic", "", &meta).await.unwrap_err();
    assert!(format!("{err:?}").contains("chưa được thanh toán"), "{err:?}");

    // the counter payment: checked input, only the desk of the unit
    assert!(payments::record_counter(state, &desk, &id, "counter_cash", "x", &meta).await.is_err());
    assert!(payments::record_counter(state, &desk, &id, "bitcoin", "BL-0001", &meta).await.is_err());
    assert!(
        payments::record_counter(state, &specialist, &id, "counter_cash", "BL-0001", &meta).await.is_err()
    );
    payments::record_counter(state, &desk, &id, "counter_cash", "BL-0001", &meta).await.unwrap();
    assert!(
        payments::record_counter(state, &desk, &id, "counter_card", "BL-0002", &meta).await.is_err(),
        "once"
    );
    assert_eq!(status_of(&app, &txn).await, "cancelled", "the online order gave way");
    // the gateway confirms the old order later: refund follow-up, not a second settlement
    assert_eq!(send_ipn(&app, &cfg(&app), &ipn_params(&txn, "7500000", true)).await, "00");
    assert_eq!(status_of(&app, &txn).await, "late_paid");
    assert_eq!(paid_events(&app, &id).await, 1);

    workflow::return_result(state, &desk, &id, "electronic", "", &meta).await.unwrap();
    let page = b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("Đã thanh toán") && page.contains("BL-0001"));
}

#[tokio::test]
async fn a_fee_due_at_acceptance_stops_the_clock_until_it_is_paid() {
    let app = app_with(true).await;
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let (b, id) = submitted(&app, "sau@example.vn", "001199012345").await;
    // nothing to pay before acceptance
    assert_eq!(b.post(&format!("/dossiers/{id}/pay"), &[]).await.status(), 422);
    let desk = officer(&app, "motcua@example.gov.vn", UNIT, Role::DeskOfficer).await;
    let specialist = officer(&app, "chuyenvien@example.gov.vn", UNIT, Role::Specialist).await;
    reception::accept(state, &desk, &id, &meta).await.unwrap();
    let (st, national): (String, i64) =
        sqlx::query_as("SELECT state, national_status FROM dossiers WHERE id = $1")
            .bind(&id)
            .fetch_one(state.db.reader())
            .await
            .unwrap();
    assert_eq!((st.as_str(), national), ("\"awaiting_payment\"", 6));
    // the "Pay now" email
    let mail = app.mail.wait_for("sau@example.vn", 3).await;
    assert!(mail.subject.contains("nộp phí"), "{}", mail.subject);
    assert!(mail.text.contains(&format!("/dossiers/{id}#payment")));
    // processing waits
    assert!(workflow::forward(state, &specialist, &id, "").await.is_err());

    let url = start_payment(&b, &id).await;
    let r = b.post("/sandbox/vnpay/pay", &[("q", &query_of(&url)), ("action", "pay")]).await;
    assert_eq!(r.status(), 303);
    let st: String = sqlx::query_scalar("SELECT state FROM dossiers WHERE id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    assert_eq!(st, "\"in_process\"", "settled: the clock runs again");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM dossier_events WHERE dossier_id = $1 AND kind = 'payment_settled'",
            &id
        )
        .await,
        1
    );
    workflow::forward(state, &specialist, &id, "").await.unwrap();
}

#[tokio::test]
async fn the_review_page_shows_the_fees() {
    let app = app_with(false).await;
    let b = citizen(&app, "xem@example.vn", "001199012345").await;
    let id = ready_draft(&b).await;
    let page = b.get(&format!("/dossiers/{id}/review")).await.text().await.unwrap();
    assert!(page.contains("Phí, lệ phí") && page.contains("75.000"), "fees on the review page");
    // and QueryDR on the sandbox refuses a bad checksum
    let cfg = cfg(&app);
    let mut q = vnpay::query_request(&cfg, "r1", "123", "20261123100000", time::OffsetDateTime::now_utc());
    q.vnp_SecureHash = "00".into();
    let answer: vnpay::QueryResponse = app
        .client
        .post(app.url("/sandbox/vnpay/merchant_webapi/api/transaction"))
        .json(&q)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer.vnp_ResponseCode, "97");
}

/// An officer created with `officer()` signing in through the pages (TOTP enrolled).
async fn officer_browser(app: &TestApp, email: &str, unit: &str, role: Role) -> Browser {
    officer(app, email, unit, role).await;
    common::signed_in_officer(app, email, "Một cửa phường Hiến Nam 2026").await
}

#[tokio::test]
async fn the_desk_takes_the_fee_at_the_counter_through_its_page_and_reads_the_report() {
    let app = app_with(false).await;
    let (citizen_b, id) = submitted(&app, "tai-quay@example.vn", "001199012345").await;
    let desk = officer_browser(&app, "quay1@example.gov.vn", UNIT, Role::DeskOfficer).await;
    let page = desk.get(&format!("/officer/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("Chưa thanh toán") && page.contains("Ghi nhận đã thu phí"));
    let path = format!("/officer/dossiers/{id}/payments");
    // refused input: the page again with the message, nothing recorded
    let r = desk.post(&path, &[("method", "counter_cash"), ("receipt_no", "1")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("số biên lai"));
    // an officer of another unit gets 404
    let other = officer_browser(&app, "xa@example.gov.vn", "000.00.00.H26", Role::DeskOfficer).await;
    assert_eq!(other.post(&path, &[("method", "counter_cash"), ("receipt_no", "BL-9")]).await.status(), 404);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payments WHERE dossier_id = $1", &id).await, 0);

    let r = desk.post(&path, &[("method", "counter_card"), ("receipt_no", "BL-2026-0042")]).await;
    assert_eq!(r.status(), 303);
    let page = desk.get(&location(&r)).await.text().await.unwrap();
    assert!(page.contains("Đã ghi nhận thu phí tại quầy") && page.contains("Đã thanh toán"));
    assert!(!page.contains("Ghi nhận đã thu phí<"), "no second counter form");
    // the citizen sees it paid, with the receipt, and no pay button
    let mine = citizen_b.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(mine.contains("Đã thanh toán") && mine.contains("BL-2026-0042") && !mine.contains("/pay\""));

    // the report: the desk's unit only; citizens are refused
    let report = desk.get("/officer/payments").await.text().await.unwrap();
    assert!(report.contains("BL-2026-0042") && report.contains("75.000"));
    let elsewhere = other.get("/officer/payments").await.text().await.unwrap();
    assert!(!elsewhere.contains("BL-2026-0042"));
    assert_eq!(citizen_b.get("/officer/payments").await.status(), 403);
}

#[tokio::test]
async fn the_appointment_moves_by_the_time_the_fee_was_owed() {
    let app = app_with(true).await;
    let state = &app.running.state;
    let meta = RequestMeta::default();
    let (_b, id) = submitted(&app, "cho-phi@example.vn", "001199012345").await;
    let desk = officer(&app, "motcua@example.gov.vn", UNIT, Role::DeskOfficer).await;
    reception::accept(state, &desk, &id, &meta).await.unwrap();
    let asked = state.clock.now();
    let due = |v: i64| app::ssr::db::columns::from_db(v);
    let before: i64 = sqlx::query_scalar("SELECT due_at FROM dossiers WHERE id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    app.clock.advance(time::Duration::days(3));
    app::ssr::services::payments::record_counter(state, &desk, &id, "counter_cash", "BL-0901", &meta)
        .await
        .unwrap();
    let after: i64 = sqlx::query_scalar("SELECT due_at FROM dossiers WHERE id = $1")
        .bind(&id)
        .fetch_one(state.db.reader())
        .await
        .unwrap();
    let calendar = reception::calendar(state).await.unwrap();
    let stood = u32::try_from(calendar.working_minutes_between(asked, state.clock.now())).unwrap();
    assert!(stood > 0);
    let expected = calendar.add_working_minutes(due(before), stood).unwrap();
    assert!((due(after) - expected).abs() < time::Duration::minutes(2), "{} → {}", due(before), due(after));
}
