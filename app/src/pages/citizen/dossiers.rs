//! `/dossiers` (My dossiers), `/dossiers/{id}` (a draft to fill in, or a submitted dossier
//! with its timeline), `/dossiers/{id}/review` (check and submit), `/documents` (My documents).
//! Every form is a plain HTML form; the upload progress bar is the only island.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::form::{ErrorSummary, Message, Notice, textarea_text, use_form_state};
use crate::components::live_form::LiveForm;
use crate::components::upload::UploadProgress;
use crate::components::viewer::require_signed_in;
use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Hồ sơ của tôi", en: "My dossiers" }
    NONE = { vi: "Chưa có hồ sơ nào. Tìm thủ tục cần làm và bấm “Nộp hồ sơ trực tuyến”.", en: "No dossiers yet. Find a procedure and press “File online”." }
    FIND_PROCEDURE = { vi: "Tìm thủ tục hành chính", en: "Find a procedure" }
    CODE = { vi: "Mã hồ sơ", en: "Dossier code" }
    PROCEDURE = { vi: "Thủ tục", en: "Procedure" }
    STATUS = { vi: "Trạng thái", en: "Status" }
    SUBMITTED_AT = { vi: "Ngày nộp", en: "Submitted" }
    DUE = { vi: "Hẹn trả", en: "Due" }
    FILTER = { vi: "Lọc", en: "Filter" }
    GROUP = { vi: "Nhóm", en: "Group" }
    ALL = { vi: "Tất cả", en: "All" }
    DRAFTS = { vi: "Bản nháp", en: "Drafts" }
    ACTIVE = { vi: "Đang giải quyết", en: "In progress" }
    DONE = { vi: "Đã kết thúc", en: "Finished" }
    SEARCH_CODE = { vi: "Tìm theo mã hồ sơ", en: "Search by code" }
    PREVIOUS = { vi: "Trang trước", en: "Previous page" }
    NEXT = { vi: "Trang sau", en: "Next page" }
    PAGE_OF = { vi: "Trang {page}/{pages} — {total} hồ sơ", en: "Page {page} of {pages} — {total} dossiers" }
    DRAFT_LABEL = { vi: "(bản nháp)", en: "(draft)" }
    OPEN = { vi: "Mở", en: "Open" }
    NOT_FOUND = { vi: "Không tìm thấy hồ sơ, hoặc bạn không có quyền xem hồ sơ này.", en: "Dossier not found, or you may not see it." }
    DRAFT_TITLE = { vi: "Soạn hồ sơ", en: "Prepare the dossier" }
    DRAFT_INTRO = { vi: "Bản nháp được lưu khi bạn bấm “Lưu”, khi tải tệp lên, và bạn có thể tiếp tục sau từ “Hồ sơ của tôi”. Cơ quan chỉ nhận được hồ sơ khi bạn bấm “Nộp hồ sơ”.", en: "The draft is kept when you press “Save” or upload a file, and you can come back to it from “My dossiers”. The agency only gets it when you press “Submit”." }
    VERSION = { vi: "Phiên bản thủ tục", en: "Procedure version" }
    FILED_FOR = { vi: "Nộp cho tổ chức", en: "Filed for" }
    STEP_FORM = { vi: "1. Tờ khai", en: "1. Application form" }
    STEP_PAPERS = { vi: "2. Giấy tờ kèm theo", en: "2. Papers" }
    STEP_REVIEW = { vi: "3. Xem lại và nộp", en: "3. Review and submit" }
    SAVE_FIRST = { vi: "Hãy bấm “Lưu” trước khi tải tệp, để không mất thông tin vừa nhập.", en: "Press “Save” before uploading files so nothing you typed is lost." }
    RECEIVING = { vi: "Nơi tiếp nhận", en: "Receiving unit" }
    DELIVERY = { vi: "Hình thức nhận kết quả", en: "How to receive the result" }
    BY_ELECTRONIC = { vi: "Bản điện tử vào tài khoản", en: "Electronic copy in my account" }
    BY_POST = { vi: "Qua dịch vụ bưu chính công ích", en: "By public postal service" }
    AT_DESK = { vi: "Trực tiếp tại bộ phận một cửa", en: "At the one-stop desk" }
    POSTAL_ADDRESS = { vi: "Địa chỉ nhận kết quả qua bưu chính", en: "Postal address for the result" }
    SAVE = { vi: "Lưu", en: "Save" }
    SAVE_AND_REVIEW = { vi: "Lưu và xem lại để nộp", en: "Save and review" }
    SAVED = { vi: "Đã lưu bản nháp.", en: "Draft saved." }
    UPLOADED = { vi: "Đã đính kèm tệp.", en: "File attached." }
    REMOVED = { vi: "Đã gỡ tệp khỏi hồ sơ (tệp vẫn còn trong “Giấy tờ của tôi”).", en: "File removed from the dossier (it stays in “My documents”)." }
    REQUIRED = { vi: "bắt buộc", en: "required" }
    OPTIONAL = { vi: "không bắt buộc", en: "optional" }
    CHOOSE_FILE = { vi: "Chọn tệp", en: "Choose a file" }
    FILE_HINT = { vi: "PDF, JPEG hoặc PNG; mỗi tệp tối đa {max}.", en: "PDF, JPEG or PNG; at most {max} per file." }
    UPLOAD = { vi: "Tải lên", en: "Upload" }
    REMOVE = { vi: "Gỡ", en: "Remove" }
    REUSE = { vi: "Hoặc dùng lại giấy tờ đã có", en: "Or reuse a document you have" }
    ATTACH = { vi: "Đính kèm", en: "Attach" }
    NO_FILES = { vi: "Chưa có tệp.", en: "No file yet." }
    DISCARD = { vi: "Xóa bản nháp", en: "Delete draft" }
    GO_REVIEW = { vi: "Xem lại và nộp", en: "Review and submit" }
    ORIGINAL = { vi: "bản chính", en: "original" }
    COPY = { vi: "bản sao", en: "copy" }
    CERTIFIED_COPY = { vi: "bản sao có chứng thực", en: "certified copy" }
    ELECTRONIC = { vi: "bản điện tử", en: "electronic" }
    REVIEW_TITLE = { vi: "Xem lại hồ sơ trước khi nộp", en: "Review before submitting" }
    FIX_FIRST = { vi: "Hồ sơ chưa đủ để nộp. Hãy sửa các mục dưới đây.", en: "The dossier is not ready yet. Fix the items below." }
    READY = { vi: "Hồ sơ đã đủ thông tin. Kiểm tra lại rồi bấm “Nộp hồ sơ”.", en: "Everything is there. Check it, then press “Submit”." }
    EDIT = { vi: "Quay lại sửa", en: "Back to edit" }
    SUBMIT = { vi: "Nộp hồ sơ", en: "Submit" }
    SUBMIT_NOTE = { vi: "Bấm một lần; nếu mạng chậm, bấm lại cũng không tạo hồ sơ thứ hai.", en: "Press once; pressing again on a slow network never creates a second dossier." }
    SUBMITTED = { vi: "Đã nộp hồ sơ. Thư xác nhận đã được gửi tới địa chỉ thư điện tử của bạn.", en: "Dossier submitted. A confirmation was sent to your email." }
    WITHDRAWN_NOTICE = { vi: "Đã ghi nhận yêu cầu rút hồ sơ.", en: "The withdrawal was recorded." }
    RECEIPT = { vi: "Tải phiếu xác nhận nộp hồ sơ (PDF)", en: "Download the submission receipt (PDF)" }
    LOOKUP_KEY = { vi: "Mã tra cứu", en: "Lookup key" }
    TIMELINE = { vi: "Quá trình xử lý", en: "Timeline" }
    PAPERS = { vi: "Giấy tờ đã nộp", en: "Papers submitted" }
    FORM_DATA = { vi: "Thông tin tờ khai", en: "Application form" }
    WITHDRAW = { vi: "Rút hồ sơ", en: "Withdraw the dossier" }
    WITHDRAW_INTRO = { vi: "Bạn có thể rút hồ sơ trước khi có kết quả. Hồ sơ chưa được tiếp nhận sẽ được rút ngay; hồ sơ đã tiếp nhận cần cơ quan xác nhận.", en: "You may withdraw before the decision. A dossier not yet received is withdrawn at once; after reception the agency confirms." }
    REASON = { vi: "Lý do rút hồ sơ", en: "Reason for withdrawing" }
    DOCUMENTS_TITLE = { vi: "Giấy tờ của tôi", en: "My documents" }
    DOCUMENTS_INTRO = { vi: "Mọi tệp bạn đã tải lên và kết quả điện tử bạn đã nhận. Khi soạn hồ sơ mới, chọn “Dùng lại giấy tờ đã có” để đính kèm mà không cần tải lại.", en: "Every file you uploaded and every electronic result you received. When preparing a new dossier, choose “Reuse a document” to attach one without uploading again." }
    DOCUMENTS_NONE = { vi: "Chưa có giấy tờ nào.", en: "No documents yet." }
    FILE_NAME = { vi: "Tên tệp", en: "File name" }
    FILE_TYPE = { vi: "Loại", en: "Type" }
    FILE_SIZE = { vi: "Dung lượng", en: "Size" }
    ADDED = { vi: "Ngày tải lên", en: "Added" }
    KIND_RESULT = { vi: "Kết quả", en: "Result" }
    KIND_UPLOAD = { vi: "Tệp tải lên", en: "Upload" }
    PREVIEW = { vi: "Xem", en: "View" }
    DOWNLOAD = { vi: "Tải về", en: "Download" }
    YES = { vi: "Có", en: "Yes" }
    NO = { vi: "Không", en: "No" }
    CHOOSE = { vi: "— Chọn —", en: "— Choose —" }
    SUPPLEMENT_TITLE = { vi: "Cơ quan yêu cầu bổ sung hồ sơ", en: "The agency asks for a supplement" }
    SUPPLEMENT_INTRO = { vi: "Tải lên các giấy tờ được yêu cầu dưới đây, rồi bấm “Gửi bổ sung”. Thời hạn giải quyết tạm dừng cho tới khi bạn gửi.", en: "Upload the papers asked for below, then press “Send the supplement”. The processing time is paused until you do." }
    SUPPLEMENT_NOTE = { vi: "Ghi chú gửi kèm (không bắt buộc)", en: "Note (optional)" }
    SEND_SUPPLEMENT = { vi: "Gửi bổ sung", en: "Send the supplement" }
    SUPPLEMENTED = { vi: "Đã gửi bổ sung. Hồ sơ đã chuyển lại cho cơ quan.", en: "Supplement sent. The dossier is back with the agency." }
    FILE_ONLINE = { vi: "Nộp hồ sơ trực tuyến", en: "File online" }
    OVERDUE = { vi: "Quá hạn", en: "Overdue" }
    DUE_SOON = { vi: "Sắp đến hạn", en: "Due soon" }
    ON_TIME = { vi: "Trong hạn", en: "On time" }
    RESULT_TITLE = { vi: "Kết quả giải quyết", en: "Result" }
    APOLOGY_TITLE = { vi: "Xin lỗi vì chậm trả kết quả", en: "Apology for the delay" }
    APOLOGY_PREVIOUS = { vi: "Ngày hẹn trước:", en: "Previous appointment:" }
    APOLOGY_NEW = { vi: "Ngày hẹn mới:", en: "New appointment:" }
    PRINTED = { vi: "Phiếu, thông báo", en: "Slips and notices" }
    VERIFY_RESULT = { vi: "Kiểm tra tính xác thực của kết quả", en: "Verify the result" }
    APPOINTMENT_SLIP = { vi: "Tải giấy tiếp nhận và hẹn trả kết quả (PDF)", en: "Download the receipt and appointment slip (PDF)" }
    DOWNLOAD_RESULT = { vi: "Tải kết quả", en: "Download the result" }
    FILE_ONLINE_TITLE = { vi: "Nộp hồ sơ trực tuyến", en: "File online" }
    SIGN_IN_TO_FILE = { vi: "Đăng nhập để nộp hồ sơ trực tuyến", en: "Sign in to file online" }
    FILER = { vi: "Nộp với tư cách", en: "File as" }
    MYSELF = { vi: "Cá nhân tôi", en: "Myself" }
}

/// The "File online" box of a procedure page: a button that starts a draft (for oneself or
/// for an organisation one belongs to), or a sign-in link.
#[component]
pub fn FileOnline(
    /// Procedure code.
    code: String,
) -> impl IntoView {
    let viewer = crate::components::viewer::use_viewer().filter(|v| !v.mfa_pending);
    match viewer {
        None => view! {
            <section class="file-online" aria-labelledby="file-online-title">
                <h2 id="file-online-title" class="visually-hidden">{t(FILE_ONLINE_TITLE)}</h2>
                <a class="button" href=format!("/login?next=/procedures/{code}")>{t(SIGN_IN_TO_FILE)}</a>
            </section>
        }
        .into_any(),
        Some(v) if v.is_officer => ().into_any(),
        Some(v) => {
            let orgs = crate::pages::loader::spawn(load_orgs(v.user_id.clone()));
            view! {
                <section class="file-online" aria-labelledby="file-online-title">
                    <h2 id="file-online-title" class="visually-hidden">{t(FILE_ONLINE_TITLE)}</h2>
                    <form method="post" action="/dossiers">
                        <input type="hidden" name="procedure" value=code.clone()/>
                        <Suspense fallback=|| ()>
                            {Suspend::new(async move {
                                let orgs = orgs.await;
                                (!orgs.is_empty())
                                    .then(|| {
                                        view! {
                                            <div class="field">
                                                <label for="f-filer">{t(FILER)}</label>
                                                <select id="f-filer" name="filer">
                                                    <option value="self">{t(MYSELF)}</option>
                                                    {orgs.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                                </select>
                                            </div>
                                        }
                                    })
                            })}
                        </Suspense>
                        <button type="submit" class="button">{t(FILE_ONLINE)}</button>
                    </form>
                </section>
            }
            .into_any()
        }
    }
}

async fn load_orgs(user_id: String) -> Vec<(String, String)> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::auth::policy::Actor;
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return Vec::new() };
        crate::ssr::services::organisations::mine(&state, &Actor::Citizen { user_id })
            .await
            .map(|list| list.into_iter().map(|(o, _)| (o.id, o.name)).collect())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = user_id;
        Vec::new()
    }
}

/// A choice of a dynamic form field.
#[derive(Debug, Clone)]
pub struct ChoiceItem {
    /// Value.
    pub value: String,
    /// Label in the page's language.
    pub label: String,
}

/// One form field, ready to render.
#[derive(Debug, Clone)]
pub struct FieldItem {
    /// Key (control name).
    pub key: String,
    /// Label.
    pub label: String,
    /// Help text.
    pub help: Option<String>,
    /// `text`, `number`, `date`, `choice`, `checkbox`, `citizen_id`, `tax_code`, `address`.
    pub kind: &'static str,
    /// Required.
    pub required: bool,
    /// Current value.
    pub value: String,
    /// Options of a choice.
    pub options: Vec<ChoiceItem>,
    /// Limits: min, max (numbers, dates), max length (text).
    pub min: Option<String>,
    /// Max.
    pub max: Option<String>,
    /// Max length.
    pub max_len: Option<u32>,
}

/// An attached file.
#[derive(Debug, Clone)]
pub struct FileItem {
    /// Attachment id.
    pub id: String,
    /// Document id.
    pub document_id: String,
    /// Name.
    pub name: String,
    /// `PDF`…
    pub kind: String,
    /// Whether it is an image (thumbnail).
    pub image: bool,
    /// Size for people.
    pub size: String,
}

/// A paper with its files.
#[derive(Debug, Clone)]
pub struct PaperItem {
    /// Name.
    pub name: String,
    /// Original/copy…
    pub form: &'static str,
    /// How many.
    pub count: u32,
    /// Required.
    pub required: bool,
    /// Files.
    pub files: Vec<FileItem>,
}

/// A line of the timeline.
#[derive(Debug, Clone)]
pub struct EventItem {
    /// When.
    pub at: String,
    /// What.
    pub what: String,
    /// Note.
    pub note: String,
}

/// Everything the dossier pages show.
#[derive(Debug, Clone)]
pub struct DossierData {
    /// Id.
    pub id: String,
    /// Code once submitted.
    pub code: Option<String>,
    /// Procedure name and code.
    pub procedure: String,
    /// Procedure code.
    pub procedure_code: String,
    /// Version number.
    pub version: i64,
    /// Editable draft.
    pub draft: bool,
    /// Status label.
    pub status: String,
    /// Organisation.
    pub organisation: Option<String>,
    /// Form fields.
    pub fields: Vec<FieldItem>,
    /// Their definitions (for the live check in the browser).
    pub defs: Vec<crate::domain::FieldDef>,
    /// Papers.
    pub papers: Vec<PaperItem>,
    /// Delivery options (value, label).
    pub delivery_options: Vec<(String, String)>,
    /// Chosen delivery.
    pub delivery: String,
    /// Postal address.
    pub delivery_address: String,
    /// Receiving units (code, name).
    pub receiving_options: Vec<(String, String)>,
    /// Chosen unit.
    pub receiving: String,
    /// Submitted at.
    pub submitted_at: Option<String>,
    /// Due.
    pub due_at: Option<String>,
    /// Lookup key.
    pub lookup_key: Option<String>,
    /// Timeline.
    pub events: Vec<EventItem>,
    /// May be withdrawn now.
    pub withdrawable: bool,
    /// The returned result: document id and file name.
    pub result: Option<(String, String)>,
    /// The applicant may add scans now (draft, or an open supplement request).
    pub accepts_files: bool,
    /// What an open supplement request asks for.
    pub supplement_request: Option<String>,
    /// Problems blocking submission (key, message).
    pub problems: Vec<(String, String)>,
    /// The owner's documents for reuse (id, label).
    pub reusable: Vec<(String, String)>,
    /// Per-file cap for people.
    pub max_file: String,
    /// Per-file cap in bytes (for the progress island's early check).
    pub max_file_bytes: u64,
    /// Back-office facts once submitted.
    pub handling: Handled,
}

/// What the back office did that the applicant sees: an apology with a new appointment, how
/// the result was handed over, the address that verifies it, the printed forms.
#[derive(Debug, Clone, Default)]
pub struct Handled {
    /// The first appointment and the apology, when it was moved.
    pub apology: Option<(String, String)>,
    /// How the result was handed over.
    pub returned: Option<String>,
    /// Where the result is verified.
    pub verify: Option<String>,
    /// Printed forms: (href, label).
    pub forms: Vec<(String, String)>,
}

fn not_found_view() -> AnyView {
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t(NOT_FOUND)/>
        <h1>{t(NOT_FOUND)}</h1>
        <p><a href="/dossiers">{t(TITLE)}</a></p>
    }
    .into_any()
}

/// A row of "My dossiers".
#[derive(Debug, Clone)]
pub struct ListItem {
    id: String,
    code: Option<String>,
    procedure: String,
    status: String,
    organisation: Option<String>,
    submitted: String,
    due: String,
    /// `overdue`, `soon` or `on-time` while the clock runs.
    due_class: Option<&'static str>,
}

/// `/dossiers`.
#[component]
pub fn DossiersPage() -> impl IntoView {
    let query = use_query_map();
    let (group, code, page) = query.with_untracked(|q| {
        (
            q.get("group").unwrap_or_default(),
            q.get("code").unwrap_or_default(),
            q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1),
        )
    });
    let discarded = query.with_untracked(|q| q.get("discarded").is_some());
    require_signed_in().map(|viewer| {
        let locale = use_locale();
        let data = crate::pages::loader::spawn(load_list(viewer.user_id.clone(), group.clone(), code.clone(), page, locale));
        let selected = group.clone();
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            {discarded.then(|| view! { <Notice text=SAVED/> })}
            <form method="get" action="/dossiers" class="filters" role="search">
                <div class="field">
                    <label for="f-group">{t(GROUP)}</label>
                    <select id="f-group" name="group">
                        {[("", ALL), ("draft", DRAFTS), ("active", ACTIVE), ("done", DONE)]
                            .into_iter()
                            .map(|(v, label)| view! { <option value=v selected=selected == v>{t(label)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-code">{t(SEARCH_CODE)}</label>
                    <input id="f-code" name="code" type="search" value=code.clone() maxlength="40"/>
                </div>
                <button type="submit" class="button secondary">{t(FILTER)}</button>
            </form>
            <Suspense fallback=|| ()>
                {Suspend::new({
                    let group = group.clone();
                    let code = code.clone();
                    async move {
                        let (items, total) = data.await;
                        if items.is_empty() {
                            return view! {
                                <p class="empty">{t(NONE)}</p>
                                <p><a class="button" href="/procedures">{t(FIND_PROCEDURE)}</a></p>
                            }
                                .into_any();
                        }
                        let pages = ((total + 19) / 20).max(1);
                        let link = move |p: i64| format!("/dossiers?group={}&code={}&page={p}", group, code);
                        let summary = t(PAGE_OF)
                            .replace("{page}", &page.to_string())
                            .replace("{pages}", &pages.to_string())
                            .replace("{total}", &total.to_string());
                        view! {
                            <table class="table dossier-list">
                                <caption class="visually-hidden">{t(TITLE)}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t(CODE)}</th>
                                        <th scope="col">{t(PROCEDURE)}</th>
                                        <th scope="col">{t(STATUS)}</th>
                                        <th scope="col">{t(SUBMITTED_AT)}</th>
                                        <th scope="col">{t(DUE)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {items
                                        .into_iter()
                                        .map(|d| {
                                            let href = format!("/dossiers/{}", d.id);
                                            view! {
                                                <tr>
                                                    <td>
                                                        <a href=href>
                                                            {d.code.clone().unwrap_or_else(|| t(DRAFT_LABEL).to_string())}
                                                        </a>
                                                    </td>
                                                    <td>
                                                        {d.procedure}
                                                        {d.organisation.map(|o| view! { <br/><small>{o}</small> })}
                                                    </td>
                                                    <td>{d.status}</td>
                                                    <td>{d.submitted}</td>
                                                    <td class=d.due_class.map(|c| format!("due due-{c}"))>
                                                        {d.due}
                                                        {d.due_class
                                                            .map(|c| {
                                                                let label = match c {
                                                                    "overdue" => t(OVERDUE),
                                                                    "soon" => t(DUE_SOON),
                                                                    _ => t(ON_TIME),
                                                                };
                                                                view! { <br/><span class="due-label">{label}</span> }
                                                            })}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <nav class="pagination" aria-label=summary.clone()>
                                <p>{summary.clone()}</p>
                                {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{t(PREVIOUS)}</a> })}
                                {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{t(NEXT)}</a> })}
                            </nav>
                        }
                            .into_any()
                    }
                })}
            </Suspense>
        }
    })
}

fn field_error(key: &str) -> Option<String> {
    let locale = use_locale();
    use_form_state().and_then(|s| s.errors.get(key).map(|m: &Message| m.get(locale).to_string()))
}

fn field_value(key: &str, stored: &str) -> String {
    use_form_state().and_then(|s| s.values.get(key).cloned()).unwrap_or_else(|| stored.to_string())
}

/// One form field rendered from its definition.
fn dynamic_field(f: FieldItem) -> impl IntoView {
    let id = format!("f-{}", f.key);
    let error = field_error(&f.key);
    let value = field_value(&f.key, &f.value);
    let help_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = [f.help.as_ref().map(|_| help_id.clone()), error.as_ref().map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let invalid = error.is_some().then_some("true");
    let label = view! {
        <label for=id.clone()>
            {f.label.clone()}
            {f.required.then(|| view! { <span class="required">" (" {t(REQUIRED)} ")"</span> })}
        </label>
    };
    let control = match f.kind {
        "choice" => view! {
            <select id=id.clone() name=f.key.clone() required=f.required aria-invalid=invalid aria-describedby=described.clone()>
                <option value="">{t(CHOOSE)}</option>
                {f.options
                    .iter()
                    .map(|o| view! { <option value=o.value.clone() selected=o.value == value>{o.label.clone()}</option> })
                    .collect_view()}
            </select>
        }
        .into_any(),
        "checkbox" => view! {
            <input type="hidden" name=f.key.clone() value="false"/>
            <input
                type="checkbox"
                id=id.clone()
                name=f.key.clone()
                value="on"
                checked=matches!(value.as_str(), "on" | "true" | "1" | "yes")
                aria-invalid=invalid
                aria-describedby=described.clone()
            />
        }
        .into_any(),
        "address" => view! {
            <textarea id=id.clone() name=f.key.clone() rows="2" maxlength="500" required=f.required aria-invalid=invalid aria-describedby=described.clone()>
                {textarea_text(&value)}
            </textarea>
        }
        .into_any(),
        kind => {
            let (input_type, inputmode) = match kind {
                "number" => ("number", Some("numeric")),
                "date" => ("date", None),
                "citizen_id" => ("text", Some("numeric")),
                "tax_code" => ("text", Some("numeric")),
                _ => ("text", None),
            };
            let max_len = match kind {
                "citizen_id" => Some(12),
                "tax_code" => Some(14),
                _ => f.max_len,
            };
            view! {
                <input
                    type=input_type
                    id=id.clone()
                    name=f.key.clone()
                    value=value.clone()
                    inputmode=inputmode
                    maxlength=max_len
                    min=f.min.clone()
                    max=f.max.clone()
                    required=f.required
                    aria-invalid=invalid
                    aria-describedby=described.clone()
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:field-error=error.is_some() class:field-checkbox=f.kind == "checkbox">
            {label}
            {f.help.clone().map(|h| view! { <p class="hint" id=help_id.clone()>{h}</p> })}
            // always there (hidden when empty) so the live check can fill it in
            <p class="error-message" id=error_id.clone() hidden=error.is_none()>{error.clone().unwrap_or_default()}</p>
            {control}
        </div>
    }
}

/// `/dossiers/{id}`: a draft to fill in, or a submitted dossier.
#[component]
pub fn DossierPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let query = use_query_map();
    let notice = query.with_untracked(|q| {
        [
            ("saved", SAVED),
            ("uploaded", UPLOADED),
            ("removed", REMOVED),
            ("submitted", SUBMITTED),
            ("withdrawn", WITHDRAWN_NOTICE),
            ("supplemented", SUPPLEMENTED),
        ]
        .into_iter()
        .find(|(k, _)| q.get(k).is_some())
        .map(|(_, text)| text)
    });
    require_signed_in().map(|viewer| {
        let data =
            crate::pages::loader::spawn(load_dossier(viewer.user_id.clone(), id.clone(), use_locale()));
        view! {
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    match data.await {
                        None => not_found_view(),
                        Some(d) if d.draft => draft_view(d, notice).into_any(),
                        Some(d) => submitted_view(d, notice).into_any(),
                    }
                })}
            </Suspense>
        }
    })
}

fn draft_view(d: DossierData, notice: Option<crate::i18n::Text>) -> impl IntoView {
    let id = d.id.clone();
    let delivery = field_value("delivery", &d.delivery);
    let address = field_value("delivery_address", &d.delivery_address);
    let receiving = field_value("receiving_agency", &d.receiving);
    let address_error = field_error("delivery_address");
    let delivery_error = field_error("delivery");
    view! {
        <Title text=format!("{} — {}", t(DRAFT_TITLE), d.procedure)/>
        <p class="breadcrumb"><a href="/dossiers">{t(TITLE)}</a></p>
        <h1>{t(DRAFT_TITLE)}</h1>
        <p class="lead">{d.procedure.clone()}</p>
        <dl class="facts">
            <dt>{t(VERSION)}</dt>
            <dd>{d.version}</dd>
            {d.organisation.clone().map(|o| view! { <dt>{t(FILED_FOR)}</dt><dd>{o}</dd> })}
        </dl>
        {notice.map(|text| view! { <Notice text/> })}
        <ErrorSummary/>
        <p>{t(DRAFT_INTRO)}</p>
        <section aria-labelledby="step-form">
            <h2 id="step-form">{t(STEP_FORM)}</h2>
            <form method="post" action=format!("/dossiers/{id}/save") novalidate class="dossier-form">
                {d.fields.clone().into_iter().map(dynamic_field).collect_view()}
                {(d.receiving_options.len() > 1)
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for="f-receiving_agency">{t(RECEIVING)}</label>
                                <select id="f-receiving_agency" name="receiving_agency">
                                    {d.receiving_options
                                        .iter()
                                        .map(|(code, name)| view! { <option value=code.clone() selected=*code == receiving>{name.clone()}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                        }
                    })}
                <fieldset class="field" class:field-error=delivery_error.is_some() id="f-delivery">
                    <legend>{t(DELIVERY)}</legend>
                    {delivery_error.clone().map(|e| view! { <p class="error-message">{e}</p> })}
                    {d.delivery_options
                        .iter()
                        .map(|(value, label)| {
                            let rid = format!("delivery-{value}");
                            view! {
                                <div class="choice">
                                    <input type="radio" id=rid.clone() name="delivery" value=value.clone() checked=*value == delivery/>
                                    <label for=rid>{label.clone()}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="field" class:field-error=address_error.is_some()>
                    <label for="f-delivery_address">{t(POSTAL_ADDRESS)}</label>
                    {address_error.clone().map(|e| view! { <p class="error-message" id="f-delivery_address-error">{e}</p> })}
                    <textarea id="f-delivery_address" name="delivery_address" rows="2" maxlength="500">{textarea_text(&address)}</textarea>
                </div>
                <div class="actions">
                    <LiveForm defs=d.defs.clone() save_url=format!("/dossiers/{id}/save") vi=use_locale() == Locale::Vi/>
                    <button type="submit" class="button secondary" name="next" value="stay">{t(SAVE)}</button>
                    <button type="submit" class="button" name="next" value="review">{t(SAVE_AND_REVIEW)}</button>
                </div>
            </form>
        </section>
        <section aria-labelledby="step-papers">
            <h2 id="step-papers">{t(STEP_PAPERS)}</h2>
            <p class="hint">{t(SAVE_FIRST)}</p>
            {papers_editor(&d)}
        </section>
        <section aria-labelledby="step-review">
            <h2 id="step-review">{t(STEP_REVIEW)}</h2>
            <div class="actions">
                <a class="button" href=format!("/dossiers/{id}/review")>{t(GO_REVIEW)}</a>
                <form method="post" action=format!("/dossiers/{id}/discard") class="inline">
                    <button type="submit" class="button danger">{t(DISCARD)}</button>
                </form>
            </div>
        </section>
    }
}

/// The papers of a dossier with their files, an upload form each and the "reuse" choice:
/// for a draft, and for a supplement.
fn papers_editor(d: &DossierData) -> AnyView {
    let locale = use_locale();
    let id = d.id.clone();
    let max_file = d.max_file.clone();
    let max_bytes = d.max_file_bytes;
    let reusable = d.reusable.clone();
    view! {
            {d.papers
                .clone()
                .into_iter()
                .enumerate()
                .map(|(i, p)| {
                    let error = field_error(&format!("paper-{i}"));
                    let input_id = format!("f-paper-{i}");
                    let hint_id = format!("{input_id}-hint");
                    let hint = t(FILE_HINT).replace("{max}", &max_file);
                    let id = id.clone();
                    let reusable = reusable.clone();
                    view! {
                        <div class="paper" id=format!("paper-{i}") class:field-error=error.is_some()>
                            <h3>
                                {format!("{}. {}", i + 1, p.name)}
                                <span class="paper-meta">
                                    {format!(" ({}, {} — ", p.form_label(locale), p.count)}
                                    {if p.required { t(REQUIRED) } else { t(OPTIONAL) }}
                                    ")"
                                </span>
                            </h3>
                            {if p.files.is_empty() {
                                view! { <p class="empty">{t(NO_FILES)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="files">
                                        {p.files
                                            .iter()
                                            .map(|f| {
                                                let href = format!("/documents/{}", f.document_id);
                                                let remove = format!("/dossiers/{}/files/{}/remove", id, f.id);
                                                let label = format!("{} {}", t(REMOVE), f.name);
                                                view! {
                                                    <li>
                                                        {f.image.then(|| view! { <img class="thumb" src=href.clone() alt="" width="64" height="64" loading="lazy"/> })}
                                                        <a href=href.clone() target="_blank" rel="noopener">{f.name.clone()}</a>
                                                        <span class="file-meta">{format!(" ({}, {})", f.kind, f.size)}</span>
                                                        <form method="post" action=remove class="inline">
                                                            <button type="submit" class="button link" aria-label=label>{t(REMOVE)}</button>
                                                        </form>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }}
                            {error.clone().map(|e| view! { <p class="error-message" id=format!("{input_id}-error")>{e}</p> })}
                            <form method="post" enctype="multipart/form-data" action=format!("/dossiers/{}/papers/{i}", id) class="upload-form">
                                <label for=input_id.clone()>{t(CHOOSE_FILE)}</label>
                                <p class="hint" id=hint_id.clone()>{hint}</p>
                                <input
                                    type="file"
                                    id=input_id.clone()
                                    name="file"
                                    accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                                    aria-describedby=hint_id
                                    aria-invalid=error.is_some().then_some("true")
                                />
                                <button type="submit" class="button secondary">{t(UPLOAD)}</button>
                                <UploadProgress max_bytes=max_bytes vi=locale == Locale::Vi/>
                            </form>
                            {(!reusable.is_empty())
                                .then(|| {
                                    let sid = format!("reuse-{i}");
                                    view! {
                                        <form method="post" action=format!("/dossiers/{}/papers/{i}/attach", id) class="reuse-form">
                                            <label for=sid.clone()>{t(REUSE)}</label>
                                            <select id=sid name="document">
                                                {reusable.iter().map(|(doc, label)| view! { <option value=doc.clone()>{label.clone()}</option> }).collect_view()}
                                            </select>
                                            <button type="submit" class="button secondary">{t(ATTACH)}</button>
                                        </form>
                                    }
                                })}
                        </div>
                    }
                })
                .collect_view()}
    }
    .into_any()
}

impl PaperItem {
    fn form_label(&self, locale: Locale) -> &'static str {
        match self.form {
            "original" => ORIGINAL.get(locale),
            "certified_copy" => CERTIFIED_COPY.get(locale),
            "electronic" => ELECTRONIC.get(locale),
            _ => COPY.get(locale),
        }
    }
}

fn papers_list(d: &DossierData) -> AnyView {
    let locale = use_locale();
    view! {
        <ol class="papers">
            {d.papers
                .iter()
                .map(|p| {
                    view! {
                        <li>
                            {p.name.clone()} {format!(" ({})", p.form_label(locale))}
                            <ul class="files">
                                {p.files
                                    .iter()
                                    .map(|f| {
                                        view! {
                                            <li>
                                                <a href=format!("/documents/{}", f.document_id) target="_blank" rel="noopener">{f.name.clone()}</a>
                                                {format!(" ({}, {})", f.kind, f.size)}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

fn form_summary(d: &DossierData) -> AnyView {
    view! {
        <dl class="facts">
            {d.fields
                .iter()
                .map(|f| {
                    let shown = match f.kind {
                        "choice" => f.options.iter().find(|o| o.value == f.value).map(|o| o.label.clone()).unwrap_or_default(),
                        "checkbox" => if matches!(f.value.as_str(), "on" | "true" | "1" | "yes") { t(YES).to_string() } else { t(NO).to_string() },
                        _ => f.value.clone(),
                    };
                    view! { <dt>{f.label.clone()}</dt><dd>{shown}</dd> }
                })
                .collect_view()}
        </dl>
    }
    .into_any()
}

fn submitted_view(d: DossierData, notice: Option<crate::i18n::Text>) -> impl IntoView {
    let code = d.code.clone().unwrap_or_default();
    let id = d.id.clone();
    let reason_error = field_error("reason");
    view! {
        <Title text=format!("{} {}", t(CODE), code)/>
        <p class="breadcrumb"><a href="/dossiers">{t(TITLE)}</a></p>
        <h1>{format!("{} {}", t(CODE), code)}</h1>
        {notice.map(|text| view! { <Notice text/> })}
        <ErrorSummary/>
        <dl class="facts">
            <dt>{t(PROCEDURE)}</dt>
            <dd>{d.procedure.clone()}</dd>
            <dt>{t(STATUS)}</dt>
            <dd><strong class="status" data-testid="status">{d.status.clone()}</strong></dd>
            {d.organisation.clone().map(|o| view! { <dt>{t(FILED_FOR)}</dt><dd>{o}</dd> })}
            <dt>{t(SUBMITTED_AT)}</dt>
            <dd>{d.submitted_at.clone().unwrap_or_default()}</dd>
            {d.due_at.clone().map(|due| view! { <dt>{t(DUE)}</dt><dd>{due}</dd> })}
            <dt>{t(LOOKUP_KEY)}</dt>
            <dd><code data-testid="lookup-key">{d.lookup_key.clone().unwrap_or_default()}</code></dd>
        </dl>
        <p class="actions">
            <a class="button secondary" href=format!("/dossiers/{id}/receipt.pdf")>{t(RECEIPT)}</a>
            {d.due_at.is_some().then(|| view! { <a class="button secondary" href=format!("/dossiers/{id}/appointment.pdf")>{t(APPOINTMENT_SLIP)}</a> })}
        </p>
        {d.handling.apology.clone().map(|(original, reason)| view! {
            <section class="notice" aria-labelledby="apology-title" data-testid="apology">
                <h2 id="apology-title">{t(APOLOGY_TITLE)}</h2>
                <p>{reason}</p>
                <p>{t(APOLOGY_PREVIOUS)} " " {original} ". " {t(APOLOGY_NEW)} " " {d.due_at.clone().unwrap_or_default()}</p>
            </section>
        })}
        {(!d.handling.forms.is_empty()).then(|| view! {
            <ul class="links" aria-label=t(PRINTED)>
                {d.handling.forms.iter().map(|(href, label)| view! { <li><a href=href.clone()>{label.clone()}</a></li> }).collect_view()}
            </ul>
        })}
        <crate::components::payment::PaymentSection dossier_id=id.clone() officer=false/>
        {d.result
            .clone()
            .map(|(doc, name)| {
                view! {
                    <section class="notice" aria-labelledby="result-title">
                        <h2 id="result-title">{t(RESULT_TITLE)}</h2>
                        <p><a href=format!("/documents/{doc}?download=1") data-testid="result">{t(DOWNLOAD_RESULT)} " — " {name}</a></p>
                        {d.handling.returned.clone().map(|how| view! { <p data-testid="returned-via">{how}</p> })}
                        {d.handling.verify.clone().map(|href| view! { <p><a href=href data-testid="verify">{t(VERIFY_RESULT)}</a></p> })}
                    </section>
                }
            })}
        <crate::pages::citizen::feedback::DossierRating id=id.clone() returned=d.handling.returned.is_some()/>
        {d.supplement_request
            .clone()
            .map(|request| {
                let note_error = field_error("note");
                view! {
                    <section class="supplement" aria-labelledby="supplement-title">
                        <h2 id="supplement-title">{t(SUPPLEMENT_TITLE)}</h2>
                        <blockquote class="request" data-testid="supplement-request">{request}</blockquote>
                        <p>{t(SUPPLEMENT_INTRO)}</p>
                        {papers_editor(&d)}
                        <form method="post" action=format!("/dossiers/{id}/supplement") novalidate>
                            <div class="field" class:field-error=note_error.is_some()>
                                <label for="f-note">{t(SUPPLEMENT_NOTE)}</label>
                                {note_error.clone().map(|e| view! { <p class="error-message">{e}</p> })}
                                <textarea id="f-note" name="note" rows="2" maxlength="1000"></textarea>
                            </div>
                            <button type="submit" class="button">{t(SEND_SUPPLEMENT)}</button>
                        </form>
                    </section>
                }
            })}
        <h2>{t(TIMELINE)}</h2>
        <ol class="timeline">
            {d.events
                .iter()
                .map(|e| {
                    view! {
                        <li>
                            <time>{e.at.clone()}</time>
                            " — "
                            {e.what.clone()}
                            {(!e.note.is_empty()).then(|| view! { <p class="note">{e.note.clone()}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <h2>{t(FORM_DATA)}</h2>
        {form_summary(&d)}
        <h2>{t(PAPERS)}</h2>
        {papers_list(&d)}
        {d.withdrawable
            .then(|| {
                view! {
                    <section class="narrow" aria-labelledby="withdraw-title">
                        <h2 id="withdraw-title">{t(WITHDRAW)}</h2>
                        <p>{t(WITHDRAW_INTRO)}</p>
                        <form method="post" action=format!("/dossiers/{id}/withdraw") novalidate>
                            <div class="field" class:field-error=reason_error.is_some()>
                                <label for="f-reason">{t(REASON)}</label>
                                {reason_error.clone().map(|e| view! { <p class="error-message" id="f-reason-error">{e}</p> })}
                                <textarea id="f-reason" name="reason" rows="3" maxlength="1000" required=true>
                                    {textarea_text(&field_value("reason", ""))}
                                </textarea>
                            </div>
                            <button type="submit" class="button danger">{t(WITHDRAW)}</button>
                        </form>
                    </section>
                }
            })}
    }
}

/// `/dossiers/{id}/review`.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    require_signed_in().map(|viewer| {
        let data =
            crate::pages::loader::spawn(load_dossier(viewer.user_id.clone(), id.clone(), use_locale()));
        view! {
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    match data.await {
                        None => not_found_view(),
                        Some(d) if !d.draft => {
                            #[cfg(feature = "ssr")]
                            leptos_axum::redirect(&format!("/dossiers/{}", d.id));
                            ().into_any()
                        }
                        Some(d) => review_view(d).into_any(),
                    }
                })}
            </Suspense>
        }
    })
}

fn review_view(d: DossierData) -> impl IntoView {
    let id = d.id.clone();
    let token = submit_token();
    let ready = d.problems.is_empty();
    view! {
        <Title text=t(REVIEW_TITLE)/>
        <p class="breadcrumb"><a href=format!("/dossiers/{id}")>{t(EDIT)}</a></p>
        <h1>{t(REVIEW_TITLE)}</h1>
        <p class="lead">{d.procedure.clone()}</p>
        <ErrorSummary/>
        {if ready {
            view! { <div class="notice" role="status"><p>{t(READY)}</p></div> }.into_any()
        } else {
            view! {
                <div class="error-summary" role="alert">
                    <h2>{t(FIX_FIRST)}</h2>
                    <ul>
                        {d.problems
                            .iter()
                            .map(|(key, message)| {
                                let anchor = if key.starts_with("paper-") { format!("/dossiers/{id}#{key}") } else { format!("/dossiers/{id}#f-{key}") };
                                view! { <li><a href=anchor>{message.clone()}</a></li> }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
                .into_any()
        }}
        <h2>{t(FORM_DATA)}</h2>
        {form_summary(&d)}
        <h2>{t(DELIVERY)}</h2>
        <p>
            {d.delivery_options.iter().find(|(v, _)| *v == d.delivery).map(|(_, l)| l.clone()).unwrap_or_default()}
            {(d.delivery == "post").then(|| format!(": {}", d.delivery_address))}
        </p>
        <h2>{t(PAPERS)}</h2>
        {papers_list(&d)}
        <crate::components::payment::FeeSummary dossier_id=id.clone()/>
        <div class="actions">
            <a class="button secondary" href=format!("/dossiers/{id}")>{t(EDIT)}</a>
            {ready
                .then(|| {
                    view! {
                        <form method="post" action=format!("/dossiers/{id}/submit") class="inline submit-form">
                            <input type="hidden" name="token" value=token/>
                            <button type="submit" class="button">{t(SUBMIT)}</button>
                        </form>
                    }
                })}
        </div>
        {ready.then(|| view! { <p class="hint">{t(SUBMIT_NOTE)}</p> })}
    }
}

/// A fresh idempotency token for the submit form.
fn submit_token() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::ssr::auth::tokens::new_token()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// A document of "My documents".
#[derive(Debug, Clone)]
pub struct DocumentItem {
    id: String,
    name: String,
    kind: String,
    size: String,
    added: String,
    result: bool,
}

/// `/documents`.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    require_signed_in().map(|viewer| {
        let data = crate::pages::loader::spawn(load_documents(viewer.user_id.clone(), use_locale()));
        view! {
            <Title text=t(DOCUMENTS_TITLE)/>
            <h1>{t(DOCUMENTS_TITLE)}</h1>
            <p>{t(DOCUMENTS_INTRO)}</p>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let docs = data.await;
                    if docs.is_empty() {
                        return view! { <p class="empty">{t(DOCUMENTS_NONE)}</p> }.into_any();
                    }
                    view! {
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t(FILE_NAME)}</th>
                                    <th scope="col">{t(FILE_TYPE)}</th>
                                    <th scope="col">{t(FILE_SIZE)}</th>
                                    <th scope="col">{t(ADDED)}</th>
                                    <th scope="col">{t(DOWNLOAD)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {docs
                                    .into_iter()
                                    .map(|d| {
                                        let href = format!("/documents/{}", d.id);
                                        view! {
                                            <tr>
                                                <td><a href=href.clone() target="_blank" rel="noopener">{d.name.clone()}</a></td>
                                                <td>{d.kind} " · " {if d.result { t(KIND_RESULT) } else { t(KIND_UPLOAD) }}</td>
                                                <td>{d.size}</td>
                                                <td>{d.added}</td>
                                                <td><a href=format!("{href}?download=1") aria-label=format!("{} {}", t(DOWNLOAD), d.name)>{t(DOWNLOAD)}</a></td>
                                            </tr>
                                        }
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

async fn load_list(
    user_id: String,
    group: String,
    code: String,
    page: i64,
    locale: Locale,
) -> (Vec<ListItem>, i64) {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::auth::policy::Actor;
        use crate::ssr::db::columns::from_db;
        use crate::ssr::db::dossiers::ListFilter;
        use crate::ssr::services::{filing, receipts::local_time};
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return (Vec::new(), 0) };
        let filter = ListFilter {
            group: (!group.is_empty()).then_some(group),
            code: (!code.trim().is_empty()).then(|| code.trim().to_ascii_uppercase()),
            limit: filing::PAGE_SIZE,
            offset: (page - 1) * filing::PAGE_SIZE,
        };
        let Ok((rows, total)) = filing::list(&state, &Actor::Citizen { user_id }, &filter).await else {
            return (Vec::new(), 0);
        };
        let calendar = crate::ssr::services::reception::calendar(&state).await.ok();
        let now = state.clock.now();
        // overdue, due within two working days, or on time — while the clock runs
        let due_class = |state: &str, due: Option<i64>| -> Option<&'static str> {
            let running = filing::parse_state(state).is_ok_and(|s| s.clock_running());
            let (cal, due) = (calendar.as_ref()?, due.map(from_db)?);
            if !running {
                return None;
            }
            Some(if due < now {
                "overdue"
            } else if cal.working_minutes_between(now, due) <= 2 * cal.hours().minutes_per_day() {
                "soon"
            } else {
                "on-time"
            })
        };
        let items = rows
            .into_iter()
            .map(|r| ListItem {
                due_class: due_class(&r.state, r.due_at),
                status: filing::parse_state(&r.state).map(|s| status_label(s, locale)).unwrap_or_default(),
                id: r.id,
                code: r.code,
                procedure: if locale == Locale::Vi { r.procedure_name_vi } else { r.procedure_name_en },
                organisation: r.organisation_name,
                submitted: r.submitted_at.map(|t| local_time(from_db(t))).unwrap_or_default(),
                due: r.due_at.map(|t| local_time(from_db(t))).unwrap_or_default(),
            })
            .collect();
        (items, total)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (user_id, group, code, page, locale);
        (Vec::new(), 0)
    }
}

/// A state's label in the page's language.
#[cfg(feature = "ssr")]
fn status_label(state: crate::domain::DossierState, locale: Locale) -> String {
    match locale {
        Locale::Vi => state.label_vi().to_string(),
        Locale::En => state.label_en().to_string(),
    }
}

/// A timeline entry's label.
#[cfg(feature = "ssr")]
pub(crate) fn event_label(kind: &str, locale: Locale) -> String {
    let (vi, en) = match kind {
        "created" => ("Tạo bản nháp", "Draft created"),
        "submitted" => ("Nộp hồ sơ trực tuyến", "Submitted online"),
        "withdrawn" => ("Rút hồ sơ", "Withdrawn"),
        "withdrawal_requested" => ("Yêu cầu rút hồ sơ", "Withdrawal requested"),
        "supplement_requested" | "supplement_requested_processing" => {
            ("Yêu cầu bổ sung hồ sơ", "Supplement requested")
        }
        "supplemented" => ("Đã bổ sung hồ sơ", "Supplement sent"),
        "received" => ("Tiếp nhận hồ sơ, hẹn trả kết quả", "Received; appointment set"),
        "processing_started" => ("Bắt đầu giải quyết", "Processing started"),
        "forwarded" => ("Chuyển bước xử lý", "Sent to the next step"),
        "approved" => ("Lãnh đạo phê duyệt", "Approved"),
        "sent_back" => ("Trả lại bước trước", "Sent back a step"),
        "decided" => ("Đã có kết quả giải quyết", "Decided; result issued"),
        "refused_to_grant" => ("Từ chối giải quyết", "Refused to grant"),
        "returned" => ("Đã trả kết quả", "Result returned"),
        "refused_at_reception" => ("Không tiếp nhận hồ sơ", "Refused at reception"),
        "rescheduled" => ("Xin lỗi và hẹn lại ngày trả kết quả", "Apology and new appointment"),
        "stopped" => ("Dừng giải quyết hồ sơ", "Processing stopped"),
        "overdue" => ("Hồ sơ quá hạn giải quyết", "Dossier overdue"),
        "filed_at_desk" => ("Nộp trực tiếp tại bộ phận một cửa", "Filed at the one-stop desk"),
        "clock_resumed" => ("Tính tiếp thời hạn giải quyết", "The clock restarts"),
        "payment_started" => ("Bắt đầu thanh toán trực tuyến", "Online payment started"),
        "payment_paid" => ("Đã thanh toán phí, lệ phí", "Fee paid"),
        "payment_cancelled" => ("Hủy thanh toán", "Payment cancelled"),
        "payment_failed" => ("Thanh toán không thành công", "Payment failed"),
        "payment_expired" => ("Lệnh thanh toán hết hạn", "Payment link expired"),
        "payment_late" => ("Thanh toán muộn, chờ hoàn tiền", "Late payment, to refund"),
        "payment_requested" => ("Yêu cầu thực hiện nghĩa vụ tài chính", "Payment requested"),
        "payment_settled" => {
            ("Đã thực hiện nghĩa vụ tài chính, tiếp tục giải quyết", "Payment settled; processing resumes")
        }
        other => (other, other),
    };
    if locale == Locale::Vi { vi.to_string() } else { en.to_string() }
}

/// The back-office facts of a submitted dossier, for its applicant.
#[cfg(feature = "ssr")]
async fn handled(
    state: &crate::ssr::state::AppState,
    view: &crate::ssr::services::filing::DossierView,
    locale: Locale,
) -> Handled {
    use crate::ssr::db::columns::from_db;
    use crate::ssr::services::receipts::local_time;
    let Ok(mut conn) = state.db.reader().acquire().await else { return Handled::default() };
    let Ok(h) = crate::ssr::db::dossiers::handling(&mut conn, &view.row.id).await else {
        return Handled::default();
    };
    let vi = locale == Locale::Vi;
    let code = view.row.code.clone().unwrap_or_default();
    Handled {
        apology: h.original_due_at.map(|t| (local_time(from_db(t)), h.apology.clone())),
        returned: h.returned_via.as_deref().map(|via| return_label(via, &h.return_detail, locale)),
        verify: h
            .result_verify_token
            .as_deref()
            .filter(|_| view.state == crate::domain::DossierState::Returned)
            .map(|token| crate::ssr::services::workflow::verify_url(state, &code, token)),
        forms: crate::ssr::services::forms::available(view, vi),
    }
}

/// How a result was handed over, in words.
#[cfg(feature = "ssr")]
pub(crate) fn return_label(via: &str, detail: &str, locale: Locale) -> String {
    match (via, locale) {
        ("post", Locale::Vi) => format!("Gửi qua bưu chính, mã bưu gửi {detail}"),
        ("post", Locale::En) => format!("Sent by post, tracking number {detail}"),
        ("desk", Locale::Vi) => format!("Nhận tại bộ phận một cửa, người nhận: {detail}"),
        ("desk", Locale::En) => format!("Collected at the desk by {detail}"),
        (_, Locale::Vi) => "Bản điện tử vào tài khoản".to_string(),
        (_, Locale::En) => "Electronic, into the account".to_string(),
    }
}

async fn load_dossier(user_id: String, id: String, locale: Locale) -> Option<DossierData> {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::FieldKind;
        use crate::domain::document::{MediaType, format_size};
        use crate::domain::procedure::{Delivery, PaperForm};
        use crate::ssr::auth::policy::Actor;
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::{filing, receipts::local_time};
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = Actor::Citizen { user_id };
        let view = filing::get(&state, &actor, &id).await.ok()?;
        let vi = locale == Locale::Vi;
        let pick = |v: &str, e: &str| if vi { v.to_string() } else { e.to_string() };
        let problems = if view.editable() {
            filing::problems(&view).into_iter().map(|(k, m)| (k, m.get(locale).to_string())).collect()
        } else {
            Vec::new()
        };
        let fields = view
            .def
            .form
            .iter()
            .map(|f| {
                let (kind, options, min, max, max_len) = match &f.kind {
                    FieldKind::Text { max_len, .. } => ("text", Vec::new(), None, None, *max_len),
                    FieldKind::Number { min, max } => {
                        ("number", Vec::new(), min.map(|m| m.to_string()), max.map(|m| m.to_string()), None)
                    }
                    FieldKind::Date { min, max } => (
                        "date",
                        Vec::new(),
                        min.map(crate::domain::iso_date::format),
                        max.map(crate::domain::iso_date::format),
                        None,
                    ),
                    FieldKind::Choice { options } => (
                        "choice",
                        options
                            .iter()
                            .map(|o| ChoiceItem {
                                value: o.value.clone(),
                                label: pick(&o.label_vi, &o.label_en),
                            })
                            .collect(),
                        None,
                        None,
                        None,
                    ),
                    FieldKind::Checkbox => ("checkbox", Vec::new(), None, None, None),
                    FieldKind::CitizenId => ("citizen_id", Vec::new(), None, None, None),
                    FieldKind::TaxCode => ("tax_code", Vec::new(), None, None, None),
                    FieldKind::Address => ("address", Vec::new(), None, None, None),
                };
                FieldItem {
                    key: f.key.clone(),
                    label: pick(&f.label_vi, &f.label_en),
                    help: if vi { f.help_vi.clone() } else { f.help_en.clone() },
                    kind,
                    required: f.required,
                    value: view.values.get(&f.key).cloned().unwrap_or_default(),
                    options,
                    min,
                    max,
                    max_len,
                }
            })
            .collect();
        let papers = view
            .def
            .papers
            .iter()
            .enumerate()
            .map(|(i, p)| PaperItem {
                name: pick(&p.name_vi, &p.name_en),
                form: match p.form {
                    PaperForm::Original => "original",
                    PaperForm::Copy => "copy",
                    PaperForm::CertifiedCopy => "certified_copy",
                    PaperForm::Electronic => "electronic",
                },
                count: p.count,
                required: p.required,
                files: view
                    .files
                    .iter()
                    .filter(|f| f.paper_index == i64::try_from(i).unwrap_or(-1))
                    .map(|f| {
                        let media = MediaType::from_mime(&f.media_type);
                        FileItem {
                            id: f.id.clone(),
                            document_id: f.document_id.clone(),
                            name: f.file_name.clone(),
                            kind: media.map(|m| m.to_string()).unwrap_or_default(),
                            image: media.is_some_and(MediaType::is_image),
                            size: format_size(u64::try_from(f.size_bytes).unwrap_or(0), vi),
                        }
                    })
                    .collect(),
            })
            .collect();
        let delivery_options = view
            .def
            .delivery
            .iter()
            .map(|d| {
                let label = match d {
                    Delivery::Electronic => BY_ELECTRONIC,
                    Delivery::Post => BY_POST,
                    Delivery::Desk => AT_DESK,
                };
                (filing::delivery_value(*d).to_string(), label.get(locale).to_string())
            })
            .collect();
        let mut receiving_options = Vec::new();
        if let Ok(mut conn) = state.db.reader().acquire().await {
            for code in &view.def.receiving {
                let name = crate::ssr::db::agencies::names_by_code(&mut conn, code)
                    .await
                    .ok()
                    .flatten()
                    .map(|(v, e, _)| if vi { v } else { e })
                    .unwrap_or_else(|| code.clone());
                receiving_options.push((code.clone(), name));
            }
        }
        let reusable = if filing::accepts_files(view.state) {
            filing::documents(&state, &actor)
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|d| {
                    let label = format!(
                        "{} ({}, {})",
                        d.file_name,
                        local_time(from_db(d.created_at)),
                        format_size(u64::try_from(d.size_bytes).unwrap_or(0), vi)
                    );
                    (d.id, label)
                })
                .collect()
        } else {
            Vec::new()
        };
        let events = view
            .events
            .iter()
            .map(|e| EventItem {
                at: local_time(from_db(e.at)),
                what: event_label(&e.kind, locale),
                note: e.note.clone(),
            })
            .collect();
        let withdrawable = view.state.apply(crate::domain::DossierAction::RequestWithdrawal).is_ok();
        Some(DossierData {
            id: view.row.id.clone(),
            code: view.row.code.clone(),
            procedure: format!("{} ({})", pick(&view.def.name_vi, &view.def.name_en), view.def.code),
            procedure_code: view.def.code.clone(),
            version: view.row.version,
            draft: view.editable(),
            status: status_label(view.state, locale),
            organisation: view.organisation.clone(),
            fields,
            defs: view.def.form.clone(),
            papers,
            delivery_options,
            delivery: view.row.delivery.clone(),
            delivery_address: view.row.delivery_address.clone(),
            receiving_options,
            receiving: view.row.receiving_agency.clone(),
            submitted_at: view.row.submitted_at.map(|t| local_time(from_db(t))),
            due_at: view.row.due_at.map(|t| local_time(from_db(t))),
            lookup_key: view.row.lookup_secret.clone(),
            events,
            withdrawable,
            accepts_files: filing::accepts_files(view.state),
            result: match state.db.reader().acquire().await {
                Ok(mut conn) => crate::ssr::db::dossiers::position(&mut conn, &view.row.id)
                    .await
                    .ok()
                    .flatten()
                    .and_then(|p| p.result_document_id.zip(p.result_file_name)),
                Err(_) => None,
            },
            supplement_request: filing::open_supplement_request(&view),
            problems,
            reusable,
            max_file: format_size(state.config.max_file_bytes, vi),
            max_file_bytes: state.config.max_file_bytes,
            handling: handled(&state, &view, locale).await,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (user_id, id, locale);
        None
    }
}

async fn load_documents(user_id: String, locale: Locale) -> Vec<DocumentItem> {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::document::{MediaType, format_size};
        use crate::ssr::auth::policy::Actor;
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::{filing, receipts::local_time};
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return Vec::new() };
        filing::documents(&state, &Actor::Citizen { user_id })
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|d| DocumentItem {
                kind: MediaType::from_mime(&d.media_type).map(|m| m.to_string()).unwrap_or_default(),
                size: format_size(u64::try_from(d.size_bytes).unwrap_or(0), locale == Locale::Vi),
                added: local_time(from_db(d.created_at)),
                result: d.kind == "result",
                id: d.id,
                name: d.file_name,
            })
            .collect()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (user_id, locale);
        Vec::new()
    }
}
