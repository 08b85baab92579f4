//! The VNPay IPN (and return URL) parser and verifier: the query string as the IPN route
//! reads it (axum's `Query<Vec<(String, String)>>` from the request URI), then
//! `vnpay::verify_query` (canonical string, HMAC-SHA512, constant-time comparison) and the
//! amount as the service reads it. The first input byte picks the mode:
//! * even: the rest is a query string as sent by anyone. Properties: no panic; nothing is
//!   accepted unless its `vnp_SecureHash` is the HMAC of the canonical string under the
//!   merchant's key, computed here independently of the portal's code; what is accepted
//!   under one key is refused under another;
//! * odd: fuzzed parameters signed here with the merchant's key (an independent canonical
//!   string: PHP `urlencode`, sorted, empty values and the hash fields left out), encoded
//!   like a gateway would. Properties: accepted, with exactly the `vnp_*` parameters sent;
//!   refused under another key; refused when a signed value or the hash is altered.
#![no_main]

use std::collections::BTreeMap;

use app::domain::Money;
use app::ssr::payments::vnpay::{VnpayConfig, verify_query};
use arbitrary::{Arbitrary, Unstructured};
use axum::extract::Query;
use axum::http::Uri;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::Sha512;

const KEY: &str = "MOTCUAFUZZSECRETKEY0123456789ABC";
const OTHER_KEY: &str = "ANOTHERMERCHANTSECRET9876543210Z";

fn config(secret: &str) -> VnpayConfig {
    VnpayConfig::new("MOTCUA01", secret, "https://pay.invalid/", "https://api.invalid/", "/r", "/ipn")
}

/// PHP `urlencode` written out again, byte by byte.
fn php_urlencode(s: &str) -> String {
    let mut out = String::new();
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The canonical string from the protocol description (last value of a repeated name wins,
/// as in the portal's map).
fn canonical(params: &[(String, String)]) -> String {
    let mut map = BTreeMap::new();
    for (k, v) in params {
        map.insert(k.as_str(), v.as_str());
    }
    let mut out = Vec::new();
    for (k, v) in map {
        if k.starts_with("vnp_") && k != "vnp_SecureHash" && k != "vnp_SecureHashType" && !v.is_empty() {
            out.push(format!("{}={}", php_urlencode(k), php_urlencode(v)));
        }
    }
    out.join("&")
}

fn hmac_bytes(key: &str, data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha512>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Parses `query` the way the IPN route does; `None` when the request would not get there.
fn extract(query: &str) -> Option<Vec<(String, String)>> {
    let uri: Uri = format!("/payments/vnpay/ipn?{query}").parse().ok()?;
    let Query(params) = Query::<Vec<(String, String)>>::try_from_uri(&uri).ok()?;
    Some(params)
}

/// What the service reads after the checksum (the amount, đồng × 100).
fn read_amount(p: &BTreeMap<String, String>) {
    if let Some(Ok(amount)) = p.get("vnp_Amount").map(|a| a.trim().parse::<i64>()) {
        if let Ok(m) = Money::from_vnpay_amount(amount) {
            assert_eq!(m.vnpay_amount(), amount);
        }
    }
}

fn raw(query: &str) {
    let Some(params) = extract(query) else { return };
    let accepted = verify_query(&config(KEY), &params);
    if let Some(map) = &accepted {
        let hash = params.iter().find(|(k, _)| k == "vnp_SecureHash").map(|(_, v)| v.trim()).expect("a hash");
        assert_eq!(
            hex::decode(hash).ok(),
            Some(hmac_bytes(KEY, &canonical(&params))),
            "accepted without the merchant's signature"
        );
        assert!(map.keys().all(|k| k.starts_with("vnp_")));
        assert!(verify_query(&config(OTHER_KEY), &params).is_none(), "accepted under another key");
        read_amount(map);
    }
}

#[derive(Debug, Arbitrary)]
struct Signed {
    params: Vec<(String, String)>,
    /// Where the hash goes among the parameters.
    hash_at: u8,
    upper_case_hash: bool,
    /// Which signed value to alter afterwards, if any.
    alter: Option<u8>,
}

fn signed(data: &[u8]) {
    let Ok(input) = Signed::arbitrary(&mut Unstructured::new(data)) else { return };
    let mut params: Vec<(String, String)> =
        input.params.into_iter().filter(|(k, _)| k != "vnp_SecureHash").collect();
    let mut hash = hex::encode(hmac_bytes(KEY, &canonical(&params)));
    if input.upper_case_hash {
        hash = hash.to_uppercase();
    }
    let at = usize::from(input.hash_at) % (params.len() + 1);
    params.insert(at, ("vnp_SecureHash".to_string(), hash.clone()));
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(&params).finish();
    if query.len() > 60_000 {
        return; // longer than a request line may be
    }
    let parsed = extract(&query).unwrap_or_else(|| panic!("the route refuses the encoded query {query:?}"));
    assert_eq!(parsed, params, "the query does not decode to what was encoded");

    let expected: BTreeMap<String, String> =
        params.iter().filter(|(k, _)| k.starts_with("vnp_")).cloned().collect();
    assert_eq!(verify_query(&config(KEY), &parsed), Some(expected.clone()), "a correct signature refused");
    assert_eq!(verify_query(&config(OTHER_KEY), &parsed), None, "accepted under another key");
    read_amount(&expected);

    // an altered signed value is refused
    let signed_values: Vec<usize> = (0..params.len())
        .filter(|&i| {
            let (k, v) = &params[i];
            // the effective (last) value of a signed name
            k.starts_with("vnp_")
                && k != "vnp_SecureHash"
                && k != "vnp_SecureHashType"
                && !v.is_empty()
                && !params[i + 1..].iter().any(|(k2, _)| k2 == k)
        })
        .collect();
    if let Some(alter) = input.alter
        && !signed_values.is_empty()
    {
        let i = signed_values[usize::from(alter) % signed_values.len()];
        let mut forged = params.clone();
        forged[i].1.push('0');
        assert_eq!(verify_query(&config(KEY), &forged), None, "an altered value accepted: {:?}", forged[i]);
    }
    // an altered hash is refused
    let mut forged = params.clone();
    let flipped: String = hash
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { if c == '0' { '1' } else { '0' } } else { c })
        .collect();
    forged[at].1 = flipped;
    assert_eq!(verify_query(&config(KEY), &forged), None, "an altered hash accepted");
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode % 2 == 0 => {
            if let Ok(query) = std::str::from_utf8(rest) {
                raw(query);
            }
        }
        Some((_, rest)) => signed(rest),
        None => {}
    }
});
