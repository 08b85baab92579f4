//! `/login/verify` (the TOTP code after the password) and `/account/security/enrol`
//! (setting up the authenticator app at first sign-in).

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::components::form::{ErrorSummary, TextField};
use crate::components::viewer::use_viewer;
use crate::i18n::t;

crate::texts! {
    VERIFY_TITLE = { vi: "Xác thực hai lớp", en: "Two-step verification" }
    VERIFY_INTRO = { vi: "Nhập mã 6 chữ số đang hiển thị trên ứng dụng xác thực của bạn, hoặc một mã khôi phục.", en: "Enter the 6-digit code shown in your authenticator app, or a recovery code." }
    CODE = { vi: "Mã xác thực", en: "Verification code" }
    CONTINUE = { vi: "Tiếp tục", en: "Continue" }
    ENROL_TITLE = { vi: "Thiết lập xác thực hai lớp", en: "Set up two-step verification" }
    ENROL_INTRO = {
        vi: "Tài khoản cán bộ bắt buộc dùng xác thực hai lớp. Dùng ứng dụng xác thực (ví dụ Google Authenticator, Microsoft Authenticator) quét mã QR dưới đây, rồi nhập mã 6 chữ số mà ứng dụng hiển thị.",
        en: "Officer accounts must use two-step verification. Scan the QR code below with an authenticator app (e.g. Google Authenticator, Microsoft Authenticator), then enter the 6-digit code it shows.",
    }
    SECRET = { vi: "Không quét được? Nhập khóa này vào ứng dụng:", en: "Cannot scan? Type this key into the app:" }
    QR_ALT = { vi: "Mã QR để thêm tài khoản vào ứng dụng xác thực", en: "QR code to add the account to an authenticator app" }
    CODES_TITLE = { vi: "Mã khôi phục", en: "Recovery codes" }
    CODES_INTRO = {
        vi: "Xác thực hai lớp đã được bật. Hãy in hoặc cất giữ an toàn các mã dưới đây: mỗi mã dùng được một lần khi bạn không có điện thoại. Các mã chỉ hiển thị lần này.",
        en: "Two-step verification is on. Print or safely store the codes below: each works once if you do not have your phone. They are shown only this once.",
    }
    CODES_DONE = { vi: "Tôi đã lưu các mã, tiếp tục", en: "I have stored the codes, continue" }
    PENDING_ONLY = { vi: "Vui lòng đăng nhập trước.", en: "Please sign in first." }
}

/// Recovery codes to show once, provided by the enrolment handler.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes(pub Vec<String>);

/// The TOTP code page.
#[component]
pub fn VerifyCodePage() -> impl IntoView {
    let pending = use_viewer().is_some_and(|v| v.mfa_pending);
    view! {
        <Title text=t(VERIFY_TITLE)/>
        <div class="narrow">
            <h1>{t(VERIFY_TITLE)}</h1>
            {if pending {
                view! {
                    <p>{t(VERIFY_INTRO)}</p>
                    <ErrorSummary/>
                    <form method="post" action="/login/verify" novalidate>
                        <TextField name="code" label=CODE required=true inputmode="numeric" autocomplete="one-time-code" maxlength=12/>
                        <button type="submit" class="button">{t(CONTINUE)}</button>
                    </form>
                }
                    .into_any()
            } else {
                view! { <p><a href="/login">{t(PENDING_ONLY)}</a></p> }.into_any()
            }}
        </div>
    }
}

/// The enrolment page (and, after confirmation, the recovery codes).
#[component]
pub fn EnrolPage() -> impl IntoView {
    if let Some(RecoveryCodes(codes)) = use_context::<RecoveryCodes>() {
        return view! {
            <Title text=t(CODES_TITLE)/>
            <div class="narrow">
                <h1>{t(CODES_TITLE)}</h1>
                <p>{t(CODES_INTRO)}</p>
                <ul class="recovery-codes">
                    {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                </ul>
                <p>
                    <a class="button" href="/officer">{t(CODES_DONE)}</a>
                </p>
            </div>
        }
        .into_any();
    }
    let viewer = use_viewer().filter(|v| v.mfa_pending);
    // only for an officer between the password and the second factor
    if viewer.is_none() {
        crate::components::viewer::set_status(403);
    }
    let enrolment = crate::pages::loader::spawn(load_enrolment(viewer.as_ref().map(|v| v.user_id.clone())));
    view! {
        <Title text=t(ENROL_TITLE)/>
        <div class="narrow">
            <h1>{t(ENROL_TITLE)}</h1>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    match enrolment.await {
                        Some((secret, svg)) => {
                            view! {
                                <p>{t(ENROL_INTRO)}</p>
                                <div class="qr" role="img" aria-label=t(QR_ALT) inner_html=svg></div>
                                <p>{t(SECRET)} " " <code class="secret">{secret}</code></p>
                                <ErrorSummary/>
                                <form method="post" action="/account/security/enrol" novalidate>
                                    <TextField name="code" label=CODE required=true inputmode="numeric" autocomplete="one-time-code" maxlength=6/>
                                    <button type="submit" class="button">{t(CONTINUE)}</button>
                                </form>
                            }
                                .into_any()
                        }
                        None => view! { <p><a href="/login">{t(PENDING_ONLY)}</a></p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
    .into_any()
}

async fn load_enrolment(user_id: Option<String>) -> Option<(String, String)> {
    #[cfg(feature = "ssr")]
    {
        let state = use_context::<crate::ssr::state::AppState>()?;
        let e = crate::ssr::services::accounts::totp::start(&state, &user_id?).await.ok()?;
        Some((e.secret, e.qr_svg))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = user_id;
        None
    }
}
