//! Forms that work without JavaScript. A form posts to the server; when the input is
//! refused the server renders the same page again with a [`FormState`] in context, so
//! every field keeps what the person typed and shows its own message, and an error summary
//! at the top (announced to screen readers) links to each field.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::i18n::Message;
use crate::i18n::{Text, use_locale};

/// What the server sends back with a refused form: the values as typed (secrets left out)
/// and the messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormState {
    /// Field name → value as typed.
    pub values: BTreeMap<String, String>,
    /// Field name → what is wrong with it.
    pub errors: BTreeMap<String, Message>,
    /// A message about the whole form (e.g. "invalid credentials", "too many attempts").
    pub notice: Option<Message>,
}

impl FormState {
    /// Starts from the submitted values, minus the fields named in `secrets`.
    pub fn from_values(values: &BTreeMap<String, String>, secrets: &[&str]) -> FormState {
        let values = values
            .iter()
            .filter(|(k, _)| !secrets.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        FormState { values, ..FormState::default() }
    }

    /// Adds a field error.
    pub fn error(&mut self, field: &str, message: impl Into<Message>) {
        self.errors.entry(field.to_string()).or_insert_with(|| message.into());
    }

    /// Whether nothing was refused.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty() && self.notice.is_none()
    }
}

/// The text of a `<textarea>`, escaped. Leptos 0.8 (tachys) writes a textarea's children
/// unescaped, as it does a `<script>`'s, so a typed or stored value holding `</textarea>`
/// ended the element and injected markup (reflected and stored XSS, found by wapiti in
/// scripts/scan; the CSP kept scripts from running). Every textarea with a value passes it
/// through this; a test checks the sources for textareas that do not.
pub fn textarea_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The form state of this render, if the server re-rendered a refused form.
pub fn use_form_state() -> Option<FormState> {
    use_context::<FormState>()
}

crate::texts! {
    SUMMARY_TITLE = { vi: "Vui lòng kiểm tra lại thông tin", en: "Please check the information" }
    REQUIRED_MARK = { vi: "(bắt buộc)", en: "(required)" }
}

/// A one-line text input with label, hint and error message.
#[component]
pub fn TextField(
    /// Form field name (also the element id, prefixed with `f-`).
    name: &'static str,
    /// Label.
    label: Text,
    /// Input type: text, email, tel, password…
    #[prop(default = "text")]
    kind: &'static str,
    /// `autocomplete` token.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// Hint under the label.
    #[prop(optional)]
    hint: Option<Text>,
    /// Whether the field is required.
    #[prop(default = false)]
    required: bool,
    /// Value when the form is first shown.
    #[prop(optional, into)]
    initial: Option<String>,
    /// `inputmode` (e.g. numeric).
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// Maximum length.
    #[prop(optional)]
    maxlength: Option<u32>,
) -> impl IntoView {
    let locale = use_locale();
    let state = use_form_state();
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = state.as_ref().and_then(|s| s.errors.get(name)).map(|m| m.get(locale).to_string());
    let value = if kind == "password" {
        None
    } else {
        state.as_ref().and_then(|s| s.values.get(name).cloned()).or(initial)
    };
    let described = [hint.map(|_| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=id.clone()>
                {label.get(locale)}
                {required.then(|| view! { <span class="required">" " {REQUIRED_MARK.get(locale)}</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.get(locale)}</p> })}
            {error.clone().map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                required=required
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=(!described.is_empty()).then_some(described)
            />
        </div>
    }
}

/// The list of problems at the top of a refused form, focused and announced.
#[component]
pub fn ErrorSummary() -> impl IntoView {
    let locale = use_locale();
    let state = use_form_state().filter(|s| !s.is_ok());
    state.map(|state| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary">
                <h2>{SUMMARY_TITLE.get(locale)}</h2>
                {state.notice.map(|n| view! { <p>{n.get(locale).to_string()}</p> })}
                <ul>
                    {state
                        .errors
                        .iter()
                        .map(|(field, m)| {
                            view! {
                                <li>
                                    <a href=format!("#f-{field}")>{m.get(locale).to_string()}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// A confirmation message (after a successful post that redirects with `?ok=…`).
#[component]
pub fn Notice(
    /// The message.
    text: Text,
) -> impl IntoView {
    view! {
        <div class="notice" role="status">
            <p>{text.get(use_locale())}</p>
        </div>
    }
}

#[cfg(test)]
mod textarea_tests {
    use super::textarea_text;

    #[test]
    fn textarea_text_cannot_end_the_element() {
        assert_eq!(textarea_text("</textarea><b>&amp;"), "&lt;/textarea&gt;&lt;b&gt;&amp;amp;");
        assert_eq!(textarea_text("Số 5, phố \"Bạch Đằng\""), "Số 5, phố \"Bạch Đằng\"");
    }

    /// The children of `<textarea …>` in a view, from each occurrence in `source`.
    fn textarea_children(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut rest = source;
        while let Some(start) = rest.find("<textarea") {
            let after = &rest[start + "<textarea".len()..];
            let (mut depth, mut end_of_tag) = (0i32, None);
            for (i, c) in after.char_indices() {
                match c {
                    '(' | '{' | '[' => depth += 1,
                    ')' | '}' | ']' => depth -= 1,
                    '>' if depth == 0 => {
                        end_of_tag = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let Some(end_of_tag) = end_of_tag else { break };
            let body = &after[end_of_tag + 1..];
            let Some(close) = body.find("</textarea>") else { break };
            found.push(body[..close].trim().to_string());
            rest = &body[close..];
        }
        found
    }

    #[test]
    fn every_textarea_with_a_value_escapes_it() {
        fn visit(dir: &std::path::Path, bad: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    visit(&path, bad);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("components/form.rs")
                {
                    let source = std::fs::read_to_string(&path).unwrap_or_default();
                    for children in textarea_children(&source) {
                        if !children.is_empty() && !children.starts_with("{textarea_text(") {
                            bad.push(format!("{}: <textarea>{children}</textarea>", path.display()));
                        }
                    }
                }
            }
        }
        let mut bad = Vec::new();
        // (this file only mentions textareas in its documentation and this test)
        visit(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut bad);
        assert!(bad.is_empty(), "textareas whose value is not passed through textarea_text: {bad:#?}");
        let sample = "<textarea id=x aria-x=a.then_some(\"t\")>\n {textarea_text(&v)}\n</textarea>";
        assert_eq!(textarea_children(sample), vec!["{textarea_text(&v)}".to_string()]);
    }
}
