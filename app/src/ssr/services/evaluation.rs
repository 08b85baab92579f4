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
    Ok(evaluate_handling(&facts(&mut conn, &row).await?))
}

/// The facts of a dossier's handling, read from its rows.
async fn facts(conn: &mut sqlx::AnyConnection, row: &dossiers::DossierRow) -> ServiceResult<HandlingFacts> {
    let dossier_id = row.id.as_str();
    let handling = dossiers::handling(&mut *conn, dossier_id).await?;
    let raw = stats::handling_rows(&mut *conn, dossier_id, &row.procedure_id).await?;
    let rating = ratings::of_dossier(&mut *conn, dossier_id).await?;
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
    Ok(facts)
}

/// At most this many dossiers are evaluated for one unit report (the latest returned).
pub const AGGREGATE_LIMIT: i64 = 1000;

/// One unit's evaluation: per criterion (in [`HandlingCriterion::ALL`] order) the dossiers
/// scored and their points.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitEvaluation {
    /// The unit's national code.
    pub unit: String,
    /// Dossiers evaluated.
    pub dossiers: i64,
    /// Per criterion: (dossiers with points, sum of points).
    pub criteria: [(i64, i64); 9],
}

impl UnitEvaluation {
    /// Average points (0–2) of a criterion, when any dossier was scored on it.
    pub fn average(&self, i: usize) -> Option<f64> {
        self.criteria.get(i).and_then(|(n, p)| (*n > 0).then(|| *p as f64 / *n as f64))
    }
}

/// The evaluation on the nine criteria aggregated per receiving unit: the average points of
/// each criterion over the dossiers whose result was returned in `[from, to)` at `units`
/// (all when `None`). Criteria not computable or not reached for a dossier are left out of
/// that criterion's average. Evaluates at most [`AGGREGATE_LIMIT`] dossiers (the latest);
/// the second value says whether some were left out. The caller checks the viewer's scope.
pub async fn by_unit(
    state: &AppState,
    units: Option<&[String]>,
    from: time::OffsetDateTime,
    to: time::OffsetDateTime,
) -> ServiceResult<(Vec<UnitEvaluation>, bool)> {
    let mut conn = state.db.reader().acquire().await?;
    let ids = stats::returned_between(&mut conn, units, from, to, AGGREGATE_LIMIT + 1).await?;
    let truncated = ids.len() as i64 > AGGREGATE_LIMIT;
    let mut out: Vec<UnitEvaluation> = Vec::new();
    for id in ids.iter().take(usize::try_from(AGGREGATE_LIMIT).unwrap_or(0)) {
        let Some(row) = dossiers::by_id(&mut conn, id).await? else { continue };
        let scores = evaluate_handling(&facts(&mut conn, &row).await?);
        let unit = match out.iter().position(|u| u.unit == row.receiving_agency) {
            Some(i) => i,
            None => {
                out.push(UnitEvaluation { unit: row.receiving_agency.clone(), ..Default::default() });
                out.len() - 1
            }
        };
        let Some(u) = out.get_mut(unit) else { continue };
        u.dossiers += 1;
        for ((_, score), slot) in scores.iter().zip(u.criteria.iter_mut()) {
            if let HandlingScore::Points(p, _) = score {
                slot.0 += 1;
                slot.1 += i64::from(*p);
            }
        }
    }
    out.sort_by(|a, b| a.unit.cmp(&b.unit));
    Ok((out, truncated))
}
