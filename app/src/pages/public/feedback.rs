//! `/feedback`: the published answers to feedback, searchable and paginated, with no
//! personal data (only the cleaned subject, text and answer, and the answering unit). And
//! `/kiosk/rate`: the rating page of the desk's kiosk, without signing in, tied to a dossier
//! code and the lookup key printed on its receipt.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{ErrorSummary, Notice, TextField};
use crate::components::rating::RatingFields;
use crate::i18n::{t, use_locale};

crate::texts! {
    TITLE = { vi: "Trả lời phản ánh, kiến nghị", en: "Answers to feedback" }
    INTRO = { vi: "Các phản ánh, kiến nghị đã được cơ quan có thẩm quyền trả lời và công khai. Thông tin cá nhân đã được lược bỏ.", en: "Feedback answered and published by the responsible units. Personal data has been removed." }
    SEARCH = { vi: "Tìm trong nội dung", en: "Search the text" }
    GO = { vi: "Tìm", en: "Search" }
    NONE = { vi: "Không có phản ánh nào phù hợp.", en: "No feedback matches." }
    ANSWER = { vi: "Trả lời của", en: "Answer from" }
    FOUND = { vi: "phản ánh", en: "items" }
    PREV = { vi: "Trang trước", en: "Previous page" }
    NEXT = { vi: "Trang sau", en: "Next page" }
    SEND = { vi: "Gửi phản ánh, kiến nghị", en: "Send feedback" }
    KIOSK_TITLE = { vi: "Đánh giá mức độ hài lòng", en: "Rate the service" }
    KIOSK_INTRO = { vi: "Nhập mã hồ sơ và mã tra cứu in trên phiếu tiếp nhận, rồi chọn mức độ hài lòng với từng tiêu chí.", en: "Enter the dossier code and the lookup key printed on the receipt, then rate each criterion." }
    CODE = { vi: "Mã hồ sơ", en: "Dossier code" }
    KEY = { vi: "Mã tra cứu", en: "Lookup key" }
    RATE = { vi: "Gửi đánh giá", en: "Send the rating" }
    THANKS = { vi: "Cảm ơn bạn đã đánh giá.", en: "Thank you for your rating." }
}

#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
struct Published {
    subject: String,
    body: String,
    answer: String,
    unit: String,
    at: String,
}

/// The public list (a GET form, so a search can be linked).
#[component]
pub fn PublicFeedbackPage() -> impl IntoView {
    let (q, page) = use_query_map().with_untracked(|m| {
        (
            m.get("q").unwrap_or_default(),
            m.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1),
        )
    });
    let _ = use_locale();
    let data = crate::pages::loader::spawn(load(q.clone(), page));
    let link = move |p: i64| {
        let mut s = format!("/feedback?page={p}");
        if !q.is_empty() {
            s.push_str("&q=");
            s.push_str(&urlencode(&q));
        }
        s
    };
    view! {
        <Title text=t(TITLE)/>
        <h1>{t(TITLE)}</h1>
        <p>{t(INTRO)} " " <a href="/feedback/mine">{t(SEND)}</a></p>
        <form method="get" action="/feedback" class="narrow" role="search">
            <TextField name="q" label=SEARCH initial=use_query_map().with_untracked(|m| m.get("q").unwrap_or_default()) maxlength=100/>
            <button type="submit" class="button">{t(GO)}</button>
        </form>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let (items, total) = data.await;
                let pages = (total + 19) / 20;
                view! {
                    <p data-testid="feedback-total">{total} " " {t(FOUND)}</p>
                    {if items.is_empty() {
                        view! { <p class="empty">{t(NONE)}</p> }.into_any()
                    } else {
                        items
                            .into_iter()
                            .map(|i| view! {
                                <article class="card feedback" data-testid="published-feedback">
                                    <h2>{i.subject}</h2>
                                    <p class="hint">{i.at}</p>
                                    <p>{i.body}</p>
                                    <h3>{t(ANSWER)} " " {i.unit}</h3>
                                    <p>{i.answer}</p>
                                </article>
                            })
                            .collect_view()
                            .into_any()
                    }}
                    <nav class="pagination" aria-label="pages">
                        {(page > 1).then(|| view! { <a href=link(page - 1)>{t(PREV)}</a> })}
                        {(page < pages).then(|| view! { " " <a href=link(page + 1)>{t(NEXT)}</a> })}
                    </nav>
                }
            })}
        </Suspense>
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn load(q: String, page: i64) -> (Vec<Published>, i64) {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::receipts::local_time;
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return (Vec::new(), 0) };
        let Ok((rows, total)) = crate::ssr::services::feedback::published(&state, &q, page).await else {
            return (Vec::new(), 0);
        };
        let items = rows
            .into_iter()
            .map(|r| Published {
                subject: r.subject,
                body: r.body,
                answer: r.answer,
                unit: r.agency_name,
                at: local_time(from_db(r.published_at)),
            })
            .collect();
        (items, total)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (q, page);
        (Vec::new(), 0)
    }
}

/// The kiosk's rating page.
#[component]
pub fn KioskRatePage() -> impl IntoView {
    let rated = use_query_map().with_untracked(|q| q.get("rated").is_some());
    view! {
        <Title text=t(KIOSK_TITLE)/>
        <h1>{t(KIOSK_TITLE)}</h1>
        {rated.then(|| view! { <Notice text=THANKS/> })}
        <p>{t(KIOSK_INTRO)}</p>
        <ErrorSummary/>
        <form method="post" action="/kiosk/rate" class="narrow" novalidate>
            <TextField name="code" label=CODE required=true maxlength=40 autocomplete="off"/>
            <TextField name="key" label=KEY required=true maxlength=20 autocomplete="off"/>
            <RatingFields/>
            <button type="submit" class="button">{t(RATE)}</button>
        </form>
    }
}
