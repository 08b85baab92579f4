//! The upload progress bar: an island that takes over its parent upload form once the wasm
//! has loaded — it sends the file with `XMLHttpRequest` to show progress, checks the size
//! before sending, and announces the outcome. Without JavaScript the form posts as usual.

use leptos::prelude::*;

/// Progress and messages for the enclosing `<form enctype="multipart/form-data">`.
#[island]
pub fn UploadProgress(
    /// Largest accepted file, bytes (checked before sending; the server checks again).
    max_bytes: u64,
    /// Vietnamese texts (else English).
    vi: bool,
) -> impl IntoView {
    let percent = RwSignal::new(None::<u32>);
    let message = RwSignal::new(String::new());
    let anchor = NodeRef::<leptos::html::Span>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = anchor.get() {
            script::attach(&el, max_bytes, vi, percent, message);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (max_bytes, vi);
    let label = if vi { "Tiến độ tải lên" } else { "Upload progress" };
    view! {
        <span node_ref=anchor class="upload-progress">
            <Show when=move || percent.get().is_some()>
                <progress max="100" value=move || percent.get().unwrap_or(0) aria-label=label>
                    {move || format!("{}%", percent.get().unwrap_or(0))}
                </progress>
                <span class="percent" aria-hidden="true">{move || format!("{}%", percent.get().unwrap_or(0))}</span>
            </Show>
            <span class="upload-message" role="status" aria-live="polite">{move || message.get()}</span>
        </span>
    }
}

#[cfg(feature = "hydrate")]
mod script {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast as _;
    use wasm_bindgen::closure::Closure;
    use web_sys::{FormData, HtmlFormElement, HtmlInputElement, ProgressEvent, XmlHttpRequest};

    fn size_text(bytes: f64, vi: bool) -> String {
        let mb = format!("{:.1} MB", bytes / 1_000_000.0);
        if vi { mb.replace('.', ",") } else { mb }
    }

    pub(super) fn attach(
        el: &web_sys::Element,
        max_bytes: u64,
        vi: bool,
        percent: RwSignal<Option<u32>>,
        message: RwSignal<String>,
    ) {
        let Some(form) = el.closest("form").ok().flatten().and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let form_for_submit = form.clone();
        let on_submit = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            let form = form_for_submit.clone();
            let input = form
                .query_selector("input[type=file]")
                .ok()
                .flatten()
                .and_then(|i| i.dyn_into::<HtmlInputElement>().ok());
            let file = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0));
            let Some(file) = file else {
                message.set(
                    if vi {
                        "Vui lòng chọn tệp cần tải lên."
                    } else {
                        "Please choose a file to upload."
                    }
                    .into(),
                );
                return;
            };
            if file.size() > max_bytes as f64 {
                let max = size_text(max_bytes as f64, vi);
                message.set(if vi {
                    format!("Tệp quá lớn ({}). Mỗi tệp tối đa {max}.", size_text(file.size(), true))
                } else {
                    format!(
                        "The file is too large ({}). Each file may be at most {max}.",
                        size_text(file.size(), false)
                    )
                });
                return;
            }
            let Ok(data) = FormData::new_with_form(&form) else { return };
            let Ok(xhr) = XmlHttpRequest::new() else { return };
            if xhr.open("POST", &form.action()).is_err() {
                return;
            }
            let _ = xhr.set_request_header("X-Requested-With", "motcua-upload");
            percent.set(Some(0));
            message.set(if vi { "Đang tải lên…" } else { "Uploading…" }.into());
            if let Ok(upload) = xhr.upload() {
                let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
                    if e.length_computable() && e.total() > 0.0 {
                        percent.set(Some(((e.loaded() / e.total()) * 100.0).round() as u32));
                    }
                });
                upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
                on_progress.forget();
            }
            let xhr_done = xhr.clone();
            let on_load = Closure::<dyn FnMut()>::new(move || {
                let status = xhr_done.status().unwrap_or(0);
                if (200..300).contains(&status) {
                    percent.set(Some(100));
                    message.set(
                        if vi { "Đã tải lên. Đang cập nhật…" } else { "Uploaded. Refreshing…" }.into(),
                    );
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().reload();
                    }
                } else {
                    percent.set(None);
                    // the server answers a script's upload with the message as plain text
                    let text = xhr_done.response_text().ok().flatten().unwrap_or_default();
                    let error = if text.is_empty() || text.len() > 500 {
                        if vi {
                            "Không tải lên được. Vui lòng thử lại."
                        } else {
                            "The upload failed. Please try again."
                        }
                        .to_string()
                    } else {
                        text
                    };
                    message.set(error);
                }
            });
            xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
            on_load.forget();
            let on_error = Closure::<dyn FnMut()>::new(move || {
                percent.set(None);
                message.set(
                    if vi {
                        "Mất kết nối khi tải lên; tệp chưa được đính kèm. Vui lòng thử lại."
                    } else {
                        "The connection broke during the upload; nothing was attached. Please try again."
                    }
                    .into(),
                );
            });
            xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
            let _ = xhr.send_with_opt_form_data(Some(&data));
        });
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
    }
}
