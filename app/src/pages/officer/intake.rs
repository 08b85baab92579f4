//! `/officer/intake`: counter intake. The desk finds or creates the person at the counter by
//! citizen id and starts a dossier for them; the draft opens in the usual editor, where the
//! officer fills the form and scans the papers, then submits it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::form::{ErrorSummary, TextField, use_form_state};
use crate::components::viewer::{roles, with_role};
use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Nhận hồ sơ tại quầy", en: "Counter intake" }
    INTRO = { vi: "Nộp hồ sơ thay cho người đến trực tiếp. Người đã có tài khoản được tìm theo số định danh; nếu chưa có, tài khoản được tạo (với thư điện tử nếu có, để họ theo dõi hồ sơ trực tuyến).", en: "File a dossier for a person at the counter. People with an account are found by identity number; otherwise an account is made (with their email if they have one, so they can follow the dossier online)." }
    PROCEDURE = { vi: "Thủ tục", en: "Procedure" }
    CHOOSE = { vi: "— Chọn thủ tục —", en: "— Choose a procedure —" }
    CITIZEN_ID = { vi: "Số định danh cá nhân (CCCD)", en: "Citizen identity number" }
    FULL_NAME = { vi: "Họ và tên", en: "Full name" }
    NAME_HINT = { vi: "Bắt buộc nếu người này chưa có tài khoản.", en: "Required if the person has no account yet." }
    PHONE = { vi: "Số điện thoại (không bắt buộc)", en: "Phone (optional)" }
    EMAIL = { vi: "Thư điện tử (không bắt buộc)", en: "Email (optional)" }
    START = { vi: "Tạo hồ sơ và nhập thông tin", en: "Start the dossier" }
    NONE = { vi: "Đơn vị của bạn không tiếp nhận thủ tục nào.", en: "Your units receive no procedure." }
}

/// The counter-intake form.
#[component]
pub fn IntakePage() -> impl IntoView {
    let locale = use_locale();
    with_role(roles::DESK, move |_| {
        let procedures = crate::pages::loader::spawn(load(locale));
        let chosen = use_form_state().and_then(|s| s.values.get("procedure").cloned()).unwrap_or_default();
        let procedure_error =
            use_form_state().and_then(|s| s.errors.get("procedure").map(|m| m.get(locale).to_string()));
        view! {
            <Title text=t(TITLE)/>
            <div class="narrow">
                <h1>{t(TITLE)}</h1>
                <p>{t(INTRO)}</p>
                <ErrorSummary/>
                <Suspense fallback=|| ()>
                    {Suspend::new(async move {
                        let list = procedures.await;
                        if list.is_empty() {
                            return view! { <p class="empty">{t(NONE)}</p> }.into_any();
                        }
                        let chosen = chosen.clone();
                        view! {
                            <form method="post" action="/officer/intake" novalidate>
                                <div class="field" class:field-error=procedure_error.is_some()>
                                    <label for="f-procedure">{t(PROCEDURE)}</label>
                                    {procedure_error.clone().map(|e| view! { <p class="error-message">{e}</p> })}
                                    <select id="f-procedure" name="procedure" required=true>
                                        <option value="">{t(CHOOSE)}</option>
                                        {list
                                            .into_iter()
                                            .map(|(code, name)| {
                                                let selected = code == chosen;
                                                view! { <option value=code.clone() selected=selected>{format!("{name} ({code})")}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <TextField name="citizen_id" label=CITIZEN_ID required=true inputmode="numeric" maxlength=12 autocomplete="off"/>
                                <TextField name="full_name" label=FULL_NAME hint=NAME_HINT maxlength=100 autocomplete="off"/>
                                <TextField name="phone" label=PHONE kind="tel" maxlength=20 autocomplete="off"/>
                                <TextField name="email" label=EMAIL kind="email" maxlength=254 autocomplete="off"/>
                                <button type="submit" class="button">{t(START)}</button>
                            </form>
                        }
                            .into_any()
                    })}
                </Suspense>
            </div>
        }
    })
}

async fn load(locale: Locale) -> Vec<(String, String)> {
    #[cfg(feature = "ssr")]
    {
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return Vec::new() };
        let Some(actor) = crate::components::viewer::current_actor() else { return Vec::new() };
        if !matches!(actor, crate::ssr::auth::policy::Actor::Officer { .. }) {
            return Vec::new();
        }
        crate::ssr::services::intake::procedures(&state, &actor)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|(code, vi, en)| (code, if locale == Locale::Vi { vi } else { en }))
            .collect()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = locale;
        Vec::new()
    }
}
