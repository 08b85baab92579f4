//! `/account`: the person's profile, password, and sessions.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{ErrorSummary, Notice, TextField};
use crate::components::viewer::require_signed_in;
use crate::i18n::t;

crate::texts! {
    TITLE = { vi: "Tài khoản của tôi", en: "My account" }
    PROFILE = { vi: "Thông tin cá nhân", en: "Personal details" }
    FULL_NAME = { vi: "Họ và tên", en: "Full name" }
    EMAIL = { vi: "Thư điện tử", en: "Email" }
    PHONE = { vi: "Số điện thoại", en: "Phone number" }
    CITIZEN_ID = { vi: "Số định danh cá nhân", en: "Citizen identity number" }
    ADDRESS = { vi: "Địa chỉ nhận kết quả qua bưu chính", en: "Postal address for results" }
    ADDRESS_HINT = { vi: "Số nhà, đường, xã/phường, tỉnh/thành phố.", en: "House number, street, commune/ward, province/city." }
    SAVE = { vi: "Lưu thông tin", en: "Save details" }
    SAVED_PROFILE = { vi: "Đã lưu thông tin cá nhân.", en: "Your details are saved." }
    PASSWORD = { vi: "Đổi mật khẩu", en: "Change password" }
    CURRENT_PASSWORD = { vi: "Mật khẩu hiện tại", en: "Current password" }
    NEW_PASSWORD = { vi: "Mật khẩu mới", en: "New password" }
    CONFIRM = { vi: "Nhập lại mật khẩu mới", en: "Repeat the new password" }
    CHANGE = { vi: "Đổi mật khẩu", en: "Change password" }
    SAVED_PASSWORD = { vi: "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất.", en: "Password changed. Every other session was signed out." }
    SESSIONS = { vi: "Phiên đăng nhập", en: "Sessions" }
    SESSIONS_INTRO = { vi: "Nếu bạn đã đăng nhập trên máy khác (ví dụ máy công cộng), bạn có thể đăng xuất khỏi mọi nơi.", en: "If you signed in on another device (a public computer, say), you can sign out everywhere." }
    LOGOUT_EVERYWHERE = { vi: "Đăng xuất khỏi mọi thiết bị", en: "Sign out everywhere" }
}

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let viewer = require_signed_in();
    let saved = use_query_map().with_untracked(|q| q.get("saved"));
    let notice = match saved.as_deref() {
        Some("profile") => Some(SAVED_PROFILE),
        Some("password") => Some(SAVED_PASSWORD),
        _ => None,
    };
    viewer.map(|viewer| {
        let profile = crate::pages::loader::spawn(load_profile(viewer.user_id.clone()));
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            {notice.map(|text| view! { <Notice text/> })}
            <ErrorSummary/>
            <div class="columns">
                <section aria-labelledby="profile-title" class="narrow">
                    <h2 id="profile-title">{t(PROFILE)}</h2>
                    <Suspense fallback=|| ()>
                        {Suspend::new(async move {
                            profile
                                .await
                                .map(|p| {
                                    view! {
                                        <dl class="facts">
                                            <dt>{t(EMAIL)}</dt>
                                            <dd>{p.email.clone()}</dd>
                                            <dt>{t(CITIZEN_ID)}</dt>
                                            <dd>{p.citizen_id_masked.clone()}</dd>
                                        </dl>
                                        <form method="post" action="/account/profile" novalidate>
                                            <TextField name="full_name" label=FULL_NAME required=true autocomplete="name" initial=p.full_name.clone()/>
                                            <TextField name="phone" label=PHONE kind="tel" required=true autocomplete="tel" initial=p.phone.clone()/>
                                            <TextField name="postal_address" label=ADDRESS hint=ADDRESS_HINT autocomplete="street-address" initial=p.postal_address.clone() maxlength=300/>
                                            <button type="submit" class="button">{t(SAVE)}</button>
                                        </form>
                                    }
                                })
                        })}
                    </Suspense>
                </section>
                <section aria-labelledby="password-title" class="narrow">
                    <h2 id="password-title">{t(PASSWORD)}</h2>
                    <form method="post" action="/account/password" novalidate>
                        <TextField name="current_password" label=CURRENT_PASSWORD kind="password" required=true autocomplete="current-password"/>
                        <TextField name="password" label=NEW_PASSWORD kind="password" required=true autocomplete="new-password"/>
                        <TextField name="password_confirm" label=CONFIRM kind="password" required=true autocomplete="new-password"/>
                        <button type="submit" class="button">{t(CHANGE)}</button>
                    </form>
                    <h2>{t(SESSIONS)}</h2>
                    <p>{t(SESSIONS_INTRO)}</p>
                    <form method="post" action="/logout-everywhere">
                        <button type="submit" class="button secondary">{t(LOGOUT_EVERYWHERE)}</button>
                    </form>
                </section>
            </div>
        }
    })
}

/// What the profile section shows.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct ProfileView {
    full_name: String,
    email: String,
    phone: String,
    citizen_id_masked: String,
    postal_address: String,
}

async fn load_profile(user_id: String) -> Option<ProfileView> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::auth::policy::Actor;
        use crate::ssr::services::accounts::profile;
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = Actor::Citizen { user_id: user_id.clone() };
        let p = profile::get(&state, &actor, &user_id).await.ok()?;
        Some(ProfileView {
            full_name: p.full_name,
            email: p.email,
            phone: p.phone,
            citizen_id_masked: p.citizen_id_masked,
            postal_address: p.postal_address,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = user_id;
        None
    }
}
