//! `/officer/feedback`: the feedback queue of the units the officer answers for (desk
//! officers, leaders, agency admins): unanswered first, by due date; answer, then publish.
//! Also the rating section appended to the officer's dossier page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{ErrorSummary, Notice, textarea_text, use_form_state};
use crate::components::rating::{RatingSummary, RatingView};
use crate::components::viewer::{roles, with_role};
use crate::i18n::t;
use crate::pages::not_found::NotFound;

crate::texts! {
    TITLE = { vi: "Phản ánh, kiến nghị", en: "Feedback" }
    INTRO = { vi: "Phản ánh, kiến nghị gửi đơn vị của bạn. Trả lời trong 10 ngày làm việc; phản ánh đã trả lời có thể công khai (thông tin cá nhân được lược bỏ).", en: "Feedback sent to your units. Answer within 10 working days; answered items can be published (personal data removed)." }
    NONE = { vi: "Không có phản ánh nào.", en: "No feedback." }
    ABOUT = { vi: "Về", en: "About" }
    UNIT = { vi: "Đơn vị", en: "Unit" }
    SENT = { vi: "Ngày gửi", en: "Sent" }
    DUE = { vi: "Hạn trả lời", en: "Due" }
    OVERDUE = { vi: "Quá hạn", en: "Overdue" }
    ANSWER = { vi: "Nội dung trả lời", en: "Answer" }
    SEND_ANSWER = { vi: "Gửi trả lời", en: "Send the answer" }
    PUBLISH = { vi: "Công khai", en: "Publish" }
    PUBLISHED = { vi: "Đã công khai", en: "Published" }
    ANSWERED = { vi: "Đã gửi trả lời.", en: "Answer sent." }
    DONE_PUBLISH = { vi: "Đã công khai phản ánh.", en: "Feedback published." }
    RATING = { vi: "Đánh giá của người dân", en: "The applicant's rating" }
    NOT_RATED = { vi: "Chưa có đánh giá.", en: "Not rated yet." }
}

#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
struct Row {
    id: String,
    about: String,
    unit: String,
    subject: String,
    body: String,
    sent: String,
    due: String,
    overdue: bool,
    answer: Option<String>,
    published: bool,
}

/// The queue.
#[component]
pub fn FeedbackQueuePage() -> impl IntoView {
    let notice = use_query_map().with_untracked(|q| {
        if q.get("answered").is_some() {
            Some(ANSWERED)
        } else if q.get("published").is_some() {
            Some(DONE_PUBLISH)
        } else {
            None
        }
    });
    with_role(roles::OFFICER, move |_| {
        let rows = crate::pages::loader::spawn(load());
        let state = use_form_state();
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            {notice.map(|text| view! { <Notice text/> })}
            <p>{t(INTRO)}</p>
            <ErrorSummary/>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Some(rows) = rows.await else { return view! { <NotFound/> }.into_any() };
                    if rows.is_empty() {
                        return view! { <p class="empty">{t(NONE)}</p> }.into_any();
                    }
                    rows.into_iter()
                        .map(|r| {
                            let typed = state.as_ref().and_then(|s| s.values.get(&format!("answer-{}", r.id)).cloned()).unwrap_or_default();
                            let field = format!("f-answer-{}", r.id);
                            view! {
                                <article class="card feedback" data-testid="feedback-item">
                                    <h2>{r.subject.clone()}</h2>
                                    <dl class="facts">
                                        <dt>{t(ABOUT)}</dt><dd>{r.about.clone()}</dd>
                                        <dt>{t(UNIT)}</dt><dd>{r.unit.clone()}</dd>
                                        <dt>{t(SENT)}</dt><dd>{r.sent.clone()}</dd>
                                        <dt>{t(DUE)}</dt>
                                        <dd>{r.due.clone()} {r.overdue.then(|| view! { " " <strong class="badge late">{t(OVERDUE)}</strong> })}</dd>
                                    </dl>
                                    <p>{r.body.clone()}</p>
                                    {match r.answer.clone() {
                                        Some(answer) => view! {
                                            <h3>{t(ANSWER)}</h3>
                                            <p>{answer}</p>
                                            {if r.published {
                                                view! { <p><strong>{t(PUBLISHED)}</strong></p> }.into_any()
                                            } else {
                                                view! {
                                                    <form method="post" action=format!("/officer/feedback/{}/publish", r.id)>
                                                        <button type="submit" class="button secondary">{t(PUBLISH)}</button>
                                                    </form>
                                                }.into_any()
                                            }}
                                        }.into_any(),
                                        None => view! {
                                            <form method="post" action=format!("/officer/feedback/{}/answer", r.id) novalidate>
                                                <div class="field">
                                                    <label for=field.clone()>{t(ANSWER)}</label>
                                                    <textarea id=field name="answer" rows="4" maxlength="5000" required>{textarea_text(&typed)}</textarea>
                                                </div>
                                                <button type="submit" class="button">{t(SEND_ANSWER)}</button>
                                            </form>
                                        }.into_any(),
                                    }}
                                </article>
                            }
                        })
                        .collect_view()
                        .into_any()
                })}
            </Suspense>
        }
    })
}

async fn load() -> Option<Vec<Row>> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::receipts::local_time;
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        let rows = crate::ssr::services::feedback::queue(&state, &actor).await.ok()?;
        Some(
            rows.into_iter()
                .map(|r| Row {
                    id: r.id,
                    about: r.about_label,
                    unit: r.agency_name,
                    subject: r.subject,
                    body: r.body,
                    sent: local_time(from_db(r.created_at)),
                    due: local_time(from_db(r.due_at)),
                    overdue: r.overdue_at.is_some(),
                    answer: r.answered_at.map(|_| r.answer),
                    published: r.published_at.is_some(),
                })
                .collect(),
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The rating section of the officer's dossier page (desk officers, leaders and agency
/// admins of the receiving unit); nothing for others.
#[component]
pub fn OfficerRating(
    /// The dossier id.
    id: String,
) -> impl IntoView {
    let data = crate::pages::loader::spawn(load_rating(id));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                data.await.map(|rating| view! {
                    <section aria-labelledby="rating-title">
                        <h2 id="rating-title">{t(RATING)}</h2>
                        {match rating {
                            Some(r) => view! { <RatingSummary rating=r/> }.into_any(),
                            None => view! { <p class="empty">{t(NOT_RATED)}</p> }.into_any(),
                        }}
                    </section>
                })
            })}
        </Suspense>
    }
}

async fn load_rating(id: String) -> Option<Option<RatingView>> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::receipts::local_time;
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        let r = crate::ssr::services::ratings::for_officer(&state, &actor, &id).await.ok()?;
        Some(r.map(|r| RatingView {
            levels: [r.reception, r.timing, r.attitude, r.correctness],
            comment: r.comment,
            channel: r.channel,
            at: local_time(from_db(r.created_at)),
        }))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = id;
        None
    }
}
