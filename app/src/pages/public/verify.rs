//! `/verify/{code}/{token}`: what the QR code on a result document opens. Anyone can check
//! that the portal issued it: the dossier code, the procedure, the issuing unit, when, and the
//! SHA-256 of the issued file to compare with the copy in hand. No personal data is shown.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Xác thực kết quả giải quyết", en: "Verify a result" }
    GENUINE = { vi: "Văn bản này do Cổng dịch vụ công cấp và còn nguyên giá trị tra cứu.", en: "This document was issued through the portal." }
    UNKNOWN = { vi: "Không tìm thấy văn bản với mã xác thực này. Văn bản có thể không do Cổng cấp, hoặc mã bị sai.", en: "No document matches this verification code. It may not have been issued by the portal, or the code is wrong." }
    CODE = { vi: "Mã hồ sơ", en: "Dossier code" }
    PROCEDURE = { vi: "Thủ tục", en: "Procedure" }
    UNIT = { vi: "Cơ quan tiếp nhận", en: "Receiving unit" }
    ISSUED = { vi: "Ngày ban hành", en: "Issued on" }
    FILE = { vi: "Tệp kết quả", en: "Result file" }
    HASH = { vi: "Mã băm SHA-256 của tệp", en: "SHA-256 of the file" }
    HASH_HINT = { vi: "So sánh với mã băm của tệp bạn có (ví dụ lệnh sha256sum) để chắc chắn tệp không bị sửa.", en: "Compare it with the hash of the file you hold (e.g. with sha256sum) to be sure it was not altered." }
}

#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
struct Verified {
    code: String,
    procedure: String,
    unit: String,
    issued: String,
    file: String,
    sha256: String,
}

/// The verification page.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let (code, token) = use_params_map()
        .with_untracked(|p| (p.get("code").unwrap_or_default(), p.get("token").unwrap_or_default()));
    let locale = use_locale();
    let found = crate::pages::loader::spawn(load(code, token, locale));
    view! {
        <Title text=t(TITLE)/>
        <div class="narrow">
            <h1>{t(TITLE)}</h1>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    match found.await {
                        Some(v) => view! {
                            <p class="notice" role="status" data-testid="verified">{t(GENUINE)}</p>
                            <dl class="facts">
                                <dt>{t(CODE)}</dt><dd>{v.code}</dd>
                                <dt>{t(PROCEDURE)}</dt><dd>{v.procedure}</dd>
                                <dt>{t(UNIT)}</dt><dd>{v.unit}</dd>
                                <dt>{t(ISSUED)}</dt><dd>{v.issued}</dd>
                                <dt>{t(FILE)}</dt><dd>{v.file}</dd>
                                <dt>{t(HASH)}</dt><dd><code class="hash">{v.sha256}</code></dd>
                            </dl>
                            <p class="hint">{t(HASH_HINT)}</p>
                        }
                        .into_any(),
                        None => {
                            // 404, so a mistyped or forged code is not a page that exists
                            crate::components::viewer::set_status(404);
                            view! { <p class="error-summary" role="alert" data-testid="not-verified">{t(UNKNOWN)}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

async fn load(code: String, token: String, locale: Locale) -> Option<Verified> {
    #[cfg(feature = "ssr")]
    {
        let state = use_context::<crate::ssr::state::AppState>()?;
        let (r, unit) = crate::ssr::services::workflow::verify(&state, &code, &token).await.ok()??;
        let vi = locale == Locale::Vi;
        Some(Verified {
            procedure: format!(
                "{} ({})",
                if vi { r.procedure_name_vi } else { r.procedure_name_en },
                r.procedure_code
            ),
            code: r.code,
            unit,
            issued: crate::ssr::services::forms::issued_at(r.result_issued_at),
            file: r.result_file_name,
            sha256: r.result_sha256,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (code, token, locale);
        None
    }
}
