//! `/organisations`, `/organisations/{id}`, `/invitation`: businesses and organisations.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::components::form::{ErrorSummary, Notice, TextField};
use crate::components::viewer::require_signed_in;
use crate::i18n::t;

crate::texts! {
    TITLE = { vi: "Tổ chức, doanh nghiệp của tôi", en: "My organisations" }
    INTRO = {
        vi: "Thành viên của một tổ chức nộp hồ sơ thay mặt tổ chức và cùng theo dõi mọi hồ sơ của tổ chức đó.",
        en: "Members of an organisation file dossiers on its behalf and all follow everything it files.",
    }
    NONE = { vi: "Bạn chưa thuộc tổ chức nào.", en: "You do not belong to any organisation yet." }
    CREATE = { vi: "Đăng ký tổ chức", en: "Register an organisation" }
    NAME = { vi: "Tên tổ chức, doanh nghiệp", en: "Organisation name" }
    TAX_CODE = { vi: "Mã số thuế", en: "Tax code" }
    TAX_CODE_HINT = { vi: "10 chữ số, hoặc 13 chữ số (10-3) với chi nhánh.", en: "10 digits, or 13 (10-3) for a branch." }
    ADDRESS = { vi: "Địa chỉ trụ sở", en: "Registered address" }
    SUBMIT = { vi: "Đăng ký tổ chức", en: "Register" }
    OWNER = { vi: "Chủ sở hữu", en: "Owner" }
    MEMBER = { vi: "Thành viên", en: "Member" }
    MEMBERS = { vi: "Thành viên", en: "Members" }
    ROLE = { vi: "Vai trò", en: "Role" }
    EMAIL = { vi: "Thư điện tử", en: "Email" }
    FULL_NAME = { vi: "Họ và tên", en: "Full name" }
    ACTIONS = { vi: "Thao tác", en: "Actions" }
    REMOVE = { vi: "Xóa khỏi tổ chức", en: "Remove" }
    INVITE = { vi: "Mời thành viên", en: "Invite a member" }
    INVITE_EMAIL = { vi: "Thư điện tử người được mời", en: "Email of the person to invite" }
    SEND_INVITE = { vi: "Gửi lời mời", en: "Send invitation" }
    INVITED = { vi: "Đã gửi lời mời.", en: "Invitation sent." }
    REMOVED = { vi: "Đã xóa thành viên khỏi tổ chức.", en: "The member was removed." }
    JOINED = { vi: "Bạn đã tham gia tổ chức.", en: "You joined the organisation." }
    NOT_FOUND = { vi: "Không tìm thấy tổ chức, hoặc bạn không phải thành viên.", en: "Organisation not found, or you are not a member." }
    INVITATION = { vi: "Lời mời tham gia tổ chức", en: "Invitation to join an organisation" }
    INVITATION_INTRO = { vi: "Bấm “Chấp nhận” để tham gia tổ chức đã mời bạn.", en: "Press “Accept” to join the organisation that invited you." }
    ACCEPT = { vi: "Chấp nhận", en: "Accept" }
    API_ACCESS = { vi: "Kết nối API: khóa và webhook", en: "API access: tokens and webhooks" }
}

/// One organisation in the list.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct OrgItem {
    id: String,
    name: String,
    tax_code: String,
    owner: bool,
}

/// The list of the person's organisations and the form to register one.
#[component]
pub fn OrganisationsPage() -> impl IntoView {
    require_signed_in().map(|viewer| {
        let list = crate::pages::loader::spawn(load_mine(viewer.user_id.clone()));
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            <p>{t(INTRO)}</p>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let items = list.await;
                    if items.is_empty() {
                        view! { <p class="empty">{t(NONE)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="org-list">
                                {items
                                    .into_iter()
                                    .map(|o| {
                                        view! {
                                            <li>
                                                <a href=format!("/organisations/{}", o.id)>{o.name}</a>
                                                " — " {t(TAX_CODE)} " " {o.tax_code} " ("
                                                {if o.owner { t(OWNER) } else { t(MEMBER) }} ")"
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                })}
            </Suspense>
            <section class="narrow" aria-labelledby="create-title">
                <h2 id="create-title">{t(CREATE)}</h2>
                <ErrorSummary/>
                <form method="post" action="/organisations" novalidate>
                    <TextField name="name" label=NAME required=true autocomplete="organization" maxlength=200/>
                    <TextField name="tax_code" label=TAX_CODE hint=TAX_CODE_HINT required=true inputmode="numeric" maxlength=14/>
                    <TextField name="address" label=ADDRESS required=true autocomplete="street-address" maxlength=300/>
                    <button type="submit" class="button">{t(SUBMIT)}</button>
                </form>
            </section>
        }
    })
}

/// An organisation as a member sees it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct OrgDetail {
    name: String,
    tax_code: String,
    address: String,
    owner: bool,
    members: Vec<(String, String, String, bool)>,
}

/// One organisation: members, invitations, removal.
#[component]
pub fn OrganisationPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let query = use_query_map();
    let notice = query.with_untracked(|q| {
        if q.get("invited").is_some() {
            Some(INVITED)
        } else if q.get("removed").is_some() {
            Some(REMOVED)
        } else if q.get("joined").is_some() {
            Some(JOINED)
        } else {
            None
        }
    });
    require_signed_in().map(|viewer| {
        let detail = crate::pages::loader::spawn(load_detail(viewer.user_id.clone(), id.clone()));
        view! {
            <Suspense fallback=|| ()>
                {Suspend::new({
                    let id = id.clone();
                    async move {
                        match detail.await {
                            None => {
                                #[cfg(feature = "ssr")]
                                if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                                    r.set_status(http::StatusCode::NOT_FOUND);
                                }
                                view! {
                                    <Title text=t(NOT_FOUND)/>
                                    <h1>{t(NOT_FOUND)}</h1>
                                    <p><a href="/organisations">{t(TITLE)}</a></p>
                                }
                                    .into_any()
                            }
                            Some(org) => {
                                let owner = org.owner;
                                view! {
                                    <Title text=org.name.clone()/>
                                    <h1>{org.name.clone()}</h1>
                                    {notice.map(|text| view! { <Notice text/> })}
                                    <ErrorSummary/>
                                    <dl class="facts">
                                        <dt>{t(TAX_CODE)}</dt>
                                        <dd>{org.tax_code.clone()}</dd>
                                        <dt>{t(ADDRESS)}</dt>
                                        <dd>{org.address.clone()}</dd>
                                    </dl>
                                    <h2>{t(MEMBERS)}</h2>
                                    <table class="table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t(FULL_NAME)}</th>
                                                <th scope="col">{t(EMAIL)}</th>
                                                <th scope="col">{t(ROLE)}</th>
                                                {owner.then(|| view! { <th scope="col">{t(ACTIONS)}</th> })}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {org
                                                .members
                                                .into_iter()
                                                .map(|(user_id, name, email, is_owner)| {
                                                    let action = format!("/organisations/{}/members/{user_id}/remove", id);
                                                    let label = format!("{} {name}", t(REMOVE));
                                                    view! {
                                                        <tr>
                                                            <td>{name.clone()}</td>
                                                            <td>{email}</td>
                                                            <td>{if is_owner { t(OWNER) } else { t(MEMBER) }}</td>
                                                            {owner
                                                                .then(|| {
                                                                    view! {
                                                                        <td>
                                                                            {(!is_owner)
                                                                                .then(|| {
                                                                                    view! {
                                                                                        <form method="post" action=action>
                                                                                            <button type="submit" class="button secondary" aria-label=label>
                                                                                                {t(REMOVE)}
                                                                                            </button>
                                                                                        </form>
                                                                                    }
                                                                                })}
                                                                        </td>
                                                                    }
                                                                })}
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                    {owner
                                        .then(|| {
                                            view! {
                                                <p><a href=format!("/organisations/{}/api", id)>{t(API_ACCESS)}</a></p>
                                                <section class="narrow" aria-labelledby="invite-title">
                                                    <h2 id="invite-title">{t(INVITE)}</h2>
                                                    <form method="post" action=format!("/organisations/{}/invite", id) novalidate>
                                                        <TextField name="email" label=INVITE_EMAIL kind="email" required=true autocomplete="off"/>
                                                        <button type="submit" class="button">{t(SEND_INVITE)}</button>
                                                    </form>
                                                </section>
                                            }
                                        })}
                                }
                                    .into_any()
                            }
                        }
                    }
                })}
            </Suspense>
        }
    })
}

/// The page an invitation link opens.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    require_signed_in().map(|_| {
        view! {
            <Title text=t(INVITATION)/>
            <div class="narrow">
                <h1>{t(INVITATION)}</h1>
                <ErrorSummary/>
                <p>{t(INVITATION_INTRO)}</p>
                <form method="post" action="/invitation">
                    <input type="hidden" name="token" value=token/>
                    <button type="submit" class="button">{t(ACCEPT)}</button>
                </form>
            </div>
        }
    })
}

async fn load_mine(user_id: String) -> Vec<OrgItem> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::auth::policy::{Actor, OrgRole};
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return Vec::new() };
        let actor = Actor::Citizen { user_id };
        crate::ssr::services::organisations::mine(&state, &actor)
            .await
            .map(|list| {
                list.into_iter()
                    .map(|(o, role)| OrgItem {
                        id: o.id,
                        name: o.name,
                        tax_code: o.tax_code,
                        owner: role == OrgRole::Owner,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = user_id;
        Vec::new()
    }
}

async fn load_detail(user_id: String, id: String) -> Option<OrgDetail> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::auth::policy::{Actor, OrgRole};
        let state = use_context::<crate::ssr::state::AppState>()?;
        let view =
            crate::ssr::services::organisations::get(&state, &Actor::Citizen { user_id }, &id).await.ok()?;
        Some(OrgDetail {
            name: view.organisation.name,
            tax_code: view.organisation.tax_code,
            address: view.organisation.address,
            owner: view.role == OrgRole::Owner,
            members: view
                .members
                .into_iter()
                .map(|m| (m.user_id, m.full_name, m.email, m.role == "owner"))
                .collect(),
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (user_id, id);
        None
    }
}
