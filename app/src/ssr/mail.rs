//! Emails: rendered in the recipient's language (plain text and HTML) and put in the
//! outbox inside the transaction of the change that causes them. The server's worker
//! delivers them through the [`crate::ssr::ports::Mailer`] port.

use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::i18n::Locale;
use crate::ssr::db::jobs;
use crate::ssr::ports::OutgoingEmail;

/// The job kind of an email in the outbox.
pub const JOB_KIND: &str = "send_email";

/// Puts an email in the outbox on the caller's transaction.
pub async fn enqueue(
    conn: &mut AnyConnection,
    email: &OutgoingEmail,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    if !crate::ssr::services::intake::deliverable(&email.to) {
        // a person filed for at the counter without an email address
        return Ok(());
    }
    let payload = serde_json::to_string(email)?;
    jobs::enqueue(conn, JOB_KIND, &payload, now, now).await?;
    Ok(())
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One email's content before layout: greeting, paragraphs, an optional button link.
struct Content<'a> {
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    action: Option<(&'a str, String)>,
}

fn render(to: &str, locale: Locale, c: Content<'_>) -> OutgoingEmail {
    let (signature, footer) = match locale {
        Locale::Vi => (
            "Cổng Dịch vụ công MotCua",
            "Đây là thư tự động, vui lòng không trả lời. Nếu bạn không thực hiện thao tác này, hãy bỏ qua thư.",
        ),
        Locale::En => (
            "MotCua Public Service Portal",
            "This is an automatic message; please do not reply. If you did not do this, you can ignore it.",
        ),
    };
    let mut text = format!("{}\n\n", c.greeting);
    for p in &c.paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    if let Some((label, url)) = &c.action {
        text.push_str(&format!("{label}: {url}\n\n"));
    }
    text.push_str(&format!("{signature}\n{footer}\n"));

    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:Arial,sans-serif;color:#1b1b1f;line-height:1.5\"><p>{}</p>",
        locale.tag(),
        escape(&c.subject),
        escape(&c.greeting)
    );
    for p in &c.paragraphs {
        html.push_str(&format!("<p>{}</p>", escape(p)));
    }
    if let Some((label, url)) = &c.action {
        html.push_str(&format!(
            "<p><a href=\"{0}\" style=\"background:#a4161a;color:#fff;padding:10px 16px;border-radius:6px;\
             text-decoration:none;display:inline-block\">{1}</a></p><p style=\"font-size:13px\">{0}</p>",
            escape(url),
            escape(label)
        ));
    }
    html.push_str(&format!(
        "<p>{}</p><p style=\"font-size:13px;color:#4a4a55\">{}</p></body></html>",
        signature, footer
    ));
    OutgoingEmail { to: to.to_string(), subject: c.subject, text, html }
}

/// "Confirm your email address" with the verification link.
pub fn verify_email(to: &str, name: &str, link: &str, locale: Locale) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: "Xác nhận địa chỉ thư điện tử".into(),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                "Cảm ơn bạn đã đăng ký tài khoản trên Cổng Dịch vụ công MotCua.".into(),
                "Vui lòng bấm vào liên kết dưới đây để xác nhận địa chỉ thư điện tử. Liên kết có hiệu lực trong 24 giờ và chỉ dùng được một lần.".into(),
            ],
            action: Some(("Xác nhận thư điện tử", link.to_string())),
        },
        Locale::En => Content {
            subject: "Confirm your email address".into(),
            greeting: format!("Dear {name},"),
            paragraphs: vec![
                "Thank you for registering on the MotCua Public Service Portal.".into(),
                "Please follow the link below to confirm your email address. It is valid for 24 hours and works once.".into(),
            ],
            action: Some(("Confirm email address", link.to_string())),
        },
    };
    render(to, locale, c)
}

/// Sent instead of a second registration for an address that already has an account
/// (so registration does not reveal which addresses are registered).
pub fn already_registered(to: &str, name: &str, reset_link: &str, locale: Locale) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: "Địa chỉ thư điện tử này đã có tài khoản".into(),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                "Có người vừa đăng ký tài khoản mới bằng thông tin của bạn, nhưng bạn đã có tài khoản trên cổng. Không có tài khoản mới nào được tạo.".into(),
                "Nếu bạn quên mật khẩu, hãy đặt lại mật khẩu bằng liên kết dưới đây.".into(),
            ],
            action: Some(("Đặt lại mật khẩu", reset_link.to_string())),
        },
        Locale::En => Content {
            subject: "This address already has an account".into(),
            greeting: format!("Dear {name},"),
            paragraphs: vec![
                "Someone just tried to register a new account with your details, but you already have an account. No new account was created.".into(),
                "If you have forgotten your password, you can reset it with the link below.".into(),
            ],
            action: Some(("Reset password", reset_link.to_string())),
        },
    };
    render(to, locale, c)
}

/// The password reset link.
pub fn reset_password(to: &str, name: &str, link: &str, locale: Locale) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: "Đặt lại mật khẩu".into(),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                "Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản của bạn.".into(),
                "Bấm vào liên kết dưới đây để đặt mật khẩu mới. Liên kết có hiệu lực trong 1 giờ và chỉ dùng được một lần.".into(),
            ],
            action: Some(("Đặt mật khẩu mới", link.to_string())),
        },
        Locale::En => Content {
            subject: "Reset your password".into(),
            greeting: format!("Dear {name},"),
            paragraphs: vec![
                "We received a request to reset the password of your account.".into(),
                "Follow the link below to choose a new password. It is valid for 1 hour and works once.".into(),
            ],
            action: Some(("Choose a new password", link.to_string())),
        },
    };
    render(to, locale, c)
}

/// Notice that the password was changed.
pub fn password_changed(to: &str, name: &str, locale: Locale) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: "Mật khẩu của bạn đã được thay đổi".into(),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                "Mật khẩu tài khoản của bạn vừa được thay đổi và mọi phiên đăng nhập khác đã được đăng xuất.".into(),
                "Nếu không phải bạn thực hiện, hãy đặt lại mật khẩu ngay và liên hệ đường dây nóng 1900 0000.".into(),
            ],
            action: None,
        },
        Locale::En => Content {
            subject: "Your password was changed".into(),
            greeting: format!("Dear {name},"),
            paragraphs: vec![
                "The password of your account was just changed and every other session was signed out.".into(),
                "If this was not you, reset your password at once and call the hotline 1900 0000.".into(),
            ],
            action: None,
        },
    };
    render(to, locale, c)
}

/// Notice that the account was locked after repeated failed sign-ins.
pub fn account_locked(to: &str, name: &str, minutes: i64, reset_link: &str, locale: Locale) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: "Tài khoản tạm khóa do đăng nhập sai nhiều lần".into(),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                format!(
                    "Tài khoản của bạn đã bị tạm khóa trong {minutes} phút vì có nhiều lần đăng nhập sai mật khẩu liên tiếp."
                ),
                "Nếu không phải bạn, có thể ai đó đang thử đoán mật khẩu của bạn: hãy đặt lại mật khẩu."
                    .into(),
            ],
            action: Some(("Đặt lại mật khẩu", reset_link.to_string())),
        },
        Locale::En => Content {
            subject: "Account locked after repeated failed sign-ins".into(),
            greeting: format!("Dear {name},"),
            paragraphs: vec![
                format!(
                    "Your account has been locked for {minutes} minutes after several wrong passwords in a row."
                ),
                "If this was not you, someone may be guessing your password: please reset it.".into(),
            ],
            action: Some(("Reset password", reset_link.to_string())),
        },
    };
    render(to, locale, c)
}

/// An invitation to join an organisation.
pub fn organisation_invite(
    to: &str,
    inviter: &str,
    organisation: &str,
    link: &str,
    locale: Locale,
) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: format!("Lời mời tham gia tổ chức {organisation}"),
            greeting: "Xin chào,".into(),
            paragraphs: vec![
                format!("{inviter} mời bạn tham gia tổ chức “{organisation}” trên Cổng Dịch vụ công MotCua. Thành viên được nộp và theo dõi hồ sơ của tổ chức."),
                "Liên kết có hiệu lực trong 7 ngày. Bạn cần đăng nhập (hoặc đăng ký) bằng chính địa chỉ thư điện tử này để chấp nhận.".into(),
            ],
            action: Some(("Xem lời mời", link.to_string())),
        },
        Locale::En => Content {
            subject: format!("Invitation to join {organisation}"),
            greeting: "Hello,".into(),
            paragraphs: vec![
                format!("{inviter} invites you to join “{organisation}” on the MotCua Public Service Portal. Members file and follow the organisation's dossiers."),
                "The link is valid for 7 days. Sign in (or register) with this email address to accept.".into(),
            ],
            action: Some(("See the invitation", link.to_string())),
        },
    };
    render(to, locale, c)
}

/// The confirmation that a dossier was submitted, with its code and lookup key.
#[allow(clippy::too_many_arguments)]
pub fn dossier_submitted(
    to: &str,
    name: &str,
    code: &str,
    procedure: &str,
    lookup_key: &str,
    link: &str,
    receipt_link: &str,
    locale: Locale,
) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: format!("Đã nộp hồ sơ {code}"),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                format!(
                    "Hồ sơ “{procedure}” của bạn đã được nộp thành công với mã hồ sơ {code}. Hồ sơ đang chờ bộ phận một cửa kiểm tra và tiếp nhận."
                ),
                format!(
                    "Mã tra cứu: {lookup_key}. Dùng mã hồ sơ và mã tra cứu để xem tình trạng hồ sơ tại trang Tra cứu hồ sơ mà không cần đăng nhập."
                ),
                format!("Phiếu xác nhận nộp hồ sơ (PDF): {receipt_link}"),
            ],
            action: Some(("Xem hồ sơ", link.to_string())),
        },
        Locale::En => Content {
            subject: format!("Dossier {code} submitted"),
            greeting: format!("Dear {name},"),
            paragraphs: vec![
                format!(
                    "Your dossier “{procedure}” was submitted with the code {code}. It now waits for the one-stop desk to check and receive it."
                ),
                format!(
                    "Lookup key: {lookup_key}. With the dossier code and this key anyone can see its status on the lookup page without signing in."
                ),
                format!("Submission receipt (PDF): {receipt_link}"),
            ],
            action: Some(("See the dossier", link.to_string())),
        },
    };
    render(to, locale, c)
}

/// The dossier was received: the appointment date.
pub fn dossier_received(
    to: &str,
    name: &str,
    code: &str,
    due: &str,
    link: &str,
    locale: Locale,
) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: format!("Hồ sơ {code} đã được tiếp nhận"),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                format!("Hồ sơ {code} đã được bộ phận một cửa tiếp nhận."),
                format!("Ngày hẹn trả kết quả: {due}."),
            ],
            action: Some(("Xem hồ sơ", link.to_string())),
        },
        Locale::En => Content {
            subject: format!("Dossier {code} received"),
            greeting: format!("Dear {name},"),
            paragraphs: vec![
                format!("Dossier {code} was received by the one-stop desk."),
                format!("Appointment for the result: {due}."),
            ],
            action: Some(("See the dossier", link.to_string())),
        },
    };
    render(to, locale, c)
}

/// The result is in the applicant's account.
pub fn result_returned(to: &str, name: &str, code: &str, link: &str, locale: Locale) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: format!("Đã có kết quả hồ sơ {code}"),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![format!(
                "Kết quả giải quyết hồ sơ {code} đã được trả vào tài khoản của bạn. Bạn có thể tải về tại trang hồ sơ hoặc trong mục “Giấy tờ của tôi”."
            )],
            action: Some(("Xem kết quả", link.to_string())),
        },
        Locale::En => Content {
            subject: format!("Dossier {code}: result ready"),
            greeting: format!("Dear {name},"),
            paragraphs: vec![format!(
                "The result of dossier {code} is in your account. Download it from the dossier page or from “My documents”."
            )],
            action: Some(("See the result", link.to_string())),
        },
    };
    render(to, locale, c)
}

/// A change to a dossier the applicant (or an officer) should know of, in one sentence and
/// an optional detail: a new appointment, a result sent by post, a deadline close.
#[allow(clippy::too_many_arguments)]
pub fn dossier_update(
    to: &str,
    name: &str,
    code: &str,
    what: (&str, &str),
    detail: &str,
    link: &str,
    locale: Locale,
) -> OutgoingEmail {
    let mut paragraphs = vec![match locale {
        Locale::Vi => format!("Hồ sơ {code}: {}", what.0),
        Locale::En => format!("Dossier {code}: {}", what.1),
    }];
    if !detail.is_empty() {
        paragraphs.push(detail.to_string());
    }
    let c = match locale {
        Locale::Vi => Content {
            subject: format!("Hồ sơ {code}: {}", what.0.trim_end_matches('.')),
            greeting: format!("Kính gửi {name},"),
            paragraphs,
            action: Some(("Xem hồ sơ", link.to_string())),
        },
        Locale::En => Content {
            subject: format!("Dossier {code}: {}", what.1.trim_end_matches('.')),
            greeting: format!("Dear {name},"),
            paragraphs,
            action: Some(("See the dossier", link.to_string())),
        },
    };
    render(to, locale, c)
}

/// The desk refused to receive the dossier.
pub fn dossier_refused(
    to: &str,
    name: &str,
    code: &str,
    reason: &str,
    link: &str,
    locale: Locale,
) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: format!("Hồ sơ {code} không được tiếp nhận"),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                format!("Bộ phận một cửa không tiếp nhận hồ sơ {code} vì lý do sau:"),
                reason.to_string(),
            ],
            action: Some(("Xem hồ sơ", link.to_string())),
        },
        Locale::En => Content {
            subject: format!("Dossier {code} not received"),
            greeting: format!("Dear {name},"),
            paragraphs: vec![
                format!("The one-stop desk did not receive dossier {code}, for this reason:"),
                reason.to_string(),
            ],
            action: Some(("See the dossier", link.to_string())),
        },
    };
    render(to, locale, c)
}

/// The request to supplement a dossier (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ).
pub fn supplement_requested(
    to: &str,
    name: &str,
    code: &str,
    note: &str,
    link: &str,
    locale: Locale,
) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: format!("Yêu cầu bổ sung hồ sơ {code}"),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                format!("Hồ sơ {code} cần được bổ sung, hoàn thiện như sau:"),
                note.to_string(),
                "Thời hạn giải quyết tạm dừng cho tới khi bạn gửi đủ giấy tờ. Vào trang hồ sơ để tải lên và gửi bổ sung.".into(),
            ],
            action: Some(("Bổ sung hồ sơ", link.to_string())),
        },
        Locale::En => Content {
            subject: format!("Dossier {code}: supplement requested"),
            greeting: format!("Dear {name},"),
            paragraphs: vec![
                format!("Dossier {code} needs the following to be added or corrected:"),
                note.to_string(),
                "The processing time is paused until you send everything. Open the dossier to upload and send the supplement.".into(),
            ],
            action: Some(("Supplement the dossier", link.to_string())),
        },
    };
    render(to, locale, c)
}

/// The dossier was accepted and its fee is due now: the "Pay now" link (issue #7).
pub fn payment_requested(
    to: &str,
    name: &str,
    code: &str,
    amount: &str,
    link: &str,
    locale: Locale,
) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: format!("Hồ sơ {code}: đề nghị nộp phí, lệ phí"),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                format!(
                    "Hồ sơ {code} đã được tiếp nhận. Để hồ sơ được tiếp tục giải quyết, vui lòng nộp phí, lệ phí: {amount}."
                ),
                "Thời gian giải quyết tạm dừng cho đến khi khoản phí được thanh toán.".into(),
            ],
            action: Some(("Thanh toán ngay", link.to_string())),
        },
        Locale::En => Content {
            subject: format!("Dossier {code}: please pay the fee"),
            greeting: format!("Dear {name},"),
            paragraphs: vec![
                format!(
                    "Dossier {code} was received. To continue, please pay the fees and charges: {amount}."
                ),
                "The processing time is paused until the fee is paid.".into(),
            ],
            action: Some(("Pay now", link.to_string())),
        },
    };
    render(to, locale, c)
}

/// The responsible unit answered the sender's feedback (phản ánh, kiến nghị).
pub fn feedback_answered(
    to: &str,
    name: &str,
    subject: &str,
    answer: &str,
    link: &str,
    locale: Locale,
) -> OutgoingEmail {
    let c = match locale {
        Locale::Vi => Content {
            subject: format!("Phản ánh “{subject}” đã được trả lời"),
            greeting: format!("Kính gửi {name},"),
            paragraphs: vec![
                format!("Phản ánh, kiến nghị “{subject}” của bạn đã được trả lời:"),
                answer.to_string(),
            ],
            action: Some(("Xem phản ánh của tôi", link.to_string())),
        },
        Locale::En => Content {
            subject: format!("Your feedback “{subject}” was answered"),
            greeting: format!("Dear {name},"),
            paragraphs: vec![format!("Your feedback “{subject}” was answered:"), answer.to_string()],
            action: Some(("See my feedback", link.to_string())),
        },
    };
    render(to, locale, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_carry_the_link_in_both_bodies_and_escape_html() {
        let e = verify_email("a@b.vn", "Nguyễn <Văn> A", "http://x/verify-email?token=abc", Locale::Vi);
        assert_eq!(e.subject, "Xác nhận địa chỉ thư điện tử");
        assert!(e.text.contains("http://x/verify-email?token=abc"));
        assert!(e.text.contains("Kính gửi Nguyễn <Văn> A,"));
        assert!(e.html.contains("href=\"http://x/verify-email?token=abc\""));
        assert!(e.html.contains("Nguyễn &lt;Văn&gt; A"));
        assert!(!e.html.contains("<Văn>"));
        let en = reset_password("a@b.vn", "A", "http://x/r", Locale::En);
        assert_eq!(en.subject, "Reset your password");
        assert!(en.html.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    }
}
