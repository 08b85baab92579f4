//! The multipart handling of uploads: the body of `POST /dossiers/{id}/papers/{paper}` goes
//! through axum's `Multipart` (multer) and the handler's field loop
//! (`api::filing::receive_upload`) into `BlobStore::put_stream` (size cap, magic-byte check,
//! SHA-256, temporary file, commit), here with an in-memory object store. The body arrives
//! in chunks of fuzzed sizes, so boundaries fall anywhere.
//!
//! The first input byte picks the mode:
//! * even: raw bytes — `<boundary>\n<chunk-size byte><body>`; anything may happen, but the
//!   answer must be clean: `Ok` or a message for the `file` field (never an internal error),
//!   the store is called at most once, and no temporary file is left behind;
//! * odd: a well-formed body built from fuzzed parts (names, file names, contents); then the
//!   outcome is known exactly: the first `file` part is stored byte for byte (or refused as
//!   too large / not PDF-JPEG-PNG, as its content says), or "choose a file" when it has no
//!   file name or there is none; other parts are drained.
//!
//! Every stored blob is read back: its size, SHA-256 and sniffed type match what was sent,
//! and its size is within the cap. File names are cleaned (`clean_file_name`) into something
//! safe to show and to send back in `Content-Disposition`.
#![no_main]

use std::sync::{Arc, Mutex, OnceLock};

use app::api::filing::receive_upload;
use app::domain::document::{MediaType, clean_file_name};
use app::ssr::services::ServiceError;
use app::ssr::services::filing::{FILE_INTERRUPTED, FILE_MISSING};
use app::ssr::storage::{BlobStore, StoredBlob, UploadError};
use arbitrary::{Arbitrary, Unstructured};
use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::Request;
use bytes::Bytes;
use futures_util::StreamExt as _;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest as _, Sha256};

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime"))
}

fn temp_dir() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("motcua-fuzz-multipart-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    })
}

/// What the store callback saw.
#[derive(Debug, Default)]
struct Seen {
    calls: usize,
    file_name: String,
    bytes: Vec<u8>,
    stored: Option<Result<StoredBlob, String>>,
}

/// Why the stand-in for `filing::upload` refused (it maps errors the same way).
fn refusal(e: &UploadError) -> ServiceError {
    ServiceError::field("file", app::i18n::Message { vi: e.to_string(), en: e.to_string() })
}

/// Runs the handler's loop over `chunks`; returns the answer, what the store saw, the store.
fn run(
    boundary: &str,
    chunks: Vec<Bytes>,
    cap: u64,
) -> Option<(Result<String, ServiceError>, Seen, BlobStore)> {
    let body = Body::from_stream(futures_util::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>)));
    let request = Request::post("/dossiers/x/papers/0")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .ok()?;
    let store =
        BlobStore::remote(Arc::new(object_store::memory::InMemory::new()), temp_dir()).expect("store");
    let seen = Arc::new(Mutex::new(Seen::default()));
    let answer = runtime().block_on(async {
        // axum refuses a request without a usable boundary before the handler runs
        let mut multipart = Multipart::from_request(request, &()).await.ok()?;
        Some(
            receive_upload(&mut multipart, |file_name, body| {
                let (seen, store) = (seen.clone(), store.clone());
                Box::pin(async move {
                    {
                        let mut guard = seen.lock().expect("lock");
                        guard.calls += 1;
                        guard.file_name = file_name;
                    }
                    let recorded = body.inspect(|chunk| {
                        if let Ok(b) = chunk {
                            seen.lock().expect("lock").bytes.extend_from_slice(b);
                        }
                    });
                    let outcome = store.put_stream(recorded, cap).await;
                    seen.lock().expect("lock").stored =
                        Some(outcome.as_ref().map(Clone::clone).map_err(ToString::to_string));
                    match outcome {
                        Ok(blob) => Ok(blob.key),
                        Err(e @ UploadError::Storage(_)) => Err(ServiceError::Internal(e.into())),
                        Err(e) => Err(refusal(&e)),
                    }
                })
            })
            .await,
        )
    })?;
    let seen = std::mem::take(&mut *seen.lock().expect("lock"));
    Some((answer, seen, store))
}

/// Checks what is true of every outcome.
fn check_common(answer: &Result<String, ServiceError>, seen: &Seen, store: &BlobStore, cap: u64) {
    assert!(seen.calls <= 1, "the store was called {} times", seen.calls);
    assert_eq!(store.temp_files(), 0, "a temporary file was left behind");
    match answer {
        Ok(key) => {
            let Some(Ok(blob)) = &seen.stored else { panic!("Ok({key}) without a stored blob") };
            assert_eq!(&blob.key, key);
            assert!(blob.size <= cap);
            let bytes = runtime().block_on(store.read_all(key)).expect("the blob is there");
            assert_eq!(bytes.len() as u64, blob.size);
            assert_eq!(hex::encode(Sha256::digest(&bytes)), blob.sha256);
            assert_eq!(MediaType::sniff(&bytes), Some(blob.media));
            assert_eq!(&bytes[..], &seen.bytes[..], "stored bytes differ from the field's");
        }
        Err(ServiceError::Invalid(errors)) => {
            assert_eq!(errors.keys().map(String::as_str).collect::<Vec<_>>(), ["file"]);
            if let Some(Ok(blob)) = &seen.stored {
                panic!("refused although {blob:?} was stored");
            }
        }
        Err(e) => panic!("not a clean refusal: {e:?}"),
    }
    if seen.calls == 1 {
        let cleaned = clean_file_name(&seen.file_name);
        assert!(!cleaned.is_empty() && cleaned.chars().count() <= 120);
        assert!(!cleaned.starts_with('.'));
        assert!(!cleaned.chars().any(|c| c.is_control() || "/\\\"<>|*?:".contains(c)), "{cleaned:?}");
    }
}

fn message_is(answer: &Result<String, ServiceError>, text: app::i18n::Text) -> bool {
    matches!(answer, Err(ServiceError::Invalid(e)) if e.get("file").is_some_and(|m| m.vi == text.vi))
}

/// Cuts `body` into chunks whose sizes cycle through `sizes` (1 byte when empty or 0).
fn chunked(body: &[u8], sizes: &[u8]) -> Vec<Bytes> {
    let mut out = Vec::new();
    let mut rest = body;
    let mut i = 0;
    while !rest.is_empty() {
        let n = usize::from(sizes.get(i % sizes.len().max(1)).copied().unwrap_or(1).max(1)).min(rest.len());
        out.push(Bytes::copy_from_slice(&rest[..n]));
        rest = &rest[n..];
        i += 1;
    }
    out
}

fn raw(data: &[u8]) {
    let Some(newline) = data.iter().position(|&b| b == b'\n') else { return };
    let Ok(boundary) = std::str::from_utf8(&data[..newline]) else { return };
    let Some((&size, body)) = data[newline + 1..].split_first() else { return };
    let cap = 1024;
    if let Some((answer, seen, store)) = run(boundary, chunked(body, &[size]), cap) {
        check_common(&answer, &seen, &store, cap);
    }
}

const NAME_CHARS: &[char] = &['a', 'b', 'F', '0', '9', '_', '-', '.', ' ', 'ệ', 'đ', '文'];

#[derive(Debug, Arbitrary)]
struct Part {
    /// `file`, or another name.
    is_file: bool,
    other_name: Vec<u8>,
    file_name: Option<Vec<u8>>,
    content_type: bool,
    content: Vec<u8>,
}

#[derive(Debug, Arbitrary)]
struct Built {
    boundary: u64,
    parts: Vec<Part>,
    preamble: bool,
    chunk_sizes: Vec<u8>,
    cap: u16,
}

fn text(picks: &[u8]) -> String {
    picks.iter().map(|&p| NAME_CHARS[usize::from(p) % NAME_CHARS.len()]).collect()
}

fn built(data: &[u8]) {
    let Ok(input) = Built::arbitrary(&mut Unstructured::new(data)) else { return };
    let boundary = format!("----motcuaFuzz{:016x}", input.boundary);
    let mut body = Vec::new();
    if input.preamble {
        body.extend_from_slice(b"preamble, ignored\r\n");
    }
    let mut parts = Vec::new();
    for p in &input.parts {
        let name = if p.is_file { "file".to_string() } else { text(&p.other_name) };
        let file_name = p.file_name.as_deref().map(text);
        let delimiter = format!("\r\n--{boundary}");
        if p.content.windows(delimiter.len()).any(|w| w == delimiter.as_bytes()) {
            return;
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
        );
        if let Some(f) = &file_name {
            body.extend_from_slice(format!("; filename=\"{f}\"").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        if p.content_type {
            body.extend_from_slice(b"Content-Type: application/octet-stream\r\n");
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&p.content);
        body.extend_from_slice(b"\r\n");
        parts.push((name, file_name, &p.content));
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let cap = u64::from(input.cap);
    let Some((answer, seen, store)) = run(&boundary, chunked(&body, &input.chunk_sizes), cap) else {
        panic!("a well-formed body was refused before the handler")
    };
    check_common(&answer, &seen, &store, cap);

    match parts.iter().find(|(name, _, _)| name == "file") {
        None => {
            assert_eq!(seen.calls, 0);
            assert!(message_is(&answer, FILE_MISSING), "{answer:?}");
        }
        Some((_, None, _)) => {
            assert_eq!(seen.calls, 0);
            assert!(message_is(&answer, FILE_MISSING), "{answer:?}");
        }
        Some((_, Some(f), _)) if f.is_empty() => {
            assert_eq!(seen.calls, 0);
            assert!(message_is(&answer, FILE_MISSING), "{answer:?}");
        }
        Some((_, Some(f), content)) => {
            assert_eq!(seen.calls, 1);
            assert_eq!(&seen.file_name, f);
            let too_large = content.len() as u64 > cap;
            let wrong_type = MediaType::sniff(content).is_none();
            let got = seen.stored.clone().expect("stored").map(|b| b.sha256);
            let large = Err(UploadError::TooLarge(cap).to_string());
            let unsupported = Err(UploadError::UnsupportedType.to_string());
            match (too_large, wrong_type) {
                // which is noticed first depends on where the chunks end
                (true, true) => assert!(got == large || got == unsupported, "{got:?}"),
                (true, false) => assert_eq!(got, large),
                (false, true) => assert_eq!(got, unsupported),
                (false, false) => {
                    assert_eq!(got, Ok(hex::encode(Sha256::digest(content))));
                    assert_eq!(&seen.bytes[..], &content[..]);
                }
            }
        }
    }
    assert!(!message_is(&answer, FILE_INTERRUPTED), "a well-formed body was reported interrupted");
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode % 2 == 0 => raw(rest),
        Some((_, rest)) => built(rest),
        None => {}
    }
});
