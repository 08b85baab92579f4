//! Scanned papers and other files: which kinds are accepted (recognised by their content,
//! never by their name), and the size caps.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A file kind the portal accepts for a dossier's papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    /// `application/pdf`
    Pdf,
    /// `image/jpeg`
    Jpeg,
    /// `image/png`
    Png,
}

/// How many leading bytes [`MediaType::sniff`] needs to decide.
pub const SNIFF_LEN: usize = 8;

impl MediaType {
    /// Recognises a file by its first bytes (the "magic number"): `%PDF-`, JPEG's SOI marker
    /// `FF D8 FF`, PNG's 8-byte signature. Anything else — an executable renamed `.pdf`, a
    /// Word file, an empty file — is `None`.
    pub fn sniff(head: &[u8]) -> Option<MediaType> {
        if head.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(MediaType::Png)
        } else {
            None
        }
    }

    /// The MIME type sent with the file.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    /// From a stored MIME type.
    pub fn from_mime(mime: &str) -> Option<MediaType> {
        [MediaType::Pdf, MediaType::Jpeg, MediaType::Png].into_iter().find(|m| m.mime() == mime)
    }

    /// Whether the browser can show it as a thumbnail.
    pub fn is_image(self) -> bool {
        matches!(self, MediaType::Jpeg | MediaType::Png)
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MediaType::Pdf => "PDF",
            MediaType::Jpeg => "JPEG",
            MediaType::Png => "PNG",
        })
    }
}

/// Default cap on one file: 20 MB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1000 * 1000;
/// Default cap on all the files of one dossier: 100 MB.
pub const DEFAULT_MAX_DOSSIER_BYTES: u64 = 100 * 1000 * 1000;

/// A size for people: `820 KB`, `3,4 MB` (Vietnamese decimal comma) or `3.4 MB`.
pub fn format_size(bytes: u64, vietnamese: bool) -> String {
    let s = if bytes < 1000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1000))
    } else {
        let tenths = (bytes + 50_000) / 100_000;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    };
    if vietnamese { s.replace('.', ",") } else { s }
}

/// Keeps a file name safe to show and to send back in `Content-Disposition`: the last path
/// segment, control and quote characters removed, at most 120 characters; never empty.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() { "tep-dinh-kem".to_string() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_pdf_jpeg_and_png_by_content() {
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n%\xE2\xE3"), Some(MediaType::Pdf));
        assert_eq!(MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F']), Some(MediaType::Jpeg));
        assert_eq!(MediaType::sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]), Some(MediaType::Png));
    }

    #[test]
    fn refuses_everything_else() {
        // A Windows executable renamed to .pdf, a ZIP (docx), text, an empty file, a truncated PNG.
        for head in
            [&b"MZ\x90\x00\x03\x00\x00\x00"[..], b"PK\x03\x04", b"hello", b"", b"%PDF", &[0x89, b'P', b'N']]
        {
            assert_eq!(MediaType::sniff(head), None, "{head:?}");
        }
    }

    #[test]
    fn mime_round_trips() {
        for m in [MediaType::Pdf, MediaType::Jpeg, MediaType::Png] {
            assert_eq!(MediaType::from_mime(m.mime()), Some(m));
        }
        assert_eq!(MediaType::from_mime("application/x-msdownload"), None);
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(format_size(512, true), "512 B");
        assert_eq!(format_size(820_001, true), "821 KB");
        assert_eq!(format_size(3_400_000, true), "3,4 MB");
        assert_eq!(format_size(3_400_000, false), "3.4 MB");
        assert_eq!(format_size(DEFAULT_MAX_FILE_BYTES, false), "20.0 MB");
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("C:\\Users\\a\\scan 1.pdf"), "scan 1.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b<c>.pdf"), "abc.pdf");
        assert_eq!(clean_file_name("..."), "tep-dinh-kem");
        assert_eq!(clean_file_name(""), "tep-dinh-kem");
        assert_eq!(clean_file_name(&"x".repeat(300)).chars().count(), 120);
    }
}
