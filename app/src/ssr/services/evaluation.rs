//! The evaluation of one dossier's handling on the nine official criteria (DOMAIN.md,
//! 2 points each), computed from what the portal recorded, for the leaders of its receiving
//! unit (and agency and system administrators). The rules are `domain::quality`.

use super::ServiceResult;
use crate::domain::procedure::{OnlineLevel, ProcedureDef};
use crate::domain::quality::{HandlingCriterion, HandlingFacts, HandlingScore, evaluate_handling};
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, Role};
use crate::ssr::db::columns::from_db;
use crate::ssr::db::{agencies, dossiers, ratings, stats};
use crate::ssr::state::AppState;

/// Evaluates the dossier's handling. Only leaders and administrators of its receiving unit
/// (and system administrators) may see it; anyone else gets `NotFound`.
pub async fn evaluate(
    state: &AppState,
    actor: &Actor,
    dossier_id: &str,
) -> ServiceResult<Vec<(HandlingCriterion, HandlingScore)>> {
    let mut conn = state.db.reader().acquire().await?;
    let row = dossiers::by_id(&mut conn, dossier_id).await?.ok_or(AppError::NotFound)?;
    let agency = agencies::id_by_code(&mut conn, &row.receiving_agency).await?.unwrap_or_default();
    let allowed = actor.is_system_admin()
        || [Role::Leader, Role::AgencyAdmin].into_iter().any(|r| actor.has_role_in(r, &agency));
    if !allowed || row.code.is_none() {
        return Err(AppError::NotFound.into());
    }
    let handling = dossiers::handling(&mut conn, dossier_id).await?;
    let raw = stats::handling_rows(&mut conn, dossier_id, &row.procedure_id).await?;
    let rating = ratings::of_dossier(&mut conn, dossier_id).await?;
    let fully_online = serde_json::from_str::<ProcedureDef>(&row.definition)
        .map(|d| d.online == OnlineLevel::Full)
        .unwrap_or(false);
    let facts = HandlingFacts {
        decided_at: raw.decided_at.map(from_db),
        due_at: handling.original_due_at.or(row.due_at).map(from_db),
        steps: raw
            .steps
            .into_iter()
            .map(|(unit, due, done)| (unit, due.map(from_db), from_db(done)))
            .collect(),
        supplement_requests: raw.supplements,
        received: raw.received,
        returned_via: handling.returned_via,
        procedure_published: raw.published,
        filed_online: row.channel != "desk",
        fully_online,
        attitude_rating: rating.map(|r| r.attitude),
        feedback: raw
            .feedback
            .into_iter()
            .map(|(due, answered)| (from_db(due), answered.map(from_db)))
            .collect(),
    };
    Ok(evaluate_handling(&facts))
}
