//! The page frame: skip link, header with navigation and language switch, main, footer.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::nav_menu::NavMenu;
use crate::components::viewer::use_viewer;
use crate::i18n::{Locale, common, t, use_locale};

/// Frame shared by every page. `children` is the page's content inside `<main>`.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let locale = use_locale();
    view! {
        <a class="skip-link" href="#main">{t(common::SKIP_TO_CONTENT)}</a>
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href="/">
                    <img class="brand-logo" src="/logo.svg" alt="" width="40" height="40"/>
                    <span class="brand-name">{t(common::SITE_NAME)}</span>
                </a>
                <NavMenu label=common::MENU.get(locale).to_string()>
                    <nav class="main-nav" aria-label=t(common::MAIN_NAV)>
                        <ul>
                            <li>
                                <a href="/">{t(common::NAV_HOME)}</a>
                            </li>
                            <li>
                                <a href="/procedures">{t(common::NAV_PROCEDURES)}</a>
                            </li>
                            <li>
                                <a href="/lookup">{t(LOOKUP)}</a>
                            </li>
                            <li>
                                <a href="/feedback">{t(FEEDBACK)}</a>
                            </li>
                        </ul>
                    </nav>
                    <AccountLinks/>
                    <LanguageSwitch/>
                </NavMenu>
            </div>
        </header>
        <main id="main" tabindex="-1" class="container">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="container">
                <p class="footer-title">{t(common::SITE_NAME)}</p>
                <p>{t(common::FOOTER_ABOUT)}</p>
                <p>{t(common::FOOTER_HOTLINE)}</p>
                <p>{t(common::FOOTER_ACCESSIBILITY)}</p>
                <p><a href="/statistics">{t(STATISTICS)}</a></p>
            </div>
        </footer>
    }
}

crate::texts! {
    LOGIN = { vi: "Đăng nhập", en: "Sign in" }
    STATISTICS = { vi: "Thống kê kết quả giải quyết hồ sơ", en: "Statistics of dossier handling" }
    REGISTER = { vi: "Đăng ký", en: "Register" }
    ACCOUNT = { vi: "Tài khoản", en: "Account" }
    OFFICER = { vi: "Trang cán bộ", en: "Officer pages" }
    LOGOUT = { vi: "Đăng xuất", en: "Sign out" }
    ORGANISATIONS = { vi: "Tổ chức", en: "Organisations" }
    DOSSIERS = { vi: "Hồ sơ của tôi", en: "My dossiers" }
    DOCUMENTS = { vi: "Giấy tờ", en: "Documents" }
    LOOKUP = { vi: "Tra cứu hồ sơ", en: "Look up a dossier" }
    FEEDBACK = { vi: "Phản ánh, kiến nghị", en: "Feedback" }
    ACCOUNT_NAV = { vi: "Tài khoản", en: "Account" }
}

/// Sign-in and registration links, or the signed-in person's name and a sign-out button.
#[component]
fn AccountLinks() -> impl IntoView {
    let viewer = use_viewer();
    view! {
        <nav class="account-nav" aria-label=t(ACCOUNT_NAV)>
            {match viewer {
                Some(v) if !v.mfa_pending => {
                    let home = if v.is_officer { "/officer" } else { "/account" };
                    let label = if v.is_officer { OFFICER } else { ACCOUNT };
                    view! {
                        <a href=home class="account-name" title=t(label)>{v.full_name.clone()}</a>
                        {(!v.is_officer)
                            .then(|| {
                                view! {
                                    <a href="/dossiers">{t(DOSSIERS)}</a>
                                    <a href="/documents">{t(DOCUMENTS)}</a>
                                    <a href="/organisations">{t(ORGANISATIONS)}</a>
                                }
                            })}
                        <form method="post" action="/logout">
                            <button type="submit" class="link-button">{t(LOGOUT)}</button>
                        </form>
                    }
                        .into_any()
                }
                _ => {
                    view! {
                        <a href="/login">{t(LOGIN)}</a>
                        <a href="/register">{t(REGISTER)}</a>
                    }
                        .into_any()
                }
            }}
        </nav>
    }
}

/// A plain form per other language: posting it sets the language cookie and comes back to
/// the same page, with or without JavaScript.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let current = use_locale();
    let location = use_location();
    let next = move || {
        let path = location.pathname.get();
        let query = location.search.get();
        if query.is_empty() { path } else { format!("{path}?{query}") }
    };
    let others: Vec<Locale> = Locale::ALL.into_iter().filter(|l| *l != current).collect();
    view! {
        <div class="lang-switch" role="group" aria-label=t(common::LANGUAGE)>
            {others
                .into_iter()
                .map(|other| {
                    view! {
                        <form method="post" action="/lang">
                            <input type="hidden" name="lang" value=other.tag()/>
                            <input type="hidden" name="next" value=next/>
                            <button
                                type="submit"
                                class="lang-button"
                                lang=other.tag()
                                title=format!("{} {}", t(common::SWITCH_TO), other.endonym())
                            >
                                {other.endonym()}
                            </button>
                        </form>
                    }
                })
                .collect_view()}
        </div>
    }
}
