//! Live help on the dossier form: an island that checks each field as the person leaves it,
//! with the very rules the server applies (`domain::form::validate`, compiled to wasm), and
//! saves the draft in the background a moment after each change. Without JavaScript the
//! form still posts and the server says the same things.

use leptos::prelude::*;

use crate::domain::FieldDef;

/// Put inside the form whose controls are named by the field keys.
#[island]
pub fn LiveForm(
    /// The procedure version's field definitions.
    defs: Vec<FieldDef>,
    /// Where the form saves (the form's own action).
    save_url: String,
    /// Vietnamese texts (else English).
    vi: bool,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let anchor = NodeRef::<leptos::html::Span>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = anchor.get() {
            script::attach(&el, defs.clone(), save_url.clone(), vi, status);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (defs, save_url, vi);
    view! { <span node_ref=anchor class="autosave" role="status" aria-live="polite">{move || status.get()}</span> }
}

#[cfg(feature = "hydrate")]
mod script {
    use std::cell::Cell;
    use std::collections::BTreeMap;
    use std::rc::Rc;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast as _;
    use wasm_bindgen::closure::Closure;
    use web_sys::{FormData, HtmlFormElement, HtmlInputElement, XmlHttpRequest};

    use crate::domain::{FieldDef, validate};

    fn value_of(form: &HtmlFormElement, def: &FieldDef) -> String {
        let selector = format!("[name=\"{}\"]", def.key);
        let Ok(list) = form.query_selector_all(&selector) else { return String::new() };
        let mut value = String::new();
        for i in 0..list.length() {
            let Some(node) = list.item(i) else { continue };
            if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
                match input.type_().as_str() {
                    "hidden" => {}
                    "checkbox" => value = if input.checked() { "on".into() } else { String::new() },
                    _ => value = input.value(),
                }
            } else if let Some(select) = node.dyn_ref::<web_sys::HtmlSelectElement>() {
                value = select.value();
            } else if let Some(area) = node.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                value = area.value();
            }
        }
        value
    }

    fn check(form: &HtmlFormElement, def: &FieldDef, vi: bool) {
        let values = BTreeMap::from([(def.key.clone(), value_of(form, def))]);
        let message = match validate(std::slice::from_ref(def), &values) {
            Ok(_) => None,
            Err(errors) => errors.get(&def.key).map(|e| if vi { e.message_vi() } else { e.message_en() }),
        };
        let id = format!("f-{}", def.key);
        let error_id = format!("{id}-error");
        let document = form.owner_document();
        if let Some(slot) = document.as_ref().and_then(|d| d.get_element_by_id(&error_id)) {
            slot.set_text_content(message.as_deref());
            if message.is_some() {
                let _ = slot.remove_attribute("hidden");
            } else {
                let _ = slot.set_attribute("hidden", "");
            }
        }
        if let Some(control) = document.as_ref().and_then(|d| d.get_element_by_id(&id)) {
            if message.is_some() {
                let _ = control.set_attribute("aria-invalid", "true");
                let described = control.get_attribute("aria-describedby").unwrap_or_default();
                if !described.split_whitespace().any(|d| d == error_id) {
                    let _ =
                        control.set_attribute("aria-describedby", format!("{described} {error_id}").trim());
                }
            } else {
                let _ = control.remove_attribute("aria-invalid");
            }
        }
    }

    pub(super) fn attach(
        el: &web_sys::Element,
        defs: Vec<FieldDef>,
        save_url: String,
        vi: bool,
        status: RwSignal<String>,
    ) {
        let Some(form) = el.closest("form").ok().flatten().and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        // check a field when the person leaves it
        let form_for_check = form.clone();
        let defs_for_check = defs.clone();
        let on_leave = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let name = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.get_attribute("name"))
                .unwrap_or_default();
            if let Some(def) = defs_for_check.iter().find(|d| d.key == name) {
                // a checkbox is checked on change; text as it loses focus
                check(&form_for_check, def, vi);
            }
        });
        let _ = form.add_event_listener_with_callback("focusout", on_leave.as_ref().unchecked_ref());
        let _ = form.add_event_listener_with_callback("change", on_leave.as_ref().unchecked_ref());
        on_leave.forget();

        // save a moment after the last change
        let generation = Rc::new(Cell::new(0u32));
        let form_for_save = form.clone();
        let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
            let mine = generation.get().wrapping_add(1);
            generation.set(mine);
            let generation = generation.clone();
            let form = form_for_save.clone();
            let save_url = save_url.clone();
            let later = Closure::once_into_js(move || {
                if generation.get() != mine {
                    return; // a newer change will save
                }
                let Ok(data) = FormData::new_with_form(&form) else { return };
                let Ok(xhr) = XmlHttpRequest::new() else { return };
                if xhr.open("POST", &save_url).is_err() {
                    return;
                }
                let _ = xhr.set_request_header("X-Requested-With", "motcua-autosave");
                let done = xhr.clone();
                let on_load = Closure::<dyn FnMut()>::new(move || {
                    let ok = (200..300).contains(&done.status().unwrap_or(0));
                    let now = js_sys_time();
                    status.set(match (ok, vi) {
                        (true, true) => format!("Đã tự động lưu bản nháp lúc {now}."),
                        (true, false) => format!("Draft saved automatically at {now}."),
                        (false, true) => "Chưa tự động lưu được; hãy bấm “Lưu”.".into(),
                        (false, false) => "Could not save automatically; press “Save”.".into(),
                    });
                });
                xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
                on_load.forget();
                // URL-encoded, as the plain form posts it
                let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data)
                    .map(|p| String::from(p.to_string()))
                    .unwrap_or_default();
                let _ = xhr.set_request_header("Content-Type", "application/x-www-form-urlencoded");
                let _ = xhr.send_with_opt_str(Some(&body));
            });
            if let Some(window) = web_sys::window() {
                let _ =
                    window.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 1200);
            }
        });
        let _ = form.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }

    fn js_sys_time() -> String {
        let d = js_sys::Date::new_0();
        format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
    }
}
