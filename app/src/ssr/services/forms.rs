//! The printed forms of the one-stop mechanism as PDFs (DOMAIN.md, forms 02–07) and the result
//! document the portal writes for the clerk. Form 01 (receipt and appointment) and the online
//! submission receipt are in `receipts`.
//!
//! Each form is drawn from what the dossier's log already holds (the supplement request, the
//! refusal, the apology, the stop notice, the process-control log), so a slip printed later
//! says what was decided then.

use super::filing::{self, DossierView};
use super::receipts::local_time;
use super::{ServiceError, ServiceResult};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::ssr::auth::policy::Actor;
use crate::ssr::db::dossiers::{self as db, DossierRow};
use crate::ssr::db::{agencies, columns::from_db, users};
use crate::ssr::pdf::Sheet;
use crate::ssr::state::AppState;

/// A printed form about one dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printed {
    /// 02: request to supplement (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ).
    Supplement,
    /// 03: refusal to receive (Phiếu từ chối tiếp nhận giải quyết hồ sơ).
    Refusal,
    /// 04: apology and new appointment (Phiếu xin lỗi và hẹn lại ngày trả kết quả).
    Apology,
    /// 05: notice that processing is stopped (Thông báo dừng giải quyết hồ sơ).
    Stop,
    /// 06: process-control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ); officers only.
    ProcessControl,
}

impl Printed {
    /// By form number.
    pub fn from_number(n: &str) -> Option<Printed> {
        match n {
            "02" => Some(Printed::Supplement),
            "03" => Some(Printed::Refusal),
            "04" => Some(Printed::Apology),
            "05" => Some(Printed::Stop),
            "06" => Some(Printed::ProcessControl),
            _ => None,
        }
    }

    /// The applicant's forms, in order (06 is for officers).
    pub const FOR_APPLICANT: [Printed; 4] =
        [Printed::Supplement, Printed::Refusal, Printed::Apology, Printed::Stop];

    /// Its number, `02`…`06`.
    pub fn number(self) -> &'static str {
        match self {
            Printed::Supplement => "02",
            Printed::Refusal => "03",
            Printed::Apology => "04",
            Printed::Stop => "05",
            Printed::ProcessControl => "06",
        }
    }

    fn title(self, vi: bool) -> &'static str {
        match (self, vi) {
            (Printed::Supplement, true) => "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            (Printed::Supplement, false) => "REQUEST TO SUPPLEMENT THE DOSSIER",
            (Printed::Refusal, true) => "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            (Printed::Refusal, false) => "REFUSAL TO RECEIVE THE DOSSIER",
            (Printed::Apology, true) => "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            (Printed::Apology, false) => "APOLOGY AND NEW APPOINTMENT",
            (Printed::Stop, true) => "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
            (Printed::Stop, false) => "NOTICE THAT PROCESSING IS STOPPED",
            (Printed::ProcessControl, true) => "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            (Printed::ProcessControl, false) => "PROCESS-CONTROL SLIP",
        }
    }

    /// The label of a link to it.
    pub fn link_label(self, vi: bool) -> &'static str {
        match (self, vi) {
            (Printed::Supplement, true) => "Phiếu yêu cầu bổ sung (mẫu 02)",
            (Printed::Supplement, false) => "Request to supplement (form 02)",
            (Printed::Refusal, true) => "Phiếu từ chối tiếp nhận (mẫu 03)",
            (Printed::Refusal, false) => "Refusal to receive (form 03)",
            (Printed::Apology, true) => "Phiếu xin lỗi và hẹn lại (mẫu 04)",
            (Printed::Apology, false) => "Apology and new appointment (form 04)",
            (Printed::Stop, true) => "Thông báo dừng giải quyết (mẫu 05)",
            (Printed::Stop, false) => "Notice of stopped processing (form 05)",
            (Printed::ProcessControl, true) => "Phiếu kiểm soát quá trình (mẫu 06)",
            (Printed::ProcessControl, false) => "Process-control slip (form 06)",
        }
    }

    /// The timeline event the form prints, if it is about one.
    fn event(self) -> Option<&'static str> {
        match self {
            Printed::Supplement => Some("supplement_requested"),
            Printed::Refusal => Some("refused_at_reception"),
            Printed::Apology => Some("rescheduled"),
            Printed::Stop => Some("stopped"),
            Printed::ProcessControl => None,
        }
    }
}

/// The national header and the form's title.
fn heading(s: &mut Sheet, vi: bool, agency: &str, number: Option<&str>, title: &str) {
    let l = |v: &'static str, e: &'static str| if vi { v } else { e };
    s.paragraph(&agency.to_uppercase(), 9.5, true);
    s.centered(l("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"), 10.5, true);
    s.centered(l("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"), 10.5, false);
    s.gap(12.0);
    if let Some(n) = number {
        s.centered(&format!("{} {n}", l("Mẫu số", "Form")), 9.0, false);
    }
    s.centered(title, 14.0, true);
}

async fn agency_name(conn: &mut sqlx::AnyConnection, code: &str, vi: bool) -> ServiceResult<String> {
    Ok(agencies::names_by_code(conn, code)
        .await?
        .map(|(v, e, _)| if vi { v } else { e })
        .unwrap_or_else(|| code.to_string()))
}

/// The applicant's printed forms that exist for this dossier now (what they print has
/// happened), as (address, link label).
pub fn available(view: &DossierView, vi: bool) -> Vec<(String, String)> {
    Printed::FOR_APPLICANT
        .into_iter()
        .filter(|f| f.event().is_some_and(|kind| view.events.iter().any(|e| e.kind == kind)))
        .map(|f| {
            (format!("/dossiers/{}/forms/{}.pdf", view.row.id, f.number()), f.link_label(vi).to_string())
        })
        .collect()
}

/// A dossier the actor may see (as its applicant, a fellow member, or an officer who may),
/// and whether they see it as an officer.
pub(crate) async fn visible(state: &AppState, actor: &Actor, id: &str) -> ServiceResult<(DossierView, bool)> {
    match filing::get(state, actor, id).await {
        Ok(view) => Ok((view, false)),
        Err(_) => Ok((super::workflow::get(state, actor, id).await?.0, true)),
    }
}

/// A printed form about a dossier, as `(file name, PDF)`; `NotFound` when the actor may not
/// see it or nothing it prints has happened.
pub async fn printed(
    state: &AppState,
    actor: &Actor,
    id: &str,
    form: Printed,
    locale: Locale,
) -> ServiceResult<(String, Vec<u8>)> {
    let (view, officer) = visible(state, actor, id).await?;
    if form == Printed::ProcessControl && !officer {
        return Err(AppError::NotFound.into());
    }
    let code = view.row.code.clone().ok_or(AppError::NotFound)?;
    let event = match form.event() {
        Some(kind) => Some(view.events.iter().rev().find(|e| e.kind == kind).ok_or(AppError::NotFound)?),
        None => None,
    };
    let vi = locale == Locale::Vi;
    let l = |v: &'static str, e: &'static str| if vi { v } else { e };
    let mut conn = state.db.reader().acquire().await?;
    let applicant = users::by_id(&mut conn, &view.row.applicant_id).await?.ok_or(AppError::NotFound)?;
    let agency = agency_name(&mut conn, &view.row.receiving_agency, vi).await?;
    let handling = db::handling(&mut conn, id).await?;
    let steps = if form == Printed::ProcessControl { db::steps(&mut conn, id).await? } else { Vec::new() };
    let mut units = std::collections::BTreeMap::new();
    for step in &steps {
        if !units.contains_key(&step.agency_code) {
            let name = agency_name(&mut conn, &step.agency_code, vi).await?;
            units.insert(step.agency_code.clone(), name);
        }
    }
    drop(conn);

    let mut s = Sheet::new();
    heading(&mut s, vi, &agency, Some(form.number()), form.title(vi));
    s.centered(&format!("{} {code}", l("Mã hồ sơ:", "Dossier code:")), 12.0, true);
    s.gap(6.0);
    s.field(
        l("Thủ tục", "Procedure"),
        &format!("{} ({})", if vi { &view.def.name_vi } else { &view.def.name_en }, view.def.code),
    );
    s.field(l("Người nộp", "Applicant"), &applicant.full_name);
    if let Some(submitted) = view.row.submitted_at {
        s.field(l("Thời điểm nộp", "Submitted at"), &local_time(from_db(submitted)));
    }
    if let Some(e) = event {
        s.field(l("Ngày lập", "Issued on"), &local_time(from_db(e.at)));
    }
    s.gap(6.0);
    s.rule();
    match form {
        Printed::Supplement => {
            s.paragraph(
                l(
                    "Hồ sơ cần được bổ sung, hoàn thiện các nội dung sau (một lần, đầy đủ):",
                    "The dossier needs the following added or corrected (once, completely):",
                ),
                11.0,
                true,
            );
            s.paragraph(event.map(|e| e.note.as_str()).unwrap_or_default(), 10.5, false);
            s.paragraph(
                l(
                    "Thời hạn giải quyết tạm dừng cho tới khi người nộp gửi đủ giấy tờ.",
                    "The processing time is paused until the applicant sends everything.",
                ),
                9.5,
                false,
            );
        }
        Printed::Refusal => {
            s.paragraph(
                l(
                    "Hồ sơ không được tiếp nhận vì lý do sau:",
                    "The dossier is not received, for this reason:",
                ),
                11.0,
                true,
            );
            s.paragraph(event.map(|e| e.note.as_str()).unwrap_or_default(), 10.5, false);
        }
        Printed::Apology => {
            s.paragraph(
                l(
                    "Cơ quan giải quyết chân thành xin lỗi ông/bà vì hồ sơ chưa được giải quyết đúng hẹn. Lý do:",
                    "We sincerely apologise that the dossier was not resolved by the appointment. The reason:",
                ),
                11.0,
                true,
            );
            s.paragraph(&handling.apology, 10.5, false);
            if let Some(original) = handling.original_due_at {
                s.field(l("Ngày hẹn trước", "Previous appointment"), &local_time(from_db(original)));
            }
            if let Some(due) = view.row.due_at {
                s.field(l("Ngày hẹn mới", "New appointment"), &local_time(from_db(due)));
            }
        }
        Printed::Stop => {
            s.paragraph(
                l(
                    "Cơ quan giải quyết dừng giải quyết hồ sơ vì lý do sau:",
                    "Processing is stopped, for this reason:",
                ),
                11.0,
                true,
            );
            s.paragraph(event.map(|e| e.note.as_str()).unwrap_or_default(), 10.5, false);
        }
        Printed::ProcessControl => {
            if let (Some(received), Some(due)) = (view.row.received_at, view.row.due_at) {
                s.field(l("Tiếp nhận lúc", "Received at"), &local_time(from_db(received)));
                s.field(l("Hẹn trả kết quả", "Appointment"), &local_time(from_db(due)));
            }
            s.gap(4.0);
            for (i, step) in steps.iter().enumerate() {
                let name = usize::try_from(step.step_index)
                    .ok()
                    .and_then(|i| view.def.workflow.get(i))
                    .map(|w| if vi { w.name_vi.clone() } else { w.name_en.clone() })
                    .unwrap_or_default();
                let unit = units.get(&step.agency_code).cloned().unwrap_or_default();
                s.paragraph(&format!("{}. {name} — {unit}", i + 1), 10.5, true);
                s.field(l("Nhận lúc", "Started"), &local_time(from_db(step.started_at)));
                if let Some(due) = step.due_at {
                    s.field(l("Hạn bước", "Step deadline"), &local_time(from_db(due)));
                }
                let verdict = match (step.finished_at, step.due_at) {
                    (Some(done), Some(due)) if done <= due => l("đúng hạn", "on time"),
                    (Some(_), Some(_)) => l("quá hạn", "late"),
                    (Some(_), None) => "",
                    (None, _) if step.overdue_at.is_some() => l("đang xử lý, quá hạn", "in progress, late"),
                    (None, _) => l("đang xử lý", "in progress"),
                };
                let finished = step.finished_at.map(|t| local_time(from_db(t))).unwrap_or_default();
                s.field(l("Chuyển lúc", "Handed on"), &format!("{finished} ({verdict})"));
                if let Some(who) = &step.actor_name {
                    s.field(l("Người chuyển", "By"), who);
                }
                if !step.note.is_empty() {
                    s.field(l("Ghi chú", "Note"), &step.note);
                }
            }
        }
    }
    let pdf = s.finish()?;
    Ok((format!("mau-{}-{code}.pdf", form.number()), pdf))
}

/// Form 07, the register of dossiers (sổ theo dõi hồ sơ) of the actor's desks for a month
/// (`year`, `month` 1–12).
pub async fn register(
    state: &AppState,
    actor: &Actor,
    year: i32,
    month: u8,
    locale: Locale,
) -> ServiceResult<(String, Vec<u8>)> {
    let units = super::reception::my_desk_units(state, actor).await?;
    if !matches!(actor, Actor::Officer { .. }) || units.as_ref().is_some_and(Vec::is_empty) {
        return Err(AppError::NotFound.into());
    }
    let month_t = time::Month::try_from(month).map_err(|_| ServiceError::field("month", NOT_A_MONTH))?;
    let first = time::Date::from_calendar_date(year, month_t, 1)
        .map_err(|_| ServiceError::field("month", NOT_A_MONTH))?;
    let next = if month == 12 {
        time::Date::from_calendar_date(year + 1, time::Month::January, 1)
    } else {
        time::Date::from_calendar_date(year, month_t.next(), 1)
    }
    .map_err(|_| ServiceError::field("month", NOT_A_MONTH))?;
    let at = |d: time::Date| d.midnight().assume_offset(crate::domain::VIETNAM_OFFSET);
    let rows = db::register(&state.db, units.as_deref(), at(first), at(next)).await?;
    let vi = locale == Locale::Vi;
    let l = |v: &'static str, e: &'static str| if vi { v } else { e };
    let mut conn = state.db.reader().acquire().await?;
    let unit_names = match &units {
        Some(units) => {
            let mut names = Vec::new();
            for u in units {
                names.push(agency_name(&mut conn, u, vi).await?);
            }
            names.join(", ")
        }
        None => l("Tất cả đơn vị", "All units").to_string(),
    };
    drop(conn);
    let mut s = Sheet::new();
    heading(&mut s, vi, &unit_names, Some("07"), l("SỔ THEO DÕI HỒ SƠ", "REGISTER OF DOSSIERS"));
    s.centered(&format!("{} {month:02}/{year}", l("Tháng", "Month")), 11.0, true);
    s.gap(6.0);
    if rows.is_empty() {
        s.paragraph(l("Không có hồ sơ nào trong tháng.", "No dossier this month."), 10.5, false);
    }
    for (i, r) in rows.iter().enumerate() {
        let status = r
            .national_status
            .and_then(|n| u8::try_from(n).ok())
            .and_then(crate::domain::DossierStatus::from_code)
            .map(|n| if vi { n.label_vi() } else { n.label_en() })
            .unwrap_or_default();
        s.paragraph(&format!("{}. {} — {}", i + 1, r.code, r.procedure_name_vi), 10.0, true);
        let when = |t: Option<i64>| t.map(|t| local_time(from_db(t))).unwrap_or_else(|| "—".into());
        s.field(l("Người nộp", "Applicant"), &r.applicant_name);
        s.field(
            l("Nộp / tiếp nhận / hẹn", "Submitted / received / due"),
            &format!("{} / {} / {}", when(r.submitted_at), when(r.received_at), when(r.due_at)),
        );
        s.field(
            l("Trạng thái", "Status"),
            &format!("{status}{}", if r.overdue_at.is_some() { l(" (quá hạn)", " (late)") } else { "" }),
        );
    }
    let pdf = s.finish()?;
    Ok((format!("so-theo-doi-{year}-{month:02}.pdf"), pdf))
}

crate::texts! {
    NOT_A_MONTH = { vi: "Tháng không hợp lệ.", en: "Not a valid month." }
}

/// The result document the portal writes for the clerk: the decision's text, who issued it
/// and a QR code that opens its verification page.
pub async fn result_document(
    state: &AppState,
    row: &DossierRow,
    content: &str,
    verify_url: &str,
    locale: Locale,
) -> ServiceResult<Vec<u8>> {
    let vi = locale == Locale::Vi;
    let l = |v: &'static str, e: &'static str| if vi { v } else { e };
    let def: crate::domain::procedure::ProcedureDef =
        serde_json::from_str(&row.definition).map_err(anyhow::Error::from)?;
    let mut conn = state.db.reader().acquire().await?;
    let applicant = users::by_id(&mut conn, &row.applicant_id).await?.ok_or(AppError::NotFound)?;
    let agency = agency_name(&mut conn, &row.receiving_agency, vi).await?;
    drop(conn);
    let code = row.code.clone().unwrap_or_default();
    let mut s = Sheet::new();
    heading(&mut s, vi, &agency, None, l("KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "RESULT OF THE PROCEDURE"));
    s.centered(&format!("{} {code}", l("Mã hồ sơ:", "Dossier code:")), 12.0, true);
    s.gap(6.0);
    s.qr(verify_url, 92.0, l("Quét để xác thực", "Scan to verify"));
    s.field(
        l("Thủ tục", "Procedure"),
        &format!("{} ({})", if vi { &def.name_vi } else { &def.name_en }, def.code),
    );
    s.field(l("Người đề nghị", "Applicant"), &applicant.full_name);
    s.field(l("Ngày ban hành", "Issued on"), &local_time(state.clock.now()));
    s.gap(8.0);
    s.rule();
    for paragraph in content.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
        s.paragraph(paragraph, 11.0, false);
    }
    s.rule();
    s.paragraph(
        &format!(
            "{} {verify_url}",
            l(
                "Văn bản được cấp trên Cổng dịch vụ công. Kiểm tra tính xác thực tại:",
                "Issued on the public-service portal. Verify it at:"
            )
        ),
        9.0,
        false,
    );
    Ok(s.finish()?)
}

/// When a result was issued, for the verification page.
pub fn issued_at(at: i64) -> String {
    local_time(from_db(at))
}
