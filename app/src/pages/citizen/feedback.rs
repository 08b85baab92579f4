//! `/feedback/mine`: the signed-in person sends feedback (phản ánh, kiến nghị) about a
//! procedure, a unit or one of their dossiers, and reads the answers. Also the rating section
//! of the applicant's dossier page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{ErrorSummary, Notice, TextField, textarea_text, use_form_state};
use crate::components::rating::{RatingFields, RatingSummary, RatingView};
use crate::components::viewer::require_signed_in;
use crate::i18n::{t, use_locale};

crate::texts! {
    TITLE = { vi: "Phản ánh, kiến nghị của tôi", en: "My feedback" }
    INTRO = { vi: "Gửi phản ánh, kiến nghị về một thủ tục, một đơn vị hoặc hồ sơ của bạn. Đơn vị có trách nhiệm trả lời trong 10 ngày làm việc.", en: "Send feedback about a procedure, a unit or one of your dossiers. The responsible unit answers within 10 working days." }
    ABOUT = { vi: "Phản ánh về", en: "About" }
    ABOUT_PROCEDURE = { vi: "Thủ tục hành chính", en: "A procedure" }
    ABOUT_UNIT = { vi: "Đơn vị", en: "A unit" }
    ABOUT_DOSSIER = { vi: "Hồ sơ của tôi", en: "One of my dossiers" }
    TARGET = { vi: "Mã thủ tục, mã đơn vị hoặc mã hồ sơ", en: "Procedure code, unit code or dossier code" }
    TARGET_HINT = { vi: "Ví dụ: 1.001622 (thủ tục), 000.00.31.H26 (đơn vị), 000.00.31.H26-261123-0001 (hồ sơ)", en: "For example: 1.001622 (procedure), 000.00.31.H26 (unit), 000.00.31.H26-261123-0001 (dossier)" }
    SUBJECT = { vi: "Tiêu đề", en: "Subject" }
    BODY = { vi: "Nội dung", en: "Text" }
    SEND = { vi: "Gửi phản ánh", en: "Send feedback" }
    SENT = { vi: "Đã gửi phản ánh. Bạn sẽ nhận thư điện tử khi có trả lời.", en: "Feedback sent. You will get an email when it is answered." }
    LIST = { vi: "Phản ánh đã gửi", en: "Feedback sent" }
    NONE = { vi: "Bạn chưa gửi phản ánh nào.", en: "You have not sent any feedback." }
    UNIT = { vi: "Đơn vị trả lời", en: "Answered by" }
    DUE = { vi: "Hạn trả lời", en: "Answer due" }
    ANSWER = { vi: "Trả lời", en: "Answer" }
    WAITING = { vi: "Đang chờ trả lời", en: "Waiting for the answer" }
    RATING = { vi: "Đánh giá mức độ hài lòng", en: "Rate the service" }
    RATING_INTRO = { vi: "Hồ sơ đã trả kết quả. Mời bạn đánh giá mức độ hài lòng với từng tiêu chí.", en: "The result has been returned. Please rate your satisfaction on each criterion." }
    RATE = { vi: "Gửi đánh giá", en: "Send the rating" }
    RATED = { vi: "Cảm ơn bạn đã đánh giá.", en: "Thank you for your rating." }
    YOUR_RATING = { vi: "Đánh giá của bạn", en: "Your rating" }
}

#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
struct Item {
    about: String,
    subject: String,
    body: String,
    unit: String,
    sent: String,
    due: String,
    answer: Option<String>,
}

/// The page.
#[component]
pub fn MyFeedbackPage() -> impl IntoView {
    let sent = use_query_map().with_untracked(|q| q.get("sent").is_some());
    let locale = use_locale();
    require_signed_in().map(move |_| {
        let items = crate::pages::loader::spawn(load());
        let state = use_form_state();
        let about = state.as_ref().and_then(|s| s.values.get("about").cloned()).unwrap_or_else(|| "procedure".into());
        let body = state.as_ref().and_then(|s| s.values.get("body").cloned()).unwrap_or_default();
        let error = |k: &str| state.as_ref().and_then(|s| s.errors.get(k)).map(|m| m.get(locale).to_string());
        let about_error = error("about");
        let body_error = error("body");
        view! {
            <Title text=t(TITLE)/>
            <h1>{t(TITLE)}</h1>
            {sent.then(|| view! { <Notice text=SENT/> })}
            <p>{t(INTRO)}</p>
            <ErrorSummary/>
            <form method="post" action="/feedback/mine" class="narrow" novalidate>
                <fieldset class="field" class:field-error=about_error.is_some() id="f-about">
                    <legend>{t(ABOUT)}</legend>
                    {about_error.clone().map(|e| view! { <p class="error-message">{e}</p> })}
                    {[("procedure", ABOUT_PROCEDURE), ("unit", ABOUT_UNIT), ("dossier", ABOUT_DOSSIER)]
                        .into_iter()
                        .map(|(v, label)| {
                            let rid = format!("about-{v}");
                            view! {
                                <div class="choice">
                                    <input type="radio" id=rid.clone() name="about" value=v checked=about == v/>
                                    <label for=rid>{t(label)}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <TextField name="target" label=TARGET hint=TARGET_HINT required=true maxlength=40 autocomplete="off"/>
                <TextField name="subject" label=SUBJECT required=true maxlength=200/>
                <div class="field" class:field-error=body_error.is_some()>
                    <label for="f-body">{t(BODY)}</label>
                    {body_error.clone().map(|e| view! { <p class="error-message">{e}</p> })}
                    <textarea id="f-body" name="body" rows="6" maxlength="5000" required>{textarea_text(&body)}</textarea>
                </div>
                <button type="submit" class="button">{t(SEND)}</button>
            </form>
            <h2>{t(LIST)}</h2>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let items = items.await;
                    if items.is_empty() {
                        return view! { <p class="empty">{t(NONE)}</p> }.into_any();
                    }
                    items
                        .into_iter()
                        .map(|i| view! {
                            <article class="card feedback" data-testid="my-feedback">
                                <h3>{i.subject}</h3>
                                <p class="hint">{i.about} " · " {i.sent}</p>
                                <p>{i.body}</p>
                                <dl class="facts">
                                    <dt>{t(UNIT)}</dt><dd>{i.unit}</dd>
                                    <dt>{t(DUE)}</dt><dd>{i.due}</dd>
                                    <dt>{t(ANSWER)}</dt>
                                    <dd>{i.answer.unwrap_or_else(|| t(WAITING).to_string())}</dd>
                                </dl>
                            </article>
                        })
                        .collect_view()
                        .into_any()
                })}
            </Suspense>
        }
    })
}

async fn load() -> Vec<Item> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::receipts::local_time;
        let Some(state) = use_context::<crate::ssr::state::AppState>() else { return Vec::new() };
        let Some(actor) = crate::components::viewer::current_actor() else { return Vec::new() };
        crate::ssr::services::feedback::mine(&state, &actor)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|r| Item {
                about: r.about_label,
                subject: r.subject,
                body: r.body,
                unit: r.agency_name,
                sent: local_time(from_db(r.created_at)),
                due: local_time(from_db(r.due_at)),
                answer: r.answered_at.map(|_| r.answer),
            })
            .collect()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Vec::new()
    }
}

/// The rating section of the applicant's dossier page: the form once the result is
/// returned, or the rating given. Nothing for a dossier not returned yet.
#[component]
pub fn DossierRating(
    /// The dossier id.
    id: String,
    /// Whether the result was returned (status 10).
    returned: bool,
) -> impl IntoView {
    let rated_now = use_query_map().with_untracked(|q| q.get("rated").is_some());
    returned.then(move || {
        let data = crate::pages::loader::spawn(load_rating(id.clone()));
        view! {
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let rating = data.await;
                    view! {
                        <section id="rating" aria-labelledby="rating-title">
                            {match rating {
                                Some(r) => view! {
                                    <h2 id="rating-title">{t(YOUR_RATING)}</h2>
                                    {rated_now.then(|| view! { <Notice text=RATED/> })}
                                    <RatingSummary rating=r/>
                                }
                                .into_any(),
                                None => view! {
                                    <h2 id="rating-title">{t(RATING)}</h2>
                                    <p>{t(RATING_INTRO)}</p>
                                    <form method="post" action=format!("/dossiers/{id}/rate") novalidate>
                                        <RatingFields/>
                                        <button type="submit" class="button">{t(RATE)}</button>
                                    </form>
                                }
                                .into_any(),
                            }}
                        </section>
                    }
                })}
            </Suspense>
        }
    })
}

async fn load_rating(id: String) -> Option<RatingView> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::columns::from_db;
        use crate::ssr::services::receipts::local_time;
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        let r = crate::ssr::services::ratings::for_applicant(&state, &actor, &id).await.ok()??;
        Some(RatingView {
            levels: [r.reception, r.timing, r.attitude, r.correctness],
            comment: r.comment,
            channel: r.channel,
            at: local_time(from_db(r.created_at)),
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = id;
        None
    }
}
