//! `/officer`: the officer's start page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::roles::role_name;
use crate::components::viewer::{roles, with_role};
use crate::i18n::{t, use_locale};

crate::texts! {
    TITLE = { vi: "Trang cán bộ", en: "Officer start page" }
    ROLES = { vi: "Vai trò của bạn", en: "Your roles" }
    WHOLE_SYSTEM = { vi: "toàn hệ thống", en: "whole system" }
    MANAGE_OFFICERS = { vi: "Quản lý tài khoản cán bộ", en: "Manage officer accounts" }
    RECEPTION = { vi: "Tiếp nhận hồ sơ", en: "Reception" }
    WORK = { vi: "Hồ sơ cần xử lý", en: "My work" }
    STATS = { vi: "Thống kê", en: "Statistics" }
    DELEGATION = { vi: "Ủy quyền ký", en: "Delegation of signing" }
    INTAKE = { vi: "Nhận hồ sơ tại quầy", en: "Counter intake" }
    PAYMENTS = { vi: "Đối soát thanh toán", en: "Payment reconciliation" }
    FEEDBACK = { vi: "Phản ánh, kiến nghị", en: "Feedback" }
    AUDIT = { vi: "Nhật ký kiểm tra", en: "Audit log" }
    ADMIN_NAV = { vi: "Quản trị", en: "Administration" }
    MANAGE_PROCEDURES = { vi: "Quản lý thủ tục hành chính", en: "Manage procedures" }
    MANAGE_AGENCIES = { vi: "Cơ cấu đơn vị", en: "Agency units" }
    MANAGE_HOLIDAYS = { vi: "Ngày nghỉ lễ và ngày làm bù", en: "Holidays and extra working days" }
}

/// The officer start page: who you are and the roles you hold, per unit.
#[component]
pub fn OfficerHomePage() -> impl IntoView {
    let locale = use_locale();
    with_role(roles::OFFICER, |viewer| {
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            <p>{viewer.full_name.clone()} " — " {viewer.email.clone()}</p>
            <h2>{t(ROLES)}</h2>
            <ul>
                {viewer
                    .roles
                    .iter()
                    .map(|(role, unit)| {
                        let unit = unit.clone().unwrap_or_else(|| t(WHOLE_SYSTEM).to_string());
                        view! { <li>{role_name(role, locale).to_string()} " (" {unit} ")"</li> }
                    })
                    .collect_view()}
            </ul>
            {viewer
                .roles
                .iter()
                .any(|(r, _)| r == "system_admin" || r == "desk_officer")
                .then(|| view! {
                    <p><a class="button" href="/officer/reception">{t(RECEPTION)}</a></p>
                    <p><a class="button secondary" href="/officer/intake">{t(INTAKE)}</a></p>
                })}
            <p><a class="button secondary" href="/officer/work">{t(WORK)}</a></p>
            {viewer
                .roles
                .iter()
                .any(|(r, _)| r == "leader")
                .then(|| view! { <p><a href="/officer/delegation">{t(DELEGATION)}</a></p> })}
            {viewer
                .roles
                .iter()
                .any(|(r, _)| r == "leader" || r == "agency_admin" || r == "system_admin")
                .then(|| view! { <p><a class="button secondary" href="/officer/stats">{t(STATS)}</a></p> })}
            {viewer
                .roles
                .iter()
                .any(|(r, _)| r == "system_admin" || r == "desk_officer" || r == "agency_admin")
                .then(|| view! { <p><a class="button secondary" href="/officer/payments">{t(PAYMENTS)}</a></p> })}
            {viewer
                .roles
                .iter()
                .any(|(r, _)| matches!(r.as_str(), "system_admin" | "desk_officer" | "leader" | "agency_admin"))
                .then(|| view! { <p><a class="button secondary" href="/officer/feedback">{t(FEEDBACK)}</a></p> })}
            {viewer
                .roles
                .iter()
                .any(|(r, _)| r == "system_admin" || r == "agency_admin")
                .then(|| {
                    let system = viewer.roles.iter().any(|(r, _)| r == "system_admin");
                    view! {
                        <nav aria-labelledby="admin-nav">
                            <h2 id="admin-nav">{t(ADMIN_NAV)}</h2>
                            <ul>
                                <li><a href="/admin/officers">{t(MANAGE_OFFICERS)}</a></li>
                                <li><a href="/admin/procedures">{t(MANAGE_PROCEDURES)}</a></li>
                                <li><a href="/admin/agencies">{t(MANAGE_AGENCIES)}</a></li>
                                {system.then(|| view! { <li><a href="/admin/holidays">{t(MANAGE_HOLIDAYS)}</a></li> })}
                                {system.then(|| view! { <li><a href="/admin/audit">{t(AUDIT)}</a></li> })}
                            </ul>
                        </nav>
                    }
                })}
        }
    })
}
