//! `/admin/procedures` (the procedures an administrator may edit) and
//! `/admin/procedures/{code}` (the editor). The editor is a page of small plain forms, one
//! per section, so it works without JavaScript: every save goes into the procedure's draft,
//! invisible to the public until it is published as a new version.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::widgets::{CheckField, FieldMessage, SelectField, TextAreaField, set_status};
use crate::components::form::{ErrorSummary, Notice, TextField};
use crate::components::viewer::require_signed_in;
use crate::domain::form::{FieldDef, FieldKind};
use crate::domain::money::Money;
use crate::domain::procedure::{
    Delivery, Fee, FeeKind, Level, OnlineLevel, Paper, PaperForm, PayWhen, ProcedureDef, Step, StepRole,
};
use crate::i18n::{Locale, Text, t, use_locale};

crate::texts! {
    TITLE = { vi: "Quản lý thủ tục hành chính", en: "Manage procedures" }
    FORBIDDEN = { vi: "Trang này dành cho quản trị viên.", en: "This page is for administrators." }
    NOT_FOUND = { vi: "Không tìm thấy thủ tục, hoặc bạn không quản lý thủ tục này.", en: "Procedure not found, or not one you manage." }
    SEARCH_LABEL = { vi: "Tên hoặc mã thủ tục", en: "Procedure name or code" }
    SEARCH = { vi: "Tìm kiếm", en: "Search" }
    CODE = { vi: "Mã", en: "Code" }
    NAME = { vi: "Tên thủ tục", en: "Procedure" }
    PUBLISHED = { vi: "Phiên bản công bố", en: "Published version" }
    DRAFT = { vi: "Bản nháp", en: "Draft" }
    HAS_DRAFT = { vi: "Có bản nháp chưa công bố", en: "Unpublished draft" }
    NO_DRAFT = { vi: "Không", en: "None" }
    NONE_FOUND = { vi: "Không có thủ tục phù hợp.", en: "No procedure matches." }
    BACK = { vi: "Danh sách thủ tục", en: "All procedures" }
    PUBLIC_PAGE = { vi: "Xem trang công khai", en: "See the public page" }
    STATUS = { vi: "Bản nháp và công bố", en: "Draft and publishing" }
    DRAFT_OF = { vi: "Đang sửa bản nháp (dựa trên phiên bản", en: "Editing a draft (based on version" }
    DRAFT_NOTE = { vi: "Công dân vẫn thấy phiên bản đang công bố cho đến khi bản nháp được công bố.", en: "Citizens see the published version until the draft is published." }
    NO_DRAFT_NOTE = { vi: "Chưa có bản nháp. Mọi thay đổi bên dưới được lưu vào một bản nháp mới, công dân chưa thấy.", en: "No draft yet. Any change below is saved into a new draft, which citizens do not see." }
    PUBLISH = { vi: "Công bố phiên bản mới", en: "Publish a new version" }
    WILL_BE = { vi: "Khi công bố, bản nháp trở thành phiên bản", en: "When published, the draft becomes version" }
    STALE = { vi: "Lưu ý: phiên bản công bố đã thay đổi sau khi bản nháp được tạo; công bố bản nháp sẽ thay thế những thay đổi đó.", en: "Note: the published version changed after this draft was started; publishing the draft replaces those changes." }
    DISCARD = { vi: "Hủy bản nháp", en: "Discard the draft" }
    SAVED = { vi: "Đã lưu vào bản nháp.", en: "Saved into the draft." }
    PUBLISHED_OK = { vi: "Đã công bố phiên bản mới.", en: "The new version is published." }
    DISCARDED = { vi: "Đã hủy bản nháp.", en: "The draft was discarded." }
    BASICS = { vi: "Thông tin chung", en: "Basic information" }
    NAME_VI = { vi: "Tên (tiếng Việt)", en: "Name (Vietnamese)" }
    NAME_EN = { vi: "Tên (tiếng Anh)", en: "Name (English)" }
    FIELD = { vi: "Lĩnh vực", en: "Field of activity" }
    DAYS = { vi: "Thời hạn giải quyết (ngày làm việc)", en: "Processing time (working days)" }
    CUTOFF = { vi: "Giờ nhận muộn nhất trong ngày (GG:PP, không bắt buộc)", en: "Latest time received that day (HH:MM, optional)" }
    CUTOFF_HINT = { vi: "Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo.", en: "Dossiers received later count from the next working day." }
    ONLINE = { vi: "Mức độ trực tuyến", en: "Online level" }
    FULL = { vi: "Toàn trình", en: "Fully online" }
    PARTIAL = { vi: "Một phần", en: "Partly online" }
    PAY_WHEN = { vi: "Thời điểm nộp phí", en: "When the fee is paid" }
    AT_SUBMISSION = { vi: "Khi nộp hồ sơ", en: "On submission" }
    AT_ACCEPTANCE = { vi: "Khi hồ sơ được tiếp nhận", en: "When the dossier is accepted" }
    RESULT_VI = { vi: "Kết quả (tiếng Việt)", en: "Result (Vietnamese)" }
    RESULT_EN = { vi: "Kết quả (tiếng Anh)", en: "Result (English)" }
    LEGAL = { vi: "Căn cứ pháp lý", en: "Legal basis" }
    LEGAL_HINT = { vi: "Mỗi văn bản một dòng.", en: "One text per line." }
    DELIVERY = { vi: "Hình thức nhận kết quả", en: "How the result is received" }
    BY_ELECTRONIC = { vi: "Trực tuyến (vào tài khoản)", en: "Online (into the account)" }
    BY_POST = { vi: "Qua bưu chính công ích", en: "By public postal service" }
    AT_DESK = { vi: "Tại bộ phận một cửa", en: "At the one-stop desk" }
    SAVE_BASICS = { vi: "Lưu thông tin chung", en: "Save the basic information" }
    PAPERS = { vi: "Thành phần hồ sơ", en: "Papers" }
    PAPER = { vi: "Giấy tờ", en: "Paper" }
    FORM_COL = { vi: "Hình thức", en: "Form" }
    COUNT = { vi: "Số lượng", en: "Count" }
    REQUIRED_COL = { vi: "Bắt buộc", en: "Required" }
    ACTIONS = { vi: "Thao tác", en: "Actions" }
    ORIGINAL = { vi: "Bản chính", en: "Original" }
    COPY = { vi: "Bản sao", en: "Copy" }
    CERTIFIED_COPY = { vi: "Bản sao có chứng thực", en: "Certified copy" }
    ELECTRONIC = { vi: "Bản điện tử", en: "Electronic" }
    REQUIRED = { vi: "Bắt buộc", en: "Required" }
    OPTIONAL = { vi: "Không bắt buộc", en: "Optional" }
    YES = { vi: "Có", en: "Yes" }
    NO = { vi: "Không", en: "No" }
    EDIT = { vi: "Sửa", en: "Edit" }
    REMOVE = { vi: "Xóa", en: "Remove" }
    UP = { vi: "Lên", en: "Up" }
    DOWN = { vi: "Xuống", en: "Down" }
    CANCEL_EDIT = { vi: "Thôi sửa", en: "Stop editing" }
    ADD_PAPER = { vi: "Thêm giấy tờ", en: "Add a paper" }
    EDIT_PAPER = { vi: "Sửa giấy tờ", en: "Edit the paper" }
    SAVE_PAPER = { vi: "Lưu giấy tờ", en: "Save the paper" }
    PAPER_NAME_VI = { vi: "Tên giấy tờ (tiếng Việt)", en: "Paper name (Vietnamese)" }
    PAPER_NAME_EN = { vi: "Tên giấy tờ (tiếng Anh)", en: "Paper name (English)" }
    PAPER_FORM = { vi: "Hình thức nộp", en: "Form handed in" }
    PAPER_COUNT = { vi: "Số lượng", en: "How many" }
    PAPER_REQUIRED = { vi: "Bắt buộc hay không", en: "Required or optional" }
    FIELDS = { vi: "Thông tin cần khai (biểu mẫu)", en: "Application form fields" }
    KEY = { vi: "Mã trường", en: "Key" }
    LABEL = { vi: "Nhãn", en: "Label" }
    KIND = { vi: "Loại", en: "Kind" }
    ADD_FIELD = { vi: "Thêm trường", en: "Add a field" }
    EDIT_FIELD = { vi: "Sửa trường", en: "Edit the field" }
    SAVE_FIELD = { vi: "Lưu trường", en: "Save the field" }
    FIELD_KEY = { vi: "Mã trường (chữ thường không dấu, ví dụ so_ban_sao)", en: "Key (lower case, e.g. copies_wanted)" }
    FIELD_LABEL_VI = { vi: "Nhãn (tiếng Việt)", en: "Label (Vietnamese)" }
    FIELD_LABEL_EN = { vi: "Nhãn (tiếng Anh)", en: "Label (English)" }
    FIELD_KIND = { vi: "Loại trường", en: "Kind of field" }
    FIELD_REQUIRED = { vi: "Bắt buộc nhập", en: "Must be filled in" }
    FIELD_MIN = { vi: "Giới hạn dưới (không bắt buộc)", en: "Minimum (optional)" }
    FIELD_MAX = { vi: "Giới hạn trên (không bắt buộc)", en: "Maximum (optional)" }
    BOUNDS_HINT = { vi: "Văn bản: số ký tự; số: giá trị; ngày: YYYY-MM-DD. Để trống với các loại khác.", en: "Text: characters; number: value; date: YYYY-MM-DD. Leave empty for other kinds." }
    FIELD_OPTIONS = { vi: "Các lựa chọn (chỉ với loại Lựa chọn)", en: "Options (choice fields only)" }
    OPTIONS_HINT = { vi: "Mỗi dòng một lựa chọn: giá_trị | Nhãn tiếng Việt | English label", en: "One option per line: value | Vietnamese label | English label" }
    FIELD_HELP_VI = { vi: "Hướng dẫn (tiếng Việt, không bắt buộc)", en: "Help (Vietnamese, optional)" }
    FIELD_HELP_EN = { vi: "Hướng dẫn (tiếng Anh, không bắt buộc)", en: "Help (English, optional)" }
    STEPS = { vi: "Quy trình xử lý nội bộ", en: "Internal workflow" }
    STEP = { vi: "Bước", en: "Step" }
    WHO = { vi: "Người thực hiện", en: "Who" }
    WHERE = { vi: "Đơn vị", en: "Unit" }
    SHARE = { vi: "Thời gian", en: "Time" }
    SHARE_SUM = { vi: "Tổng tỷ lệ thời gian (phải bằng 100% khi công bố):", en: "Total share of time (must be 100% to publish):" }
    ADD_STEP = { vi: "Thêm bước", en: "Add a step" }
    EDIT_STEP = { vi: "Sửa bước", en: "Edit the step" }
    SAVE_STEP = { vi: "Lưu bước", en: "Save the step" }
    STEP_NAME_VI = { vi: "Tên bước (tiếng Việt)", en: "Step name (Vietnamese)" }
    STEP_NAME_EN = { vi: "Tên bước (tiếng Anh)", en: "Step name (English)" }
    STEP_ROLE = { vi: "Vai trò thực hiện", en: "Role" }
    STEP_AGENCY = { vi: "Đơn vị thực hiện", en: "Unit" }
    STEP_SHARE = { vi: "Tỷ lệ thời gian (%)", en: "Share of time (%)" }
    DESK = { vi: "Cán bộ một cửa", en: "Desk officer" }
    SPECIALIST = { vi: "Chuyên viên", en: "Specialist" }
    LEADER = { vi: "Lãnh đạo", en: "Leader" }
    CLERK = { vi: "Văn thư", en: "Clerk" }
    EMPTY_LIST = { vi: "Chưa có mục nào.", en: "Nothing yet." }
    FEES = { vi: "Phí, lệ phí", en: "Fees and charges" }
    UNITS = { vi: "Cấp và đơn vị thực hiện", en: "Level and units" }
    UNITS_HINT = { vi: "Mỗi dòng một mã đơn vị (ví dụ 000.00.31.H26). Trung tâm phục vụ hành chính công có thể tiếp nhận thủ tục do sở quyết định.", en: "One unit code per line (e.g. 000.00.31.H26). A public-service centre may receive a procedure a department decides." }
    LEVEL = { vi: "Cấp quyết định", en: "Deciding level" }
    DECIDING = { vi: "Đơn vị quyết định", en: "Deciding units" }
    RECEIVING = { vi: "Đơn vị tiếp nhận", en: "Receiving units" }
    SAVE_UNITS = { vi: "Lưu đơn vị thực hiện", en: "Save the units" }
    L_PROVINCE = { vi: "Tỉnh", en: "Province" }
    L_DEPARTMENT = { vi: "Sở, ngành", en: "Department" }
    L_DISTRICT = { vi: "Huyện (mô hình ba cấp)", en: "District (three-tier model)" }
    L_COMMUNE = { vi: "Xã, phường", en: "Commune, ward" }
    FEE = { vi: "Khoản thu", en: "Item" }
    FEE_KIND_COL = { vi: "Loại", en: "Kind" }
    AMOUNT = { vi: "Mức thu", en: "Amount" }
    PER_UNIT_COL = { vi: "Nhân theo trường", en: "Times field" }
    PHI = { vi: "Phí", en: "Fee" }
    LE_PHI = { vi: "Lệ phí", en: "Charge" }
    ADD_FEE = { vi: "Thêm khoản phí, lệ phí", en: "Add a fee or charge" }
    EDIT_FEE = { vi: "Sửa khoản phí, lệ phí", en: "Edit the fee or charge" }
    SAVE_FEE = { vi: "Lưu khoản thu", en: "Save the item" }
    FEE_NAME_VI = { vi: "Tên khoản thu (tiếng Việt)", en: "Item name (Vietnamese)" }
    FEE_NAME_EN = { vi: "Tên khoản thu (tiếng Anh)", en: "Item name (English)" }
    FEE_KIND = { vi: "Phí hay lệ phí", en: "Fee or charge" }
    FEE_AMOUNT = { vi: "Mức thu (đồng)", en: "Amount (đồng)" }
    FEE_PER_UNIT = { vi: "Tính cho mỗi đơn vị của trường số", en: "Charged per unit of the number field" }
    NOT_PER_UNIT = { vi: "Không (thu một lần)", en: "No (charged once)" }
}

/// A procedure in the list.
#[derive(Debug, Clone)]
struct ListRow {
    code: String,
    name_vi: String,
    name_en: String,
    published: Option<i64>,
    has_draft: bool,
}

/// What the editor shows: the draft if there is one, else the published version.
#[derive(Debug, Clone)]
struct EditorView {
    def: ProcedureDef,
    published_version: Option<i64>,
    draft_based_on: Option<i64>,
    has_draft: bool,
    fields: Vec<(String, String, String)>,
    agencies: Vec<(String, String, String)>,
}

/// The kinds of form field the editor offers (code, Vietnamese, English): every
/// [`FieldKind`] variant.
const FIELD_KINDS: [(&str, &str, &str); 8] = [
    ("text", "Văn bản", "Text"),
    ("number", "Số", "Number"),
    ("date", "Ngày", "Date"),
    ("choice", "Lựa chọn", "Choice"),
    ("checkbox", "Ô đánh dấu", "Checkbox"),
    ("citizen_id", "Số định danh cá nhân", "Citizen id"),
    ("tax_code", "Mã số thuế", "Tax code"),
    ("address", "Địa chỉ", "Address"),
];

/// The code of a field kind, as the editor's form posts it.
fn kind_code(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Text { .. } => "text",
        FieldKind::Number { .. } => "number",
        FieldKind::Date { .. } => "date",
        FieldKind::Choice { .. } => "choice",
        FieldKind::Checkbox => "checkbox",
        FieldKind::CitizenId => "citizen_id",
        FieldKind::TaxCode => "tax_code",
        FieldKind::Address => "address",
    }
}

/// The list of procedures the administrator may edit.
#[component]
pub fn AdminProceduresPage() -> impl IntoView {
    let locale = use_locale();
    let q = use_query_map().with_untracked(|m| m.get("q")).unwrap_or_default();
    require_signed_in().map(|_| {
        let rows = crate::pages::loader::spawn(load_list(q.clone()));
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Some(rows) = rows.await else {
                        set_status(403);
                        return view! { <p>{t(FORBIDDEN)}</p> }.into_any();
                    };
                    let pick = move |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
                    view! {
                        <form method="get" action="/admin/procedures" class="search-form" role="search">
                            <div class="field">
                                <label for="f-q">{t(SEARCH_LABEL)}</label>
                                <input id="f-q" name="q" type="search" value=q.clone() autocomplete="off"/>
                            </div>
                            <button type="submit" class="button">{t(SEARCH)}</button>
                        </form>
                        {if rows.is_empty() {
                            view! { <p class="empty">{t(NONE_FOUND)}</p> }.into_any()
                        } else {
                            view! {
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(CODE)}</th>
                                            <th scope="col">{t(NAME)}</th>
                                            <th scope="col">{t(PUBLISHED)}</th>
                                            <th scope="col">{t(DRAFT)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td>{r.code.clone()}</td>
                                                <td><a href=format!("/admin/procedures/{}", r.code)>{pick(&r.name_vi, &r.name_en)}</a></td>
                                                <td>{r.published.map(|v| v.to_string()).unwrap_or_default()}</td>
                                                <td>{if r.has_draft { t(HAS_DRAFT) } else { t(NO_DRAFT) }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                    }
                    .into_any()
                })}
            </Suspense>
        }
    })
}

async fn load_list(q: String) -> Option<Vec<ListRow>> {
    #[cfg(feature = "ssr")]
    {
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = super::widgets::current_actor()?;
        let list = crate::ssr::services::catalogue_edit::list(&state, &actor, &q).await.ok()?;
        Some(
            list.into_iter()
                .map(|r| ListRow {
                    code: r.code,
                    name_vi: r.name_vi,
                    name_en: r.name_en,
                    published: r.published,
                    has_draft: r.has_draft,
                })
                .collect(),
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = q;
        None
    }
}

fn paper_form_text(f: PaperForm) -> Text {
    match f {
        PaperForm::Original => ORIGINAL,
        PaperForm::Copy => COPY,
        PaperForm::CertifiedCopy => CERTIFIED_COPY,
        PaperForm::Electronic => ELECTRONIC,
    }
}

fn paper_form_code(f: PaperForm) -> &'static str {
    match f {
        PaperForm::Original => "original",
        PaperForm::Copy => "copy",
        PaperForm::CertifiedCopy => "certified_copy",
        PaperForm::Electronic => "electronic",
    }
}

fn role_text(r: StepRole) -> Text {
    match r {
        StepRole::DeskOfficer => DESK,
        StepRole::Specialist => SPECIALIST,
        StepRole::Leader => LEADER,
        StepRole::Clerk => CLERK,
    }
}

fn role_code(r: StepRole) -> &'static str {
    match r {
        StepRole::DeskOfficer => "desk_officer",
        StepRole::Specialist => "specialist",
        StepRole::Leader => "leader",
        StepRole::Clerk => "clerk",
    }
}

fn options(list: &[(&str, Text)], locale: Locale) -> Vec<(String, String)> {
    list.iter().map(|(v, text)| ((*v).to_string(), text.get(locale).to_string())).collect()
}

/// Remove / up / down buttons of one row, each its own small form.
#[component]
fn RowButtons(code: String, section: &'static str, index: usize, len: usize, label: String) -> impl IntoView {
    let locale = use_locale();
    let edit_param = match section {
        "papers" => "paper",
        "fields" => "field",
        "fees" => "fee",
        _ => "step",
    };
    let action = move |what: &str| format!("/admin/procedures/{code}/{section}/{index}/{what}");
    let hidden = label.clone();
    let button = move |what: &'static str, text: Text| {
        view! {
            <form method="post" action=action(what)>
                <button type="submit" class="small-button">
                    {text.get(locale)}
                    <span class="visually-hidden">": " {hidden.clone()}</span>
                </button>
            </form>
        }
    };
    view! {
        <div class="row-actions">
            <a href=format!("?{edit_param}={index}#{edit_param}-form")>
                {EDIT.get(locale)}
                <span class="visually-hidden">": " {label.clone()}</span>
            </a>
            {button("remove", REMOVE)}
            {(index > 0).then(|| button("up", UP))}
            {(index + 1 < len).then(|| button("down", DOWN))}
        </div>
    }
}

/// The procedure editor.
#[component]
pub fn AdminProcedurePage() -> impl IntoView {
    let locale = use_locale();
    let code = use_params_map().with_untracked(|p| p.get("code")).unwrap_or_default();
    let query = use_query_map();
    let q = |k: &str| query.with_untracked(|m| m.get(k));
    let row = |k: &str| q(k).and_then(|v| v.parse::<usize>().ok());
    let (edit_paper, edit_field, edit_step, edit_fee) = (row("paper"), row("field"), row("step"), row("fee"));
    let notice = if q("published").is_some() {
        Some(PUBLISHED_OK)
    } else if q("discarded").is_some() {
        Some(DISCARDED)
    } else if q("saved").is_some() {
        Some(SAVED)
    } else {
        None
    };
    require_signed_in().map(|_| {
        let data = crate::pages::loader::spawn(load_editor(code.clone()));
        view! {
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let editor = match data.await {
                        Ok(e) => e,
                        Err(status) => {
                            set_status(status);
                            let text = if status == 404 { t(NOT_FOUND) } else { t(FORBIDDEN) };
                            return view! {
                                <Title text=t(TITLE)/>
                                <h1>{t(TITLE)}</h1>
                                <p>{text}</p>
                                <p><a href="/admin/procedures">{t(BACK)}</a></p>
                            }.into_any();
                        }
                    };
                    let pick = move |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
                    let def = editor.def.clone();
                    let name = pick(&def.name_vi, &def.name_en);
                    view! {
                        <Title text=format!("{} — {}", t(TITLE), name)/>
                        <p><a href="/admin/procedures">{t(BACK)}</a></p>
                        <h1>{name}</h1>
                        <dl class="facts">
                            <dt>{t(CODE)}</dt><dd>{def.code.clone()}</dd>
                            <dt>{t(PUBLISHED)}</dt><dd id="published-version">{editor.published_version.map(|v| v.to_string()).unwrap_or_default()}</dd>
                            <dt>{t(DRAFT)}</dt><dd id="draft-status">{if editor.has_draft { t(HAS_DRAFT) } else { t(NO_DRAFT) }}</dd>
                        </dl>
                        {notice.map(|n| view! { <Notice text=n/> })}
                        <ErrorSummary/>
                        <StatusSection code=def.code.clone() editor=editor.clone()/>
                        <BasicsSection def=def.clone() fields=editor.fields.clone()/>
                        <UnitsSection def=def.clone() agencies=editor.agencies.clone()/>
                        <FeesSection def=def.clone() editing=edit_fee/>
                        <PapersSection def=def.clone() editing=edit_paper/>
                        <FieldsSection def=def.clone() editing=edit_field/>
                        <StepsSection def=def.clone() agencies=editor.agencies.clone() editing=edit_step/>
                    }
                    .into_any()
                })}
            </Suspense>
        }
    })
}

#[component]
fn StatusSection(code: String, editor: EditorView) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="draft-status" aria-labelledby="status-title" id="status">
            <h2 id="status-title">{STATUS.get(locale)}</h2>
            {if editor.has_draft {
                view! {
                    <p>
                        {DRAFT_OF.get(locale)} " "
                        {editor.draft_based_on.map(|v| v.to_string()).unwrap_or_default()} "). "
                        {DRAFT_NOTE.get(locale)} " " {WILL_BE.get(locale)} " "
                        <strong id="next-version">{editor.published_version.unwrap_or(0) + 1}</strong> "."
                    </p>
                    {(editor.draft_based_on != editor.published_version).then(|| view! { <p><strong>{STALE.get(locale)}</strong></p> })}
                    <FieldMessage name="publish"/>
                    <form method="post" action=format!("/admin/procedures/{code}/publish")>
                        <button type="submit" class="button" id="f-publish">{PUBLISH.get(locale)}</button>
                    </form>
                    <form method="post" action=format!("/admin/procedures/{code}/discard")>
                        <button type="submit" class="button secondary">{DISCARD.get(locale)}</button>
                    </form>
                }
                .into_any()
            } else {
                view! { <p>{NO_DRAFT_NOTE.get(locale)}</p> }.into_any()
            }}
            <p><a href=format!("/procedures/{code}")>{PUBLIC_PAGE.get(locale)}</a></p>
        </section>
    }
}

#[component]
fn BasicsSection(def: ProcedureDef, fields: Vec<(String, String, String)>) -> impl IntoView {
    let locale = use_locale();
    let pick = move |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
    let field_options = fields.iter().map(|(c, vi, en)| (c.clone(), pick(vi, en))).collect::<Vec<_>>();
    let has = |d: Delivery| def.delivery.contains(&d);
    view! {
        <section class="admin-section" aria-labelledby="basics-title" id="basics">
            <h2 id="basics-title">{BASICS.get(locale)}</h2>
            <form method="post" action=format!("/admin/procedures/{}/basics", def.code) novalidate>
                <div class="form-grid">
                    <TextField name="name_vi" label=NAME_VI required=true initial=def.name_vi.clone()/>
                    <TextField name="name_en" label=NAME_EN required=true initial=def.name_en.clone()/>
                    <SelectField name="field" label=FIELD options=field_options initial=def.field.clone()/>
                    <TextField name="processing_days" label=DAYS required=true inputmode="numeric" initial=def.processing_days.to_string()/>
                    <TextField name="cutoff" label=CUTOFF hint=CUTOFF_HINT initial=def.cutoff.clone().unwrap_or_default()/>
                    <SelectField
                        name="online"
                        label=ONLINE
                        options=options(&[("full", FULL), ("partial", PARTIAL)], locale)
                        initial=if def.online == OnlineLevel::Full { "full" } else { "partial" }
                    />
                    <SelectField
                        name="pay_when"
                        label=PAY_WHEN
                        options=options(&[("submission", AT_SUBMISSION), ("acceptance", AT_ACCEPTANCE)], locale)
                        initial=if def.pay_when == PayWhen::Submission { "submission" } else { "acceptance" }
                    />
                    <TextField name="result_vi" label=RESULT_VI required=true initial=def.result_vi.clone()/>
                    <TextField name="result_en" label=RESULT_EN required=true initial=def.result_en.clone()/>
                </div>
                <TextAreaField name="legal_basis" label=LEGAL hint=LEGAL_HINT initial=def.legal_basis.join("\n")/>
                <fieldset class="checks" id="f-delivery">
                    <legend>{DELIVERY.get(locale)}</legend>
                    <FieldMessage name="delivery"/>
                    <CheckField name="delivery_electronic" label=BY_ELECTRONIC initial=has(Delivery::Electronic)/>
                    <CheckField name="delivery_post" label=BY_POST initial=has(Delivery::Post)/>
                    <CheckField name="delivery_desk" label=AT_DESK initial=has(Delivery::Desk)/>
                </fieldset>
                <button type="submit" class="button">{SAVE_BASICS.get(locale)}</button>
            </form>
        </section>
    }
}

#[component]
fn UnitsSection(def: ProcedureDef, agencies: Vec<(String, String, String)>) -> impl IntoView {
    let locale = use_locale();
    let pick = move |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
    let level = match def.level {
        Level::Province => "province",
        Level::Department => "department",
        Level::District => "district",
        Level::Commune => "commune",
    };
    let names = |codes: &[String]| {
        codes
            .iter()
            .map(|c| {
                agencies
                    .iter()
                    .find(|(code, _, _)| code == c)
                    .map(|(_, vi, en)| format!("{} ({c})", pick(vi, en)))
                    .unwrap_or_else(|| c.clone())
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    view! {
        <section class="admin-section" aria-labelledby="units-title" id="units">
            <h2 id="units-title">{UNITS.get(locale)}</h2>
            <dl class="facts">
                <dt>{DECIDING.get(locale)}</dt><dd>{names(&def.deciding)}</dd>
                <dt>{RECEIVING.get(locale)}</dt><dd>{names(&def.receiving)}</dd>
            </dl>
            <form method="post" action=format!("/admin/procedures/{}/units", def.code) novalidate>
                <SelectField
                    name="level"
                    label=LEVEL
                    options=options(&[("province", L_PROVINCE), ("department", L_DEPARTMENT), ("district", L_DISTRICT), ("commune", L_COMMUNE)], locale)
                    initial=level
                />
                <div class="form-grid">
                    <TextAreaField name="deciding" label=DECIDING hint=UNITS_HINT initial=def.deciding.join("\n")/>
                    <TextAreaField name="receiving" label=RECEIVING initial=def.receiving.join("\n")/>
                </div>
                <button type="submit" class="button">{SAVE_UNITS.get(locale)}</button>
            </form>
        </section>
    }
}

#[component]
fn FeesSection(def: ProcedureDef, editing: Option<usize>) -> impl IntoView {
    let locale = use_locale();
    let pick = move |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
    let code = def.code.clone();
    let len = def.fees.len();
    let current: Option<Fee> = editing.and_then(|i| def.fees.get(i).cloned());
    let editing = editing.filter(|_| current.is_some());
    let money = move |m: Money| if locale == Locale::Vi { m.format_vi() } else { m.format_en() };
    let mut per_unit: Vec<(String, String)> = vec![(String::new(), NOT_PER_UNIT.get(locale).to_string())];
    per_unit.extend(
        def.form
            .iter()
            .filter(|f| matches!(f.kind, FieldKind::Number { .. }))
            .map(|f| (f.key.clone(), format!("{} ({})", pick(&f.label_vi, &f.label_en), f.key))),
    );
    let (name_vi, name_en, kind, amount, unit) = match &current {
        Some(f) => (
            f.name_vi.clone(),
            f.name_en.clone(),
            if f.kind == FeeKind::Phi { "phi" } else { "le_phi" },
            f.amount.dong().to_string(),
            f.per_unit_field.clone().unwrap_or_default(),
        ),
        None => (String::new(), String::new(), "le_phi", String::new(), String::new()),
    };
    view! {
        <section class="admin-section" aria-labelledby="fees-title" id="fees">
            <h2 id="fees-title">{FEES.get(locale)}</h2>
            {if def.fees.is_empty() {
                view! { <p class="empty">{EMPTY_LIST.get(locale)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{FEE.get(locale)}</th>
                                <th scope="col">{FEE_KIND_COL.get(locale)}</th>
                                <th scope="col">{AMOUNT.get(locale)}</th>
                                <th scope="col">{PER_UNIT_COL.get(locale)}</th>
                                <th scope="col">{ACTIONS.get(locale)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {def.fees.iter().enumerate().map(|(i, f)| {
                                let label = pick(&f.name_vi, &f.name_en);
                                view! {
                                    <tr>
                                        <td>{label.clone()}</td>
                                        <td>{if f.kind == FeeKind::Phi { PHI.get(locale) } else { LE_PHI.get(locale) }}</td>
                                        <td>{money(f.amount)}</td>
                                        <td>{f.per_unit_field.clone().unwrap_or_default()}</td>
                                        <td><RowButtons code=code.clone() section="fees" index=i len=len label=label/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <h3 id="fee-form">{if editing.is_some() { EDIT_FEE.get(locale) } else { ADD_FEE.get(locale) }}</h3>
            <form method="post" action=format!("/admin/procedures/{code}/fees") novalidate>
                {editing.map(|i| view! { <input type="hidden" name="index" value=i.to_string()/> })}
                <div class="form-grid">
                    <TextField name="fee_name_vi" label=FEE_NAME_VI required=true initial=name_vi/>
                    <TextField name="fee_name_en" label=FEE_NAME_EN required=true initial=name_en/>
                    <SelectField name="fee_kind" label=FEE_KIND options=options(&[("phi", PHI), ("le_phi", LE_PHI)], locale) initial=kind/>
                    <TextField name="fee_amount" label=FEE_AMOUNT required=true inputmode="numeric" initial=amount/>
                    <SelectField name="fee_per_unit_field" label=FEE_PER_UNIT options=per_unit initial=unit/>
                </div>
                <div class="row-actions">
                    <button type="submit" class="button">{if editing.is_some() { SAVE_FEE.get(locale) } else { ADD_FEE.get(locale) }}</button>
                    {editing.map(|_| view! { <a href="?#fees">{CANCEL_EDIT.get(locale)}</a> })}
                </div>
            </form>
        </section>
    }
}

#[component]
fn PapersSection(def: ProcedureDef, editing: Option<usize>) -> impl IntoView {
    let locale = use_locale();
    let pick = move |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
    let code = def.code.clone();
    let len = def.papers.len();
    let current: Option<Paper> = editing.and_then(|i| def.papers.get(i).cloned());
    let editing = editing.filter(|_| current.is_some());
    let initial = current.clone().unwrap_or(Paper {
        name_vi: String::new(),
        name_en: String::new(),
        form: PaperForm::Original,
        count: 1,
        required: true,
        template: None,
    });
    view! {
        <section class="admin-section" aria-labelledby="papers-title" id="papers">
            <h2 id="papers-title">{PAPERS.get(locale)}</h2>
            {if def.papers.is_empty() {
                view! { <p class="empty">{EMPTY_LIST.get(locale)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{PAPER.get(locale)}</th>
                                <th scope="col">{FORM_COL.get(locale)}</th>
                                <th scope="col">{COUNT.get(locale)}</th>
                                <th scope="col">{REQUIRED_COL.get(locale)}</th>
                                <th scope="col">{ACTIONS.get(locale)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {def.papers.iter().enumerate().map(|(i, p)| {
                                let label = pick(&p.name_vi, &p.name_en);
                                view! {
                                    <tr>
                                        <td>{label.clone()}</td>
                                        <td>{paper_form_text(p.form).get(locale)}</td>
                                        <td>{p.count}</td>
                                        <td>{if p.required { YES.get(locale) } else { NO.get(locale) }}</td>
                                        <td><RowButtons code=code.clone() section="papers" index=i len=len label=label/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <h3 id="paper-form">{if editing.is_some() { EDIT_PAPER.get(locale) } else { ADD_PAPER.get(locale) }}</h3>
            <form method="post" action=format!("/admin/procedures/{code}/papers") novalidate>
                {editing.map(|i| view! { <input type="hidden" name="index" value=i.to_string()/> })}
                <div class="form-grid">
                    <TextField name="paper_name_vi" label=PAPER_NAME_VI required=true initial=initial.name_vi.clone()/>
                    <TextField name="paper_name_en" label=PAPER_NAME_EN required=true initial=initial.name_en.clone()/>
                    <SelectField
                        name="paper_form"
                        label=PAPER_FORM
                        options=options(&[("original", ORIGINAL), ("copy", COPY), ("certified_copy", CERTIFIED_COPY), ("electronic", ELECTRONIC)], locale)
                        initial=paper_form_code(initial.form)
                    />
                    <TextField name="paper_count" label=PAPER_COUNT required=true inputmode="numeric" initial=initial.count.to_string()/>
                    <SelectField
                        name="paper_required"
                        label=PAPER_REQUIRED
                        options=options(&[("required", REQUIRED), ("optional", OPTIONAL)], locale)
                        initial=if initial.required { "required" } else { "optional" }
                    />
                </div>
                <div class="row-actions">
                    <button type="submit" class="button">{if editing.is_some() { SAVE_PAPER.get(locale) } else { ADD_PAPER.get(locale) }}</button>
                    {editing.map(|_| view! { <a href="?#papers">{CANCEL_EDIT.get(locale)}</a> })}
                </div>
            </form>
        </section>
    }
}

fn bounds(kind: &FieldKind) -> (String, String) {
    let s = |v: Option<String>| v.unwrap_or_default();
    match kind {
        FieldKind::Text { min_len, max_len } => {
            (s(min_len.map(|v| v.to_string())), s(max_len.map(|v| v.to_string())))
        }
        FieldKind::Number { min, max } => (s(min.map(|v| v.to_string())), s(max.map(|v| v.to_string()))),
        FieldKind::Date { min, max } => {
            let d = |d: Option<time::Date>| {
                d.map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
            };
            (s(d(*min)), s(d(*max)))
        }
        _ => (String::new(), String::new()),
    }
}

fn choice_lines(kind: &FieldKind) -> String {
    match kind {
        FieldKind::Choice { options } => options
            .iter()
            .map(|o| format!("{} | {} | {}", o.value, o.label_vi, o.label_en))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

#[component]
fn FieldsSection(def: ProcedureDef, editing: Option<usize>) -> impl IntoView {
    let locale = use_locale();
    let pick = move |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
    let code = def.code.clone();
    let len = def.form.len();
    let current: Option<FieldDef> = editing.and_then(|i| def.form.get(i).cloned());
    let editing = editing.filter(|_| current.is_some());
    let initial = current.unwrap_or(FieldDef {
        key: String::new(),
        label_vi: String::new(),
        label_en: String::new(),
        kind: FieldKind::Text { min_len: None, max_len: None },
        required: false,
        help_vi: None,
        help_en: None,
    });
    let kind_name = move |code: &str| {
        FIELD_KINDS
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, vi, en)| if locale == Locale::Vi { *vi } else { *en })
            .unwrap_or("")
    };
    let kinds: Vec<(String, String)> = FIELD_KINDS
        .iter()
        .map(|(c, vi, en)| ((*c).to_string(), (if locale == Locale::Vi { *vi } else { *en }).to_string()))
        .collect();
    let (min, max) = bounds(&initial.kind);
    view! {
        <section class="admin-section" aria-labelledby="fields-title" id="fields">
            <h2 id="fields-title">{FIELDS.get(locale)}</h2>
            {if def.form.is_empty() {
                view! { <p class="empty">{EMPTY_LIST.get(locale)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{KEY.get(locale)}</th>
                                <th scope="col">{LABEL.get(locale)}</th>
                                <th scope="col">{KIND.get(locale)}</th>
                                <th scope="col">{REQUIRED_COL.get(locale)}</th>
                                <th scope="col">{ACTIONS.get(locale)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {def.form.iter().enumerate().map(|(i, f)| {
                                let label = pick(&f.label_vi, &f.label_en);
                                view! {
                                    <tr>
                                        <td><code>{f.key.clone()}</code></td>
                                        <td>{label.clone()}</td>
                                        <td>{kind_name(kind_code(&f.kind))}</td>
                                        <td>{if f.required { YES.get(locale) } else { NO.get(locale) }}</td>
                                        <td><RowButtons code=code.clone() section="fields" index=i len=len label=label/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <h3 id="field-form">{if editing.is_some() { EDIT_FIELD.get(locale) } else { ADD_FIELD.get(locale) }}</h3>
            <form method="post" action=format!("/admin/procedures/{code}/fields") novalidate>
                {editing.map(|i| view! { <input type="hidden" name="index" value=i.to_string()/> })}
                <div class="form-grid">
                    <TextField name="field_key" label=FIELD_KEY required=true autocomplete="off" initial=initial.key.clone()/>
                    <SelectField name="field_kind" label=FIELD_KIND options=kinds initial=kind_code(&initial.kind)/>
                    <TextField name="field_label_vi" label=FIELD_LABEL_VI required=true initial=initial.label_vi.clone()/>
                    <TextField name="field_label_en" label=FIELD_LABEL_EN required=true initial=initial.label_en.clone()/>
                    <TextField name="field_min" label=FIELD_MIN hint=BOUNDS_HINT initial=min/>
                    <TextField name="field_max" label=FIELD_MAX initial=max/>
                </div>
                <CheckField name="field_required" label=FIELD_REQUIRED initial=initial.required/>
                <TextAreaField name="field_options" label=FIELD_OPTIONS hint=OPTIONS_HINT initial=choice_lines(&initial.kind)/>
                <div class="form-grid">
                    <TextField name="field_help_vi" label=FIELD_HELP_VI initial=initial.help_vi.clone().unwrap_or_default()/>
                    <TextField name="field_help_en" label=FIELD_HELP_EN initial=initial.help_en.clone().unwrap_or_default()/>
                </div>
                <div class="row-actions">
                    <button type="submit" class="button">{if editing.is_some() { SAVE_FIELD.get(locale) } else { ADD_FIELD.get(locale) }}</button>
                    {editing.map(|_| view! { <a href="?#fields">{CANCEL_EDIT.get(locale)}</a> })}
                </div>
            </form>
        </section>
    }
}

#[component]
fn StepsSection(
    def: ProcedureDef,
    agencies: Vec<(String, String, String)>,
    editing: Option<usize>,
) -> impl IntoView {
    let locale = use_locale();
    let pick = move |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
    let code = def.code.clone();
    let len = def.workflow.len();
    let total: u32 = def.workflow.iter().map(|s| s.share).sum();
    let current: Option<Step> = editing.and_then(|i| def.workflow.get(i).cloned());
    let editing = editing.filter(|_| current.is_some());
    let initial = current.unwrap_or(Step {
        name_vi: String::new(),
        name_en: String::new(),
        role: StepRole::Specialist,
        agency: def.deciding.first().cloned().unwrap_or_default(),
        share: 10,
    });
    let agency_name = {
        let agencies = agencies.clone();
        move |c: &str| {
            agencies
                .iter()
                .find(|(code, _, _)| code == c)
                .map(|(_, vi, en)| pick(vi, en))
                .unwrap_or_else(|| c.to_string())
        }
    };
    let agency_options: Vec<(String, String)> =
        agencies.iter().map(|(c, vi, en)| (c.clone(), format!("{} ({c})", pick(vi, en)))).collect();
    view! {
        <section class="admin-section" aria-labelledby="steps-title" id="steps">
            <h2 id="steps-title">{STEPS.get(locale)}</h2>
            {if def.workflow.is_empty() {
                view! { <p class="empty">{EMPTY_LIST.get(locale)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{STEP.get(locale)}</th>
                                <th scope="col">{WHO.get(locale)}</th>
                                <th scope="col">{WHERE.get(locale)}</th>
                                <th scope="col">{SHARE.get(locale)}</th>
                                <th scope="col">{ACTIONS.get(locale)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {def.workflow.iter().enumerate().map(|(i, s)| {
                                let label = pick(&s.name_vi, &s.name_en);
                                view! {
                                    <tr>
                                        <td>{format!("{}. {label}", i + 1)}</td>
                                        <td>{role_text(s.role).get(locale)}</td>
                                        <td>{agency_name(&s.agency)}</td>
                                        <td>{format!("{}%", s.share)}</td>
                                        <td><RowButtons code=code.clone() section="steps" index=i len=len label=label/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <p>{SHARE_SUM.get(locale)} " " <strong>{format!("{total}%")}</strong></p>
            <h3 id="step-form">{if editing.is_some() { EDIT_STEP.get(locale) } else { ADD_STEP.get(locale) }}</h3>
            <form method="post" action=format!("/admin/procedures/{code}/steps") novalidate>
                {editing.map(|i| view! { <input type="hidden" name="index" value=i.to_string()/> })}
                <div class="form-grid">
                    <TextField name="step_name_vi" label=STEP_NAME_VI required=true initial=initial.name_vi.clone()/>
                    <TextField name="step_name_en" label=STEP_NAME_EN required=true initial=initial.name_en.clone()/>
                    <SelectField
                        name="step_role"
                        label=STEP_ROLE
                        options=options(&[("desk_officer", DESK), ("specialist", SPECIALIST), ("leader", LEADER), ("clerk", CLERK)], locale)
                        initial=role_code(initial.role)
                    />
                    <SelectField name="step_agency" label=STEP_AGENCY options=agency_options initial=initial.agency.clone()/>
                    <TextField name="step_share" label=STEP_SHARE required=true inputmode="numeric" initial=initial.share.to_string()/>
                </div>
                <div class="row-actions">
                    <button type="submit" class="button">{if editing.is_some() { SAVE_STEP.get(locale) } else { ADD_STEP.get(locale) }}</button>
                    {editing.map(|_| view! { <a href="?#steps">{CANCEL_EDIT.get(locale)}</a> })}
                </div>
            </form>
        </section>
    }
}

/// The editor's data, or the status to answer with (403, 404).
async fn load_editor(code: String) -> Result<EditorView, u16> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::services::ServiceError;
        let state = use_context::<crate::ssr::state::AppState>().ok_or(500u16)?;
        let actor = super::widgets::current_actor().ok_or(403u16)?;
        let e = crate::ssr::services::catalogue_edit::editor(&state, &actor, &code).await.map_err(
            |e| match e {
                ServiceError::Refused(e) => e.status(),
                _ => 500,
            },
        )?;
        Ok(EditorView {
            def: e.def,
            published_version: e.published_version,
            draft_based_on: e.draft_based_on,
            has_draft: e.has_draft,
            fields: e.fields,
            agencies: e.agencies,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = code;
        Err(404)
    }
}
