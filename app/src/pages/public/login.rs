//! `/login`, `/forgot-password`, `/reset-password`, `/verify-email`: signing in and the
//! emailed links.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{ErrorSummary, Notice, TextField, use_form_state};
use crate::i18n::t;

crate::texts! {
    TITLE = { vi: "Đăng nhập", en: "Sign in" }
    EMAIL = { vi: "Thư điện tử", en: "Email" }
    PASSWORD = { vi: "Mật khẩu", en: "Password" }
    SUBMIT = { vi: "Đăng nhập", en: "Sign in" }
    FORGOT = { vi: "Quên mật khẩu?", en: "Forgot your password?" }
    NO_ACCOUNT = { vi: "Chưa có tài khoản?", en: "No account yet?" }
    REGISTER = { vi: "Đăng ký", en: "Create one" }
    VERIFIED = { vi: "Địa chỉ thư điện tử đã được xác nhận. Mời bạn đăng nhập.", en: "Your email address is confirmed. Please sign in." }
    RESET_DONE = { vi: "Mật khẩu mới đã được lưu. Mời bạn đăng nhập.", en: "Your new password is saved. Please sign in." }
    UNVERIFIED = {
        vi: "Bạn cần xác nhận địa chỉ thư điện tử trước khi đăng nhập. Chúng tôi vừa gửi lại liên kết xác nhận.",
        en: "Please confirm your email address before signing in. We have just sent the link again.",
    }
    FORGOT_TITLE = { vi: "Quên mật khẩu", en: "Forgotten password" }
    FORGOT_INTRO = {
        vi: "Nhập địa chỉ thư điện tử của tài khoản. Nếu địa chỉ đó có tài khoản, chúng tôi sẽ gửi liên kết đặt lại mật khẩu (hiệu lực 1 giờ).",
        en: "Enter the email address of your account. If it has an account, we will send a link to reset the password (valid for 1 hour).",
    }
    FORGOT_SUBMIT = { vi: "Gửi liên kết", en: "Send the link" }
    FORGOT_SENT = {
        vi: "Nếu địa chỉ này có tài khoản, thư hướng dẫn đặt lại mật khẩu đã được gửi. Vui lòng kiểm tra hộp thư (cả thư rác).",
        en: "If this address has an account, an email with a reset link is on its way. Please check your inbox (and spam folder).",
    }
    RESET_TITLE = { vi: "Đặt mật khẩu mới", en: "Choose a new password" }
    NEW_PASSWORD = { vi: "Mật khẩu mới", en: "New password" }
    NEW_PASSWORD_HINT = { vi: "Ít nhất 8 ký tự, không dùng mật khẩu phổ biến.", en: "At least 8 characters, not a common password." }
    CONFIRM = { vi: "Nhập lại mật khẩu mới", en: "Repeat the new password" }
    RESET_SUBMIT = { vi: "Lưu mật khẩu mới", en: "Save the new password" }
    VERIFY_TITLE = { vi: "Xác nhận thư điện tử", en: "Confirm your email" }
    VERIFY_INTRO = { vi: "Bấm nút dưới đây để xác nhận địa chỉ thư điện tử của tài khoản.", en: "Press the button below to confirm the email address of your account." }
    VERIFY_SUBMIT = { vi: "Xác nhận", en: "Confirm" }
}

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let flag = |k: &str| query.with_untracked(|q| q.get(k).is_some());
    let next = use_form_state()
        .and_then(|f| f.values.get("next").cloned())
        .or_else(|| query.with_untracked(|q| q.get("next")))
        .unwrap_or_default();
    let notice = if flag("verified") {
        Some(VERIFIED)
    } else if flag("reset") {
        Some(RESET_DONE)
    } else if flag("unverified") {
        Some(UNVERIFIED)
    } else {
        None
    };
    view! {
        <Title text=t(TITLE)/>
        <div class="narrow">
            <h1>{t(TITLE)}</h1>
            {notice.map(|text| view! { <Notice text/> })}
            <ErrorSummary/>
            <form method="post" action="/login" novalidate>
                <input type="hidden" name="next" value=next/>
                <TextField name="email" label=EMAIL kind="email" required=true autocomplete="username"/>
                <TextField name="password" label=PASSWORD kind="password" required=true autocomplete="current-password"/>
                <button type="submit" class="button">{t(SUBMIT)}</button>
            </form>
            <p class="aside">
                <a href="/forgot-password">{t(FORGOT)}</a>
            </p>
            <p class="aside">{t(NO_ACCOUNT)} " " <a href="/register">{t(REGISTER)}</a></p>
        </div>
    }
}

/// The forgotten-password page.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let sent = use_query_map().with_untracked(|q| q.get("sent").is_some());
    view! {
        <Title text=t(FORGOT_TITLE)/>
        <div class="narrow">
            <h1>{t(FORGOT_TITLE)}</h1>
            {if sent {
                view! { <Notice text=FORGOT_SENT/> }.into_any()
            } else {
                view! {
                    <p>{t(FORGOT_INTRO)}</p>
                    <ErrorSummary/>
                    <form method="post" action="/forgot-password" novalidate>
                        <TextField name="email" label=EMAIL kind="email" required=true autocomplete="email"/>
                        <button type="submit" class="button">{t(FORGOT_SUBMIT)}</button>
                    </form>
                }
                    .into_any()
            }}
        </div>
    }
}

/// The page an emailed reset link opens.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    view! {
        <Title text=t(RESET_TITLE)/>
        <div class="narrow">
            <h1>{t(RESET_TITLE)}</h1>
            <ErrorSummary/>
            <form method="post" action="/reset-password" novalidate>
                <input type="hidden" name="token" value=token/>
                <TextField name="password" label=NEW_PASSWORD hint=NEW_PASSWORD_HINT kind="password" required=true autocomplete="new-password"/>
                <TextField name="password_confirm" label=CONFIRM kind="password" required=true autocomplete="new-password"/>
                <button type="submit" class="button">{t(RESET_SUBMIT)}</button>
            </form>
        </div>
    }
}

/// The page an emailed verification link opens: one button (a link alone changes nothing,
/// so mail scanners that open links do not use it up).
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    view! {
        <Title text=t(VERIFY_TITLE)/>
        <div class="narrow">
            <h1>{t(VERIFY_TITLE)}</h1>
            <ErrorSummary/>
            <p>{t(VERIFY_INTRO)}</p>
            <form method="post" action="/verify-email">
                <input type="hidden" name="token" value=token/>
                <button type="submit" class="button">{t(VERIFY_SUBMIT)}</button>
            </form>
        </div>
    }
}
