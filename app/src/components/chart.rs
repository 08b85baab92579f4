//! Charts drawn on the server as SVG: readable without JavaScript, described for screen
//! readers (`role="img"` with a title and a description), and always followed by the same
//! numbers as a table.

use leptos::prelude::*;

/// One bar: its label, the part in time, the late part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// Label under the bar (e.g. `2026-11`).
    pub label: String,
    /// Resolved in time.
    pub good: i64,
    /// Resolved late.
    pub bad: i64,
}

/// A stacked bar chart of in-time (dark) and late (hatched, lighter) counts, one bar per
/// period, with the on-time rate above each bar.
#[component]
pub fn StackedBars(
    /// Chart id (for the title and description ids).
    id: &'static str,
    /// Title.
    title: String,
    /// Description for screen readers.
    description: String,
    /// The bars.
    bars: Vec<Bar>,
    /// Legend for the in-time part.
    good_label: String,
    /// Legend for the late part.
    bad_label: String,
) -> impl IntoView {
    const W: i64 = 640;
    const H: i64 = 220;
    const TOP: i64 = 24;
    const BOTTOM: i64 = 30;
    let max = bars.iter().map(|b| b.good + b.bad).max().unwrap_or(0).max(1);
    let n = i64::try_from(bars.len()).unwrap_or(1).max(1);
    let slot = (W - 20) / n;
    let width = (slot * 6 / 10).max(4);
    let scale = |v: i64| v * (H - TOP - BOTTOM) / max;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let shapes = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let x = 10 + i64::try_from(i).unwrap_or(0) * slot + (slot - width) / 2;
            let good_h = scale(b.good);
            let bad_h = scale(b.bad);
            let base = H - BOTTOM;
            let total = b.good + b.bad;
            let rate = if total > 0 { format!("{}%", b.good * 100 / total) } else { String::new() };
            view! {
                <g>
                    <rect x=x y=base - good_h width=width height=good_h class="bar-good"/>
                    <rect x=x y=base - good_h - bad_h width=width height=bad_h class="bar-bad"/>
                    <text x=x + width / 2 y=base - good_h - bad_h - 4 text-anchor="middle" class="bar-value">{rate}</text>
                    <text x=x + width / 2 y=H - 10 text-anchor="middle" class="bar-label">{b.label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=labelled_by width="100%">
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                <line x1="10" y1=H - BOTTOM x2=W - 10 y2=H - BOTTOM class="axis"/>
                {shapes}
            </svg>
            <figcaption>
                <span class="legend legend-good">{good_label}</span>
                " "
                <span class="legend legend-bad">{bad_label}</span>
            </figcaption>
        </figure>
    }
}

/// A horizontal stacked bar chart, one bar per line (for long labels such as workflow steps
/// or rating criteria): the good part (dark), the bad part (light, outlined), and the
/// numbers written after the bar, so nothing depends on colour alone.
#[component]
pub fn HorizontalBars(
    /// Chart id (for the title and description ids).
    id: &'static str,
    /// Title.
    title: String,
    /// Description for screen readers.
    description: String,
    /// The bars.
    bars: Vec<Bar>,
    /// Legend for the good part.
    good_label: String,
    /// Legend for the bad part.
    bad_label: String,
) -> impl IntoView {
    const W: i64 = 640;
    const LABEL: i64 = 230;
    const ROW: i64 = 28;
    const VALUE: i64 = 90;
    let n = i64::try_from(bars.len()).unwrap_or(0);
    let h = n * ROW + 10;
    let max = bars.iter().map(|b| b.good + b.bad).max().unwrap_or(0).max(1);
    let span = W - LABEL - VALUE;
    let scale = |v: i64| v * span / max;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let y = 5 + i64::try_from(i).unwrap_or(0) * ROW;
            let (gw, bw) = (scale(b.good), scale(b.bad));
            view! {
                <g>
                    <text x=LABEL - 8 y=y + 17 text-anchor="end" class="bar-label">{b.label.clone()}</text>
                    <rect x=LABEL y=y + 4 width=gw height=ROW - 10 class="bar-good"/>
                    <rect x=LABEL + gw y=y + 4 width=bw height=ROW - 10 class="bar-bad"/>
                    <text x=LABEL + gw + bw + 6 y=y + 17 class="bar-value">{format!("{} / {}", b.good, b.bad)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {h}") role="img" aria-labelledby=labelled_by width="100%">
                <title id=title_id>{title}</title>
                <desc id=desc_id>{description}</desc>
                <line x1=LABEL y1="0" x2=LABEL y2=h class="axis"/>
                {rows}
            </svg>
            <figcaption>
                <span class="legend legend-good">{good_label}</span>
                " "
                <span class="legend legend-bad">{bad_label}</span>
            </figcaption>
        </figure>
    }
}
