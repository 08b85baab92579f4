//! The evaluation of a dossier's handling on the nine official criteria, shown to the
//! leaders (and administrators) of its receiving unit on the officer dossier page, next to
//! the applicant's rating. Nothing is shown to anyone else.

use leptos::prelude::*;

use crate::i18n::{Locale, t, use_locale};

crate::texts! {
    TITLE = { vi: "Đánh giá việc giải quyết hồ sơ (9 tiêu chí)", en: "Evaluation of the handling (9 criteria)" }
    INTRO = { vi: "Tính từ dữ liệu của Cổng, mỗi tiêu chí tối đa 2 điểm. Tiêu chí chưa đến lúc hoặc không tính được từ dữ liệu của Cổng không được chấm.", en: "Computed from the portal's data, at most 2 points per criterion. Criteria not reached yet or not computable from the portal's data are not scored." }
    CRITERION = { vi: "Tiêu chí", en: "Criterion" }
    POINTS = { vi: "Điểm", en: "Points" }
    WHY = { vi: "Căn cứ", en: "Basis" }
    NOT_YET = { vi: "Chưa đến bước này", en: "Not reached yet" }
    NOT_COMPUTABLE = { vi: "Không tính được từ dữ liệu của Cổng", en: "Not computable from the portal's data" }
    TOTAL = { vi: "Tổng điểm các tiêu chí đã chấm", en: "Points of the scored criteria" }
}

/// One line as shown: criterion, points, basis.
type Line = (String, String, String);

/// The evaluation section (leaders and administrators of the receiving unit).
#[component]
pub fn OfficerEvaluation(
    /// The dossier id.
    id: String,
) -> impl IntoView {
    let locale = use_locale();
    let data = crate::pages::loader::spawn(load(id, locale));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                data.await.map(|(lines, total)| view! {
                    <section aria-labelledby="evaluation-title" data-testid="evaluation">
                        <h2 id="evaluation-title">{t(TITLE)}</h2>
                        <p>{t(INTRO)}</p>
                        <table class="table">
                            <caption class="visually-hidden">{t(TITLE)}</caption>
                            <thead>
                                <tr><th scope="col">{t(CRITERION)}</th><th scope="col">{t(POINTS)}</th><th scope="col">{t(WHY)}</th></tr>
                            </thead>
                            <tbody>
                                {lines.into_iter().map(|(c, p, w)| view! {
                                    <tr><th scope="row">{c}</th><td>{p}</td><td>{w}</td></tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot>
                                <tr><th scope="row">{t(TOTAL)}</th><td colspan="2">{total}</td></tr>
                            </tfoot>
                        </table>
                    </section>
                })
            })}
        </Suspense>
    }
}

async fn load(id: String, locale: Locale) -> Option<(Vec<Line>, String)> {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::quality::{HandlingScore, handling_points};
        let state = use_context::<crate::ssr::state::AppState>()?;
        let actor = crate::components::viewer::current_actor()?;
        let scores = crate::ssr::services::evaluation::evaluate(&state, &actor, &id).await.ok()?;
        let pick = |p: (&'static str, &'static str)| if locale == Locale::Vi { p.0 } else { p.1 };
        let (points, max) = handling_points(&scores);
        let lines = scores
            .iter()
            .map(|(c, s)| {
                let (p, why) = match s {
                    HandlingScore::Points(p, why) => (format!("{p} / 2"), pick(*why).to_string()),
                    HandlingScore::NotYet => ("—".to_string(), t(NOT_YET).to_string()),
                    HandlingScore::NotComputable(why) => {
                        ("—".to_string(), format!("{}: {}", t(NOT_COMPUTABLE), pick(*why)))
                    }
                };
                (pick(c.label()).to_string(), p, why)
            })
            .collect();
        Some((lines, format!("{points} / {max}")))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (id, locale);
        None
    }
}
