//! Content-hashed front-end files. `scripts/build` writes, beside `motcua.js`,
//! `motcua_bg.wasm` and `motcua.css`, copies named by their content (`motcua.<hash>.js`,
//! `motcua.<hash>.wasm`, `motcua.<hash>.css`) and `pkg/hash.txt` listing the hashes in
//! Leptos' format (`js: …`, `wasm: …`, `css: …`). When that file is there, pages link the
//! hashed copies, which are cached for a year (`immutable`): a new build has new names, so no
//! one ever gets a stale bundle and a returning visitor downloads nothing. The plain names
//! stay for the error pages and are revalidated on every use.

use std::path::Path;

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};

/// The hashes of one build, if it wrote them.
#[derive(Debug, Default)]
pub struct Hashes {
    /// The script's, the wasm's and the style sheet's hashes.
    js: Option<String>,
    wasm: Option<String>,
    css: Option<String>,
}

impl Hashes {
    /// Reads `<site root>/pkg/hash.txt`; no file, no hashes.
    pub fn read(site_root: &Path) -> Hashes {
        let path = site_root.join("pkg").join("hash.txt");
        let Ok(text) = std::fs::read_to_string(&path) else { return Hashes::default() };
        let hash = |name: &str| {
            text.lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim() == name)
                .map(|(_, v)| v.trim().to_string())
                .filter(|h| is_hash(h))
        };
        Hashes { js: hash("js"), wasm: hash("wasm"), css: hash("css") }
    }

    /// The style sheet pages link.
    pub fn stylesheet(&self) -> String {
        match &self.css {
            Some(h) => format!("/pkg/motcua.{h}.css"),
            None => "/pkg/motcua.css".into(),
        }
    }

    /// The module script that loads the wasm.
    pub fn script(&self) -> String {
        match &self.js {
            Some(h) => format!("/pkg/motcua.{h}.js"),
            None => "/pkg/motcua.js".into(),
        }
    }

    /// The wasm (wasm-bindgen's plain name is `motcua_bg.wasm`).
    pub fn wasm(&self) -> String {
        match &self.wasm {
            Some(h) => format!("/pkg/motcua.{h}.wasm"),
            None => "/pkg/motcua_bg.wasm".into(),
        }
    }
}

fn is_hash(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a `/pkg/…` file name carries a content hash (`motcua.<16 hex>.<ext>`, and the
/// pre-compressed variants are served under the same name).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.split('.');
    matches!((parts.next(), parts.next(), parts.next(), parts.next()), (Some("motcua"), Some(h), Some(_), None) if is_hash(h))
}

/// `Cache-Control` for `/pkg`: a year and immutable for hashed names, else revalidate.
pub async fn cache_control(request: Request<Body>, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == http::StatusCode::NOT_MODIFIED {
        let value =
            if hashed { "public, max-age=31536000, immutable" } else { "public, max-age=0, must-revalidate" };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("/motcua.0123456789abcdef.js"));
        assert!(is_hashed("/pkg/motcua.0123456789abcdef.wasm"));
        assert!(!is_hashed("/motcua.js"));
        assert!(!is_hashed("/motcua_bg.wasm"));
        assert!(!is_hashed("/motcua.0123456789abcdeg.css"), "not hex");
        assert!(!is_hashed("/motcua.0123456789abcdef.css.map"));
    }

    #[test]
    fn the_hash_file_names_the_style_sheet_the_script_and_the_wasm() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let plain = Hashes::read(dir.path());
        assert_eq!(plain.stylesheet(), "/pkg/motcua.css");
        assert_eq!(plain.script(), "/pkg/motcua.js");
        assert_eq!(plain.wasm(), "/pkg/motcua_bg.wasm");
        std::fs::create_dir_all(dir.path().join("pkg"))?;
        std::fs::write(
            dir.path().join("pkg/hash.txt"),
            "js: 1111111111111111\nwasm: 2222222222222222\ncss: 33333333333333aa\n",
        )?;
        let h = Hashes::read(dir.path());
        assert_eq!(h.stylesheet(), "/pkg/motcua.33333333333333aa.css");
        assert_eq!(h.script(), "/pkg/motcua.1111111111111111.js");
        assert_eq!(h.wasm(), "/pkg/motcua.2222222222222222.wasm");
        Ok(())
    }
}
