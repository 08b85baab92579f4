//! Content-hashed front-end files. `scripts/build` writes, beside `motcua.js`,
//! `motcua_bg.wasm` and `motcua.css`, copies named by their content (`motcua.<hash>.js`,
//! `motcua.<hash>.wasm`, `motcua.<hash>.css`) and `pkg/hash.txt` listing the hashes in
//! Leptos' format (`js: …`, `wasm: …`, `css: …`). When that file is there, pages link the
//! hashed copies, which are cached for a year (`immutable`): a new build has new names, so no
//! one ever gets a stale bundle and a returning visitor downloads nothing. The plain names
//! stay for the error pages and are revalidated on every use.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};

/// The hashes of one build, if it wrote them.
#[derive(Debug, Default)]
pub struct Hashes {
    /// Absolute path of `hash.txt` (given to Leptos, which names the script and the wasm).
    pub file: Option<PathBuf>,
    /// The style sheet's hash.
    pub css: Option<String>,
}

impl Hashes {
    /// Reads `<site root>/pkg/hash.txt`; no file, no hashes.
    pub fn read(site_root: &Path) -> Hashes {
        let path = site_root.join("pkg").join("hash.txt");
        let Ok(text) = std::fs::read_to_string(&path) else { return Hashes::default() };
        let file = std::path::absolute(&path).ok();
        let css = text
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim() == "css")
            .map(|(_, v)| v.trim().to_string())
            .filter(|h| is_hash(h));
        Hashes { file, css }
    }

    /// The style sheet pages link.
    pub fn stylesheet(&self) -> String {
        match &self.css {
            Some(h) => format!("/pkg/motcua.{h}.css"),
            None => "/pkg/motcua.css".into(),
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
    fn the_hash_file_gives_the_style_sheet() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        assert_eq!(Hashes::read(dir.path()).stylesheet(), "/pkg/motcua.css");
        std::fs::create_dir_all(dir.path().join("pkg"))?;
        std::fs::write(
            dir.path().join("pkg/hash.txt"),
            "js: 1111111111111111\nwasm: 2222222222222222\ncss: 33333333333333aa\n",
        )?;
        let h = Hashes::read(dir.path());
        assert_eq!(h.stylesheet(), "/pkg/motcua.33333333333333aa.css");
        assert!(h.file.is_some_and(|f| f.is_absolute()));
        Ok(())
    }
}
