//! The magic-byte sniffer that decides whether an upload is accepted
//! (`domain::document::MediaType::sniff`). Properties beyond "no panic":
//! * the answer is one of the allowed kinds (PDF, JPEG, PNG) or none, and it is `Some` exactly
//!   when the bytes start with that kind's signature (an independent table below);
//! * only the first `SNIFF_LEN` bytes matter (the upload stream sniffs that much);
//! * the MIME type sent back with the file maps back to the same kind and is one of the
//!   three allowed types.
#![no_main]

use app::domain::document::{MediaType, SNIFF_LEN};
use libfuzzer_sys::fuzz_target;

const SIGNATURES: [(&[u8], MediaType); 3] = [
    (b"%PDF-", MediaType::Pdf),
    (&[0xFF, 0xD8, 0xFF], MediaType::Jpeg),
    (&[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], MediaType::Png),
];
const ALLOWED_MIME: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

fuzz_target!(|data: &[u8]| {
    let sniffed = MediaType::sniff(data);
    let expected = SIGNATURES.iter().find(|(magic, _)| data.starts_with(magic)).map(|(_, m)| *m);
    assert_eq!(sniffed, expected, "sniffed {sniffed:?}, signature table says {expected:?}");
    assert_eq!(MediaType::sniff(&data[..data.len().min(SNIFF_LEN)]), sniffed, "looked past SNIFF_LEN");
    if let Some(m) = sniffed {
        assert!(ALLOWED_MIME.contains(&m.mime()));
        assert_eq!(MediaType::from_mime(m.mime()), Some(m));
        assert!(!m.to_string().is_empty());
    }
    // a stored MIME type read back: only the three allowed ones are recognised
    if let Ok(text) = std::str::from_utf8(data) {
        match MediaType::from_mime(text) {
            Some(m) => assert_eq!(m.mime(), text),
            None => assert!(!ALLOWED_MIME.contains(&text)),
        }
    }
});
