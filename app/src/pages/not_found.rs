//! The 404 page (also what a person gets for a record they may not see).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::t;

crate::texts! {
    TITLE = { vi: "Không tìm thấy trang", en: "Page not found" }
    BODY = {
        vi: "Trang bạn tìm không tồn tại hoặc đã được chuyển đi. Hãy kiểm tra lại địa chỉ.",
        en: "The page you are looking for does not exist or has moved. Please check the address.",
    }
    BACK_HOME = { vi: "Về trang chủ", en: "Back to the home page" }
}

/// Rendered for any path no route matches; answers with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t(TITLE)/>
        <section class="message-page">
            <p class="message-code" aria-hidden="true">"404"</p>
            <h1>{t(TITLE)}</h1>
            <p>{t(BODY)}</p>
            <p>
                <a class="button" href="/">{t(BACK_HOME)}</a>
            </p>
        </section>
    }
}
