//! `/admin/officers`: officer accounts (no self-registration for officers).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::components::form::{ErrorSummary, Notice, TextField, use_form_state};
use crate::components::roles::{ROLES as ROLE_NAMES, role_name};
use crate::components::viewer::require_signed_in;
use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Quản lý tài khoản cán bộ", en: "Officer accounts" }
    FORBIDDEN = { vi: "Trang này dành cho quản trị viên.", en: "This page is for administrators." }
    NAME = { vi: "Họ và tên", en: "Full name" }
    EMAIL = { vi: "Thư điện tử", en: "Email" }
    ROLES = { vi: "Vai trò (mã đơn vị)", en: "Roles (unit code)" }
    TOTP = { vi: "Xác thực hai lớp", en: "Two-step verification" }
    YES = { vi: "Đã thiết lập", en: "Set up" }
    NO = { vi: "Chưa thiết lập", en: "Not yet" }
    CREATE = { vi: "Tạo tài khoản cán bộ", en: "Create an officer account" }
    PASSWORD = { vi: "Mật khẩu ban đầu", en: "Initial password" }
    PASSWORD_HINT = { vi: "Gửi cho cán bộ qua kênh an toàn; cán bộ thiết lập xác thực hai lớp khi đăng nhập lần đầu.", en: "Give it to the officer over a safe channel; they set up two-step verification at first sign-in." }
    ROLE = { vi: "Vai trò", en: "Role" }
    AGENCY = { vi: "Mã đơn vị", en: "Unit code" }
    AGENCY_HINT = { vi: "Mã định danh đơn vị, ví dụ 000.00.31.H26 (để trống với quản trị hệ thống).", en: "The unit's national code, e.g. 000.00.31.H26 (empty for a system administrator)." }
    SUBMIT = { vi: "Tạo tài khoản", en: "Create account" }
    CREATED = { vi: "Đã tạo tài khoản cán bộ.", en: "The officer account was created." }
    SYSTEM_WIDE = { vi: "toàn hệ thống", en: "system-wide" }
}

/// One row of the list.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Row {
    full_name: String,
    email: String,
    roles: Vec<(String, Option<String>)>,
    totp: bool,
}

/// The officer list and the creation form.
#[component]
pub fn OfficersPage() -> impl IntoView {
    let locale = use_locale();
    let created = use_query_map().with_untracked(|q| q.get("created").is_some());
    let chosen = use_form_state().and_then(|f| f.values.get("role").cloned()).unwrap_or_default();
    require_signed_in().map(|viewer| {
        let rows = crate::pages::loader::spawn(load(viewer.user_id.clone()));
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            {created.then(|| view! { <Notice text=CREATED/> })}
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    match rows.await {
                        None => {
                            #[cfg(feature = "ssr")]
                            if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                                r.set_status(http::StatusCode::FORBIDDEN);
                            }
                            view! { <p>{t(FORBIDDEN)}</p> }.into_any()
                        }
                        Some(rows) => view! {
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t(NAME)}</th>
                                        <th scope="col">{t(EMAIL)}</th>
                                        <th scope="col">{t(ROLES)}</th>
                                        <th scope="col">{t(TOTP)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows
                                        .into_iter()
                                        .map(|r| {
                                            let roles = r
                                                .roles
                                                .iter()
                                                .map(|(role, unit)| {
                                                    format!("{} ({})", role_name(role, locale), unit.clone().unwrap_or_else(|| t(SYSTEM_WIDE).to_string()))
                                                })
                                                .collect::<Vec<_>>()
                                                .join(", ");
                                            view! {
                                                <tr>
                                                    <td>{r.full_name}</td>
                                                    <td>{r.email}</td>
                                                    <td>{roles}</td>
                                                    <td>{if r.totp { t(YES) } else { t(NO) }}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <section class="narrow" aria-labelledby="create-title">
                                <h2 id="create-title">{t(CREATE)}</h2>
                                <ErrorSummary/>
                                <form method="post" action="/admin/officers" novalidate>
                                    <TextField name="full_name" label=NAME required=true autocomplete="off"/>
                                    <TextField name="email" label=EMAIL kind="email" required=true autocomplete="off"/>
                                    <TextField name="password" label=PASSWORD hint=PASSWORD_HINT kind="password" required=true autocomplete="new-password"/>
                                    <div class="field">
                                        <label for="f-role">{t(ROLE)}</label>
                                        <select id="f-role" name="role" required>
                                            {ROLE_NAMES
                                                .iter()
                                                .map(|(code, vi, en)| {
                                                    let label = if locale == Locale::Vi { *vi } else { *en };
                                                    view! { <option value=*code selected=chosen == *code>{label}</option> }
                                                })
                                                .collect_view()}
                                        </select>
                                    </div>
                                    <TextField name="agency_code" label=AGENCY hint=AGENCY_HINT autocomplete="off"/>
                                    <button type="submit" class="button">{t(SUBMIT)}</button>
                                </form>
                            </section>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        }
    })
}

async fn load(user_id: String) -> Option<Vec<Row>> {
    #[cfg(feature = "ssr")]
    {
        let state = use_context::<crate::ssr::state::AppState>()?;
        let parts = use_context::<http::request::Parts>()?;
        let session = parts.extensions.get::<crate::ssr::services::accounts::current::CurrentSession>()?;
        if session.user.id != user_id {
            return None;
        }
        let list = crate::ssr::services::accounts::officers::list(&state, &session.actor).await.ok()?;
        Some(
            list.into_iter()
                .map(|o| Row { full_name: o.full_name, email: o.email, roles: o.roles, totp: o.totp_enabled })
                .collect(),
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = user_id;
        None
    }
}
