//! `/lookup`: anyone finds a dossier's status by its code and the lookup key printed on the
//! receipt (or the applicant's phone number). No personal data is shown.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Tra cứu hồ sơ", en: "Look a dossier up" }
    INTRO = { vi: "Nhập mã hồ sơ và mã tra cứu in trên phiếu xác nhận (hoặc số điện thoại của người nộp).", en: "Enter the dossier code and the lookup key printed on the receipt (or the applicant's phone number)." }
    CODE = { vi: "Mã hồ sơ", en: "Dossier code" }
    CODE_HINT = { vi: "Ví dụ: 000.00.31.H26-261123-0001", en: "For example: 000.00.31.H26-261123-0001" }
    KEY = { vi: "Mã tra cứu hoặc số điện thoại", en: "Lookup key or phone number" }
    SEARCH = { vi: "Tra cứu", en: "Look up" }
    RESULT = { vi: "Kết quả tra cứu", en: "Result" }
    PROCEDURE = { vi: "Thủ tục", en: "Procedure" }
    STATUS = { vi: "Trạng thái", en: "Status" }
    SUBMITTED = { vi: "Ngày nộp", en: "Submitted" }
    DUE = { vi: "Hẹn trả kết quả", en: "Due" }
    NOT_YET = { vi: "Chưa có (tính từ khi hồ sơ được tiếp nhận)", en: "Not yet (counted from reception)" }
}

/// What the lookup found, or the message why not.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
enum Outcome {
    Found {
        code: String,
        procedure: String,
        status: String,
        submitted: String,
        due: Option<String>,
    },
    /// The message and the HTTP status (404 not found, 429 too many lookups, 500).
    Refused(String, u16),
}

/// The lookup page (a GET form, so the QR code on the receipt can open it filled in).
#[component]
pub fn LookupPage() -> impl IntoView {
    let (code, key) = use_query_map()
        .with_untracked(|q| (q.get("code").unwrap_or_default(), q.get("key").unwrap_or_default()));
    let locale = use_locale();
    // nothing is looked up (nor counted against the rate limit) before the form is sent
    let outcome = (!code.trim().is_empty())
        .then(|| crate::pages::loader::spawn(load(code.clone(), key.clone(), locale)));
    view! {
        <Title text=t(TITLE)/>
        <div class="narrow">
            <h1>{t(TITLE)}</h1>
            <p>{t(INTRO)}</p>
            <form method="get" action="/lookup" role="search">
                <div class="field">
                    <label for="f-code">{t(CODE)}</label>
                    <p class="hint" id="f-code-hint">{t(CODE_HINT)}</p>
                    <input id="f-code" name="code" value=code.clone() required=true maxlength="40" autocomplete="off" aria-describedby="f-code-hint"/>
                </div>
                <div class="field">
                    <label for="f-key">{t(KEY)}</label>
                    <input id="f-key" name="key" value=key.clone() required=true maxlength="20" autocomplete="off"/>
                </div>
                <button type="submit" class="button">{t(SEARCH)}</button>
            </form>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Some(outcome) = outcome else {
                        return ().into_any();
                    };
                    match outcome.await {
                        Outcome::Found { code, procedure, status, submitted, due } => view! {
                            <section aria-labelledby="result-title" class="lookup-result">
                                <h2 id="result-title">{t(RESULT)}</h2>
                                <dl class="facts">
                                    <dt>{t(CODE)}</dt>
                                    <dd>{code}</dd>
                                    <dt>{t(PROCEDURE)}</dt>
                                    <dd>{procedure}</dd>
                                    <dt>{t(STATUS)}</dt>
                                    <dd><strong data-testid="lookup-status">{status}</strong></dd>
                                    <dt>{t(SUBMITTED)}</dt>
                                    <dd>{submitted}</dd>
                                    <dt>{t(DUE)}</dt>
                                    <dd>{due.unwrap_or_else(|| t(NOT_YET).to_string())}</dd>
                                </dl>
                            </section>
                        }
                            .into_any(),
                        Outcome::Refused(message, status) => {
                            #[cfg(feature = "ssr")]
                            if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                                r.set_status(
                                    http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::NOT_FOUND),
                                );
                            }
                            #[cfg(not(feature = "ssr"))]
                            let _ = status;
                            view! { <div class="error-summary" role="alert"><p>{message}</p></div> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

async fn load(code: String, key: String, locale: Locale) -> Outcome {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::{ServiceError, filing, receipts::local_time};
        let Some(state) = use_context::<crate::ssr::state::AppState>() else {
            return Outcome::Refused(String::new(), 500);
        };
        let meta = use_context::<http::request::Parts>()
            .map(|p| crate::ssr::services::RequestMeta {
                ip: p
                    .extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0.ip().to_string()),
                user_agent: None,
                locale,
            })
            .unwrap_or_default();
        match filing::lookup(&state, &code, &key, &meta).await {
            Ok(s) => Outcome::Found {
                code: s.code,
                procedure: if locale == Locale::Vi { s.procedure_vi } else { s.procedure_en },
                status: if locale == Locale::Vi {
                    s.state.label_vi().into()
                } else {
                    s.state.label_en().into()
                },
                submitted: s.submitted_at.map(|t| local_time(from_db(t))).unwrap_or_default(),
                due: s.due_at.map(|t| local_time(from_db(t))),
            },
            Err(ServiceError::Invalid(errors)) => Outcome::Refused(
                errors.values().next().map(|m| m.get(locale).to_string()).unwrap_or_default(),
                404,
            ),
            Err(ServiceError::Refused(e)) => Outcome::Refused(e.text().get(locale).to_string(), e.status()),
            Err(ServiceError::Internal(e)) => {
                tracing::error!(error = %format!("{e:#}"), "lookup failed");
                Outcome::Refused(crate::error::AppError::Internal.text().get(locale).to_string(), 500)
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (code, key, locale);
        Outcome::Refused(String::new(), 404)
    }
}
