//! The rating form's fields (four criteria, three levels each, and a comment) and the
//! display of a stored rating; shared by the applicant's dossier page, the kiosk and the
//! officer's dossier page.

use leptos::prelude::*;

use crate::components::form::{textarea_text, use_form_state};
use crate::i18n::{Text, t, use_locale};

crate::texts! {
    COMMENT = { vi: "Ý kiến khác (không bắt buộc)", en: "Other comments (optional)" }
    CHANNEL_ACCOUNT = { vi: "qua tài khoản", en: "from the account" }
    CHANNEL_KIOSK = { vi: "tại quầy (kiosk)", en: "at the desk kiosk" }
}

/// The criteria: form name and label.
pub const CRITERIA: [(&str, Text); 4] = [
    ("reception", Text { vi: "Tiếp nhận và hướng dẫn", en: "Reception and guidance" }),
    ("timing", Text { vi: "Thời gian giải quyết", en: "Processing time" }),
    ("attitude", Text { vi: "Thái độ của cán bộ", en: "Officers' attitude" }),
    ("correctness", Text { vi: "Kết quả đúng, chính xác", en: "Correctness of the result" }),
];

/// The levels, best first: value and label.
pub const LEVELS: [(&str, Text); 3] = [
    ("3", Text { vi: "Rất hài lòng", en: "Very satisfied" }),
    ("2", Text { vi: "Hài lòng", en: "Satisfied" }),
    ("1", Text { vi: "Không hài lòng", en: "Not satisfied" }),
];

/// The label of a stored level (1–3).
pub fn level_text(level: i64) -> &'static str {
    LEVELS.iter().find(|(v, _)| v.parse::<i64>().ok() == Some(level)).map_or("", |(_, l)| t(*l))
}

/// The label of a channel (`account`, `kiosk`).
pub fn channel_text(channel: &str) -> &'static str {
    if channel == "kiosk" { t(CHANNEL_KIOSK) } else { t(CHANNEL_ACCOUNT) }
}

/// One fieldset of radio buttons per criterion and the comment box; values and messages
/// come from the form state of a refused post.
#[component]
pub fn RatingFields() -> impl IntoView {
    let locale = use_locale();
    let state = use_form_state();
    let value = |name: &str| state.as_ref().and_then(|s| s.values.get(name).cloned()).unwrap_or_default();
    let error =
        |name: &str| state.as_ref().and_then(|s| s.errors.get(name)).map(|m| m.get(locale).to_string());
    let comment = value("comment");
    let comment_error = error("comment");
    view! {
        {CRITERIA
            .into_iter()
            .map(|(name, label)| {
                let chosen = value(name);
                let err = error(name);
                view! {
                    <fieldset class="field rating" class:field-error=err.is_some() id=format!("f-{name}")>
                        <legend>{label.get(locale)}</legend>
                        {err.clone().map(|e| view! { <p class="error-message">{e}</p> })}
                        {LEVELS
                            .into_iter()
                            .map(|(v, level)| {
                                let rid = format!("r-{name}-{v}");
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=rid.clone() name=name value=v checked=chosen == v/>
                                        <label for=rid>{level.get(locale)}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                }
            })
            .collect_view()}
        <div class="field" class:field-error=comment_error.is_some()>
            <label for="f-comment">{COMMENT.get(locale)}</label>
            {comment_error.clone().map(|e| view! { <p class="error-message">{e}</p> })}
            <textarea id="f-comment" name="comment" rows="3" maxlength="2000">{textarea_text(&comment)}</textarea>
        </div>
    }
}

/// A stored rating: one line per criterion.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RatingView {
    /// Levels in [`CRITERIA`] order.
    pub levels: [i64; 4],
    /// Comment.
    pub comment: String,
    /// `account` or `kiosk`.
    pub channel: String,
    /// When, formatted.
    pub at: String,
}

/// The rating as a definition list.
#[component]
pub fn RatingSummary(rating: RatingView) -> impl IntoView {
    view! {
        <dl class="facts" data-testid="rating">
            {CRITERIA
                .into_iter()
                .zip(rating.levels)
                .map(|((_, label), level)| view! { <dt>{t(label)}</dt><dd>{level_text(level)}</dd> })
                .collect_view()}
            {(!rating.comment.is_empty()).then(|| view! { <dt>{t(COMMENT)}</dt><dd>{rating.comment.clone()}</dd> })}
        </dl>
        <p class="hint">{rating.at.clone()} " — " {channel_text(&rating.channel)}</p>
    }
}
