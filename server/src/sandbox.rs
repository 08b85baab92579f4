//! The sandbox payment gateway: the VNPay 2.1.0 protocol on loopback, clearly labelled as
//! not a real gateway, so that development, the demo and the tests run the whole flow
//! (signed redirect → pay or cancel → IPN to the portal → signed return) and reconciliation
//! (QueryDR) without internet. Served under `/sandbox/vnpay/` when `MOTCUA_PAYMENT_SANDBOX`
//! is on (the default outside production; production refuses it).
//!
//! It keeps its transactions in memory (one process), checks every request's signature with
//! the merchant secret the portal is configured with, and signs what it sends back.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use app::ssr::mail::escape;
use app::ssr::payments::vnpay::{self, QueryRequest, QueryResponse, VnpayConfig};
use app::ssr::ports::Clock;
use app::ssr::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use rand::Rng as _;
use serde::Deserialize;

/// The sandbox's payment page (`vnp_Url`).
pub const PAY_PATH: &str = "/sandbox/vnpay/paymentv2/vpcpay.html";
/// The sandbox's API (QueryDR).
pub const API_PATH: &str = "/sandbox/vnpay/merchant_webapi/api/transaction";
const ACTION_PATH: &str = "/sandbox/vnpay/pay";

/// A transaction the sandbox has seen through.
#[derive(Debug, Clone)]
struct Txn {
    amount: String,
    order_info: String,
    response_code: String,
    status: String,
    transaction_no: String,
    bank_code: String,
    pay_date: String,
}

#[derive(Clone)]
struct Sandbox {
    cfg: VnpayConfig,
    clock: Arc<dyn Clock>,
    txns: Arc<Mutex<HashMap<String, Txn>>>,
    client: reqwest::Client,
}

/// The sandbox's routes, for the portal's own merchant settings.
pub fn routes(state: &AppState) -> Router<AppState> {
    let sandbox = Sandbox {
        cfg: state.config.vnpay.clone(),
        clock: state.clock.clone(),
        txns: Arc::new(Mutex::new(HashMap::new())),
        client: reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default(),
    };
    Router::new()
        .route(PAY_PATH, get(page))
        .route(ACTION_PATH, post(act))
        .route(API_PATH, post(querydr))
        .with_state(sandbox)
}

const BANNER: &str = "SANDBOX — không phải cổng thanh toán thật (test gateway, no real money)";

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} — VNPay SANDBOX</title><link rel=\"stylesheet\" href=\"/pkg/motcua.css\"></head>\
         <body><header><p class=\"error-summary\"><strong>{BANNER}</strong></p></header>\
         <main id=\"main\" class=\"narrow\">{body}</main></body></html>",
        escape(title)
    );
    let mut response = (status, Html(page)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn dong(vnp_amount: &str) -> String {
    vnp_amount
        .parse::<i64>()
        .ok()
        .and_then(|a| app::domain::Money::from_vnpay_amount(a).ok())
        .map(|m| m.format_vi())
        .unwrap_or_else(|| vnp_amount.to_string())
}

/// `GET /sandbox/vnpay/paymentv2/vpcpay.html?…`: the payment page, after checking the
/// merchant's signature.
async fn page(State(s): State<Sandbox>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let Some(p) = vnpay::verify_query(&s.cfg, &params) else {
        return html(
            StatusCode::BAD_REQUEST,
            "Sai chữ ký",
            "<h1>Sai chữ ký (mã 70)</h1><p>Yêu cầu thanh toán không đúng chữ ký của đơn vị.</p>",
        );
    };
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    if get("vnp_TmnCode") != s.cfg.tmn_code || get("vnp_Command") != "pay" {
        return html(StatusCode::BAD_REQUEST, "Sai mã đơn vị", "<h1>Mã đơn vị không hợp lệ</h1>");
    }
    let query = s.cfg.signed_query(&p);
    let body = format!(
        "<h1>Thanh toán qua VNPay (SANDBOX)</h1>\
         <dl class=\"facts\"><dt>Đơn vị</dt><dd>{}</dd><dt>Mã giao dịch</dt><dd><code>{}</code></dd>\
         <dt>Nội dung</dt><dd>{}</dd><dt>Số tiền</dt><dd><strong data-testid=\"sandbox-amount\">{}</strong></dd></dl>\
         <form method=\"post\" action=\"{ACTION_PATH}\">\
         <input type=\"hidden\" name=\"q\" value=\"{}\">\
         <div class=\"field\"><label><input type=\"checkbox\" name=\"skip_ipn\" value=\"1\"> \
         Không gửi IPN (mô phỏng mất kết nối; chỉ đối soát QueryDR mới phát hiện)</label></div>\
         <p class=\"actions\"><button type=\"submit\" name=\"action\" value=\"pay\" class=\"button\">Thanh toán</button> \
         <button type=\"submit\" name=\"action\" value=\"cancel\" class=\"button secondary\">Hủy thanh toán</button></p>\
         </form>",
        escape(&s.cfg.tmn_code),
        escape(&get("vnp_TxnRef")),
        escape(&get("vnp_OrderInfo")),
        escape(&dong(&get("vnp_Amount"))),
        escape(&query),
    );
    html(StatusCode::OK, "Thanh toán", &body)
}

/// The payer's choice on the sandbox page.
#[derive(Debug, Deserialize)]
struct Choice {
    #[serde(default)]
    q: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    skip_ipn: Option<String>,
}

/// `POST /sandbox/vnpay/pay`: records the outcome, calls the portal's IPN (server to server,
/// before the browser returns, as VNPay does), then sends the browser to the return URL.
async fn act(State(s): State<Sandbox>, Form(choice): Form<Choice>) -> Response {
    let params: Vec<(String, String)> = url_pairs(&choice.q);
    let Some(p) = vnpay::verify_query(&s.cfg, &params) else {
        return html(StatusCode::BAD_REQUEST, "Sai chữ ký", "<h1>Sai chữ ký (mã 70)</h1>");
    };
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    let txn_ref = get("vnp_TxnRef");
    let pay = choice.action == "pay";
    let known = s.txns.lock().ok().and_then(|t| t.get(&txn_ref).cloned());
    if known.is_some_and(|t| t.status == "00") {
        return html(
            StatusCode::CONFLICT,
            "Giao dịch đã thanh toán",
            "<h1>Giao dịch đã được thanh toán trước đó (mã 94)</h1>",
        );
    }
    let now = s.clock.now();
    let transaction_no = if pay {
        format!("{}", rand::rng().random_range(10_000_000..100_000_000u32))
    } else {
        "0".to_string()
    };
    let txn = Txn {
        amount: get("vnp_Amount"),
        order_info: get("vnp_OrderInfo"),
        response_code: if pay { "00" } else { "24" }.to_string(),
        status: if pay { "00" } else { "02" }.to_string(),
        transaction_no: transaction_no.clone(),
        bank_code: "NCB".to_string(),
        pay_date: vnpay::format_date(now),
    };
    if let Ok(mut txns) = s.txns.lock() {
        txns.insert(txn_ref.clone(), txn.clone());
    }
    let result: BTreeMap<String, String> = [
        ("vnp_Amount", txn.amount.clone()),
        ("vnp_BankCode", txn.bank_code.clone()),
        ("vnp_BankTranNo", if pay { format!("VNP{transaction_no}") } else { String::new() }),
        ("vnp_CardType", "ATM".to_string()),
        ("vnp_OrderInfo", txn.order_info.clone()),
        ("vnp_PayDate", txn.pay_date.clone()),
        ("vnp_ResponseCode", txn.response_code.clone()),
        ("vnp_TmnCode", s.cfg.tmn_code.clone()),
        ("vnp_TransactionNo", transaction_no),
        ("vnp_TransactionStatus", txn.status.clone()),
        ("vnp_TxnRef", txn_ref.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let query = s.cfg.signed_query(&result);
    if choice.skip_ipn.is_none() {
        let url = format!("{}?{query}", s.cfg.ipn_url);
        match s.client.get(&url).send().await {
            Ok(r) => {
                let body = r.text().await.unwrap_or_default();
                tracing::info!(txn_ref = %txn_ref, answer = %body, "sandbox IPN delivered");
            }
            Err(e) => tracing::warn!(txn_ref = %txn_ref, error = %e, "sandbox IPN failed"),
        }
    }
    let return_url = get("vnp_ReturnUrl");
    let sep = if return_url.contains('?') { '&' } else { '?' };
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{return_url}{sep}{query}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// Decodes `a=b&c=d` (form encoding: `+` is a space).
fn url_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `POST /sandbox/vnpay/merchant_webapi/api/transaction` with a QueryDR request.
async fn querydr(State(s): State<Sandbox>, Json(q): Json<QueryRequest>) -> Response {
    let mut answer = QueryResponse {
        vnp_ResponseId: format!("{:x}", rand::rng().random::<u64>()),
        vnp_Command: "querydr".into(),
        vnp_TmnCode: s.cfg.tmn_code.clone(),
        vnp_TxnRef: q.vnp_TxnRef.clone(),
        vnp_OrderInfo: q.vnp_OrderInfo.clone(),
        ..QueryResponse::default()
    };
    if !s.cfg.verify(&q.hash_data(), &q.vnp_SecureHash) || q.vnp_TmnCode != s.cfg.tmn_code {
        answer.vnp_ResponseCode = "97".into();
        answer.vnp_Message = "Invalid Checksum".into();
    } else if q.vnp_Command != "querydr" {
        answer.vnp_ResponseCode = "02".into();
        answer.vnp_Message = "Invalid request".into();
    } else {
        match s.txns.lock().ok().and_then(|t| t.get(&q.vnp_TxnRef).cloned()) {
            None => {
                answer.vnp_ResponseCode = "91".into();
                answer.vnp_Message = "Transaction not found".into();
            }
            Some(t) => {
                answer.vnp_ResponseCode = "00".into();
                answer.vnp_Message = "QueryDR Success".into();
                answer.vnp_Amount = t.amount;
                answer.vnp_BankCode = t.bank_code;
                answer.vnp_PayDate = t.pay_date;
                answer.vnp_TransactionNo = t.transaction_no;
                answer.vnp_TransactionType = "01".into();
                answer.vnp_TransactionStatus = t.status;
                answer.vnp_OrderInfo = t.order_info;
            }
        }
    }
    answer.vnp_SecureHash = s.cfg.sign(&answer.hash_data());
    Json(answer).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding() {
        assert_eq!(decode("a+b%2Fc%C3%A9%"), "a b/cé%");
        assert_eq!(url_pairs("x=1&y=a+b"), vec![("x".into(), "1".into()), ("y".into(), "a b".into())]);
    }
}
