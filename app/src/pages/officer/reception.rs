//! `/officer/reception` (the desk's queue) and `/officer/dossiers/{id}` (check the papers,
//! then accept, ask for a supplement, or refuse to receive).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::form::{ErrorSummary, Notice, use_form_state};
use crate::components::viewer::{roles, with_role};
use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Tiếp nhận hồ sơ", en: "Reception" }
    INTRO = { vi: "Hồ sơ nộp trực tuyến chờ bộ phận một cửa kiểm tra, cũ nhất trước.", en: "Dossiers filed online waiting for the one-stop desk, oldest first." }
    NONE = { vi: "Không có hồ sơ nào chờ tiếp nhận.", en: "No dossier is waiting for reception." }
    CODE = { vi: "Mã hồ sơ", en: "Dossier code" }
    PROCEDURE = { vi: "Thủ tục", en: "Procedure" }
    APPLICANT = { vi: "Người nộp", en: "Applicant" }
    SUBMITTED = { vi: "Thời điểm nộp", en: "Submitted" }
    STATUS = { vi: "Trạng thái", en: "Status" }
    COUNT = { vi: "Tổng số: {n} hồ sơ", en: "Total: {n} dossiers" }
    NOT_FOUND = { vi: "Không tìm thấy hồ sơ, hoặc hồ sơ không thuộc đơn vị bạn tiếp nhận.", en: "Dossier not found, or not received by your unit." }
    BACK = { vi: "Về danh sách chờ tiếp nhận", en: "Back to the reception queue" }
    FORM_DATA = { vi: "Tờ khai", en: "Application form" }
    PAPERS = { vi: "Thành phần hồ sơ", en: "Papers" }
    MISSING = { vi: "chưa có tệp", en: "no file" }
    DUE = { vi: "Ngày hẹn trả", en: "Appointment" }
    ACCEPT_TITLE = { vi: "Tiếp nhận hồ sơ", en: "Accept the dossier" }
    ACCEPT_HINT = { vi: "Hồ sơ đầy đủ, hợp lệ. Ngày hẹn trả được tính theo số ngày làm việc của thủ tục.", en: "The dossier is complete. The appointment follows the procedure's working days." }
    ACCEPT = { vi: "Tiếp nhận và hẹn trả kết quả", en: "Accept and set the appointment" }
    SUPPLEMENT_TITLE = { vi: "Yêu cầu bổ sung, hoàn thiện", en: "Ask for a supplement" }
    SUPPLEMENT_HINT = { vi: "Chỉ được yêu cầu một lần: ghi đầy đủ mọi giấy tờ còn thiếu hoặc cần sửa.", en: "Only once: list everything missing or to be corrected." }
    NOTE = { vi: "Nội dung cần bổ sung", en: "What must be added or corrected" }
    SEND_SUPPLEMENT = { vi: "Gửi yêu cầu bổ sung", en: "Send the request" }
    REFUSE_TITLE = { vi: "Không tiếp nhận", en: "Refuse to receive" }
    REASON = { vi: "Lý do không tiếp nhận", en: "Reason" }
    REFUSE = { vi: "Không tiếp nhận hồ sơ", en: "Refuse" }
    ACCEPTED = { vi: "Đã tiếp nhận hồ sơ và gửi hẹn trả cho người nộp.", en: "Dossier accepted; the appointment was sent to the applicant." }
    SUPPLEMENT_SENT = { vi: "Đã gửi yêu cầu bổ sung cho người nộp.", en: "The supplement request was sent." }
    REFUSED = { vi: "Đã từ chối tiếp nhận và báo cho người nộp.", en: "Refused; the applicant was told." }
    TIMELINE = { vi: "Quá trình", en: "Timeline" }
    WORK_TITLE = { vi: "Hồ sơ cần xử lý", en: "My work" }
    WORK_INTRO = { vi: "Hồ sơ đang ở bước do bạn phụ trách, hạn sớm nhất trước.", en: "Dossiers at a step you work, earliest deadline first." }
    WORK_NONE = { vi: "Không có hồ sơ nào ở bước của bạn.", en: "No dossier is at your step." }
    STEP = { vi: "Bước hiện tại", en: "Current step" }
    STEP_DUE = { vi: "Hạn của bước", en: "Step deadline" }
    FORWARD_TITLE = { vi: "Chuyển bước tiếp theo", en: "Send to the next step" }
    APPROVE_TITLE = { vi: "Phê duyệt", en: "Approve" }
    STEP_NOTE = { vi: "Ý kiến xử lý (không bắt buộc)", en: "Notes (optional)" }
    FORWARD = { vi: "Chuyển bước tiếp theo", en: "Send on" }
    APPROVE = { vi: "Phê duyệt", en: "Approve" }
    SEND_BACK_TITLE = { vi: "Trả lại bước trước", en: "Send back a step" }
    SEND_BACK_REASON = { vi: "Lý do trả lại", en: "Reason for sending back" }
    SEND_BACK = { vi: "Trả lại", en: "Send back" }
    ISSUE_TITLE = { vi: "Phát hành kết quả", en: "Issue the result" }
    ISSUE_FILE = { vi: "Tệp kết quả đã ký số (PDF)", en: "Signed result (PDF)" }
    ISSUE = { vi: "Phát hành kết quả", en: "Issue" }
    RETURN_TITLE = { vi: "Trả kết quả", en: "Return the result" }
    RETURN_HINT = { vi: "Kết quả điện tử được chuyển vào tài khoản và mục “Giấy tờ của tôi” của người nộp.", en: "The electronic result goes into the applicant's account and “My documents”." }
    RETURN = { vi: "Trả kết quả cho người nộp", en: "Return to the applicant" }
    DONE_FORWARD = { vi: "Đã chuyển hồ sơ sang bước tiếp theo.", en: "Sent to the next step." }
    DONE_BACK = { vi: "Đã trả hồ sơ về bước trước.", en: "Sent back a step." }
    DONE_ISSUE = { vi: "Đã phát hành kết quả.", en: "Result issued." }
    DONE_RETURN = { vi: "Đã trả kết quả cho người nộp.", en: "Result returned." }
    RESULT = { vi: "Kết quả", en: "Result" }
    SLIP = { vi: "Giấy hẹn (PDF)", en: "Appointment slip (PDF)" }
    REFUSE_GRANT_TITLE = { vi: "Từ chối giải quyết", en: "Refuse to grant" }
    REFUSE_GRANT_REASON = { vi: "Lý do từ chối (gửi cho người nộp)", en: "Reasons (sent to the applicant)" }
    REFUSE_GRANT = { vi: "Từ chối giải quyết", en: "Refuse" }
    GENERATE_TITLE = { vi: "Hoặc tạo văn bản kết quả trên Cổng", en: "Or have the portal write the result" }
    GENERATE_HINT = { vi: "Cổng tạo tệp PDF có mã QR để bất kỳ ai kiểm tra tính xác thực.", en: "The portal writes a PDF with a QR code anyone can use to verify it." }
    GENERATE_CONTENT = { vi: "Nội dung kết quả", en: "Text of the result" }
    GENERATE = { vi: "Tạo và phát hành kết quả", en: "Write and issue" }
    RETURN_VIA = { vi: "Hình thức trả", en: "How" }
    VIA_ELECTRONIC = { vi: "Bản điện tử vào tài khoản", en: "Electronic, into the account" }
    VIA_POST = { vi: "Qua bưu chính", en: "By post" }
    VIA_DESK = { vi: "Trực tiếp tại bộ phận một cửa", en: "At the one-stop desk" }
    RETURN_DETAIL = { vi: "Mã bưu gửi, hoặc họ tên người nhận tại quầy", en: "Postal tracking number, or the name of who collected it" }
    RETURNED_VIA = { vi: "Đã trả", en: "Returned" }
    STOP_TITLE = { vi: "Dừng giải quyết hồ sơ", en: "Stop processing" }
    STOP_REASON = { vi: "Lý do dừng giải quyết (gửi cho người nộp)", en: "Reason for stopping (sent to the applicant)" }
    STOP = { vi: "Dừng giải quyết", en: "Stop processing" }
    STOPPED = { vi: "Đã dừng giải quyết và báo cho người nộp.", en: "Processing stopped; the applicant was told." }
    RESCHEDULE_TITLE = { vi: "Xin lỗi và hẹn lại ngày trả kết quả", en: "Apologise and set a new appointment" }
    RESCHEDULE_HINT = { vi: "Hồ sơ đã quá hạn. Chỉ được hẹn lại một lần; người nộp nhận thư xin lỗi (mẫu 04).", en: "The dossier is late. It may be rescheduled once; the applicant gets the apology (form 04)." }
    RESCHEDULE_REASON = { vi: "Lý do chậm trễ", en: "Reason for the delay" }
    RESCHEDULE_DATE = { vi: "Ngày hẹn mới", en: "New appointment" }
    RESCHEDULE = { vi: "Gửi thư xin lỗi và hẹn lại", en: "Apologise and reschedule" }
    RESCHEDULED = { vi: "Đã gửi thư xin lỗi và ngày hẹn mới cho người nộp.", en: "The apology and new appointment were sent." }
    APOLOGY = { vi: "Đã hẹn lại (hẹn cũ)", en: "Rescheduled (previous appointment)" }
    PRINTED = { vi: "Phiếu, biểu mẫu in", en: "Printed forms" }
    FILED_AT_DESK = { vi: "Đã nộp hồ sơ tại quầy. Kiểm tra và tiếp nhận như hồ sơ trực tuyến.", en: "Filed at the counter. Check and receive it as any dossier." }
    WORK_WHO = { vi: "Người xử lý", en: "Assigned to" }
    WORK_MINE = { vi: "Của tôi", en: "Mine" }
    WORK_NOBODY = { vi: "Chưa giao", en: "Nobody yet" }
    ASSIGN_TITLE = { vi: "Phân công xử lý", en: "Assignment" }
    ASSIGN_ME = { vi: "Nhận xử lý", en: "Take it" }
    ASSIGN_TO = { vi: "Hoặc giao cho (thư điện tử cán bộ)", en: "Or hand it to (officer's email)" }
    ASSIGN = { vi: "Giao", en: "Hand over" }
    ASSIGNED = { vi: "Đã phân công.", en: "Assigned." }
    WORK_COUNTS = { vi: "Số hồ sơ", en: "Counts" }
    WORK_ALL = { vi: "Tất cả", en: "All" }
    WORK_OVERDUE = { vi: "Quá hạn", en: "Overdue" }
    WORK_SOON = { vi: "Sắp đến hạn", en: "Due soon" }
    WORK_ON_TIME = { vi: "Trong hạn", en: "On time" }
    WORK_ANY = { vi: "Tất cả", en: "Any" }
    WORK_CHANNEL = { vi: "Hình thức nộp", en: "Filed" }
    WORK_ONLINE = { vi: "Trực tuyến", en: "Online" }
    WORK_DESK = { vi: "Tại quầy", en: "At the desk" }
    WORK_SORT = { vi: "Sắp xếp", en: "Order" }
    WORK_SORT_DUE = { vi: "Hạn bước sớm nhất trước", en: "Earliest step deadline first" }
    WORK_SORT_SUBMITTED = { vi: "Nộp sớm nhất trước", en: "Oldest submission first" }
    WORK_FILTER = { vi: "Lọc", en: "Filter" }
    WORK_PAGE_OF = { vi: "Trang {page}/{pages} — {total} hồ sơ", en: "Page {page} of {pages} — {total} dossiers" }
    WORK_PREVIOUS = { vi: "Trang trước", en: "Previous page" }
    WORK_NEXT = { vi: "Trang sau", en: "Next page" }
}

/// A queue line.
#[derive(Debug, Clone)]
pub struct QueueItem {
    id: String,
    code: String,
    procedure: String,
    applicant: String,
    submitted: String,
    status: String,
    due: String,
    due_class: Option<&'static str>,
    assignee: String,
}

/// `/officer/reception`.
#[component]
pub fn ReceptionPage() -> impl IntoView {
    let page =
        use_query_map().with_untracked(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1));
    let locale = use_locale();
    with_role(roles::DESK, |_| {
        let data = crate::pages::loader::spawn(load_queue(page, locale));
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            <p>{t(INTRO)}</p>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Some((items, total)) = data.await else {
                        return not_found().into_any();
                    };
                    if items.is_empty() {
                        return view! { <p class="empty">{t(NONE)}</p> }.into_any();
                    }
                    view! {
                        <p>{t(COUNT).replace("{n}", &total.to_string())}</p>
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t(CODE)}</th>
                                    <th scope="col">{t(PROCEDURE)}</th>
                                    <th scope="col">{t(APPLICANT)}</th>
                                    <th scope="col">{t(SUBMITTED)}</th>
                                    <th scope="col">{t(STATUS)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {items
                                    .into_iter()
                                    .map(|d| {
                                        view! {
                                            <tr>
                                                <td><a href=format!("/officer/dossiers/{}", d.id)>{d.code}</a></td>
                                                <td>{d.procedure}</td>
                                                <td>{d.applicant}</td>
                                                <td>{d.submitted}</td>
                                                <td>{d.status}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <nav class="pagination" aria-label=t(TITLE)>
                            {(page > 1).then(|| view! { <a rel="prev" href=format!("/officer/reception?page={}", page - 1)>"←"</a> })}
                            {(page * 20 < total).then(|| view! { <a rel="next" href=format!("/officer/reception?page={}", page + 1)>"→"</a> })}
                        </nav>
                    }
                        .into_any()
                })}
            </Suspense>
        }
    })
}

fn not_found() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t(NOT_FOUND)/>
        <h1>{t(NOT_FOUND)}</h1>
        <p><a href="/officer/reception">{t(BACK)}</a></p>
    }
}

/// A paper: its name, whether it is required, and its files (document id, name).
type PaperLine = (String, bool, Vec<(String, String)>);

/// What the desk sees of a dossier.
#[derive(Debug, Clone)]
pub struct DeskDossier {
    id: String,
    code: String,
    procedure: String,
    applicant: String,
    status: String,
    submitted: String,
    due: Option<String>,
    fields: Vec<(String, String)>,
    papers: Vec<PaperLine>,
    events: Vec<(String, String, String)>,
    can_receive: bool,
    can_ask_supplement: bool,
    step: Option<(String, Option<String>)>,
    /// `forward`, `approve`, `issue`, `return` or nothing.
    step_action: Option<&'static str>,
    can_send_back: bool,
    result: Option<String>,
    /// The delivery the applicant chose (`electronic`, `post`, `desk`).
    delivery: String,
    can_stop: bool,
    can_reschedule: bool,
    /// Printed forms (href, label).
    forms: Vec<(String, String)>,
    returned: Option<String>,
    apology: Option<(String, String)>,
    assignee: Option<String>,
    my_step: bool,
}

/// `/officer/dossiers/{id}`.
#[component]
pub fn OfficerDossierPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let notice = use_query_map().with_untracked(|q| {
        [
            ("accepted", ACCEPTED),
            ("supplement", SUPPLEMENT_SENT),
            ("refused", REFUSED),
            ("forwarded", DONE_FORWARD),
            ("sent_back", DONE_BACK),
            ("issued", DONE_ISSUE),
            ("returned", DONE_RETURN),
            ("stopped", STOPPED),
            ("submitted", FILED_AT_DESK),
            ("assigned", ASSIGNED),
            ("rescheduled", RESCHEDULED),
        ]
        .into_iter()
        .find(|(k, _)| q.get(k).is_some())
        .map(|(_, text)| text)
    });
    let locale = use_locale();
    with_role(roles::OFFICER, |_| {
        let data = crate::pages::loader::spawn(load_dossier(id.clone(), locale));
        view! {
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Some(d) = data.await else { return not_found().into_any() };
                    let error = |k: &str| use_form_state().and_then(|s| s.errors.get(k).map(|m| m.get(locale).to_string()));
                    let note_error = error("note");
                    let reason_error = error("reason");
                    view! {
                        <Title text=format!("{} {}", t(CODE), d.code)/>
                        <p class="breadcrumb"><a href="/officer/reception">{t(BACK)}</a></p>
                        <h1>{format!("{} {}", t(CODE), d.code)}</h1>
                        {notice.map(|text| view! { <Notice text/> })}
                        <ErrorSummary/>
                        <dl class="facts">
                            <dt>{t(PROCEDURE)}</dt><dd>{d.procedure.clone()}</dd>
                            <dt>{t(APPLICANT)}</dt><dd>{d.applicant.clone()}</dd>
                            <dt>{t(STATUS)}</dt><dd><strong data-testid="status">{d.status.clone()}</strong></dd>
                            <dt>{t(SUBMITTED)}</dt><dd>{d.submitted.clone()}</dd>
                            {d.due.clone().map(|due| view! {
                                <dt>{t(DUE)}</dt>
                                <dd><span data-testid="due">{due}</span> " — " <a href=format!("/dossiers/{}/appointment.pdf", d.id)>{t(SLIP)}</a></dd>
                            })}
                            {d.step.clone().map(|(name, due)| view! {
                                <dt>{t(STEP)}</dt><dd data-testid="step">{name}</dd>
                                {due.map(|due| view! { <dt>{t(STEP_DUE)}</dt><dd>{due}</dd> })}
                            })}
                            {d.apology.clone().map(|(original, reason)| view! { <dt>{t(APOLOGY)}</dt><dd>{original} " — " {reason}</dd> })}
                            {d.result.clone().map(|name| view! { <dt>{t(RESULT)}</dt><dd>{name}</dd> })}
                            {d.returned.clone().map(|how| view! { <dt>{t(RETURNED_VIA)}</dt><dd data-testid="returned-via">{how}</dd> })}
                        </dl>
                        {(!d.forms.is_empty()).then(|| view! {
                            <ul class="links" aria-label=t(PRINTED)>
                                {d.forms.iter().map(|(href, label)| view! { <li><a href=href.clone()>{label.clone()}</a></li> }).collect_view()}
                            </ul>
                        })}
                        <crate::components::payment::PaymentSection dossier_id=d.id.clone() officer=true/>
                        <h2>{t(FORM_DATA)}</h2>
                        <dl class="facts">
                            {d.fields.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
                        </dl>
                        <h2>{t(PAPERS)}</h2>
                        <ol class="papers">
                            {d.papers
                                .iter()
                                .map(|(name, required, files)| {
                                    view! {
                                        <li>
                                            {name.clone()}
                                            {(*required && files.is_empty()).then(|| view! { <strong class="error-message">" — " {t(MISSING)}</strong> })}
                                            <ul class="files">
                                                {files
                                                    .iter()
                                                    .map(|(doc, file)| view! { <li><a href=format!("/documents/{doc}") target="_blank" rel="noopener">{file.clone()}</a></li> })
                                                    .collect_view()}
                                            </ul>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                        {d.can_receive
                            .then(|| {
                                view! {
                                    <section class="narrow" aria-labelledby="accept-title">
                                        <h2 id="accept-title">{t(ACCEPT_TITLE)}</h2>
                                        <p>{t(ACCEPT_HINT)}</p>
                                        <form method="post" action=format!("/officer/dossiers/{}/accept", d.id)>
                                            <button type="submit" class="button">{t(ACCEPT)}</button>
                                        </form>
                                    </section>
                                }
                            })}
                        {d.can_ask_supplement
                            .then(|| {
                                view! {
                                    <section class="narrow" aria-labelledby="supplement-title">
                                        <h2 id="supplement-title">{t(SUPPLEMENT_TITLE)}</h2>
                                        <p class="hint">{t(SUPPLEMENT_HINT)}</p>
                                        <form method="post" action=format!("/officer/dossiers/{}/supplement", d.id) novalidate>
                                            <div class="field" class:field-error=note_error.is_some()>
                                                <label for="f-note">{t(NOTE)}</label>
                                                {note_error.clone().map(|e| view! { <p class="error-message">{e}</p> })}
                                                <textarea id="f-note" name="note" rows="4" maxlength="2000"></textarea>
                                            </div>
                                            <button type="submit" class="button secondary">{t(SEND_SUPPLEMENT)}</button>
                                        </form>
                                    </section>
                                }
                            })}
                        {d.can_receive
                            .then(|| {
                                view! {
                                    <section class="narrow" aria-labelledby="refuse-title">
                                        <h2 id="refuse-title">{t(REFUSE_TITLE)}</h2>
                                        <form method="post" action=format!("/officer/dossiers/{}/refuse", d.id) novalidate>
                                            <div class="field" class:field-error=reason_error.is_some()>
                                                <label for="f-reason">{t(REASON)}</label>
                                                {reason_error.clone().map(|e| view! { <p class="error-message">{e}</p> })}
                                                <textarea id="f-reason" name="reason" rows="3" maxlength="2000"></textarea>
                                            </div>
                                            <button type="submit" class="button danger">{t(REFUSE)}</button>
                                        </form>
                                    </section>
                                }
                            })}
                        {step_actions(&d)}
                        <h2>{t(TIMELINE)}</h2>
                        <ol class="timeline">
                            {d.events
                                .iter()
                                .map(|(at, what, note)| {
                                    view! {
                                        <li>
                                            <time>{at.clone()}</time>" — "{what.clone()}
                                            {(!note.is_empty()).then(|| view! { <p class="note">{note.clone()}</p> })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                        .into_any()
                })}
            </Suspense>
            <crate::pages::officer::feedback::OfficerRating id=id.clone()/>
            <crate::pages::officer::evaluation::OfficerEvaluation id=id.clone()/>
        }
    })
}

/// The forms of the current step the viewer works.
fn step_actions(d: &DeskDossier) -> AnyView {
    let id = d.id.clone();
    let send_back = d.can_send_back.then(|| {
        view! {
            <section class="narrow" aria-labelledby="back-title">
                <h2 id="back-title">{t(SEND_BACK_TITLE)}</h2>
                <form method="post" action=format!("/officer/dossiers/{id}/send-back") novalidate>
                    <div class="field">
                        <label for="f-back">{t(SEND_BACK_REASON)}</label>
                        <textarea id="f-back" name="reason" rows="2" maxlength="2000"></textarea>
                    </div>
                    <button type="submit" class="button secondary">{t(SEND_BACK)}</button>
                </form>
            </section>
        }
    });
    let main = match d.step_action {
        Some(kind @ ("forward" | "approve")) => {
            let (title, button) = if kind == "approve" { (APPROVE_TITLE, APPROVE) } else { (FORWARD_TITLE, FORWARD) };
            view! {
                <section class="narrow" aria-labelledby="step-title">
                    <h2 id="step-title">{t(title)}</h2>
                    <form method="post" action=format!("/officer/dossiers/{id}/forward") novalidate>
                        <div class="field">
                            <label for="f-step-note">{t(STEP_NOTE)}</label>
                            <textarea id="f-step-note" name="note" rows="2" maxlength="2000"></textarea>
                        </div>
                        <button type="submit" class="button">{t(button)}</button>
                    </form>
                </section>
            }
            .into_any()
        }
        Some("issue") => view! {
            <section class="narrow" aria-labelledby="issue-title">
                <h2 id="issue-title">{t(ISSUE_TITLE)}</h2>
                <form method="post" enctype="multipart/form-data" action=format!("/officer/dossiers/{id}/result")>
                    <div class="field">
                        <label for="f-result">{t(ISSUE_FILE)}</label>
                        <input type="file" id="f-result" name="file" accept=".pdf,application/pdf"/>
                    </div>
                    <button type="submit" class="button">{t(ISSUE)}</button>
                </form>
            </section>
            <section class="narrow" aria-labelledby="generate-title">
                <h2 id="generate-title">{t(GENERATE_TITLE)}</h2>
                <p class="hint">{t(GENERATE_HINT)}</p>
                <form method="post" action=format!("/officer/dossiers/{id}/result/generate") novalidate>
                    <div class="field">
                        <label for="f-content">{t(GENERATE_CONTENT)}</label>
                        <textarea id="f-content" name="content" rows="6" maxlength="4000"></textarea>
                    </div>
                    <button type="submit" class="button secondary">{t(GENERATE)}</button>
                </form>
            </section>
        }
        .into_any(),
        Some("return") => view! {
            <section class="narrow" aria-labelledby="return-title">
                <h2 id="return-title">{t(RETURN_TITLE)}</h2>
                <p>{t(RETURN_HINT)}</p>
                <form method="post" action=format!("/officer/dossiers/{id}/return") novalidate>
                    <fieldset class="field">
                        <legend>{t(RETURN_VIA)}</legend>
                        {[("electronic", VIA_ELECTRONIC), ("post", VIA_POST), ("desk", VIA_DESK)]
                            .into_iter()
                            .map(|(value, label)| {
                                let input_id = format!("f-via-{value}");
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=input_id.clone() name="via" value=value checked=d.delivery == value/>
                                        <label for=input_id>{t(label)}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <div class="field">
                        <label for="f-detail">{t(RETURN_DETAIL)}</label>
                        <input id="f-detail" name="detail" maxlength="200" autocomplete="off"/>
                    </div>
                    <button type="submit" class="button">{t(RETURN)}</button>
                </form>
            </section>
        }
        .into_any(),
        _ => ().into_any(),
    };
    let refuse = (d.step_action == Some("approve")).then(|| {
        view! {
            <section class="narrow" aria-labelledby="refuse-grant-title">
                <h2 id="refuse-grant-title">{t(REFUSE_GRANT_TITLE)}</h2>
                <form method="post" action=format!("/officer/dossiers/{id}/refuse-grant") novalidate>
                    <div class="field">
                        <label for="f-refuse-grant">{t(REFUSE_GRANT_REASON)}</label>
                        <textarea id="f-refuse-grant" name="reason" rows="3" maxlength="2000"></textarea>
                    </div>
                    <button type="submit" class="button danger">{t(REFUSE_GRANT)}</button>
                </form>
            </section>
        }
    });
    let stop = d.can_stop.then(|| {
        view! {
            <section class="narrow" aria-labelledby="stop-title">
                <h2 id="stop-title">{t(STOP_TITLE)}</h2>
                <form method="post" action=format!("/officer/dossiers/{id}/stop") novalidate>
                    <div class="field">
                        <label for="f-stop">{t(STOP_REASON)}</label>
                        <textarea id="f-stop" name="reason" rows="2" maxlength="2000"></textarea>
                    </div>
                    <button type="submit" class="button danger">{t(STOP)}</button>
                </form>
            </section>
        }
    });
    let reschedule = d.can_reschedule.then(|| {
        view! {
            <section class="narrow" aria-labelledby="reschedule-title">
                <h2 id="reschedule-title">{t(RESCHEDULE_TITLE)}</h2>
                <p class="hint">{t(RESCHEDULE_HINT)}</p>
                <form method="post" action=format!("/officer/dossiers/{id}/reschedule") novalidate>
                    <div class="field">
                        <label for="f-apology">{t(RESCHEDULE_REASON)}</label>
                        <textarea id="f-apology" name="reason" rows="2" maxlength="2000"></textarea>
                    </div>
                    <div class="field">
                        <label for="f-new-date">{t(RESCHEDULE_DATE)}</label>
                        <input type="date" id="f-new-date" name="new_date"/>
                    </div>
                    <button type="submit" class="button secondary">{t(RESCHEDULE)}</button>
                </form>
            </section>
        }
    });
    let assign = d.my_step.then(|| {
        view! {
            <section class="narrow" aria-labelledby="assign-title">
                <h2 id="assign-title">{t(ASSIGN_TITLE)}</h2>
                <p>{t(WORK_WHO)} ": " <strong data-testid="assignee">{d.assignee.clone().unwrap_or_else(|| t(WORK_NOBODY).to_string())}</strong></p>
                <form method="post" action=format!("/officer/dossiers/{id}/assign")>
                    <button type="submit" class="button secondary">{t(ASSIGN_ME)}</button>
                </form>
                <form method="post" action=format!("/officer/dossiers/{id}/assign") novalidate>
                    <div class="field">
                        <label for="f-assign-to">{t(ASSIGN_TO)}</label>
                        <input type="email" id="f-assign-to" name="to" autocomplete="off"/>
                    </div>
                    <button type="submit" class="button secondary">{t(ASSIGN)}</button>
                </form>
            </section>
        }
    });
    view! { {reschedule} {assign} {main} {refuse} {send_back} {stop} }.into_any()
}

/// The work queue's filter, from the query string.
#[derive(Debug, Clone, Default, PartialEq)]
struct WorkQuery {
    procedure: String,
    due: String,
    channel: String,
    sort: String,
    who: String,
    page: i64,
}

impl WorkQuery {
    fn href(&self, page: i64) -> String {
        format!(
            "/officer/work?procedure={}&due={}&channel={}&sort={}&who={}&page={page}",
            self.procedure, self.due, self.channel, self.sort, self.who
        )
    }
    fn with_due(&self, due: &str) -> String {
        WorkQuery { due: due.to_string(), ..self.clone() }.href(1)
    }
}

/// What the work page shows.
#[derive(Debug, Clone, Default)]
pub struct WorkData {
    items: Vec<QueueItem>,
    matching: i64,
    total: i64,
    overdue: i64,
    soon: i64,
    procedures: Vec<(String, String)>,
}

/// `/officer/work`: dossiers at the viewer's steps, with counts, filters and pages.
#[component]
pub fn WorkPage() -> impl IntoView {
    let locale = use_locale();
    let notice = use_query_map().with_untracked(|q| {
        [("forwarded", DONE_FORWARD), ("sent_back", DONE_BACK), ("issued", DONE_ISSUE)]
            .into_iter()
            .find(|(k, _)| q.get(k).is_some())
            .map(|(_, text)| text)
    });
    let query = use_query_map().with_untracked(|q| {
        let keep = |k: &str, allowed: &[&str]| {
            q.get(k).filter(|v| allowed.is_empty() || allowed.contains(&v.as_str())).unwrap_or_default()
        };
        WorkQuery {
            procedure: keep("procedure", &[])
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                .take(20)
                .collect(),
            due: keep("due", &["overdue", "soon"]),
            channel: keep("channel", &["online", "desk"]),
            sort: keep("sort", &["submitted"]),
            who: keep("who", &["mine", "nobody"]),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1),
        }
    });
    with_role(roles::OFFICER, |_| {
        let data = crate::pages::loader::spawn(load_work(query.clone(), locale));
        let query = query.clone();
        view! {
            <Title text=t(WORK_TITLE)/>
            <h1>{t(WORK_TITLE)}</h1>
            {notice.map(|text| view! { <Notice text/> })}
            <p>{t(WORK_INTRO)}</p>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let d = data.await;
                    let q = query.clone();
                    let count_link = |due: &str, label: crate::i18n::Text, n: i64, class: &'static str| {
                        let current = q.due == due;
                        view! {
                            <li class=class>
                                <a href=q.with_due(due) aria-current=current.then_some("true")>
                                    {t(label)} " (" <span data-testid=format!("count-{}", if due.is_empty() { "all" } else { due })>{n}</span> ")"
                                </a>
                            </li>
                        }
                    };
                    let pages = ((d.matching + 19) / 20).max(1);
                    let summary = t(WORK_PAGE_OF)
                        .replace("{page}", &q.page.to_string())
                        .replace("{pages}", &pages.to_string())
                        .replace("{total}", &d.matching.to_string());
                    view! {
                        <ul class="counts" aria-label=t(WORK_COUNTS)>
                            {count_link("", WORK_ALL, d.total, "")}
                            {count_link("overdue", WORK_OVERDUE, d.overdue, "due-overdue")}
                            {count_link("soon", WORK_SOON, d.soon, "due-soon")}
                        </ul>
                        <form method="get" action="/officer/work" class="filters" role="search">
                            <input type="hidden" name="due" value=q.due.clone()/>
                            <div class="field">
                                <label for="f-procedure">{t(PROCEDURE)}</label>
                                <select id="f-procedure" name="procedure">
                                    <option value="">{t(WORK_ANY)}</option>
                                    {d.procedures
                                        .iter()
                                        .map(|(code, name)| view! { <option value=code.clone() selected=*code == q.procedure>{format!("{name} ({code})")}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="f-channel">{t(WORK_CHANNEL)}</label>
                                <select id="f-channel" name="channel">
                                    <option value="">{t(WORK_ANY)}</option>
                                    <option value="online" selected=q.channel == "online">{t(WORK_ONLINE)}</option>
                                    <option value="desk" selected=q.channel == "desk">{t(WORK_DESK)}</option>
                                </select>
                            </div>
                            <div class="field">
                                <label for="f-who">{t(WORK_WHO)}</label>
                                <select id="f-who" name="who">
                                    <option value="">{t(WORK_ANY)}</option>
                                    <option value="mine" selected=q.who == "mine">{t(WORK_MINE)}</option>
                                    <option value="nobody" selected=q.who == "nobody">{t(WORK_NOBODY)}</option>
                                </select>
                            </div>
                            <div class="field">
                                <label for="f-sort">{t(WORK_SORT)}</label>
                                <select id="f-sort" name="sort">
                                    <option value="">{t(WORK_SORT_DUE)}</option>
                                    <option value="submitted" selected=q.sort == "submitted">{t(WORK_SORT_SUBMITTED)}</option>
                                </select>
                            </div>
                            <button type="submit" class="button secondary">{t(WORK_FILTER)}</button>
                        </form>
                        {if d.items.is_empty() {
                            view! { <p class="empty">{t(WORK_NONE)}</p> }.into_any()
                        } else {
                            view! {
                                <table class="table">
                                    <caption class="visually-hidden">{t(WORK_TITLE)}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(CODE)}</th>
                                            <th scope="col">{t(PROCEDURE)}</th>
                                            <th scope="col">{t(APPLICANT)}</th>
                                            <th scope="col">{t(STATUS)}</th>
                                            <th scope="col">{t(STEP_DUE)}</th>
                                            <th scope="col">{t(WORK_WHO)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {d.items
                                            .into_iter()
                                            .map(|d| {
                                                let label = match d.due_class {
                                                    Some("overdue") => Some(t(WORK_OVERDUE)),
                                                    Some("soon") => Some(t(WORK_SOON)),
                                                    Some(_) => Some(t(WORK_ON_TIME)),
                                                    None => None,
                                                };
                                                view! {
                                                    <tr>
                                                        <td><a href=format!("/officer/dossiers/{}", d.id)>{d.code}</a></td>
                                                        <td>{d.procedure}</td>
                                                        <td>{d.applicant}</td>
                                                        <td>{d.status}</td>
                                                        <td class=d.due_class.map(|c| format!("due due-{c}"))>
                                                            {d.due}
                                                            {label.map(|l| view! { <br/><span class="due-label">{l}</span> })}
                                                        </td>
                                                        <td>{d.assignee}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                                <nav class="pagination" aria-label=summary.clone()>
                                    <p>{summary.clone()}</p>
                                    {(q.page > 1).then(|| view! { <a rel="prev" href=q.href(q.page - 1)>{t(WORK_PREVIOUS)}</a> })}
                                    {(q.page < pages).then(|| view! { <a rel="next" href=q.href(q.page + 1)>{t(WORK_NEXT)}</a> })}
                                </nav>
                            }
                                .into_any()
                        }}
                    }
                        .into_any()
                })}
            </Suspense>
        }
    })
}

async fn load_work(query: WorkQuery, locale: Locale) -> WorkData {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::{filing, receipts::local_time, workflow};
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return WorkData::default() };
        let Some(actor) = crate::components::viewer::current_actor() else { return WorkData::default() };
        let vi = locale == Locale::Vi;
        let filter = crate::ssr::db::dossiers::WorkFilter {
            procedure: (!query.procedure.is_empty()).then(|| query.procedure.clone()),
            due: (!query.due.is_empty()).then(|| query.due.clone()),
            channel: (!query.channel.is_empty()).then(|| query.channel.clone()),
            by_submission: query.sort == "submitted",
            assignee: match query.who.as_str() {
                "mine" => Some(actor.user_id().to_string()),
                "nobody" => Some(String::new()),
                _ => None,
            },
            page: query.page,
        };
        let Ok((rows, matching, counts)) = workflow::queue_page(&state, &actor, &filter).await else {
            return WorkData::default();
        };
        let now = state.clock.now();
        let calendar = crate::ssr::services::reception::calendar(&state).await.unwrap_or_default();
        let items = rows
            .into_iter()
            .map(|r| {
                let due_class = r.step_due_at.map(|due| {
                    let due = from_db(due);
                    if due < now {
                        "overdue"
                    } else if calendar.working_minutes_between(now, due)
                        <= 2 * calendar.hours().minutes_per_day()
                    {
                        "soon"
                    } else {
                        "on-time"
                    }
                });
                QueueItem {
                    status: filing::parse_state(&r.state)
                        .map(|s| if vi { s.label_vi().to_string() } else { s.label_en().to_string() })
                        .unwrap_or_default(),
                    id: r.id,
                    code: r.code.unwrap_or_default(),
                    procedure: if vi { r.procedure_name_vi } else { r.procedure_name_en },
                    applicant: r.applicant_name,
                    submitted: String::new(),
                    due: r.step_due_at.map(|t| local_time(from_db(t))).unwrap_or_default(),
                    due_class,
                    assignee: r.assignee_name.unwrap_or_default(),
                }
            })
            .collect();
        let procedures = workflow::queue_procedures(&state, &actor)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|(code, v, e)| (code, if vi { v } else { e }))
            .collect();
        WorkData {
            items,
            matching,
            total: counts.total,
            overdue: counts.overdue,
            soon: counts.soon,
            procedures,
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (query, locale);
        WorkData::default()
    }
}

async fn load_queue(page: i64, locale: Locale) -> Option<(Vec<QueueItem>, i64)> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::{filing, receipts::local_time, reception};
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        if !matches!(actor, crate::ssr::auth::policy::Actor::Officer { .. }) {
            return None;
        }
        let (rows, total) = reception::queue(&state, &actor, page).await.ok()?;
        let vi = locale == Locale::Vi;
        Some((
            rows.into_iter()
                .map(|r| QueueItem {
                    status: filing::parse_state(&r.state)
                        .map(|s| if vi { s.label_vi().to_string() } else { s.label_en().to_string() })
                        .unwrap_or_default(),
                    id: r.id,
                    code: r.code.unwrap_or_default(),
                    procedure: if vi { r.procedure_name_vi } else { r.procedure_name_en },
                    applicant: r.applicant_name,
                    submitted: r.submitted_at.map(|t| local_time(from_db(t))).unwrap_or_default(),
                    due: String::new(),
                    due_class: None,
                    assignee: String::new(),
                })
                .collect(),
            total,
        ))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (page, locale);
        None
    }
}

async fn load_dossier(id: String, locale: Locale) -> Option<DeskDossier> {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::{DossierAction, FieldKind};
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::{receipts::local_time, reception};
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        let (view, pos) = crate::ssr::services::workflow::get(&state, &actor, &id).await.ok()?;
        let ip = use_context::<http::request::Parts>()
            .and_then(|p| {
                p.extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0.ip().to_string())
            })
            .unwrap_or_default();
        crate::ssr::services::filing::record_access(&state, &actor, "dossier.view", &id, &ip).await.ok()?;
        let desk_units = reception::my_desk_units(&state, &actor).await.ok()?;
        let at_desk = desk_units.is_none_or(|u| u.contains(&view.row.receiving_agency));
        let index = pos.current_step.and_then(|i| usize::try_from(i).ok());
        let current = index.and_then(|i| view.def.workflow.get(i));
        let my_step = match (current, index) {
            (Some(step), Some(_)) => {
                let role = crate::ssr::services::workflow::role_of(step.role);
                match &actor {
                    crate::ssr::auth::policy::Actor::Officer { .. } if actor.is_system_admin() => true,
                    crate::ssr::auth::policy::Actor::Officer { .. } => {
                        let mut conn = state.db.reader().acquire().await.ok()?;
                        let agency =
                            crate::ssr::db::agencies::id_by_code(&mut conn, &step.agency).await.ok()??;
                        actor.has_role_in(role, &agency)
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        use crate::domain::procedure::StepRole;
        let last = index.is_some_and(|i| i + 1 >= view.def.workflow.len());
        let step_action = match current.map(|s| s.role) {
            _ if !my_step => None,
            Some(StepRole::Clerk)
                if matches!(
                    view.state,
                    crate::domain::DossierState::InProcess | crate::domain::DossierState::Decided
                ) && pos.result_blob_key.is_none() =>
            {
                Some("issue")
            }
            Some(_) if last && view.state == crate::domain::DossierState::Decided => Some("return"),
            Some(StepRole::Leader) if !last => Some("approve"),
            Some(_)
                if !last
                    && matches!(
                        view.state,
                        crate::domain::DossierState::Received | crate::domain::DossierState::InProcess
                    ) =>
            {
                Some("forward")
            }
            _ => None,
        };
        let vi = locale == Locale::Vi;
        let pick = |v: &str, e: &str| if vi { v.to_string() } else { e.to_string() };
        let mut conn = state.db.reader().acquire().await.ok()?;
        let applicant = crate::ssr::db::users::by_id(&mut conn, &view.row.applicant_id).await.ok()??;
        let handling = crate::ssr::db::dossiers::handling(&mut conn, &view.row.id).await.ok()?;
        let step_unit = match current {
            Some(step) => crate::ssr::db::agencies::names_by_code(&mut conn, &step.agency)
                .await
                .ok()
                .flatten()
                .map(|(v, e, _)| pick(&v, &e))
                .unwrap_or_else(|| step.agency.clone()),
            None => String::new(),
        };
        let fields = view
            .def
            .form
            .iter()
            .map(|f| {
                let raw = view.values.get(&f.key).cloned().unwrap_or_default();
                let shown = match &f.kind {
                    FieldKind::Choice { options } => options
                        .iter()
                        .find(|o| o.value == raw)
                        .map(|o| pick(&o.label_vi, &o.label_en))
                        .unwrap_or(raw),
                    _ => raw,
                };
                (pick(&f.label_vi, &f.label_en), shown)
            })
            .collect();
        let papers = view
            .def
            .papers
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let files = view
                    .files
                    .iter()
                    .filter(|f| f.paper_index == i64::try_from(i).unwrap_or(-1))
                    .map(|f| (f.document_id.clone(), f.file_name.clone()))
                    .collect();
                (pick(&p.name_vi, &p.name_en), p.required, files)
            })
            .collect();
        let events = view
            .events
            .iter()
            .map(|e| {
                (
                    local_time(from_db(e.at)),
                    crate::pages::citizen::dossiers::event_label(&e.kind, locale),
                    e.note.clone(),
                )
            })
            .collect();
        let supplement_asked = view.events.iter().any(|e| e.kind == "supplement_requested");
        Some(DeskDossier {
            id: view.row.id.clone(),
            code: view.row.code.clone().unwrap_or_default(),
            procedure: format!("{} ({})", pick(&view.def.name_vi, &view.def.name_en), view.def.code),
            applicant: format!("{} — {}", applicant.full_name, applicant.email),
            status: if vi { view.state.label_vi().to_string() } else { view.state.label_en().to_string() },
            submitted: view.row.submitted_at.map(|t| local_time(from_db(t))).unwrap_or_default(),
            due: view.row.due_at.map(|t| local_time(from_db(t))),
            fields,
            papers,
            events,
            step: current.map(|s| {
                (
                    format!("{} — {step_unit}", pick(&s.name_vi, &s.name_en)),
                    pos.step_due_at.map(|t| local_time(from_db(t))),
                )
            }),
            step_action,
            can_send_back: my_step
                && index.is_some_and(|i| i > 1)
                && view.state == crate::domain::DossierState::InProcess,
            result: pos.result_file_name.clone(),
            delivery: view.row.delivery.clone(),
            can_stop: my_step
                && matches!(step_action, Some("forward" | "approve"))
                && view.state.apply(DossierAction::Stop).is_ok(),
            can_reschedule: (my_step || at_desk)
                && handling.original_due_at.is_none()
                && view.state.clock_running()
                && view.row.due_at.is_some_and(|due| from_db(due) < state.clock.now()),
            forms: {
                let mut forms = crate::ssr::services::forms::available(&view, vi);
                if view.row.received_at.is_some() {
                    let slip = crate::ssr::services::forms::Printed::ProcessControl;
                    forms.push((
                        format!("/dossiers/{}/forms/{}.pdf", view.row.id, slip.number()),
                        slip.link_label(vi).to_string(),
                    ));
                }
                forms
            },
            returned: handling.returned_via.as_deref().map(|via| {
                crate::pages::citizen::dossiers::return_label(via, &handling.return_detail, locale)
            }),
            apology: handling.original_due_at.map(|t| (local_time(from_db(t)), handling.apology.clone())),
            assignee: match &pos.step_assignee {
                Some(user) => {
                    crate::ssr::db::users::by_id(&mut conn, user).await.ok().flatten().map(|u| u.full_name)
                }
                None => None,
            },
            my_step,
            can_receive: at_desk && view.state.apply(DossierAction::Accept).is_ok(),
            can_ask_supplement: at_desk
                && view.state.apply(DossierAction::RequestSupplement).is_ok()
                && !supplement_asked,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (id, locale);
        None
    }
}
