//! The VNPay payment gateway protocol, version 2.1.0: the signed payment URL, the checksum
//! of the return URL and the IPN call, the IPN answers, and the QueryDR (transaction query)
//! request and response. Pure functions over strings (no IO except [`query`]), so the portal
//! and the sandbox gateway share them and the tests can check them against an independent
//! HMAC.
//!
//! Canonical string: the `vnp_*` parameters except `vnp_SecureHash` / `vnp_SecureHashType`,
//! empty values left out, sorted by name, each `urlencode(name)=urlencode(value)` (PHP
//! `urlencode`: letters, digits and `-_.` stay, space is `+`, every other byte `%XX`), joined
//! by `&`. `vnp_SecureHash` = lowercase hex of HMAC-SHA512(secret, canonical string).

use std::collections::BTreeMap;
use std::fmt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha512;
use time::OffsetDateTime;

use crate::domain::{Money, VIETNAM_OFFSET};

type HmacSha512 = Hmac<Sha512>;

/// The protocol version this module speaks.
pub const VERSION: &str = "2.1.0";

/// The merchant's settings at the gateway.
#[derive(Clone)]
pub struct VnpayConfig {
    /// Merchant (terminal) code, `vnp_TmnCode`.
    pub tmn_code: String,
    secret: String,
    /// The gateway's payment page, e.g. `https://sandbox.vnpayment.vn/paymentv2/vpcpay.html`.
    pub pay_url: String,
    /// The gateway's API (QueryDR), e.g. `https://sandbox.vnpayment.vn/merchant_webapi/api/transaction`.
    pub api_url: String,
    /// Where the gateway sends the browser back: the portal's return page.
    pub return_url: String,
    /// The portal's IPN endpoint (registered at the gateway; the sandbox calls it).
    pub ipn_url: String,
    /// How long a payment link stays valid (`vnp_ExpireDate`), in minutes.
    pub expire_minutes: i64,
}

impl fmt::Debug for VnpayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VnpayConfig")
            .field("tmn_code", &self.tmn_code)
            .field("secret", &"<redacted>")
            .field("pay_url", &self.pay_url)
            .field("api_url", &self.api_url)
            .field("return_url", &self.return_url)
            .field("ipn_url", &self.ipn_url)
            .finish()
    }
}

impl VnpayConfig {
    /// Settings with the merchant's hash secret (never logged, never serialised).
    pub fn new(
        tmn_code: &str,
        secret: &str,
        pay_url: &str,
        api_url: &str,
        return_url: &str,
        ipn_url: &str,
    ) -> VnpayConfig {
        VnpayConfig {
            tmn_code: tmn_code.to_string(),
            secret: secret.to_string(),
            pay_url: pay_url.to_string(),
            api_url: api_url.to_string(),
            return_url: return_url.to_string(),
            ipn_url: ipn_url.to_string(),
            expire_minutes: 15,
        }
    }

    /// HMAC-SHA512 of `data` with the merchant secret, lowercase hex.
    pub fn sign(&self, data: &str) -> String {
        sign(&self.secret, data)
    }

    /// Whether `hash` (hex, any case) is the signature of `data`, compared in constant time.
    pub fn verify(&self, data: &str, hash: &str) -> bool {
        let Ok(given) = hex::decode(hash.trim()) else { return false };
        let Ok(mut mac) = HmacSha512::new_from_slice(self.secret.as_bytes()) else { return false };
        mac.update(data.as_bytes());
        mac.verify_slice(&given).is_ok()
    }

    /// `canonical & vnp_SecureHash=…` for `params` (payment URL, return and IPN queries).
    pub fn signed_query(&self, params: &BTreeMap<String, String>) -> String {
        let data = canonical(params);
        let hash = self.sign(&data);
        format!("{data}&vnp_SecureHash={hash}")
    }
}

/// HMAC-SHA512 of `data` keyed by `secret`, lowercase hex.
pub fn sign(secret: &str, data: &str) -> String {
    match HmacSha512::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(data.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        // HMAC takes keys of any length; this branch cannot happen
        Err(_) => String::new(),
    }
}

/// PHP's `urlencode`, which VNPay's reference code uses for the canonical string.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The canonical string of the `vnp_*` parameters (see the module docs).
pub fn canonical(params: &BTreeMap<String, String>) -> String {
    params
        .iter()
        .filter(|(k, v)| {
            k.starts_with("vnp_") && !v.is_empty() && *k != "vnp_SecureHash" && *k != "vnp_SecureHashType"
        })
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `yyyyMMddHHmmss` in Vietnam time (GMT+7), the protocol's date format.
pub fn format_date(t: OffsetDateTime) -> String {
    let t = t.to_offset(VIETNAM_OFFSET);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// What the portal asks the gateway to charge.
#[derive(Debug, Clone)]
pub struct PayRequest<'a> {
    /// The order's reference, unique at the merchant (`vnp_TxnRef`).
    pub txn_ref: &'a str,
    /// The amount.
    pub amount: Money,
    /// What is paid for, without diacritics (VNPay's advice).
    pub order_info: &'a str,
    /// The payer's IP address.
    pub ip: &'a str,
    /// `vn` or `en`.
    pub locale: &'a str,
    /// When the order was made.
    pub created: OffsetDateTime,
}

/// The signed URL of the gateway's payment page for `req`.
pub fn payment_url(cfg: &VnpayConfig, req: &PayRequest<'_>) -> String {
    let expire = req.created + time::Duration::minutes(cfg.expire_minutes);
    let params: BTreeMap<String, String> = [
        ("vnp_Version", VERSION.to_string()),
        ("vnp_Command", "pay".to_string()),
        ("vnp_TmnCode", cfg.tmn_code.clone()),
        ("vnp_Amount", req.amount.vnpay_amount().to_string()),
        ("vnp_CreateDate", format_date(req.created)),
        ("vnp_ExpireDate", format_date(expire)),
        ("vnp_CurrCode", "VND".to_string()),
        ("vnp_IpAddr", req.ip.to_string()),
        ("vnp_Locale", req.locale.to_string()),
        ("vnp_OrderInfo", req.order_info.to_string()),
        ("vnp_OrderType", "other".to_string()),
        ("vnp_ReturnUrl", cfg.return_url.clone()),
        ("vnp_TxnRef", req.txn_ref.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let sep = if cfg.pay_url.contains('?') { '&' } else { '?' };
    format!("{}{sep}{}", cfg.pay_url, cfg.signed_query(&params))
}

/// The `vnp_*` parameters of a return or IPN query whose checksum is right, or `None`.
pub fn verify_query(cfg: &VnpayConfig, params: &[(String, String)]) -> Option<BTreeMap<String, String>> {
    let hash = params.iter().find(|(k, _)| k == "vnp_SecureHash").map(|(_, v)| v.clone())?;
    let map: BTreeMap<String, String> =
        params.iter().filter(|(k, _)| k.starts_with("vnp_")).cloned().collect();
    cfg.verify(&canonical(&map), &hash).then_some(map)
}

/// The answers the merchant gives to an IPN call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpnAnswer {
    /// 00: recorded.
    Confirmed,
    /// 01: no order with this reference.
    OrderNotFound,
    /// 02: the order was already settled; nothing changed.
    AlreadyConfirmed,
    /// 04: the amount is not the order's.
    InvalidAmount,
    /// 97: the checksum is wrong.
    InvalidChecksum,
    /// 99: anything else.
    Unknown,
}

impl IpnAnswer {
    /// `RspCode`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Confirmed => "00",
            Self::OrderNotFound => "01",
            Self::AlreadyConfirmed => "02",
            Self::InvalidAmount => "04",
            Self::InvalidChecksum => "97",
            Self::Unknown => "99",
        }
    }

    /// `Message`, as VNPay's reference code words it.
    pub fn message(self) -> &'static str {
        match self {
            Self::Confirmed => "Confirm Success",
            Self::OrderNotFound => "Order not found",
            Self::AlreadyConfirmed => "Order already confirmed",
            Self::InvalidAmount => "Invalid amount",
            Self::InvalidChecksum => "Invalid Checksum",
            Self::Unknown => "Unknow error",
        }
    }

    /// The JSON body: `{"RspCode":"00","Message":"Confirm Success"}`.
    pub fn json(self) -> String {
        format!(r#"{{"RspCode":"{}","Message":"{}"}}"#, self.code(), self.message())
    }
}

/// A QueryDR request (`vnp_Command=querydr`), sent as JSON to the API URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[allow(non_snake_case)]
pub struct QueryRequest {
    /// Unique id of this request.
    pub vnp_RequestId: String,
    /// `2.1.0`.
    pub vnp_Version: String,
    /// `querydr`.
    pub vnp_Command: String,
    /// Merchant code.
    pub vnp_TmnCode: String,
    /// The order.
    pub vnp_TxnRef: String,
    /// Text.
    pub vnp_OrderInfo: String,
    /// The order's `vnp_CreateDate`.
    pub vnp_TransactionDate: String,
    /// Now.
    pub vnp_CreateDate: String,
    /// The server's address.
    pub vnp_IpAddr: String,
    /// Checksum.
    pub vnp_SecureHash: String,
}

impl QueryRequest {
    /// The `|`-joined string the request's checksum covers.
    pub fn hash_data(&self) -> String {
        [
            &self.vnp_RequestId,
            &self.vnp_Version,
            &self.vnp_Command,
            &self.vnp_TmnCode,
            &self.vnp_TxnRef,
            &self.vnp_TransactionDate,
            &self.vnp_CreateDate,
            &self.vnp_IpAddr,
            &self.vnp_OrderInfo,
        ]
        .map(String::as_str)
        .join("|")
    }
}

/// A QueryDR answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[allow(non_snake_case)]
#[serde(default)]
pub struct QueryResponse {
    /// Echo of the request id.
    pub vnp_ResponseId: String,
    /// `querydr`.
    pub vnp_Command: String,
    /// `00` found; `91` no such transaction; `97` bad checksum; `99` other.
    pub vnp_ResponseCode: String,
    /// Text.
    pub vnp_Message: String,
    /// Merchant code.
    pub vnp_TmnCode: String,
    /// The order.
    pub vnp_TxnRef: String,
    /// đồng × 100.
    pub vnp_Amount: String,
    /// Bank.
    pub vnp_BankCode: String,
    /// When paid.
    pub vnp_PayDate: String,
    /// The gateway's transaction number.
    pub vnp_TransactionNo: String,
    /// `01` payment.
    pub vnp_TransactionType: String,
    /// `00` paid; `01` not finished; `02` failed or cancelled.
    pub vnp_TransactionStatus: String,
    /// Text.
    pub vnp_OrderInfo: String,
    /// Promotion.
    pub vnp_PromotionCode: String,
    /// Promotion.
    pub vnp_PromotionAmount: String,
    /// Checksum.
    pub vnp_SecureHash: String,
}

impl QueryResponse {
    /// The `|`-joined string the answer's checksum covers.
    pub fn hash_data(&self) -> String {
        [
            &self.vnp_ResponseId,
            &self.vnp_Command,
            &self.vnp_ResponseCode,
            &self.vnp_Message,
            &self.vnp_TmnCode,
            &self.vnp_TxnRef,
            &self.vnp_Amount,
            &self.vnp_BankCode,
            &self.vnp_PayDate,
            &self.vnp_TransactionNo,
            &self.vnp_TransactionType,
            &self.vnp_TransactionStatus,
            &self.vnp_OrderInfo,
            &self.vnp_PromotionCode,
            &self.vnp_PromotionAmount,
        ]
        .map(String::as_str)
        .join("|")
    }
}

/// A signed QueryDR request for an order made at `transaction_date` (its `vnp_CreateDate`).
pub fn query_request(
    cfg: &VnpayConfig,
    request_id: &str,
    txn_ref: &str,
    transaction_date: &str,
    now: OffsetDateTime,
) -> QueryRequest {
    let mut q = QueryRequest {
        vnp_RequestId: request_id.to_string(),
        vnp_Version: VERSION.to_string(),
        vnp_Command: "querydr".to_string(),
        vnp_TmnCode: cfg.tmn_code.clone(),
        vnp_TxnRef: txn_ref.to_string(),
        vnp_OrderInfo: format!("Truy van giao dich {txn_ref}"),
        vnp_TransactionDate: transaction_date.to_string(),
        vnp_CreateDate: format_date(now),
        vnp_IpAddr: "127.0.0.1".to_string(),
        vnp_SecureHash: String::new(),
    };
    q.vnp_SecureHash = cfg.sign(&q.hash_data());
    q
}

/// Sends a QueryDR request to the gateway's API and checks the answer's checksum.
pub async fn query(cfg: &VnpayConfig, request: &QueryRequest) -> anyhow::Result<QueryResponse> {
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(20)).build()?;
    let body = serde_json::to_vec(request)?;
    let response = client
        .post(&cfg.api_url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?
        .error_for_status()?;
    let bytes = response.bytes().await?;
    let answer: QueryResponse = serde_json::from_slice(&bytes)?;
    if !cfg.verify(&answer.hash_data(), &answer.vnp_SecureHash) {
        anyhow::bail!("QueryDR answer for {} has a wrong checksum", request.vnp_TxnRef);
    }
    Ok(answer)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use sha2::Digest as _;

    fn cfg() -> VnpayConfig {
        VnpayConfig::new(
            "MOTCUA01",
            "SECRETKEY123",
            "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
            "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction",
            "http://127.0.0.1:3000/payments/vnpay/return",
            "http://127.0.0.1:3000/payments/vnpay/ipn",
        )
    }

    /// HMAC-SHA512 written out from its definition (RFC 2104), independent of the `hmac`
    /// crate: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) with a 128-byte block.
    fn reference_hmac(key: &[u8], msg: &[u8]) -> String {
        let mut k = [0u8; 128];
        if key.len() > 128 {
            k[..64].copy_from_slice(&Sha512::digest(key));
        } else {
            k[..key.len()].copy_from_slice(key);
        }
        let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
        let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
        let inner = Sha512::digest([ipad.as_slice(), msg].concat());
        hex::encode(Sha512::digest([opad.as_slice(), inner.as_slice()].concat()))
    }

    #[test]
    fn hmac_matches_the_rfc_4231_vector() {
        // RFC 4231 test case 2
        let expected = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737";
        assert_eq!(sign("Jefe", "what do ya want for nothing?"), expected);
        assert_eq!(reference_hmac(b"Jefe", b"what do ya want for nothing?"), expected);
    }

    #[test]
    fn the_payment_url_is_signed_over_the_sorted_encoded_parameters() {
        let c = cfg();
        let created = time::macros::datetime!(2026-11-23 03:04:05 UTC); // 10:04:05 in Vietnam
        let url = payment_url(
            &c,
            &PayRequest {
                txn_ref: "0192abcd",
                amount: Money::from_dong(12_000).unwrap(),
                order_info: "Thanh toan phi ho so 000.00.31.H26-261123-0001",
                ip: "127.0.0.1",
                locale: "vn",
                created,
            },
        );
        let expected_data = "vnp_Amount=1200000&vnp_Command=pay&vnp_CreateDate=20261123100405&vnp_CurrCode=VND\
            &vnp_ExpireDate=20261123101905&vnp_IpAddr=127.0.0.1&vnp_Locale=vn\
            &vnp_OrderInfo=Thanh+toan+phi+ho+so+000.00.31.H26-261123-0001&vnp_OrderType=other\
            &vnp_ReturnUrl=http%3A%2F%2F127.0.0.1%3A3000%2Fpayments%2Fvnpay%2Freturn\
            &vnp_TmnCode=MOTCUA01&vnp_TxnRef=0192abcd&vnp_Version=2.1.0";
        let expected_hash = reference_hmac(b"SECRETKEY123", expected_data.as_bytes());
        assert_eq!(
            url,
            format!(
                "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?{expected_data}&vnp_SecureHash={expected_hash}"
            )
        );
    }

    #[test]
    fn a_return_query_is_verified_and_a_changed_one_is_not() {
        let c = cfg();
        let params: BTreeMap<String, String> = [
            ("vnp_Amount", "1200000"),
            ("vnp_ResponseCode", "00"),
            ("vnp_TxnRef", "0192abcd"),
            ("vnp_OrderInfo", "Thanh toan phi"),
            ("vnp_BankCode", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let query = c.signed_query(&params);
        let parsed: Vec<(String, String)> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.replace('+', " ")))
            .chain([("other".to_string(), "ignored".to_string())])
            .collect();
        let verified = verify_query(&c, &parsed).unwrap();
        assert_eq!(verified.get("vnp_TxnRef").map(String::as_str), Some("0192abcd"));
        // upper-case hex is accepted
        let upper: Vec<(String, String)> = parsed
            .iter()
            .map(|(k, v)| (k.clone(), if k == "vnp_SecureHash" { v.to_uppercase() } else { v.clone() }))
            .collect();
        assert!(verify_query(&c, &upper).is_some());
        // a forged amount, a missing or bad hash, another secret: refused
        let forged: Vec<(String, String)> = parsed
            .iter()
            .map(|(k, v)| (k.clone(), if k == "vnp_Amount" { "100".to_string() } else { v.clone() }))
            .collect();
        assert!(verify_query(&c, &forged).is_none());
        let unsigned: Vec<(String, String)> =
            parsed.iter().filter(|(k, _)| k != "vnp_SecureHash").cloned().collect();
        assert!(verify_query(&c, &unsigned).is_none());
        let garbage: Vec<(String, String)> = parsed
            .iter()
            .map(|(k, v)| (k.clone(), if k == "vnp_SecureHash" { "zz".to_string() } else { v.clone() }))
            .collect();
        assert!(verify_query(&c, &garbage).is_none());
        let other = VnpayConfig::new("MOTCUA01", "another", "", "", "", "");
        assert!(verify_query(&other, &parsed).is_none());
    }

    #[test]
    fn querydr_checksums() {
        let c = cfg();
        let now = time::macros::datetime!(2026-11-23 03:30:00 UTC);
        let q = query_request(&c, "req1", "0192abcd", "20261123100405", now);
        assert_eq!(
            q.hash_data(),
            "req1|2.1.0|querydr|MOTCUA01|0192abcd|20261123100405|20261123103000|127.0.0.1|Truy van giao dich 0192abcd"
        );
        assert_eq!(q.vnp_SecureHash, reference_hmac(b"SECRETKEY123", q.hash_data().as_bytes()));
        let mut r = QueryResponse {
            vnp_ResponseId: "x".into(),
            vnp_Command: "querydr".into(),
            vnp_ResponseCode: "00".into(),
            vnp_TxnRef: "0192abcd".into(),
            vnp_Amount: "1200000".into(),
            vnp_TransactionStatus: "00".into(),
            ..QueryResponse::default()
        };
        r.vnp_SecureHash = c.sign(&r.hash_data());
        assert!(c.verify(&r.hash_data(), &r.vnp_SecureHash));
        r.vnp_Amount = "1".into();
        assert!(!c.verify(&r.hash_data(), &r.vnp_SecureHash));
    }

    #[test]
    fn ipn_answers() {
        assert_eq!(IpnAnswer::Confirmed.json(), r#"{"RspCode":"00","Message":"Confirm Success"}"#);
        assert_eq!(IpnAnswer::InvalidChecksum.code(), "97");
        assert_eq!(IpnAnswer::AlreadyConfirmed.code(), "02");
        assert_eq!(IpnAnswer::InvalidAmount.code(), "04");
        assert_eq!(IpnAnswer::OrderNotFound.code(), "01");
        assert_eq!(IpnAnswer::Unknown.code(), "99");
    }

    #[test]
    fn encoding_is_phps() {
        assert_eq!(urlencode("a b*c~/é"), "a+b%2Ac%7E%2F%C3%A9");
        assert!(!format!("{:?}", cfg()).contains("SECRETKEY123"));
    }
}
