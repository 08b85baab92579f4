//! Validation messages of the account forms.

use crate::domain::{CitizenIdError, EmailError, PersonNameError, PhoneError};
use crate::i18n::{Message, Text};
use crate::ssr::auth::password::PasswordProblem;

crate::texts! {
    NAME_REQUIRED = { vi: "Vui lòng nhập họ và tên.", en: "Please enter your full name." }
    NAME_LENGTH = { vi: "Họ và tên phải dài từ 2 đến 100 ký tự.", en: "The full name must be 2 to 100 characters long." }
    NAME_CHARACTERS = { vi: "Họ và tên chỉ gồm chữ cái, khoảng trắng, dấu nháy và gạch nối.", en: "The full name may contain only letters, spaces, apostrophes and hyphens." }
    EMAIL_REQUIRED = { vi: "Vui lòng nhập địa chỉ thư điện tử.", en: "Please enter your email address." }
    EMAIL_INVALID = { vi: "Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@example.vn).", en: "The email address is not valid (e.g. name@example.vn)." }
    PHONE_REQUIRED = { vi: "Vui lòng nhập số điện thoại.", en: "Please enter your phone number." }
    PHONE_INVALID = { vi: "Số điện thoại phải gồm 10 chữ số (di động, ví dụ 0912345678) hoặc 11 chữ số (cố định, ví dụ 02438253535).", en: "The phone number must have 10 digits (mobile, e.g. 0912345678) or 11 digits (landline, e.g. 02438253535)." }
    CITIZEN_ID_REQUIRED = { vi: "Vui lòng nhập số định danh cá nhân (CCCD).", en: "Please enter your citizen identity number." }
    PASSWORD_TOO_SHORT = { vi: "Mật khẩu phải có ít nhất 8 ký tự.", en: "The password must have at least 8 characters." }
    PASSWORD_TOO_LONG = { vi: "Mật khẩu không được dài quá 128 ký tự.", en: "The password must not be longer than 128 characters." }
    PASSWORD_TOO_COMMON = { vi: "Mật khẩu này quá phổ biến hoặc dễ đoán. Vui lòng chọn mật khẩu khác.", en: "This password is too common or easy to guess. Please choose another." }
    PASSWORD_MISMATCH = { vi: "Mật khẩu nhập lại không khớp.", en: "The passwords do not match." }
    PASSWORD_REQUIRED = { vi: "Vui lòng nhập mật khẩu.", en: "Please enter your password." }
    CURRENT_PASSWORD_WRONG = { vi: "Mật khẩu hiện tại không đúng.", en: "The current password is wrong." }
    CODE_INVALID = { vi: "Mã xác thực không đúng hoặc đã hết hạn. Vui lòng nhập mã mới trên ứng dụng.", en: "The code is wrong or has expired. Please enter the current code from your app." }
    ADDRESS_TOO_LONG = { vi: "Địa chỉ không được dài quá 300 ký tự.", en: "The address must not be longer than 300 characters." }
}

/// Message for a name problem.
pub fn name(e: PersonNameError) -> Text {
    match e {
        PersonNameError::Empty => NAME_REQUIRED,
        PersonNameError::Length => NAME_LENGTH,
        PersonNameError::Characters => NAME_CHARACTERS,
    }
}

/// Message for an email problem.
pub fn email(e: EmailError) -> Text {
    match e {
        EmailError::Empty => EMAIL_REQUIRED,
        EmailError::Invalid => EMAIL_INVALID,
    }
}

/// Message for a phone problem.
pub fn phone(e: PhoneError) -> Text {
    match e {
        PhoneError::Empty => PHONE_REQUIRED,
        PhoneError::Invalid => PHONE_INVALID,
    }
}

/// Message for a new-password problem.
pub fn password(e: PasswordProblem) -> Text {
    match e {
        PasswordProblem::TooShort => PASSWORD_TOO_SHORT,
        PasswordProblem::TooLong => PASSWORD_TOO_LONG,
        PasswordProblem::TooCommon => PASSWORD_TOO_COMMON,
    }
}

/// Message for a citizen id problem (the domain's own wording, labelled).
pub fn citizen_id(e: &CitizenIdError) -> Message {
    use crate::domain::{FieldError, FieldProblem};
    let error = FieldError {
        problem: FieldProblem::CitizenId { error: e.into() },
        label_vi: "Số định danh cá nhân".into(),
        label_en: "The citizen identity number".into(),
    };
    Message { vi: error.message_vi(), en: error.message_en() }
}
