//! `/admin/audit`: the audit log (system administrators): the latest entries and whether the
//! hash chain is intact.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::viewer::require_signed_in;
use crate::i18n::t;

crate::texts! {
    TITLE = { vi: "Nhật ký kiểm tra", en: "Audit log" }
    FORBIDDEN = { vi: "Chỉ quản trị hệ thống xem được nhật ký kiểm tra.", en: "Only system administrators may see the audit log." }
    INTACT = { vi: "Chuỗi băm nguyên vẹn: {n} bản ghi đã được kiểm tra.", en: "The hash chain is intact: {n} entries checked." }
    BROKEN = { vi: "CẢNH BÁO: chuỗi băm bị phá vỡ tại bản ghi số {n}. Nhật ký đã bị sửa hoặc xóa.", en: "WARNING: the hash chain breaks at entry {n}. The log was edited or deleted." }
    WHEN = { vi: "Thời điểm", en: "When" }
    WHO = { vi: "Người thực hiện", en: "Who" }
    WHAT = { vi: "Thao tác", en: "Action" }
    SUBJECT = { vi: "Đối tượng", en: "Subject" }
    FROM = { vi: "Địa chỉ IP", en: "IP address" }
    NONE = { vi: "Chưa có bản ghi nào.", en: "No entries yet." }
}

/// One line.
#[derive(Debug, Clone)]
pub struct AuditLine {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    subject: String,
    ip: String,
}

/// The audit page.
#[component]
pub fn AuditPage() -> impl IntoView {
    require_signed_in().map(|_| {
        let data = crate::pages::loader::spawn(load());
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Some((lines, verdict)) = data.await else {
                        #[cfg(feature = "ssr")]
                        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                            r.set_status(http::StatusCode::FORBIDDEN);
                        }
                        return view! { <p>{t(FORBIDDEN)}</p> }.into_any();
                    };
                    let verdict = match verdict {
                        Ok(n) => view! { <div class="notice" role="status"><p data-testid="chain">{t(INTACT).replace("{n}", &n.to_string())}</p></div> }.into_any(),
                        Err(n) => view! { <div class="error-summary" role="alert"><p data-testid="chain">{t(BROKEN).replace("{n}", &n.to_string())}</p></div> }.into_any(),
                    };
                    view! {
                        {verdict}
                        {if lines.is_empty() {
                            view! { <p class="empty">{t(NONE)}</p> }.into_any()
                        } else {
                            view! {
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"#"</th>
                                            <th scope="col">{t(WHEN)}</th>
                                            <th scope="col">{t(WHO)}</th>
                                            <th scope="col">{t(WHAT)}</th>
                                            <th scope="col">{t(SUBJECT)}</th>
                                            <th scope="col">{t(FROM)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {lines
                                            .into_iter()
                                            .map(|l| view! {
                                                <tr>
                                                    <td>{l.seq}</td>
                                                    <td>{l.at}</td>
                                                    <td>{l.actor}</td>
                                                    <td><code>{l.action}</code></td>
                                                    <td><code>{l.subject}</code></td>
                                                    <td>{l.ip}</td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
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

#[allow(clippy::type_complexity)]
async fn load() -> Option<(Vec<AuditLine>, Result<i64, i64>)> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::{audit, columns::from_db, users};
        use crate::ssr::services::receipts::local_time;
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        if !actor.is_system_admin() {
            return None;
        }
        let verdict = audit::verify(&state.db).await.ok()?;
        let rows = audit::latest(&state.db, 200).await.ok()?;
        let mut conn = state.db.reader().acquire().await.ok()?;
        let mut lines = Vec::new();
        for r in rows {
            let actor = match &r.actor_id {
                Some(id) => users::by_id(&mut conn, id)
                    .await
                    .ok()
                    .flatten()
                    .map(|u| u.email)
                    .unwrap_or_else(|| id.clone()),
                None => String::new(),
            };
            lines.push(AuditLine {
                seq: r.seq,
                at: local_time(from_db(r.at)),
                actor,
                action: r.action,
                subject: r.subject,
                ip: r.ip,
            });
        }
        Some((lines, verdict))
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
