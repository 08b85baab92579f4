//! Form controls of the administration pages that `components::form` lacks (select, check
//! box, text area), reading the same [`FormState`](crate::components::form::FormState) so a
//! refused form keeps what was typed; and the loaders' access to the signed-in actor.

use leptos::prelude::*;

use crate::components::form::{textarea_text, use_form_state};
use crate::i18n::{Text, use_locale};

/// The value to show in `name`: as typed in a refused form, else `initial`.
pub fn shown_value(name: &str, initial: &str) -> String {
    use_form_state().and_then(|s| s.values.get(name).cloned()).unwrap_or_else(|| initial.to_string())
}

/// The message of a refused field, in the page's language.
pub fn error_of(name: &str) -> Option<String> {
    let locale = use_locale();
    use_form_state().and_then(|s| s.errors.get(name).map(|m| m.get(locale).to_string()))
}

/// A `<select>` with label and error message.
#[component]
pub fn SelectField(
    /// Form field name (the element id is `f-{name}`).
    name: &'static str,
    /// Label.
    label: Text,
    /// Options (value, text).
    options: Vec<(String, String)>,
    /// Selected value when first shown.
    #[prop(into)]
    initial: String,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("f-{name}");
    let error = error_of(name);
    let error_id = format!("{id}-error");
    let selected = shown_value(name, &initial);
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=id.clone()>{label.get(locale)}</label>
            {error.clone().map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <select
                id=id
                name=name
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=error.is_some().then_some(error_id.clone())
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is = value == selected;
                        view! { <option value=value selected=is>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A check box with its label after it.
#[component]
pub fn CheckField(
    /// Form field name (the element id is `f-{name}`).
    name: &'static str,
    /// Label.
    label: Text,
    /// Ticked when first shown.
    initial: bool,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("f-{name}");
    let ticked = use_form_state()
        .and_then(|s| s.values.get(name).map(|v| matches!(v.as_str(), "on" | "true" | "1" | "yes")))
        .unwrap_or(initial);
    view! {
        <div class="checks">
            <label for=id.clone()>
                <input id=id.clone() type="checkbox" name=name checked=ticked/>
                {label.get(locale)}
            </label>
        </div>
    }
}

/// A multi-line text input with label, hint and error message.
#[component]
pub fn TextAreaField(
    /// Form field name (the element id is `f-{name}`).
    name: &'static str,
    /// Label.
    label: Text,
    /// Hint under the label.
    #[prop(optional)]
    hint: Option<Text>,
    /// Value when first shown.
    #[prop(into)]
    initial: String,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = error_of(name);
    let value = shown_value(name, &initial);
    let described = [hint.map(|_| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=id.clone()>{label.get(locale)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.get(locale)}</p> })}
            {error.clone().map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <textarea
                id=id
                name=name
                rows="4"
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=(!described.is_empty()).then_some(described)
            >
                {textarea_text(&value)}
            </textarea>
        </div>
    }
}

/// A field's error shown outside a field component (e.g. beside a button).
#[component]
pub fn FieldMessage(
    /// The field name.
    name: &'static str,
) -> impl IntoView {
    error_of(name).map(|e| view! { <p class="error-message" id=format!("f-{name}-error")>{e}</p> })
}

/// The signed-in actor of this request (server only).
#[cfg(feature = "ssr")]
pub fn current_actor() -> Option<crate::ssr::auth::policy::Actor> {
    let parts = use_context::<http::request::Parts>()?;
    let session = parts.extensions.get::<crate::ssr::services::accounts::current::CurrentSession>()?;
    (!session.mfa_pending).then(|| session.actor.clone())
}

pub use crate::components::viewer::set_status;
