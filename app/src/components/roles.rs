//! The officer roles as people read them (one list for every page that names a role).

use crate::i18n::Locale;

/// Role codes with their Vietnamese and English names, in display order.
pub const ROLES: [(&str, &str, &str); 6] = [
    ("desk_officer", "Cán bộ một cửa", "Desk officer"),
    ("specialist", "Chuyên viên thụ lý", "Specialist"),
    ("leader", "Lãnh đạo", "Leader"),
    ("clerk", "Văn thư", "Clerk"),
    ("agency_admin", "Quản trị đơn vị", "Agency administrator"),
    ("system_admin", "Quản trị hệ thống", "System administrator"),
];

/// The name of a role code in `locale` (the code itself if unknown).
pub fn role_name(code: &str, locale: Locale) -> &str {
    ROLES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, vi, en)| if locale == Locale::Vi { *vi } else { *en })
        .unwrap_or(code)
}
