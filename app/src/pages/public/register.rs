//! `/register`: a citizen opens an account.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{ErrorSummary, Notice, TextField};
use crate::i18n::t;

crate::texts! {
    TITLE = { vi: "Đăng ký tài khoản", en: "Create an account" }
    INTRO = {
        vi: "Tài khoản giúp bạn nộp hồ sơ trực tuyến, theo dõi tiến độ và nhận kết quả. Thông tin cá nhân được bảo vệ theo Nghị định 13/2023/NĐ-CP.",
        en: "An account lets you file dossiers online, follow their progress and receive results. Personal data is protected under Decree 13/2023.",
    }
    FULL_NAME = { vi: "Họ và tên", en: "Full name" }
    FULL_NAME_HINT = { vi: "Ghi đúng như trên căn cước.", en: "As written on your identity card." }
    EMAIL = { vi: "Thư điện tử", en: "Email" }
    PHONE = { vi: "Số điện thoại", en: "Phone number" }
    CITIZEN_ID = { vi: "Số định danh cá nhân (CCCD)", en: "Citizen identity number (CCCD)" }
    CITIZEN_ID_HINT = { vi: "12 chữ số trên thẻ căn cước.", en: "The 12 digits on your identity card." }
    PASSWORD = { vi: "Mật khẩu", en: "Password" }
    PASSWORD_HINT = { vi: "Ít nhất 8 ký tự; nên dùng một câu dễ nhớ với bạn nhưng khó đoán với người khác.", en: "At least 8 characters; a phrase that is easy for you to remember and hard for others to guess." }
    PASSWORD_CONFIRM = { vi: "Nhập lại mật khẩu", en: "Repeat the password" }
    SUBMIT = { vi: "Đăng ký", en: "Create account" }
    SENT = {
        vi: "Đã ghi nhận đăng ký. Vui lòng mở thư chúng tôi vừa gửi và bấm vào liên kết để xác nhận địa chỉ thư điện tử, sau đó đăng nhập.",
        en: "Registration received. Please open the email we just sent and follow the link to confirm your address, then sign in.",
    }
    HAVE_ACCOUNT = { vi: "Đã có tài khoản?", en: "Already have an account?" }
    LOGIN = { vi: "Đăng nhập", en: "Sign in" }
}

/// The registration page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let sent = use_query_map().with_untracked(|q| q.get("sent").is_some());
    view! {
        <Title text=t(TITLE)/>
        <div class="narrow">
            <h1>{t(TITLE)}</h1>
            {if sent {
                view! { <Notice text=SENT/> }.into_any()
            } else {
                view! {
                    <p>{t(INTRO)}</p>
                    <ErrorSummary/>
                    <form method="post" action="/register" novalidate>
                        <TextField name="full_name" label=FULL_NAME hint=FULL_NAME_HINT required=true autocomplete="name" maxlength=100/>
                        <TextField name="email" label=EMAIL kind="email" required=true autocomplete="email"/>
                        <TextField name="phone" label=PHONE kind="tel" required=true autocomplete="tel"/>
                        <TextField name="citizen_id" label=CITIZEN_ID hint=CITIZEN_ID_HINT required=true inputmode="numeric" maxlength=12 autocomplete="off"/>
                        <TextField name="password" label=PASSWORD hint=PASSWORD_HINT kind="password" required=true autocomplete="new-password"/>
                        <TextField name="password_confirm" label=PASSWORD_CONFIRM kind="password" required=true autocomplete="new-password"/>
                        <button type="submit" class="button">{t(SUBMIT)}</button>
                    </form>
                }
                    .into_any()
            }}
            <p class="aside">{t(HAVE_ACCOUNT)} " " <a href="/login">{t(LOGIN)}</a></p>
        </div>
    }
}
