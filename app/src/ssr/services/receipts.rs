//! Printable receipts: the submission receipt of an online dossier, with a QR code that opens
//! the public lookup.

use time::OffsetDateTime;

use super::ServiceResult;
use super::filing::{DossierView, parse_delivery};
use crate::domain::VIETNAM_OFFSET;
use crate::domain::procedure::{Delivery, PaperForm};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::ssr::auth::policy::Actor;
use crate::ssr::db::{agencies, columns::from_db, users};
use crate::ssr::pdf::Sheet;
use crate::ssr::state::AppState;

/// `dd/mm/yyyy HH:MM` in Vietnam time.
pub fn local_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(VIETNAM_OFFSET);
    format!("{:02}/{:02}/{} {:02}:{:02}", t.day(), u8::from(t.month()), t.year(), t.hour(), t.minute())
}

fn paper_form(form: PaperForm, vi: bool) -> &'static str {
    match (form, vi) {
        (PaperForm::Original, true) => "bản chính",
        (PaperForm::Copy, true) => "bản sao",
        (PaperForm::CertifiedCopy, true) => "bản sao có chứng thực",
        (PaperForm::Electronic, true) => "bản điện tử",
        (PaperForm::Original, false) => "original",
        (PaperForm::Copy, false) => "copy",
        (PaperForm::CertifiedCopy, false) => "certified copy",
        (PaperForm::Electronic, false) => "electronic",
    }
}

/// The URL the receipt's QR code opens.
pub fn lookup_url(state: &AppState, code: &str, key: &str) -> String {
    format!("{}/lookup?code={code}&key={key}", state.config.public_url)
}

/// The submission receipt of a dossier the actor may see, as `(file name, PDF bytes)`.
pub async fn submission_receipt(
    state: &AppState,
    actor: &Actor,
    id: &str,
    locale: Locale,
) -> ServiceResult<(String, Vec<u8>)> {
    receipt(state, actor, id, locale, Slip::Submission).await
}

/// Which printed slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slip {
    /// The online submission receipt.
    Submission,
    /// Form 01: receipt and appointment (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), once received.
    Appointment,
}

/// A slip for the applicant (or a fellow member), or for the officers who may see the dossier.
pub async fn receipt(
    state: &AppState,
    actor: &Actor,
    id: &str,
    locale: Locale,
    slip: Slip,
) -> ServiceResult<(String, Vec<u8>)> {
    let view: DossierView = super::forms::visible(state, actor, id).await?.0;
    let (Some(code), Some(submitted)) = (view.row.code.clone(), view.row.submitted_at) else {
        return Err(AppError::NotFound.into());
    };
    let received = view.row.received_at.zip(view.row.due_at);
    if slip == Slip::Appointment && received.is_none() {
        return Err(AppError::NotFound.into());
    }
    let key = view.row.lookup_secret.clone().unwrap_or_default();
    let mut conn = state.db.reader().acquire().await?;
    let applicant = users::by_id(&mut conn, &view.row.applicant_id).await?.ok_or(AppError::NotFound)?;
    let agency = agencies::names_by_code(&mut conn, &view.row.receiving_agency).await?;
    drop(conn);
    let vi = locale == Locale::Vi;
    let l = |v: &'static str, e: &'static str| if vi { v } else { e };
    let mut s = Sheet::new();
    s.centered(l("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"), 10.5, true);
    s.centered(l("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"), 10.5, false);
    s.gap(14.0);
    match slip {
        Slip::Submission => {
            s.centered(l("GIẤY XÁC NHẬN NỘP HỒ SƠ TRỰC TUYẾN", "ONLINE SUBMISSION RECEIPT"), 15.0, true)
        }
        Slip::Appointment => {
            s.centered(l("Mẫu số 01", "Form 01"), 9.0, false);
            s.centered(
                l("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "RECEIPT AND APPOINTMENT SLIP"),
                14.0,
                true,
            );
        }
    }
    s.centered(&format!("{} {code}", l("Mã hồ sơ:", "Dossier code:")), 12.0, true);
    s.gap(6.0);
    s.qr(&lookup_url(state, &code, &key), 92.0, l("Quét để tra cứu", "Scan to look up"));
    s.field(
        l("Thủ tục", "Procedure"),
        &format!("{} ({})", if vi { &view.def.name_vi } else { &view.def.name_en }, view.def.code),
    );
    s.field(l("Người nộp", "Applicant"), &applicant.full_name);
    if let Some(org) = &view.organisation {
        s.field(l("Tổ chức", "Organisation"), org);
    }
    if let Some(phone) = &applicant.phone {
        s.field(l("Điện thoại", "Phone"), phone);
    }
    s.field(l("Thư điện tử", "Email"), &applicant.email);
    let agency_name =
        agency.map(|(v, e, _)| if vi { v } else { e }).unwrap_or_else(|| view.row.receiving_agency.clone());
    s.field(l("Nơi tiếp nhận", "Receiving unit"), &agency_name);
    s.field(l("Thời điểm nộp", "Submitted at"), &local_time(from_db(submitted)));
    if let (Slip::Appointment, Some((received_at, due_at))) = (slip, received) {
        s.field(l("Thời điểm tiếp nhận", "Received at"), &local_time(from_db(received_at)));
        s.field(l("Ngày hẹn trả kết quả", "Appointment"), &local_time(from_db(due_at)));
    }
    s.field(
        l("Thời hạn giải quyết", "Processing time"),
        &if vi {
            format!("{} ngày làm việc kể từ khi hồ sơ được tiếp nhận", view.def.processing_days)
        } else {
            format!("{} working days from reception", view.def.processing_days)
        },
    );
    let delivery = match parse_delivery(&view.row.delivery) {
        Some(Delivery::Electronic) => {
            l("Bản điện tử vào tài khoản", "Electronic, into the account").to_string()
        }
        Some(Delivery::Post) => format!("{}: {}", l("Qua bưu chính", "By post"), view.row.delivery_address),
        Some(Delivery::Desk) => l("Tại bộ phận một cửa", "At the one-stop desk").to_string(),
        None => String::new(),
    };
    s.field(l("Nhận kết quả", "Result delivery"), &delivery);
    s.field(l("Mã tra cứu", "Lookup key"), &key);
    s.gap(8.0);
    s.rule();
    s.paragraph(l("Thành phần hồ sơ đã nộp", "Papers submitted"), 11.5, true);
    for (i, paper) in view.def.papers.iter().enumerate() {
        let index = i64::try_from(i).unwrap_or(0);
        let files = view.files.iter().filter(|f| f.paper_index == index).count();
        if files == 0 {
            continue;
        }
        let name = if vi { &paper.name_vi } else { &paper.name_en };
        let files_text = if vi { format!("{files} tệp") } else { format!("{files} file(s)") };
        s.paragraph(
            &format!("{}. {name} ({}; {files_text})", i + 1, paper_form(paper.form, vi)),
            10.0,
            false,
        );
    }
    s.rule();
    s.paragraph(
        l(
            "Hồ sơ đang chờ bộ phận một cửa kiểm tra. Khi hồ sơ được tiếp nhận, bạn sẽ nhận Giấy tiếp nhận hồ sơ và hẹn trả kết quả qua thư điện tử và trong tài khoản. Tra cứu tình trạng hồ sơ bằng mã hồ sơ và mã tra cứu tại trang Tra cứu hồ sơ.",
            "The dossier waits for the one-stop desk to check it. Once it is received you will get the receipt and appointment slip by email and in your account. Look its status up with the dossier code and lookup key on the lookup page.",
        ),
        9.5,
        false,
    );
    let pdf = s.finish()?;
    let prefix = match slip {
        Slip::Submission => "bien-nhan",
        Slip::Appointment => "giay-hen",
    };
    Ok((format!("{prefix}-{code}.pdf"), pdf))
}
