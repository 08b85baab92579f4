//! `/officer/delegation`: a leader delegates signing to a deputy of the unit for a period,
//! sees the delegations given and revokes them.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{ErrorSummary, Notice, TextField};
use crate::components::viewer::{roles, with_role};
use crate::i18n::{t, use_locale};

crate::texts! {
    TITLE = { vi: "Ủy quyền ký", en: "Delegation of signing" }
    INTRO = { vi: "Trong thời gian ủy quyền, cán bộ được ủy quyền phê duyệt hoặc từ chối hồ sơ ở bước của lãnh đạo đơn vị; quá trình ghi rõ “ký thay”. Tối đa 90 ngày.", en: "During the period the deputy approves or refuses at the unit leader's step; the timeline says “signed by delegation”. At most 90 days." }
    DEPUTY = { vi: "Thư điện tử của cán bộ được ủy quyền", en: "The deputy's email" }
    UNIT = { vi: "Mã đơn vị (để trống: đơn vị của bạn)", en: "Unit code (empty: your unit)" }
    FROM = { vi: "Từ ngày", en: "From" }
    TO = { vi: "Đến hết ngày", en: "Until (inclusive)" }
    GRANT = { vi: "Ủy quyền", en: "Delegate" }
    GIVEN = { vi: "Các ủy quyền đã cấp", en: "Delegations given" }
    NONE = { vi: "Chưa có ủy quyền nào.", en: "No delegation yet." }
    REVOKE = { vi: "Thu hồi", en: "Revoke" }
    REVOKED = { vi: "đã thu hồi", en: "revoked" }
    DONE = { vi: "Đã lưu ủy quyền.", en: "Delegation saved." }
    DONE_REVOKE = { vi: "Đã thu hồi ủy quyền.", en: "Delegation revoked." }
    PERIOD = { vi: "Thời hạn", en: "Period" }
    WHO = { vi: "Cán bộ", en: "Deputy" }
}

#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
struct Given {
    id: String,
    who: String,
    unit: String,
    period: String,
    revoked: bool,
}

/// The delegation page.
#[component]
pub fn DelegationPage() -> impl IntoView {
    let notice = use_query_map().with_untracked(|q| {
        if q.get("granted").is_some() {
            Some(DONE)
        } else if q.get("revoked").is_some() {
            Some(DONE_REVOKE)
        } else {
            None
        }
    });
    let _ = use_locale();
    with_role(roles::LEADERS, move |_| {
        let given = crate::pages::loader::spawn(load());
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            {notice.map(|text| view! { <Notice text/> })}
            <p>{t(INTRO)}</p>
            <ErrorSummary/>
            <form method="post" action="/officer/delegation" class="narrow" novalidate>
                <TextField name="deputy" label=DEPUTY kind="email" required=true autocomplete="off"/>
                <TextField name="unit" label=UNIT maxlength=20 autocomplete="off"/>
                <TextField name="from" label=FROM kind="date" required=true/>
                <TextField name="to" label=TO kind="date" required=true/>
                <button type="submit" class="button">{t(GRANT)}</button>
            </form>
            <h2>{t(GIVEN)}</h2>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let rows = given.await;
                    if rows.is_empty() {
                        return view! { <p class="empty">{t(NONE)}</p> }.into_any();
                    }
                    view! {
                        <table class="table">
                            <thead><tr><th scope="col">{t(WHO)}</th><th scope="col">{t(PERIOD)}</th><th scope="col"><span class="visually-hidden">{t(REVOKE)}</span></th></tr></thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|g| view! {
                                        <tr>
                                            <td>{g.who} " (" {g.unit} ")"</td>
                                            <td>{g.period}</td>
                                            <td>
                                                {if g.revoked {
                                                    view! { <span>{t(REVOKED)}</span> }.into_any()
                                                } else {
                                                    view! {
                                                        <form method="post" action=format!("/officer/delegation/{}/revoke", g.id)>
                                                            <button type="submit" class="button secondary">{t(REVOKE)}</button>
                                                        </form>
                                                    }
                                                    .into_any()
                                                }}
                                            </td>
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

async fn load() -> Vec<Given> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::receipts::local_time;
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return Vec::new() };
        let Some(actor) = crate::components::viewer::current_actor() else { return Vec::new() };
        crate::ssr::services::delegation::given(&state, &actor)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|r| Given {
                id: r.id,
                who: format!("{} — {}", r.deputy_name, r.deputy_email),
                unit: r.agency_code,
                period: format!("{} → {}", local_time(from_db(r.starts_at)), local_time(from_db(r.ends_at))),
                revoked: r.revoked_at.is_some(),
            })
            .collect()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Vec::new()
    }
}
