//! `/admin/agencies`: the agency tree as a nested list; choosing a unit opens the forms to
//! edit it and to add a unit below it (system admins: every unit; agency admins: their own
//! unit and what lies below it).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::widgets::{SelectField, set_status};
use crate::components::form::{ErrorSummary, Notice, TextField};
use crate::components::viewer::require_signed_in;
use crate::i18n::{Locale, Text, t, use_locale};

crate::texts! {
    TITLE = { vi: "Cơ cấu đơn vị", en: "Agency units" }
    FORBIDDEN = { vi: "Trang này dành cho quản trị viên.", en: "This page is for administrators." }
    INTRO = { vi: "Chọn một đơn vị để sửa thông tin hoặc thêm đơn vị trực thuộc.", en: "Choose a unit to edit it or to add a unit below it." }
    TREE = { vi: "Cây đơn vị", en: "Unit tree" }
    CHOOSE = { vi: "Chọn", en: "Choose" }
    EDIT_UNIT = { vi: "Sửa thông tin đơn vị", en: "Edit the unit" }
    NAME_VI = { vi: "Tên (tiếng Việt)", en: "Name (Vietnamese)" }
    NAME_EN = { vi: "Tên (tiếng Anh)", en: "Name (English)" }
    ADDRESS = { vi: "Địa chỉ", en: "Address" }
    HOURS = { vi: "Giờ làm việc", en: "Office hours" }
    HOURS_HINT = { vi: "Ví dụ: Sáng 07:00–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu.", en: "E.g. 07:00–11:30 and 13:30–17:00, Monday to Friday." }
    SAVE = { vi: "Lưu thông tin", en: "Save" }
    ADD_CHILD = { vi: "Thêm đơn vị trực thuộc", en: "Add a unit below" }
    CODE = { vi: "Mã định danh đơn vị", en: "Unit code" }
    CODE_HINT = { vi: "Theo QCVN 102:2016/BTTTT, ví dụ 000.00.33.H26.", en: "As in QCVN 102:2016/BTTTT, e.g. 000.00.33.H26." }
    LEVEL = { vi: "Cấp", en: "Level" }
    PROVINCE = { vi: "Tỉnh, thành phố", en: "Province" }
    DEPARTMENT = { vi: "Sở, ngành", en: "Department" }
    DISTRICT = { vi: "Huyện, quận (mô hình ba cấp)", en: "District (three-tier model)" }
    COMMUNE = { vi: "Xã, phường, thị trấn", en: "Commune, ward" }
    ADD = { vi: "Thêm đơn vị", en: "Add the unit" }
    SAVED = { vi: "Đã lưu thông tin đơn vị.", en: "The unit was saved." }
    ADDED = { vi: "Đã thêm đơn vị.", en: "The unit was added." }
    CHILD_NAME_VI = { vi: "Tên đơn vị mới (tiếng Việt)", en: "New unit's name (Vietnamese)" }
    CHILD_NAME_EN = { vi: "Tên đơn vị mới (tiếng Anh)", en: "New unit's name (English)" }
    CHILD_ADDRESS = { vi: "Địa chỉ đơn vị mới", en: "New unit's address" }
    CHILD_HOURS = { vi: "Giờ làm việc của đơn vị mới", en: "New unit's office hours" }
    NOT_YOURS = { vi: "Bạn không quản lý đơn vị này.", en: "You do not manage this unit." }
}

#[derive(Debug, Clone)]
struct Node {
    code: String,
    name_vi: String,
    name_en: String,
    level: String,
    address: String,
    hours: String,
    parent: Option<String>,
    editable: bool,
}

fn level_text(level: &str) -> Text {
    match level {
        "province" => PROVINCE,
        "department" => DEPARTMENT,
        "district" => DISTRICT,
        _ => COMMUNE,
    }
}

fn branch(nodes: &[Node], parent: Option<&str>, chosen: &str, locale: Locale, depth: usize) -> AnyView {
    let children: Vec<&Node> = nodes.iter().filter(|n| n.parent.as_deref() == parent).collect();
    if children.is_empty() || depth > 32 {
        return ().into_any();
    }
    let pick = |vi: &str, en: &str| {
        if locale == Locale::Vi || en.is_empty() { vi.to_string() } else { en.to_string() }
    };
    let class = if depth == 0 { "tree" } else { "" };
    view! {
        <ul class=class>
            {children
                .into_iter()
                .map(|n| {
                    let name = pick(&n.name_vi, &n.name_en);
                    let current = n.code == chosen;
                    view! {
                        <li>
                            {if n.editable {
                                view! {
                                    <a href=format!("/admin/agencies?unit={}#unit-form", n.code) aria-current=current.then_some("true")>
                                        {name.clone()}
                                    </a>
                                }
                                .into_any()
                            } else {
                                view! { <span>{name.clone()}</span> }.into_any()
                            }}
                            " " <span class="code">{format!("({}, {})", n.code, level_text(&n.level).get(locale))}</span>
                            {branch(nodes, Some(&n.code), chosen, locale, depth + 1)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The agency tree and the forms of the chosen unit.
#[component]
pub fn AgenciesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let chosen = query.with_untracked(|q| q.get("unit")).unwrap_or_default();
    let notice = if query.with_untracked(|q| q.get("added").is_some()) {
        Some(ADDED)
    } else if query.with_untracked(|q| q.get("saved").is_some()) {
        Some(SAVED)
    } else {
        None
    };
    require_signed_in().map(|_| {
        let data = crate::pages::loader::spawn(load());
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Some(nodes) = data.await else {
                        set_status(403);
                        return view! { <p>{t(FORBIDDEN)}</p> }.into_any();
                    };
                    let unit = nodes.iter().find(|n| n.code == chosen).cloned();
                    let levels: Vec<(String, String)> = ["province", "department", "district", "commune"]
                        .iter()
                        .map(|l| ((*l).to_string(), level_text(l).get(locale).to_string()))
                        .collect();
                    view! {
                        <p>{t(INTRO)}</p>
                        {notice.map(|n| view! { <Notice text=n/> })}
                        <ErrorSummary/>
                        <nav aria-label=t(TREE)>
                            {branch(&nodes, None, &chosen, locale, 0)}
                        </nav>
                        {unit.map(|u| {
                            if !u.editable {
                                return view! { <p>{t(NOT_YOURS)}</p> }.into_any();
                            }
                            let name = if locale == Locale::Vi || u.name_en.is_empty() { u.name_vi.clone() } else { u.name_en.clone() };
                            view! {
                                <section class="admin-section" aria-labelledby="unit-form" id="unit">
                                    <h2 id="unit-form">{format!("{}: {name} ({})", t(EDIT_UNIT), u.code)}</h2>
                                    <form method="post" action=format!("/admin/agencies/{}", u.code) novalidate>
                                        <div class="form-grid">
                                            <TextField name="unit_name_vi" label=NAME_VI required=true initial=u.name_vi.clone()/>
                                            <TextField name="unit_name_en" label=NAME_EN required=true initial=u.name_en.clone()/>
                                            <TextField name="unit_address" label=ADDRESS initial=u.address.clone()/>
                                            <TextField name="unit_hours" label=HOURS hint=HOURS_HINT initial=u.hours.clone()/>
                                        </div>
                                        <button type="submit" class="button">{t(SAVE)}</button>
                                    </form>
                                </section>
                                <section class="admin-section" aria-labelledby="child-form">
                                    <h2 id="child-form">{format!("{}: {name}", t(ADD_CHILD))}</h2>
                                    <form method="post" action=format!("/admin/agencies/{}/children", u.code) novalidate>
                                        <div class="form-grid">
                                            <TextField name="child_code" label=CODE hint=CODE_HINT required=true autocomplete="off"/>
                                            <SelectField name="child_level" label=LEVEL options=levels.clone() initial="commune"/>
                                            <TextField name="child_name_vi" label=CHILD_NAME_VI required=true/>
                                            <TextField name="child_name_en" label=CHILD_NAME_EN required=true/>
                                            <TextField name="child_address" label=CHILD_ADDRESS/>
                                            <TextField name="child_hours" label=CHILD_HOURS hint=HOURS_HINT/>
                                        </div>
                                        <button type="submit" class="button">{t(ADD)}</button>
                                    </form>
                                </section>
                            }
                            .into_any()
                        })}
                    }
                    .into_any()
                })}
            </Suspense>
        }
    })
}

async fn load() -> Option<Vec<Node>> {
    #[cfg(feature = "ssr")]
    {
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = super::widgets::current_actor()?;
        let tree = crate::ssr::services::agencies::tree(&state, &actor).await.ok()?;
        Some(
            tree.into_iter()
                .map(|n| Node {
                    code: n.code,
                    name_vi: n.name_vi,
                    name_en: n.name_en,
                    level: n.level,
                    address: n.address,
                    hours: n.hours,
                    parent: n.parent,
                    editable: n.editable,
                })
                .collect(),
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
