//! `/officer/reception` (the desk's queue) and `/officer/dossiers/{id}` (check the papers,
//! then accept, ask for a supplement, or refuse to receive).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::form::{ErrorSummary, Notice, use_form_state};
use crate::components::viewer::require_signed_in;
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
}

/// `/officer/reception`.
#[component]
pub fn ReceptionPage() -> impl IntoView {
    let page =
        use_query_map().with_untracked(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1));
    let locale = use_locale();
    require_signed_in().map(|_| {
        let data = load_queue(page, locale);
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
        ]
        .into_iter()
        .find(|(k, _)| q.get(k).is_some())
        .map(|(_, text)| text)
    });
    let locale = use_locale();
    require_signed_in().map(|_| {
        let data = load_dossier(id.clone(), locale);
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
                            {d.result.clone().map(|name| view! { <dt>{t(RESULT)}</dt><dd>{name}</dd> })}
                        </dl>
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
        }
        .into_any(),
        Some("return") => view! {
            <section class="narrow" aria-labelledby="return-title">
                <h2 id="return-title">{t(RETURN_TITLE)}</h2>
                <p>{t(RETURN_HINT)}</p>
                <form method="post" action=format!("/officer/dossiers/{id}/return")>
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
    view! { {main} {refuse} {send_back} }.into_any()
}

/// `/officer/work`: dossiers at the viewer's steps.
#[component]
pub fn WorkPage() -> impl IntoView {
    let locale = use_locale();
    let notice = use_query_map().with_untracked(|q| {
        [("forwarded", DONE_FORWARD), ("sent_back", DONE_BACK), ("issued", DONE_ISSUE)]
            .into_iter()
            .find(|(k, _)| q.get(k).is_some())
            .map(|(_, text)| text)
    });
    require_signed_in().map(|_| {
        let data = load_work(locale);
        view! {
            <Title text=t(WORK_TITLE)/>
            <h1>{t(WORK_TITLE)}</h1>
            {notice.map(|text| view! { <Notice text/> })}
            <p>{t(WORK_INTRO)}</p>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let items = data.await;
                    if items.is_empty() {
                        return view! { <p class="empty">{t(WORK_NONE)}</p> }.into_any();
                    }
                    view! {
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t(CODE)}</th>
                                    <th scope="col">{t(PROCEDURE)}</th>
                                    <th scope="col">{t(APPLICANT)}</th>
                                    <th scope="col">{t(STATUS)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {items
                                    .into_iter()
                                    .map(|d| view! {
                                        <tr>
                                            <td><a href=format!("/officer/dossiers/{}", d.id)>{d.code}</a></td>
                                            <td>{d.procedure}</td>
                                            <td>{d.applicant}</td>
                                            <td>{d.status}</td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                })}
            </Suspense>
        }
    })
}

async fn load_work(locale: Locale) -> Vec<QueueItem> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::services::{filing, workflow};
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return Vec::new() };
        let Some(actor) = crate::components::viewer::current_actor() else { return Vec::new() };
        let vi = locale == Locale::Vi;
        workflow::queue(&state, &actor)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|r| QueueItem {
                status: filing::parse_state(&r.state)
                    .map(|s| if vi { s.label_vi().to_string() } else { s.label_en().to_string() })
                    .unwrap_or_default(),
                id: r.id,
                code: r.code.unwrap_or_default(),
                procedure: if vi { r.procedure_name_vi } else { r.procedure_name_en },
                applicant: r.applicant_name,
                submitted: String::new(),
            })
            .collect()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = locale;
        Vec::new()
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
            step: current
                .map(|s| (pick(&s.name_vi, &s.name_en), pos.step_due_at.map(|t| local_time(from_db(t))))),
            step_action,
            can_send_back: my_step
                && index.is_some_and(|i| i > 1)
                && view.state == crate::domain::DossierState::InProcess,
            result: pos.result_file_name.clone(),
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
