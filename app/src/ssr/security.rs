//! Response security policy shared by the pages and the server's layers.

/// The Content-Security-Policy. `script_nonce` is the per-response nonce Leptos puts on its
/// inline island loader; without one (non-page responses) no inline script may run.
pub fn content_security_policy(script_nonce: Option<&str>) -> String {
    let scripts = match script_nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data: blob:; \
         font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; \
         form-action 'self'; object-src 'none'"
    )
}

/// `policy` with the origin of `url` (scheme, host, port) added to `form-action`, e.g. the
/// payment gateway a form redirects to. A URL without an http(s) origin changes nothing.
pub fn allow_form_action(policy: &str, url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return policy.to_string() };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let safe = host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    if !matches!(scheme, "http" | "https") || host.is_empty() || !safe {
        return policy.to_string();
    }
    policy.replace("form-action 'self'", &format!("form-action 'self' {scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::{allow_form_action, content_security_policy};

    #[test]
    fn the_gateway_may_be_a_form_target() {
        let p = content_security_policy(None);
        let with = allow_form_action(&p, "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html");
        assert!(with.contains("form-action 'self' https://sandbox.vnpayment.vn;"));
        assert_eq!(allow_form_action(&p, "javascript:alert(1)"), p);
        assert_eq!(allow_form_action(&p, "https://a b/"), p);
    }

    #[test]
    fn inline_scripts_need_the_nonce() {
        let with = content_security_policy(Some("abc"));
        assert!(with.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        let without = content_security_policy(None);
        assert!(!without.contains("unsafe-inline"));
        assert!(without.contains("frame-ancestors 'none'"));
    }
}
