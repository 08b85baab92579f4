//! `/procedures` (search the catalogue) and `/procedures/{code}` (one procedure).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::domain::procedure::{Delivery, FeeKind, OnlineLevel, PaperForm, ProcedureDef, StepRole};
use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Thủ tục hành chính", en: "Administrative procedures" }
    INTRO = { vi: "Tìm thủ tục theo tên, mã, lĩnh vực hoặc cơ quan. Có thể gõ không dấu.", en: "Find a procedure by name, code, field or agency. Diacritics are optional." }
    SEARCH_LABEL = { vi: "Tên hoặc mã thủ tục", en: "Procedure name or code" }
    FIELD = { vi: "Lĩnh vực", en: "Field" }
    AGENCY = { vi: "Cơ quan", en: "Agency" }
    ONLINE = { vi: "Mức độ trực tuyến", en: "Online level" }
    ALL = { vi: "Tất cả", en: "All" }
    FULL = { vi: "Toàn trình", en: "Fully online" }
    PARTIAL = { vi: "Một phần", en: "Partly online" }
    SEARCH = { vi: "Tìm kiếm", en: "Search" }
    RESULTS = { vi: "Kết quả", en: "Results" }
    FOUND = { vi: "thủ tục phù hợp", en: "matching procedures" }
    NONE = { vi: "Không tìm thấy thủ tục phù hợp. Hãy thử từ khóa ngắn hơn hoặc bỏ bớt bộ lọc.", en: "No procedure matches. Try fewer words or fewer filters." }
    DAYS = { vi: "ngày làm việc", en: "working days" }
    SAME_DAY = { vi: "Trong ngày", en: "Same day" }
    PREVIOUS = { vi: "Trang trước", en: "Previous page" }
    NEXT = { vi: "Trang sau", en: "Next page" }
    PAGE = { vi: "Trang", en: "Page" }
    PAGINATION = { vi: "Phân trang", en: "Pagination" }
    CODE = { vi: "Mã thủ tục", en: "Procedure code" }
    LEVEL = { vi: "Cấp thực hiện", en: "Deciding level" }
    TIME = { vi: "Thời hạn giải quyết", en: "Processing time" }
    FEES = { vi: "Phí, lệ phí", en: "Fees and charges" }
    FREE = { vi: "Không thu phí, lệ phí", en: "No fees or charges" }
    PER_UNIT = { vi: "cho mỗi đơn vị", en: "per unit" }
    PHI = { vi: "Phí", en: "Fee" }
    LE_PHI = { vi: "Lệ phí", en: "Charge" }
    EXEMPTIONS = { vi: "Đối tượng được miễn", en: "Exempt" }
    PAPERS = { vi: "Thành phần hồ sơ", en: "Papers to provide" }
    PAPER = { vi: "Giấy tờ", en: "Paper" }
    FORM_COL = { vi: "Hình thức", en: "Form" }
    COUNT = { vi: "Số lượng", en: "Count" }
    REQUIRED = { vi: "Bắt buộc", en: "Required" }
    YES = { vi: "Có", en: "Yes" }
    NO = { vi: "Không", en: "No" }
    ORIGINAL = { vi: "Bản chính", en: "Original" }
    COPY = { vi: "Bản sao", en: "Copy" }
    CERTIFIED_COPY = { vi: "Bản sao có chứng thực", en: "Certified copy" }
    ELECTRONIC = { vi: "Bản điện tử", en: "Electronic" }
    RESULT = { vi: "Kết quả", en: "Result" }
    DELIVERY = { vi: "Hình thức nhận kết quả", en: "How to receive the result" }
    BY_ELECTRONIC = { vi: "Trực tuyến (vào tài khoản)", en: "Online (into your account)" }
    BY_POST = { vi: "Qua bưu chính công ích", en: "By public postal service" }
    AT_DESK = { vi: "Tại bộ phận một cửa", en: "At the one-stop desk" }
    LEGAL = { vi: "Căn cứ pháp lý", en: "Legal basis" }
    WORKFLOW = { vi: "Quy trình xử lý nội bộ", en: "Internal workflow" }
    STEP = { vi: "Bước", en: "Step" }
    WHO = { vi: "Người thực hiện", en: "Who" }
    WHERE = { vi: "Đơn vị", en: "Unit" }
    SHARE = { vi: "Thời gian", en: "Time" }
    DESK = { vi: "Cán bộ một cửa", en: "Desk officer" }
    SPECIALIST = { vi: "Chuyên viên", en: "Specialist" }
    LEADER = { vi: "Lãnh đạo", en: "Leader" }
    CLERK = { vi: "Văn thư", en: "Clerk" }
    VERSION = { vi: "Phiên bản", en: "Version" }
    NOT_FOUND = { vi: "Không tìm thấy thủ tục", en: "Procedure not found" }
    BACK = { vi: "Quay lại danh sách thủ tục", en: "Back to the procedures" }
    FORM_FIELDS = { vi: "Thông tin cần khai", en: "Information to fill in" }
}

/// What the search page shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SearchView {
    items: Vec<(String, String, String, String, i64)>,
    total: i64,
    page: u32,
    per_page: u32,
    fields: Vec<(String, String, String)>,
    agencies: Vec<(String, String, String)>,
}

/// The catalogue search page (a GET form: bookmarkable, works without JavaScript).
#[component]
pub fn ProceduresPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let get = |k: &str| query.with_untracked(|q| q.get(k)).unwrap_or_default();
    let (q, field, agency, online) = (get("q"), get("field"), get("agency"), get("online"));
    let page: u32 = get("page").parse().unwrap_or(1);
    let data = crate::pages::loader::spawn(load_search(
        q.clone(),
        field.clone(),
        agency.clone(),
        online.clone(),
        page,
    ));
    view! {
        <Title text=t(TITLE)/>
        <Meta name="description" content=t(INTRO)/>
        <h1>{t(TITLE)}</h1>
        <p>{t(INTRO)}</p>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let Some(data) = data.await else { return ().into_any() };
                let pick = |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
                let pages = ((data.total + i64::from(data.per_page) - 1) / i64::from(data.per_page)).max(1);
                let link = {
                    let (q, field, agency, online) = (q.clone(), field.clone(), agency.clone(), online.clone());
                    move |p: i64| {
                        let enc = |s: &str| s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect::<String>();
                        format!("/procedures?q={}&field={}&agency={}&online={}&page={p}", enc(&q), enc(&field), enc(&agency), enc(&online))
                    }
                };
                let page = i64::from(data.page);
                view! {
                    <form method="get" action="/procedures" class="search-form" role="search">
                        <div class="field">
                            <label for="f-q">{t(SEARCH_LABEL)}</label>
                            <input id="f-q" name="q" type="search" value=q.clone() autocomplete="off"/>
                        </div>
                        <div class="filters">
                            <div class="field">
                                <label for="f-field">{t(FIELD)}</label>
                                <select id="f-field" name="field">
                                    <option value="">{t(ALL)}</option>
                                    {data.fields.iter().map(|(code, vi, en)| view! { <option value=code.clone() selected=*code == field>{pick(vi, en)}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="f-agency">{t(AGENCY)}</label>
                                <select id="f-agency" name="agency">
                                    <option value="">{t(ALL)}</option>
                                    {data.agencies.iter().map(|(code, vi, en)| view! { <option value=code.clone() selected=*code == agency>{pick(vi, en)}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="f-online">{t(ONLINE)}</label>
                                <select id="f-online" name="online">
                                    <option value="">{t(ALL)}</option>
                                    <option value="full" selected=online == "full">{t(FULL)}</option>
                                    <option value="partial" selected=online == "partial">{t(PARTIAL)}</option>
                                </select>
                            </div>
                        </div>
                        <button type="submit" class="button">{t(SEARCH)}</button>
                    </form>
                    <section aria-labelledby="results-title">
                        <h2 id="results-title">{t(RESULTS)}</h2>
                        <p role="status">{format!("{} {}", data.total, t(FOUND))}</p>
                        {if data.items.is_empty() {
                            view! { <p class="empty">{t(NONE)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="procedure-list">
                                    {data.items.into_iter().map(|(code, vi, en, online, days)| view! {
                                        <li class="card">
                                            <h3><a href=format!("/procedures/{code}")>{pick(&vi, &en)}</a></h3>
                                            <p class="meta">
                                                <span>{t(CODE)} ": " {code.clone()}</span>
                                                <span>{if online == "full" { t(FULL) } else { t(PARTIAL) }}</span>
                                                <span>{if days == 0 { t(SAME_DAY).to_string() } else { format!("{days} {}", t(DAYS)) }}</span>
                                            </p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {(pages > 1).then(|| view! {
                            <nav class="pagination" aria-label=t(PAGINATION)>
                                {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{t(PREVIOUS)}</a> })}
                                <span>{t(PAGE)} " " {page} "/" {pages}</span>
                                {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{t(NEXT)}</a> })}
                            </nav>
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// One procedure's published version.
#[component]
pub fn ProcedurePage() -> impl IntoView {
    let locale = use_locale();
    let code = use_params_map().with_untracked(|p| p.get("code")).unwrap_or_default();
    let data = crate::pages::loader::spawn(load_procedure(code));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let Some((p, version, agencies)) = data.await else {
                    #[cfg(feature = "ssr")]
                    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                        r.set_status(http::StatusCode::NOT_FOUND);
                    }
                    return view! {
                        <Title text=t(NOT_FOUND)/>
                        <h1>{t(NOT_FOUND)}</h1>
                        <p><a href="/procedures">{t(BACK)}</a></p>
                    }.into_any();
                };
                let pick = move |vi: &str, en: &str| if locale == Locale::Vi { vi.to_string() } else { en.to_string() };
                let agency_name = move |code: &str| agencies.iter().find(|(c, _, _)| c == code).map(|(_, vi, en)| pick(vi, en)).unwrap_or_else(|| code.to_string());
                let name = pick(&p.name_vi, &p.name_en);
                let days = if p.processing_days == 0 { t(SAME_DAY).to_string() } else { format!("{} {}", p.processing_days, t(DAYS)) };
                view! {
                    <Title text=name.clone()/>
                    <p><a href="/procedures">{t(BACK)}</a></p>
                    <h1>{name}</h1>
                    <dl class="facts">
                        <dt>{t(CODE)}</dt><dd>{p.code.clone()}</dd>
                        <dt>{t(AGENCY)}</dt><dd>{p.deciding.iter().map(|c| agency_name(c)).collect::<Vec<_>>().join("; ")}</dd>
                        <dt>{t(TIME)}</dt><dd>{days}</dd>
                        <dt>{t(ONLINE)}</dt><dd>{if p.online == OnlineLevel::Full { t(FULL) } else { t(PARTIAL) }}</dd>
                        <dt>{t(RESULT)}</dt><dd>{pick(&p.result_vi, &p.result_en)}</dd>
                        <dt>{t(VERSION)}</dt><dd>{version}</dd>
                    </dl>
                    <crate::pages::citizen::dossiers::FileOnline code=p.code.clone()/>
                    <h2>{t(FEES)}</h2>
                    {if p.fees.iter().all(|f| f.amount.dong() == 0) {
                        view! { <p>{t(FREE)}</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {p.fees.iter().map(|f| {
                                    let amount = if locale == Locale::Vi { f.amount.format_vi() } else { f.amount.format_en() };
                                    let kind = if f.kind == FeeKind::Phi { t(PHI) } else { t(LE_PHI) };
                                    view! { <li>{kind} ": " {pick(&f.name_vi, &f.name_en)} " — " {amount} {f.per_unit_field.as_ref().map(|_| format!(" {}", t(PER_UNIT)))}</li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {(!p.exemptions.is_empty()).then(|| view! {
                        <p>{t(EXEMPTIONS)} ": " {p.exemptions.iter().map(|e| pick(&e.name_vi, &e.name_en)).collect::<Vec<_>>().join("; ")}</p>
                    })}
                    <h2>{t(PAPERS)}</h2>
                    <table class="table">
                        <thead><tr><th scope="col">{t(PAPER)}</th><th scope="col">{t(FORM_COL)}</th><th scope="col">{t(COUNT)}</th><th scope="col">{t(REQUIRED)}</th></tr></thead>
                        <tbody>
                            {p.papers.iter().map(|paper| view! {
                                <tr>
                                    <td>{pick(&paper.name_vi, &paper.name_en)}</td>
                                    <td>{t(match paper.form { PaperForm::Original => ORIGINAL, PaperForm::Copy => COPY, PaperForm::CertifiedCopy => CERTIFIED_COPY, PaperForm::Electronic => ELECTRONIC })}</td>
                                    <td>{paper.count}</td>
                                    <td>{if paper.required { t(YES) } else { t(NO) }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h2>{t(FORM_FIELDS)}</h2>
                    <ul>
                        {p.form.iter().map(|f| view! { <li>{pick(&f.label_vi, &f.label_en)} {f.required.then(|| format!(" ({})", t(REQUIRED).to_lowercase()))}</li> }).collect_view()}
                    </ul>
                    <h2>{t(DELIVERY)}</h2>
                    <ul>
                        {p.delivery.iter().map(|d| view! { <li>{t(match d { Delivery::Electronic => BY_ELECTRONIC, Delivery::Post => BY_POST, Delivery::Desk => AT_DESK })}</li> }).collect_view()}
                    </ul>
                    <h2>{t(WORKFLOW)}</h2>
                    <table class="table">
                        <thead><tr><th scope="col">{t(STEP)}</th><th scope="col">{t(WHO)}</th><th scope="col">{t(WHERE)}</th><th scope="col">{t(SHARE)}</th></tr></thead>
                        <tbody>
                            {p.workflow.iter().map(|s| view! {
                                <tr>
                                    <td>{pick(&s.name_vi, &s.name_en)}</td>
                                    <td>{t(match s.role { StepRole::DeskOfficer => DESK, StepRole::Specialist => SPECIALIST, StepRole::Leader => LEADER, StepRole::Clerk => CLERK })}</td>
                                    <td>{agency_name(&s.agency)}</td>
                                    <td>{format!("{}%", s.share)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(!p.legal_basis.is_empty()).then(|| view! {
                        <h2>{t(LEGAL)}</h2>
                        <ul>{p.legal_basis.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ul>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

async fn load_search(
    q: String,
    field: String,
    agency: String,
    online: String,
    page: u32,
) -> Option<SearchView> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::catalogue as db;
        use crate::ssr::services::catalogue::{CatalogueSearch, search};
        let state = use_context::<crate::ssr::state::AppState>()?;
        let result = search(&state, &CatalogueSearch { q, field, agency, online, page }).await.ok()?;
        let fields = db::fields(&state.db).await.ok()?;
        let agencies = db::agencies(&state.db)
            .await
            .ok()?
            .into_iter()
            .map(|a| (a.code, a.name_vi.clone(), a.name_en.unwrap_or(a.name_vi)))
            .collect();
        Some(SearchView {
            items: result
                .items
                .into_iter()
                .map(|i| (i.code, i.name_vi, i.name_en, i.online, i.processing_days))
                .collect(),
            total: result.total,
            page: result.page,
            per_page: result.per_page,
            fields,
            agencies,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (q, field, agency, online, page);
        None
    }
}

async fn load_procedure(code: String) -> Option<(ProcedureDef, i64, Vec<(String, String, String)>)> {
    #[cfg(feature = "ssr")]
    {
        let state = use_context::<crate::ssr::state::AppState>()?;
        let (def, version) = crate::ssr::services::catalogue::published(&state, &code).await.ok()?;
        let agencies = crate::ssr::db::catalogue::agencies(&state.db)
            .await
            .ok()?
            .into_iter()
            .map(|a| (a.code, a.name_vi.clone(), a.name_en.unwrap_or(a.name_vi)))
            .collect();
        Some((def, version, agencies))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = code;
        None
    }
}
