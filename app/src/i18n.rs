//! The bilingual text layer: Vietnamese by default, English on request.
//!
//! Every user-visible string is a [`Text`] constant declared with [`texts!`], which makes a
//! missing translation a compile error. The locale of a request comes from the `motcua_lang`
//! cookie only (never from `Accept-Language`: a Vietnamese government portal speaks
//! Vietnamese unless the person asks otherwise). Islands receive the locale as a prop.
//!
//! Why not `leptos_i18n`: see docs/ARCHITECTURE.md ("Internationalisation").

use serde::{Deserialize, Serialize};

/// Name of the cookie that keeps the chosen language.
pub const LOCALE_COOKIE: &str = "motcua_lang";

/// A language the portal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    /// Tiếng Việt, the default.
    #[default]
    Vi,
    /// English.
    En,
}

impl Locale {
    /// Every supported locale, default first.
    pub const ALL: [Locale; 2] = [Locale::Vi, Locale::En];

    /// The BCP 47 tag used in `lang` attributes and in the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    /// Parses a tag as stored in the cookie; unknown tags give `None`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        match tag.trim().to_ascii_lowercase().as_str() {
            "vi" | "vi-vn" => Some(Locale::Vi),
            "en" | "en-us" | "en-gb" => Some(Locale::En),
            _ => None,
        }
    }

    /// The locale chosen in a `Cookie:` header value, or the default.
    pub fn from_cookie_header(header: &str) -> Locale {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LOCALE_COOKIE)
            .and_then(|(_, value)| Locale::from_tag(value))
            .unwrap_or_default()
    }

    /// The name of the language in itself (for the language switch).
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::Vi => "Tiếng Việt",
            Locale::En => "English",
        }
    }
}

/// One user-visible text in every supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    /// Vietnamese.
    pub vi: &'static str,
    /// English.
    pub en: &'static str,
}

impl Text {
    /// The text in `locale`.
    pub fn get(self, locale: Locale) -> &'static str {
        match locale {
            Locale::Vi => self.vi,
            Locale::En => self.en,
        }
    }
}

/// A message in both languages built at run time (unlike [`Text`]), e.g. a validation
/// message that names the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Message {
    /// The message in `locale`.
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Vi => &self.vi,
            Locale::En => &self.en,
        }
    }
}

impl From<Text> for Message {
    fn from(t: Text) -> Self {
        Message { vi: t.vi.to_string(), en: t.en.to_string() }
    }
}

/// Declares [`Text`] constants; both languages are required.
#[macro_export]
macro_rules! texts {
    ($( $(#[$meta:meta])* $name:ident = { vi: $vi:expr, en: $en:expr $(,)? } )*) => {
        $( $(#[$meta])* pub const $name: $crate::i18n::Text = $crate::i18n::Text { vi: $vi, en: $en }; )*
    };
}

/// The locale of the page being rendered (provided by the app shell).
pub fn use_locale() -> Locale {
    leptos::prelude::use_context::<Locale>().unwrap_or_default()
}

/// Shorthand for `text.get(use_locale())` inside views.
pub fn t(text: Text) -> &'static str {
    text.get(use_locale())
}

/// The locale of the current request, read from its cookie (server side).
#[cfg(feature = "ssr")]
pub fn request_locale() -> Locale {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::COOKIE)
                .and_then(|value| value.to_str().ok())
                .map(Locale::from_cookie_header)
        })
        .unwrap_or_default()
}

/// The texts shared by the whole site (page-specific texts live beside their page).
pub mod common {
    texts! {
        SITE_NAME = { vi: "Cổng Dịch vụ công MotCua", en: "MotCua Public Service Portal" }
        SITE_TAGLINE = {
            vi: "Nộp hồ sơ, thanh toán và nhận kết quả thủ tục hành chính trực tuyến",
            en: "File, pay for and receive administrative procedures online",
        }
        SKIP_TO_CONTENT = { vi: "Chuyển đến nội dung chính", en: "Skip to main content" }
        MENU = { vi: "Danh mục", en: "Menu" }
        MAIN_NAV = { vi: "Điều hướng chính", en: "Main navigation" }
        NAV_HOME = { vi: "Trang chủ", en: "Home" }
        NAV_PROCEDURES = { vi: "Thủ tục hành chính", en: "Procedures" }
        NAV_LOOKUP = { vi: "Tra cứu hồ sơ", en: "Track a dossier" }
        NAV_STATISTICS = { vi: "Thống kê", en: "Statistics" }
        LANGUAGE = { vi: "Ngôn ngữ", en: "Language" }
        SWITCH_TO = { vi: "Chuyển ngôn ngữ sang", en: "Switch language to" }
        FOOTER_ABOUT = {
            vi: "Hệ thống thông tin giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa liên thông.",
            en: "Information system for handling administrative procedures under the one-stop mechanism.",
        }
        FOOTER_HOTLINE = { vi: "Đường dây nóng hỗ trợ: 1900 0000", en: "Support hotline: 1900 0000" }
        FOOTER_ACCESSIBILITY = {
            vi: "Trang web tuân thủ WCAG 2.2 mức AA.",
            en: "This site follows WCAG 2.2 level AA.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_selects_locale_and_defaults_to_vietnamese() {
        assert_eq!(Locale::from_cookie_header("a=b; motcua_lang=en"), Locale::En);
        assert_eq!(Locale::from_cookie_header("motcua_lang=vi"), Locale::Vi);
        assert_eq!(Locale::from_cookie_header("motcua_lang=fr"), Locale::Vi);
        assert_eq!(Locale::from_cookie_header(""), Locale::Vi);
        assert_eq!(Locale::from_cookie_header("xmotcua_lang=en"), Locale::Vi);
    }

    #[test]
    fn tags_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
        }
    }

    #[test]
    fn text_picks_the_language() {
        assert_eq!(common::NAV_HOME.get(Locale::Vi), "Trang chủ");
        assert_eq!(common::NAV_HOME.get(Locale::En), "Home");
    }
}
