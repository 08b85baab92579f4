//! Form endpoints of service quality: the applicant's rating of a returned dossier (from the
//! account or at the kiosk), feedback sent by anyone signed in, and the responsible unit's
//! answers and publications. Each redirects when done, or renders its page again with the
//! messages and the values as typed.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::form::{FormRequest, see_other};
use crate::components::form::FormState;
use crate::ssr::services::feedback::{self, FeedbackInput};
use crate::ssr::services::ratings::{self, RatingInput};
use crate::ssr::state::AppState;

macro_rules! signed_in {
    ($request:expr) => {
        match $request.signed_in().cloned() {
            Some(current) => current.actor,
            None => return see_other("/login"),
        }
    };
}

fn rating_values(input: &RatingInput) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("reception".to_string(), input.reception.clone()),
        ("timing".to_string(), input.timing.clone()),
        ("attitude".to_string(), input.attitude.clone()),
        ("correctness".to_string(), input.correctness.clone()),
        ("comment".to_string(), input.comment.clone()),
    ])
}

/// `POST /dossiers/{id}/rate`: the applicant rates their returned dossier.
pub async fn rate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(input): Form<RatingInput>,
) -> Response {
    let actor = signed_in!(request);
    match ratings::rate(&state, &actor, &id, &input, &request.meta).await {
        Ok(()) => see_other(&format!("/dossiers/{id}?rated=1#rating")),
        Err(e) => {
            let form = FormState::from_values(&rating_values(&input), &[]);
            request.render_refused_at(&state, &format!("/dossiers/{id}"), form, e).await
        }
    }
}

/// The kiosk form: the dossier code and lookup key from the receipt, and the rating.
#[derive(Debug, Default, Deserialize)]
pub struct KioskForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    key: String,
    #[serde(flatten)]
    rating: RatingInput,
}

/// `POST /kiosk/rate`: a rating at the desk, without signing in.
pub async fn kiosk(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<KioskForm>,
) -> Response {
    match ratings::rate_at_kiosk(&state, &form.code, &form.key, &form.rating, &request.meta).await {
        Ok(()) => see_other("/kiosk/rate?rated=1"),
        Err(e) => {
            let mut values = rating_values(&form.rating);
            values.insert("code".into(), form.code.clone());
            let state_form = FormState::from_values(&values, &[]);
            request.render_refused_at(&state, "/kiosk/rate", state_form, e).await
        }
    }
}

/// `POST /feedback/mine`: anyone signed in sends feedback.
pub async fn send(
    State(state): State<AppState>,
    request: FormRequest,
    Form(input): Form<FeedbackInput>,
) -> Response {
    let actor = signed_in!(request);
    match feedback::send(&state, &actor, &input, &request.meta).await {
        Ok(_) => see_other("/feedback/mine?sent=1"),
        Err(e) => {
            let values = BTreeMap::from([
                ("about".to_string(), input.about.clone()),
                ("target".to_string(), input.target.clone()),
                ("subject".to_string(), input.subject.clone()),
                ("body".to_string(), input.body.clone()),
            ]);
            request.render_refused_at(&state, "/feedback/mine", FormState::from_values(&values, &[]), e).await
        }
    }
}

/// The answer form.
#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// `POST /officer/feedback/{id}/answer`.
pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<AnswerForm>,
) -> Response {
    let actor = signed_in!(request);
    match feedback::answer(&state, &actor, &id, &form.answer, &request.meta).await {
        Ok(()) => see_other("/officer/feedback?answered=1"),
        Err(e) => {
            let values = BTreeMap::from([(format!("answer-{id}"), form.answer.clone())]);
            request
                .render_refused_at(&state, "/officer/feedback", FormState::from_values(&values, &[]), e)
                .await
        }
    }
}

/// `POST /officer/feedback/{id}/publish`.
pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
) -> Response {
    let actor = signed_in!(request);
    match feedback::publish(&state, &actor, &id, &request.meta).await {
        Ok(()) => see_other("/officer/feedback?published=1"),
        Err(e) => request.render_refused_at(&state, "/officer/feedback", FormState::default(), e).await,
    }
}
