//! The procedure catalogue: import (and the demo load), public search, one procedure's
//! published version, and the holiday table's pre-fill.

use std::collections::{BTreeMap, HashMap};

use crate::domain::calendar::{vietnam_extra_working_days, vietnam_holidays};
use crate::domain::procedure::{CATALOGUE_FORMAT, CatalogueFile, Level, OnlineLevel, ProcedureDef};
use crate::domain::search;
use crate::error::AppError;
use crate::ssr::db::catalogue::{self as db, AgencyDetails, Listing, ListingRow, SearchQuery};
use crate::ssr::services::{ServiceError, ServiceResult};
use crate::ssr::state::AppState;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Procedures new to the catalogue.
    pub created: usize,
    /// Procedures whose definition changed (a new published version).
    pub new_versions: usize,
    /// Procedures identical to their published version.
    pub unchanged: usize,
}

pub(crate) fn level_code(level: Level) -> &'static str {
    match level {
        Level::Commune => "commune",
        Level::District => "district",
        Level::Department => "department",
        Level::Province => "province",
    }
}

pub(crate) fn online_code(online: OnlineLevel) -> &'static str {
    match online {
        OnlineLevel::Full => "full",
        OnlineLevel::Partial => "partial",
    }
}

/// The folded text a procedure is found by: code, both names, field name.
pub(crate) fn search_text(def: &ProcedureDef, field_names: &str) -> String {
    search::fold(&format!("{} {} {} {}", def.code, def.name_vi, def.name_en, field_names))
}

/// Imports a catalogue file in one transaction: fields and agencies are upserted by code;
/// a procedure that differs from its published version gets a new version (dossiers filed
/// under the old one keep it). Nothing is written if anything is inconsistent.
pub async fn import(state: &AppState, file: &CatalogueFile) -> ServiceResult<ImportReport> {
    let invalid = |msg: String| ServiceError::Internal(anyhow::anyhow!("catalogue import refused: {msg}"));
    if file.format != CATALOGUE_FORMAT {
        return Err(invalid(format!("format {:?}, expected {CATALOGUE_FORMAT}", file.format)));
    }
    let field_names: HashMap<&str, String> =
        file.fields.iter().map(|f| (f.code.as_str(), format!("{} {}", f.name_vi, f.name_en))).collect();
    for p in &file.procedures {
        p.check().map_err(|e| invalid(e.to_string()))?;
        if !field_names.contains_key(p.field.as_str()) {
            return Err(invalid(format!("procedure {}: unknown field {}", p.code, p.field)));
        }
    }
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    for f in &file.fields {
        db::upsert_field(&mut tx, &f.code, &f.name_vi, &f.name_en).await?;
    }
    let mut agency_ids: BTreeMap<String, String> = BTreeMap::new();
    for a in &file.agencies {
        let parent_id =
            match &a.parent {
                Some(code) => Some(agency_ids.get(code).cloned().ok_or_else(|| {
                    invalid(format!("agency {}: parent {code} not listed before it", a.code))
                })?),
                None => None,
            };
        let details = AgencyDetails {
            code: &a.code,
            name_vi: &a.name_vi,
            name_en: &a.name_en,
            parent_id: parent_id.as_deref(),
            level: level_code(a.level),
            address: &a.address,
            hours: &a.hours,
        };
        let id = db::upsert_agency(&mut tx, &details, now).await?;
        agency_ids.insert(a.code.clone(), id);
    }
    let mut report = ImportReport::default();
    for p in &file.procedures {
        let mut links = Vec::new();
        for (codes, relation) in [(&p.receiving, "receiving"), (&p.deciding, "deciding")] {
            for code in codes {
                let id = agency_ids
                    .get(code)
                    .ok_or_else(|| invalid(format!("procedure {}: unknown agency {code}", p.code)))?;
                links.push((id.clone(), relation));
            }
        }
        if let Some(step) = p.workflow.iter().find(|s| !agency_ids.contains_key(&s.agency)) {
            return Err(invalid(format!("procedure {}: step at unknown agency {}", p.code, step.agency)));
        }
        let definition = serde_json::to_string(p).map_err(anyhow::Error::from)?;
        let folded = search_text(p, field_names.get(p.field.as_str()).map(String::as_str).unwrap_or(""));
        let listing = Listing {
            name_vi: &p.name_vi,
            name_en: &p.name_en,
            field_code: &p.field,
            level: level_code(p.level),
            online: online_code(p.online),
            processing_days: i64::from(p.processing_days),
            search_text: &folded,
        };
        let procedure_id = match db::procedure_by_code(&mut tx, &p.code).await? {
            Some((id, Some(current), _)) => {
                let same = serde_json::from_str::<ProcedureDef>(&current).is_ok_and(|c| &c == p);
                if same {
                    report.unchanged += 1;
                    continue;
                }
                report.new_versions += 1;
                id
            }
            Some((id, None, _)) => {
                report.created += 1;
                id
            }
            None => {
                report.created += 1;
                db::insert_procedure(&mut tx, &p.code, &listing, now).await?
            }
        };
        db::publish_version(&mut tx, &procedure_id, &definition, &listing, now).await?;
        db::set_procedure_agencies(&mut tx, &procedure_id, &links).await?;
    }
    tx.commit().await?;
    state.pages.clear();
    tracing::info!(
        created = report.created,
        new_versions = report.new_versions,
        unchanged = report.unchanged,
        "catalogue imported"
    );
    Ok(report)
}

/// Parses and imports a catalogue JSON text.
pub async fn import_json(state: &AppState, json: &str) -> ServiceResult<ImportReport> {
    let file: CatalogueFile = serde_json::from_str(json)
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("catalogue JSON: {e}")))?;
    import(state, &file).await
}

/// Search filters as typed in the catalogue page.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct CatalogueSearch {
    /// Free text.
    pub q: String,
    /// Field code.
    pub field: String,
    /// Agency code.
    pub agency: String,
    /// `full` or `partial`.
    pub online: String,
    /// 1-based page.
    pub page: u32,
}

/// One page of search results.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SearchPage {
    /// The procedures on this page.
    pub items: Vec<ListingRow>,
    /// How many match in all.
    pub total: i64,
    /// This page (1-based).
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// Results per page.
pub const PER_PAGE: u32 = 20;

/// Searches the published catalogue (diacritics and case ignored).
pub async fn search(state: &AppState, s: &CatalogueSearch) -> ServiceResult<SearchPage> {
    let page = s.page.clamp(1, 10_000);
    let agency_id = if s.agency.trim().is_empty() {
        None
    } else {
        let mut conn = state.db.reader().acquire().await?;
        match crate::ssr::db::agencies::id_by_code(&mut conn, s.agency.trim()).await? {
            Some(id) => Some(id),
            None => return Ok(SearchPage { items: Vec::new(), total: 0, page, per_page: PER_PAGE }),
        }
    };
    let query = SearchQuery {
        terms: search::terms(&s.q),
        field: Some(s.field.trim().to_string()).filter(|f| !f.is_empty()),
        agency_id,
        online: Some(s.online.as_str()).filter(|o| *o == "full" || *o == "partial").map(str::to_string),
        limit: i64::from(PER_PAGE),
        offset: i64::from((page - 1) * PER_PAGE),
    };
    let (items, total) = db::search(&state.db, &query).await?;
    Ok(SearchPage { items, total, page, per_page: PER_PAGE })
}

/// The published version of a procedure, with its version number.
pub async fn published(state: &AppState, code: &str) -> ServiceResult<(ProcedureDef, i64)> {
    let mut conn = state.db.reader().acquire().await?;
    let Some((_, Some(definition), Some(version))) = db::procedure_by_code(&mut conn, code).await? else {
        return Err(AppError::NotFound.into());
    };
    let def = serde_json::from_str(&definition).map_err(anyhow::Error::from)?;
    Ok((def, version))
}

/// Pre-fills the holiday table with Vietnam's public holidays of `years` (days already
/// there, possibly edited by an admin, are left alone).
pub async fn prefill_holidays(state: &AppState, years: &[i32]) -> ServiceResult<()> {
    let mut tx = state.db.begin_write().await?;
    for year in years {
        for h in vietnam_holidays(*year) {
            let day = format!("{:04}-{:02}-{:02}", h.date.year(), u8::from(h.date.month()), h.date.day());
            db::insert_holiday(&mut tx, &day, &h.name_vi, &h.name_en, h.compensatory).await?;
        }
        for d in vietnam_extra_working_days(*year) {
            let day = format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
            db::insert_extra_working_day(&mut tx, &day, "Làm bù").await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The published catalogue as an import file (same format), for other systems and for
/// moving a catalogue between deployments.
pub async fn export(state: &AppState) -> ServiceResult<CatalogueFile> {
    use crate::domain::procedure::{AgencyDef, FieldOfActivity};
    let fields = db::fields(&state.db)
        .await?
        .into_iter()
        .map(|(code, name_vi, name_en)| FieldOfActivity { code, name_vi, name_en })
        .collect();
    let rows = db::agencies(&state.db).await?;
    let code_of: HashMap<String, String> = rows.iter().map(|a| (a.id.clone(), a.code.clone())).collect();
    let level = |code: &str| match code {
        "province" => Level::Province,
        "department" => Level::Department,
        "district" => Level::District,
        _ => Level::Commune,
    };
    // Parents before children: order by depth.
    let depth = |mut id: Option<String>| {
        let mut d = 0;
        while let Some(current) = id {
            d += 1;
            id = rows.iter().find(|a| a.id == current).and_then(|a| a.parent_id.clone());
            if d > 64 {
                break;
            }
        }
        d
    };
    let mut agencies: Vec<(usize, AgencyDef)> = rows
        .iter()
        .map(|a| {
            (
                depth(a.parent_id.clone()),
                AgencyDef {
                    code: a.code.clone(),
                    name_vi: a.name_vi.clone(),
                    name_en: a.name_en.clone().unwrap_or_else(|| a.name_vi.clone()),
                    parent: a.parent_id.as_ref().and_then(|p| code_of.get(p).cloned()),
                    level: level(&a.level),
                    address: a.address.clone(),
                    hours: a.hours.clone(),
                },
            )
        })
        .collect();
    agencies.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
    let procedures = db::published_definitions(&state.db)
        .await?
        .into_iter()
        .map(|json| serde_json::from_str::<ProcedureDef>(&json).map_err(anyhow::Error::from))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CatalogueFile {
        format: CATALOGUE_FORMAT.to_string(),
        fields,
        agencies: agencies.into_iter().map(|(_, a)| a).collect(),
        procedures,
    })
}
