//! The agency tree as administrators edit it: a unit's names, address and office hours, and
//! new units below it. A system admin edits the whole tree; an agency admin their unit and
//! everything below it.

use crate::domain::AgencyCode;
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, may_administer_catalogue, may_edit_agency};
use crate::ssr::db::agencies::id_by_code;
use crate::ssr::db::catalogue::{self as cat_db, AgencyDetails};
use crate::ssr::db::catalogue_edit as db;
use crate::ssr::services::{FieldErrors, ServiceError, ServiceResult};
use crate::ssr::state::AppState;

crate::texts! {
    REQUIRED = { vi: "Vui lòng nhập thông tin này.", en: "Please fill this in." }
    TOO_LONG = { vi: "Nội dung quá dài.", en: "This is too long." }
    CODE = { vi: "Mã đơn vị gồm 4 nhóm chữ in hoa hoặc chữ số, cách nhau bằng dấu chấm, ví dụ 000.00.31.H26.", en: "A unit code has 4 groups of capital letters or digits separated by dots, e.g. 000.00.31.H26." }
    CODE_TAKEN = { vi: "Đã có đơn vị với mã này.", en: "A unit with this code exists already." }
    LEVEL = { vi: "Vui lòng chọn cấp của đơn vị.", en: "Please choose the unit's level." }
}

/// A unit as the tree page shows it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AgencyNode {
    /// National code.
    pub code: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Level code.
    pub level: String,
    /// Address.
    pub address: String,
    /// Office hours.
    pub hours: String,
    /// The parent's code.
    pub parent: Option<String>,
    /// Whether the viewer may edit it and add units below it.
    pub editable: bool,
}

/// Ids of the unit and its ancestors, nearest first.
fn lineage(tree: &[(String, String, Option<String>)], id: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = Some(id.to_string());
    while let Some(c) = current {
        if out.contains(&c) || out.len() > 64 {
            break;
        }
        current = tree.iter().find(|(i, _, _)| *i == c).and_then(|(_, _, p)| p.clone());
        out.push(c);
    }
    out
}

/// The whole tree, each unit marked with whether the actor may edit it.
pub async fn tree(state: &AppState, actor: &Actor) -> ServiceResult<Vec<AgencyNode>> {
    if !may_administer_catalogue(actor) {
        return Err(AppError::Forbidden.into());
    }
    let rows = cat_db::agencies(&state.db).await?;
    let links: Vec<(String, String, Option<String>)> =
        rows.iter().map(|a| (a.id.clone(), a.code.clone(), a.parent_id.clone())).collect();
    let code_of = |id: &str| links.iter().find(|(i, _, _)| i == id).map(|(_, c, _)| c.clone());
    Ok(rows
        .iter()
        .map(|a| AgencyNode {
            code: a.code.clone(),
            name_vi: a.name_vi.clone(),
            name_en: a.name_en.clone().unwrap_or_default(),
            level: a.level.clone(),
            address: a.address.clone(),
            hours: a.hours.clone(),
            parent: a.parent_id.as_deref().and_then(code_of),
            editable: may_edit_agency(actor, &lineage(&links, &a.id)),
        })
        .collect())
}

/// A unit's editable details, as typed.
#[derive(Debug, Clone, Default)]
pub struct AgencyInput {
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Address.
    pub address: String,
    /// Office hours.
    pub hours: String,
}

fn check_details(e: &mut FieldErrors, prefix: &str, input: &AgencyInput) {
    for (name, value, required) in [
        ("name_vi", &input.name_vi, true),
        ("name_en", &input.name_en, true),
        ("address", &input.address, false),
        ("hours", &input.hours, false),
    ] {
        let field = format!("{prefix}{name}");
        if required && value.trim().is_empty() {
            e.add(&field, REQUIRED);
        } else if value.trim().chars().count() > 500 {
            e.add(&field, TOO_LONG);
        }
    }
}

/// Where the actor may act: the unit's id if they may edit it, else a refusal.
async fn editable_unit(state: &AppState, actor: &Actor, code: &str) -> ServiceResult<(String, Vec<String>)> {
    let mut conn = state.db.reader().acquire().await?;
    let id = id_by_code(&mut conn, code).await?.ok_or(AppError::NotFound)?;
    let tree = db::agency_tree(&mut conn).await?;
    let line = lineage(&tree, &id);
    if !may_edit_agency(actor, &line) {
        return Err(AppError::Forbidden.into());
    }
    Ok((id, line))
}

/// Changes a unit's names, address and hours.
pub async fn update(state: &AppState, actor: &Actor, code: &str, input: AgencyInput) -> ServiceResult<()> {
    if !may_administer_catalogue(actor) {
        return Err(AppError::Forbidden.into());
    }
    let (id, _) = editable_unit(state, actor, code).await?;
    let mut e = FieldErrors::default();
    check_details(&mut e, "unit_", &input);
    e.finish()?;
    let mut tx = state.db.begin_write().await?;
    db::update_agency(
        &mut tx,
        &id,
        input.name_vi.trim(),
        input.name_en.trim(),
        input.address.trim(),
        input.hours.trim(),
    )
    .await?;
    tx.commit().await?;
    state.pages.clear();
    tracing::info!(agency = %code, "agency unit updated");
    Ok(())
}

/// A new unit below another, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewUnitInput {
    /// National code.
    pub code: String,
    /// Level: province, department, district, commune.
    pub level: String,
    /// Names, address, hours.
    pub details: AgencyInput,
}

/// Adds a unit below `parent_code`. Returns the new unit's code.
pub async fn add_child(
    state: &AppState,
    actor: &Actor,
    parent_code: &str,
    input: NewUnitInput,
) -> ServiceResult<String> {
    if !may_administer_catalogue(actor) {
        return Err(AppError::Forbidden.into());
    }
    let (parent_id, _) = editable_unit(state, actor, parent_code).await?;
    let mut e = FieldErrors::default();
    let code = AgencyCode::parse(&input.code).ok();
    if code.is_none() {
        e.add("child_code", CODE);
    }
    if !["province", "department", "district", "commune"].contains(&input.level.as_str()) {
        e.add("child_level", LEVEL);
    }
    check_details(&mut e, "child_", &input.details);
    e.finish()?;
    let code = code.ok_or(AppError::InvalidInput)?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    if id_by_code(&mut tx, code.as_str()).await?.is_some() {
        return Err(ServiceError::field("child_code", CODE_TAKEN));
    }
    let d = &input.details;
    cat_db::upsert_agency(
        &mut tx,
        &AgencyDetails {
            code: code.as_str(),
            name_vi: d.name_vi.trim(),
            name_en: d.name_en.trim(),
            parent_id: Some(&parent_id),
            level: &input.level,
            address: d.address.trim(),
            hours: d.hours.trim(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    state.pages.clear();
    tracing::info!(agency = %code.as_str(), parent = %parent_code, "agency unit added");
    Ok(code.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lineage_walks_up_and_stops_on_cycles() {
        let tree = vec![
            ("p".to_string(), "P".to_string(), None),
            ("d".to_string(), "D".to_string(), Some("p".to_string())),
            ("w".to_string(), "W".to_string(), Some("d".to_string())),
            ("x".to_string(), "X".to_string(), Some("y".to_string())),
            ("y".to_string(), "Y".to_string(), Some("x".to_string())),
        ];
        assert_eq!(lineage(&tree, "w"), ["w", "d", "p"]);
        assert_eq!(lineage(&tree, "x"), ["x", "y"]);
    }
}
