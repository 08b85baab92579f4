//! Printable documents (receipts, slips) as PDF, through `krilla`, with an embedded font that
//! has every Vietnamese glyph (DejaVu Sans; licence in `app/assets/fonts/`).
//!
//! [`Sheet`] is a small flow layout on A4: headings, label–value lines, paragraphs that wrap,
//! a QR code; it breaks pages by itself. Drawing is collected first and rendered at the end.

use std::sync::{Arc, LazyLock};

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, TextDirection};

static REGULAR_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

fn font(bytes: &'static [u8]) -> Option<Font> {
    let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(bytes);
    Font::new(data.into(), 0)
}

static REGULAR: LazyLock<Option<Font>> = LazyLock::new(|| font(REGULAR_BYTES));
static BOLD: LazyLock<Option<Font>> = LazyLock::new(|| font(BOLD_BYTES));

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;

enum Op {
    Text { x: f32, y: f32, size: f32, bold: bool, text: String },
    Rect { x: f32, y: f32, w: f32, h: f32, grey: u8 },
}

/// An A4 document being laid out.
pub struct Sheet {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Default for Sheet {
    fn default() -> Self {
        Self::new()
    }
}

impl Sheet {
    /// A blank first page.
    pub fn new() -> Sheet {
        Sheet { pages: vec![Vec::new()], y: MARGIN }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn room(&mut self, height: f32) {
        if self.y + height > PAGE_H - MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    /// Characters that fit in `width` points at `size` (DejaVu Sans averages ~0.55 em).
    fn fit(width: f32, size: f32) -> usize {
        ((width / (size * 0.55)).floor() as usize).max(10)
    }

    fn wrap(text: &str, chars: usize) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > chars {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// A line of text centred on the page.
    pub fn centered(&mut self, text: &str, size: f32, bold: bool) {
        let width = text.chars().count() as f32 * size * 0.58;
        self.room(size * 1.5);
        self.y += size;
        let x = ((PAGE_W - width) / 2.0).max(MARGIN);
        let y = self.y;
        self.ops().push(Op::Text { x, y, size, bold, text: text.to_string() });
        self.y += size * 0.5;
    }

    /// A paragraph, wrapped.
    pub fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        for line in Self::wrap(text, Self::fit(PAGE_W - 2.0 * MARGIN, size)) {
            self.room(size * 1.4);
            self.y += size * 1.25;
            let y = self.y;
            self.ops().push(Op::Text { x: MARGIN, y, size, bold, text: line });
        }
        self.y += size * 0.3;
    }

    /// `label: value`, the value wrapped in its column.
    pub fn field(&mut self, label: &str, value: &str) {
        const SIZE: f32 = 10.5;
        const LABEL_W: f32 = 170.0;
        let lines = Self::wrap(value, Self::fit(PAGE_W - 2.0 * MARGIN - LABEL_W, SIZE));
        self.room(SIZE * 1.4 * lines.len().max(1) as f32);
        for (i, line) in lines.iter().enumerate() {
            self.y += SIZE * 1.35;
            let y = self.y;
            if i == 0 {
                self.ops().push(Op::Text {
                    x: MARGIN,
                    y,
                    size: SIZE,
                    bold: false,
                    text: format!("{label}:"),
                });
            }
            self.ops().push(Op::Text { x: MARGIN + LABEL_W, y, size: SIZE, bold: true, text: line.clone() });
        }
        if lines.is_empty() {
            self.y += SIZE * 1.35;
            let y = self.y;
            self.ops().push(Op::Text { x: MARGIN, y, size: SIZE, bold: false, text: format!("{label}:") });
        }
    }

    /// Vertical space.
    pub fn gap(&mut self, points: f32) {
        self.y += points;
    }

    /// A thin horizontal rule.
    pub fn rule(&mut self) {
        self.room(8.0);
        self.y += 4.0;
        let y = self.y;
        self.ops().push(Op::Rect { x: MARGIN, y, w: PAGE_W - 2.0 * MARGIN, h: 0.7, grey: 120 });
        self.y += 4.0;
    }

    /// A QR code of `data` at the right margin, `size` points wide, with a caption under it.
    pub fn qr(&mut self, data: &str, size: f32, caption: &str) {
        let Ok(code) = qrcode::QrCode::new(data.as_bytes()) else { return };
        let width = code.width();
        let colors = code.to_colors();
        let quiet = 2.0;
        let module = size / (width as f32 + 2.0 * quiet);
        self.room(size + 24.0);
        let x0 = PAGE_W - MARGIN - size;
        let y0 = self.y + 6.0;
        for (i, c) in colors.iter().enumerate() {
            if *c == qrcode::Color::Dark {
                let (cx, cy) = ((i % width) as f32, (i / width) as f32);
                let x = x0 + (cx + quiet) * module;
                let y = y0 + (cy + quiet) * module;
                self.ops().push(Op::Rect { x, y, w: module + 0.05, h: module + 0.05, grey: 0 });
            }
        }
        let cap_y = y0 + size + 10.0;
        let cap_x = (x0 + size / 2.0 - caption.chars().count() as f32 * 8.0 * 0.29).max(MARGIN);
        self.ops().push(Op::Text { x: cap_x, y: cap_y, size: 8.0, bold: false, text: caption.to_string() });
    }

    /// Where the QR code would start, so text can flow to its left: the current line.
    pub fn cursor(&self) -> f32 {
        self.y
    }

    /// Renders the PDF.
    pub fn finish(self) -> anyhow::Result<Vec<u8>> {
        let regular = REGULAR.clone().ok_or_else(|| anyhow::anyhow!("embedded font unreadable"))?;
        let bold = BOLD.clone().ok_or_else(|| anyhow::anyhow!("embedded font unreadable"))?;
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut document = Document::new();
        for ops in self.pages {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            for op in ops {
                match op {
                    Op::Text { x, y, size, bold: b, text } => {
                        surface.set_fill(Some(fill(30)));
                        let f = if b { bold.clone() } else { regular.clone() };
                        surface.draw_text(Point::from_xy(x, y), f, size, &text, false, TextDirection::Auto);
                    }
                    Op::Rect { x, y, w, h, grey } => {
                        let Some(rect) = Rect::from_xywh(x, y, w, h) else { continue };
                        let mut pb = PathBuilder::new();
                        pb.push_rect(rect);
                        if let Some(path) = pb.finish() {
                            surface.set_fill(Some(fill(grey)));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        document.finish().map_err(|e| anyhow::anyhow!("writing the PDF: {e:?}"))
    }
}

fn fill(grey: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(grey, grey, grey).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_becomes_a_pdf_with_vietnamese_text_and_breaks_pages() {
        let mut sheet = Sheet::new();
        sheet.centered("GIẤY XÁC NHẬN NỘP HỒ SƠ", 14.0, true);
        sheet.field("Mã hồ sơ", "000.00.31.H26-261123-0001");
        sheet.qr("http://127.0.0.1/lookup?code=X", 90.0, "Tra cứu");
        for i in 0..80 {
            sheet.paragraph(&format!("Dòng {i}: Đăng ký khai sinh, kết hôn, khai tử — đủ dài để xuống dòng nhiều lần trên khổ A4."), 10.0, false);
        }
        assert!(sheet.pages.len() > 1, "long content breaks onto more pages");
        let pages = sheet.pages.len();
        let pdf = sheet.finish().unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
        assert!(pdf.len() > 2_000);
        assert!(pages >= 2);
    }

    #[test]
    fn wrapping_keeps_words_whole() {
        let lines = Sheet::wrap("một hai ba bốn năm sáu bảy tám chín mười", 12);
        assert!(lines.iter().all(|l| l.chars().count() <= 12), "{lines:?}");
        assert_eq!(lines.join(" "), "một hai ba bốn năm sáu bảy tám chín mười");
    }
}
