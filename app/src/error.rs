//! Errors as the user sees them: a stable snake_case code that the UI translates, never a
//! cause chain (causes go to the logs on the server, see `ssr`).

use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Text};

/// What went wrong, in terms a person can act on. Serialised as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum AppError {
    /// The page or record does not exist, or the actor may not know that it does.
    #[error("not_found")]
    NotFound,
    /// Signing in is required.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Signed in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// The input was refused; details are attached to fields elsewhere.
    #[error("invalid_input")]
    InvalidInput,
    /// Too many attempts; try again later.
    #[error("rate_limited")]
    RateLimited,
    /// Sign-in refused: wrong email or password, or the account is locked (one message for
    /// all, so nobody learns which accounts exist).
    #[error("invalid_credentials")]
    InvalidCredentials,
    /// The emailed link is unknown, used already, or expired.
    #[error("link_invalid")]
    LinkInvalid,
    /// Our fault; the details are in the server log.
    #[error("internal")]
    Internal,
    /// The database or another dependency is not reachable right now.
    #[error("unavailable")]
    Unavailable,
}

crate::texts! {
    NOT_FOUND = { vi: "Không tìm thấy trang hoặc hồ sơ bạn yêu cầu.", en: "The page or record you asked for was not found." }
    UNAUTHENTICATED = { vi: "Vui lòng đăng nhập để tiếp tục.", en: "Please sign in to continue." }
    FORBIDDEN = { vi: "Bạn không có quyền thực hiện thao tác này.", en: "You are not allowed to do this." }
    INVALID_INPUT = { vi: "Thông tin chưa hợp lệ. Vui lòng kiểm tra các trường được đánh dấu.", en: "Some information is not valid. Please check the marked fields." }
    INVALID_CREDENTIALS = {
        vi: "Thư điện tử hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa. Nếu bạn quên mật khẩu, hãy dùng chức năng “Quên mật khẩu”.",
        en: "Wrong email or password, or the account is temporarily locked. If you forgot your password, use “Forgot password”.",
    }
    LINK_INVALID = {
        vi: "Liên kết không hợp lệ, đã được sử dụng hoặc đã hết hạn. Vui lòng yêu cầu liên kết mới.",
        en: "This link is not valid, was used already, or has expired. Please ask for a new one.",
    }
    RATE_LIMITED = { vi: "Bạn đã thử quá nhiều lần. Vui lòng thử lại sau ít phút.", en: "Too many attempts. Please try again in a few minutes." }
    INTERNAL = { vi: "Đã xảy ra lỗi hệ thống. Dữ liệu của bạn không bị mất; vui lòng thử lại.", en: "Something went wrong on our side. Nothing you entered was lost; please try again." }
    UNAVAILABLE = { vi: "Hệ thống đang tạm thời gián đoạn. Vui lòng thử lại sau.", en: "The service is temporarily unavailable. Please try again later." }
}

impl AppError {
    /// The stable code (same as the serialised form).
    pub fn code(self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::InvalidInput => "invalid_input",
            AppError::RateLimited => "rate_limited",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::LinkInvalid => "link_invalid",
            AppError::Internal => "internal",
            AppError::Unavailable => "unavailable",
        }
    }

    /// The message shown to a person.
    pub fn text(self) -> Text {
        match self {
            AppError::NotFound => NOT_FOUND,
            AppError::Unauthenticated => UNAUTHENTICATED,
            AppError::Forbidden => FORBIDDEN,
            AppError::InvalidInput => INVALID_INPUT,
            AppError::RateLimited => RATE_LIMITED,
            AppError::InvalidCredentials => INVALID_CREDENTIALS,
            AppError::LinkInvalid => LINK_INVALID,
            AppError::Internal => INTERNAL,
            AppError::Unavailable => UNAVAILABLE,
        }
    }

    /// The message in `locale`.
    pub fn message(self, locale: Locale) -> &'static str {
        self.text().get(locale)
    }

    /// The HTTP status that goes with it.
    pub fn status(self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::InvalidInput => 422,
            AppError::RateLimited => 429,
            AppError::InvalidCredentials => 401,
            AppError::LinkInvalid => 410,
            AppError::Internal => 500,
            AppError::Unavailable => 503,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_matches_serialised_form() {
        for e in [
            AppError::NotFound,
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::InvalidInput,
            AppError::RateLimited,
            AppError::InvalidCredentials,
            AppError::LinkInvalid,
            AppError::Internal,
            AppError::Unavailable,
        ] {
            let json = serde_json::to_string(&e).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", e.code()));
            assert_eq!(e.to_string(), e.code());
        }
    }
}
