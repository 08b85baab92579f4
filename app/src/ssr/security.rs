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

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn inline_scripts_need_the_nonce() {
        let with = content_security_policy(Some("abc"));
        assert!(with.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        let without = content_security_policy(None);
        assert!(!without.contains("unsafe-inline"));
        assert!(without.contains("frame-ancestors 'none'"));
    }
}
