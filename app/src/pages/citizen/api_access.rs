//! `/organisations/{id}/api`: the owner's page for the organisation's API access — tokens
//! (named, scoped, expiring, shown once, revocable) and webhooks (endpoints, deliveries with
//! their attempts, replay). Plain forms; works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::components::form::{ErrorSummary, Notice, TextField};
use crate::components::viewer::require_signed_in;
use crate::domain::webhook::EVENTS;
use crate::i18n::{t, use_locale};

crate::texts! {
    TITLE = { vi: "Kết nối API", en: "API access" }
    INTRO = {
        vi: "Hệ thống của tổ chức nộp và theo dõi hồ sơ qua API bằng khóa do bạn tạo ở đây. Tài liệu: ",
        en: "Your organisation's systems file and follow dossiers through the API with tokens you create here. Reference: ",
    }
    NOT_FOUND = { vi: "Không tìm thấy tổ chức, hoặc bạn không phải chủ sở hữu.", en: "Organisation not found, or you are not its owner." }
    TOKENS = { vi: "Khóa API", en: "API tokens" }
    NO_TOKENS = { vi: "Chưa có khóa nào.", en: "No tokens yet." }
    NAME = { vi: "Tên khóa", en: "Token name" }
    NAME_HINT = { vi: "Ví dụ: tên hệ thống sẽ dùng khóa.", en: "E.g. the system that will use it." }
    SCOPE = { vi: "Quyền", en: "Scope" }
    SCOPE_READ = { vi: "Chỉ đọc", en: "Read only" }
    SCOPE_WRITE = { vi: "Đọc và ghi (nộp hồ sơ)", en: "Read and write (file dossiers)" }
    DAYS = { vi: "Thời hạn (ngày, 1–365)", en: "Valid for (days, 1–365)" }
    CREATE = { vi: "Tạo khóa", en: "Create token" }
    PREFIX = { vi: "Bắt đầu bằng", en: "Starts with" }
    CREATED = { vi: "Ngày tạo", en: "Created" }
    EXPIRES = { vi: "Hết hạn", en: "Expires" }
    LAST_USED = { vi: "Dùng lần cuối", en: "Last used" }
    STATUS = { vi: "Trạng thái", en: "Status" }
    ACTIVE = { vi: "Đang dùng", en: "Active" }
    REVOKED = { vi: "Đã thu hồi", en: "Revoked" }
    EXPIRED = { vi: "Đã hết hạn", en: "Expired" }
    REVOKE = { vi: "Thu hồi", en: "Revoke" }
    NEVER = { vi: "Chưa dùng", en: "Never" }
    NEW_TOKEN = { vi: "Khóa mới của bạn. Hãy sao chép ngay: khóa chỉ hiển thị một lần này.", en: "Your new token. Copy it now: it is shown this once only." }
    NEW_SECRET = { vi: "Khóa bí mật để kiểm tra chữ ký của webhook. Hãy sao chép ngay: chỉ hiển thị một lần này.", en: "The secret to verify this webhook's signatures. Copy it now: it is shown this once only." }
    REVOKED_NOTICE = { vi: "Đã thu hồi khóa; khóa không dùng được nữa.", en: "The token was revoked; it no longer works." }
    REMOVED_NOTICE = { vi: "Đã xóa địa chỉ nhận webhook.", en: "The webhook endpoint was removed." }
    REPLAYED_NOTICE = { vi: "Đã xếp lịch gửi lại.", en: "The delivery was queued again." }
    WEBHOOKS = { vi: "Webhook", en: "Webhooks" }
    NO_WEBHOOKS = { vi: "Chưa đăng ký địa chỉ nhận nào.", en: "No endpoints registered." }
    URL = { vi: "Địa chỉ nhận (https://…)", en: "Endpoint URL (https://…)" }
    EVENTS_LABEL = { vi: "Sự kiện", en: "Events" }
    ALL_EVENTS = { vi: "Tất cả sự kiện", en: "All events" }
    REGISTER = { vi: "Đăng ký webhook", en: "Register webhook" }
    REMOVE = { vi: "Xóa", en: "Remove" }
    DELIVERIES = { vi: "Các lần gửi gần đây", en: "Recent deliveries" }
    NO_DELIVERIES = { vi: "Chưa có lần gửi nào.", en: "No deliveries yet." }
    EVENT = { vi: "Sự kiện", en: "Event" }
    DOSSIER = { vi: "Hồ sơ", en: "Dossier" }
    ATTEMPTS = { vi: "Các lần thử", en: "Attempts" }
    REPLAY = { vi: "Gửi lại", en: "Replay" }
    PENDING = { vi: "Đang chờ gửi", en: "Pending" }
    DELIVERED = { vi: "Đã gửi", en: "Delivered" }
    FAILED = { vi: "Thất bại", en: "Failed" }
    NO_ANSWER = { vi: "không trả lời", en: "no answer" }
    ACTIONS = { vi: "Thao tác", en: "Actions" }
}

/// Which secret is shown once on the page answering a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// A new API token.
    Token,
    /// A new webhook endpoint's signing secret.
    WebhookSecret,
}

/// A secret shown once (provided in context by the form handler, never stored in clear).
#[derive(Debug, Clone)]
pub struct ShownSecret {
    /// What it is.
    pub kind: SecretKind,
    /// The secret.
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TokenItem {
    id: String,
    name: String,
    write: bool,
    prefix: String,
    created: String,
    expires: String,
    last_used: Option<String>,
    revoked: bool,
    live: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct EndpointItem {
    id: String,
    url: String,
    events: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct DeliveryItem {
    id: String,
    event: String,
    dossier_id: String,
    status: String,
    created: String,
    attempts: Vec<(String, Option<i64>, String, i64)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ApiAccessData {
    name: String,
    tokens: Vec<TokenItem>,
    endpoints: Vec<EndpointItem>,
    deliveries: Vec<DeliveryItem>,
}

/// The page.
#[component]
pub fn ApiAccessPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let notice = use_query_map().with_untracked(|q| {
        if q.get("revoked").is_some() {
            Some(REVOKED_NOTICE)
        } else if q.get("removed").is_some() {
            Some(REMOVED_NOTICE)
        } else if q.get("replayed").is_some() {
            Some(REPLAYED_NOTICE)
        } else {
            None
        }
    });
    let shown = use_context::<ShownSecret>();
    require_signed_in().map(|viewer| {
        let data = crate::pages::loader::spawn(load(viewer.user_id.clone(), id.clone()));
        view! {
            <Suspense fallback=|| ()>
                {Suspend::new({
                    let id = id.clone();
                    let shown = shown.clone();
                    async move {
                        match data.await {
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
                            Some(d) => page(id, d, notice, shown).into_any(),
                        }
                    }
                })}
            </Suspense>
        }
    })
}

fn page(
    id: String,
    d: ApiAccessData,
    notice: Option<crate::i18n::Text>,
    shown: Option<ShownSecret>,
) -> impl IntoView {
    let locale = use_locale();
    let title = format!("{} — {}", t(TITLE), d.name);
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p>{t(INTRO)} <a href="/api/v1/docs">"/api/v1/docs"</a> " · " <a href="/api/v1/openapi.json">"OpenAPI"</a></p>
        {notice.map(|text| view! { <Notice text/> })}
        {shown.map(|s| {
            let label = match s.kind {
                SecretKind::Token => t(NEW_TOKEN),
                SecretKind::WebhookSecret => t(NEW_SECRET),
            };
            view! {
                <div class="notice secret" role="status">
                    <p>{label}</p>
                    <p><code id="new-secret">{s.value}</code></p>
                </div>
            }
        })}
        <ErrorSummary/>
        <section aria-labelledby="tokens-title">
            <h2 id="tokens-title">{t(TOKENS)}</h2>
            {if d.tokens.is_empty() {
                view! { <p class="empty">{t(NO_TOKENS)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" id="tokens">
                        <thead>
                            <tr>
                                <th scope="col">{t(NAME)}</th>
                                <th scope="col">{t(SCOPE)}</th>
                                <th scope="col">{t(PREFIX)}</th>
                                <th scope="col">{t(CREATED)}</th>
                                <th scope="col">{t(EXPIRES)}</th>
                                <th scope="col">{t(LAST_USED)}</th>
                                <th scope="col">{t(STATUS)}</th>
                                <th scope="col">{t(ACTIONS)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {d.tokens.into_iter().map(|tk| {
                                let action = format!("/organisations/{id}/api/tokens/{}/revoke", tk.id);
                                let label = format!("{} {}", t(REVOKE), tk.name);
                                let status = if tk.revoked { t(REVOKED) } else if tk.live { t(ACTIVE) } else { t(EXPIRED) };
                                view! {
                                    <tr>
                                        <td>{tk.name.clone()}</td>
                                        <td>{if tk.write { t(SCOPE_WRITE) } else { t(SCOPE_READ) }}</td>
                                        <td><code>{tk.prefix}"…"</code></td>
                                        <td>{tk.created}</td>
                                        <td>{tk.expires}</td>
                                        <td>{tk.last_used.unwrap_or_else(|| t(NEVER).to_string())}</td>
                                        <td>{status}</td>
                                        <td>
                                            {tk.live.then(|| view! {
                                                <form method="post" action=action>
                                                    <button type="submit" class="button secondary" aria-label=label>{t(REVOKE)}</button>
                                                </form>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <form method="post" action=format!("/organisations/{id}/api/tokens") class="narrow" novalidate>
                <TextField name="name" label=NAME hint=NAME_HINT required=true maxlength=100 autocomplete="off"/>
                <div class="field">
                    <label for="f-scope">{t(SCOPE)}</label>
                    <select id="f-scope" name="scope">
                        <option value="read">{t(SCOPE_READ)}</option>
                        <option value="write">{t(SCOPE_WRITE)}</option>
                    </select>
                </div>
                <TextField name="days" label=DAYS required=true inputmode="numeric" maxlength=3 initial="90"/>
                <button type="submit" class="button">{t(CREATE)}</button>
            </form>
        </section>
        <section aria-labelledby="webhooks-title">
            <h2 id="webhooks-title">{t(WEBHOOKS)}</h2>
            {if d.endpoints.is_empty() {
                view! { <p class="empty">{t(NO_WEBHOOKS)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" id="endpoints">
                        <thead>
                            <tr>
                                <th scope="col">{t(URL)}</th>
                                <th scope="col">{t(EVENTS_LABEL)}</th>
                                <th scope="col">{t(ACTIONS)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {d.endpoints.into_iter().map(|e| {
                                let action = format!("/organisations/{id}/api/webhooks/{}/remove", e.id);
                                let label = format!("{} {}", t(REMOVE), e.url);
                                view! {
                                    <tr>
                                        <td><code>{e.url.clone()}</code></td>
                                        <td>{if e.events == "*" { t(ALL_EVENTS).to_string() } else { e.events.trim_matches(',').replace(',', ", ") }}</td>
                                        <td>
                                            <form method="post" action=action>
                                                <button type="submit" class="button secondary" aria-label=label>{t(REMOVE)}</button>
                                            </form>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <form method="post" action=format!("/organisations/{id}/api/webhooks") class="narrow" novalidate>
                <TextField name="url" label=URL kind="url" required=true maxlength=500 autocomplete="off"/>
                <fieldset class="field">
                    <legend>{t(EVENTS_LABEL)}</legend>
                    <label><input type="checkbox" name="events" value="*" checked=true/> " " {t(ALL_EVENTS)}</label>
                    {EVENTS.iter().map(|(name, vi, en)| {
                        let text = match locale { crate::i18n::Locale::Vi => *vi, crate::i18n::Locale::En => *en };
                        view! { <label><input type="checkbox" name="events" value=*name/> " " {text} " (" <code>{*name}</code> ")"</label> }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button">{t(REGISTER)}</button>
            </form>
            <h3 id="deliveries">{t(DELIVERIES)}</h3>
            {if d.deliveries.is_empty() {
                view! { <p class="empty">{t(NO_DELIVERIES)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{t(CREATED)}</th>
                                <th scope="col">{t(EVENT)}</th>
                                <th scope="col">{t(DOSSIER)}</th>
                                <th scope="col">{t(STATUS)}</th>
                                <th scope="col">{t(ATTEMPTS)}</th>
                                <th scope="col">{t(ACTIONS)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {d.deliveries.into_iter().map(|dl| {
                                let action = format!("/organisations/{id}/api/deliveries/{}/replay", dl.id);
                                let label = format!("{} {}", t(REPLAY), dl.event);
                                let status = match dl.status.as_str() {
                                    "delivered" => t(DELIVERED),
                                    "failed" => t(FAILED),
                                    _ => t(PENDING),
                                };
                                view! {
                                    <tr>
                                        <td>{dl.created}</td>
                                        <td><code>{dl.event.clone()}</code></td>
                                        <td><a href=format!("/dossiers/{}", dl.dossier_id)>{t(DOSSIER)}</a></td>
                                        <td>{status}</td>
                                        <td>
                                            <ol class="attempts">
                                                {dl.attempts.into_iter().map(|(at, code, error, ms)| {
                                                    let outcome = code.map(|c| format!("HTTP {c}")).unwrap_or_else(|| t(NO_ANSWER).to_string());
                                                    let error = if error.is_empty() { String::new() } else { format!(" — {error}") };
                                                    view! { <li>{at} " — " {outcome} {error} " (" {ms} " ms)"</li> }
                                                }).collect_view()}
                                            </ol>
                                        </td>
                                        <td>
                                            <form method="post" action=action>
                                                <button type="submit" class="button secondary" aria-label=label>{t(REPLAY)}</button>
                                            </form>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

async fn load(user_id: String, id: String) -> Option<ApiAccessData> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::auth::policy::Actor;
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::receipts::local_time;
        use crate::ssr::services::{api_tokens, organisations, webhooks};
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = Actor::Citizen { user_id };
        let tokens = api_tokens::list(&state, &actor, &id).await.ok()?;
        let org = organisations::get(&state, &actor, &id).await.ok()?;
        let overview = webhooks::overview(&state, &actor, &id).await.ok()?;
        let now = state.clock.now();
        let when = |micros: i64| local_time(from_db(micros));
        Some(ApiAccessData {
            name: org.organisation.name,
            tokens: tokens
                .into_iter()
                .map(|r| TokenItem {
                    live: api_tokens::is_live(&r, now),
                    id: r.id,
                    name: r.name,
                    write: r.scope == "write",
                    prefix: r.prefix,
                    created: when(r.created_at),
                    expires: when(r.expires_at),
                    last_used: r.last_used_at.map(when),
                    revoked: r.revoked_at.is_some(),
                })
                .collect(),
            endpoints: overview
                .endpoints
                .into_iter()
                .map(|e| EndpointItem { id: e.id, url: e.url, events: e.events })
                .collect(),
            deliveries: overview
                .deliveries
                .into_iter()
                .map(|dl| DeliveryItem {
                    attempts: overview
                        .attempts
                        .iter()
                        .filter(|a| a.delivery_id == dl.id)
                        .map(|a| (when(a.at), a.status_code, a.error.clone(), a.duration_ms))
                        .collect(),
                    id: dl.id,
                    event: dl.event,
                    dossier_id: dl.dossier_id,
                    status: dl.status,
                    created: when(dl.created_at),
                })
                .collect(),
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (user_id, id);
        None
    }
}
