//! The administrators' side of the catalogue tables: procedure drafts, the holiday table,
//! and the agency tree's details. (Publishing goes through `catalogue::publish_version`, the
//! same path as the import.)

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::to_db;

/// A procedure as listed for administrators.
#[derive(Debug, Clone, FromRow)]
pub struct AdminListingRow {
    /// Id.
    pub id: String,
    /// National code.
    pub code: String,
    /// Name in Vietnamese (of the published version).
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Published version number.
    pub published: Option<i64>,
    /// Whether a draft exists (0 or 1).
    pub drafts: i64,
}

/// Procedures whose folded search text contains every term, by Vietnamese name, at most
/// `limit`. With `unit_ids`, only those received or decided by one of these units.
pub async fn admin_list(
    db: &Db,
    terms: &[String],
    unit_ids: Option<&[String]>,
    limit: i64,
) -> sqlx::Result<Vec<AdminListingRow>> {
    let mut conditions = vec!["1 = 1".to_string()];
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    for _ in terms {
        conditions.push(format!("p.search_text LIKE {}", next()));
    }
    if let Some(units) = unit_ids {
        let marks: Vec<String> = units.iter().map(|_| next()).collect();
        let list = if marks.is_empty() { "NULL".to_string() } else { marks.join(", ") };
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM procedure_agencies pa WHERE pa.procedure_id = p.id AND pa.agency_id IN ({list}))"
        ));
    }
    let limit_mark = next();
    let sql = format!(
        "SELECT p.id, p.code, p.name_vi, p.name_en, v.version AS published, \
         (SELECT COUNT(*) FROM procedure_versions d WHERE d.procedure_id = p.id AND d.status = 'draft') AS drafts \
         FROM procedures p LEFT JOIN procedure_versions v ON v.id = p.published_version_id \
         WHERE {} ORDER BY p.name_vi, p.code LIMIT {limit_mark}",
        conditions.join(" AND ")
    );
    let mut query = sqlx::query_as::<_, AdminListingRow>(&sql);
    for term in terms {
        query = query.bind(format!("%{}%", term.replace(['%', '_'], "")));
    }
    for unit in unit_ids.unwrap_or(&[]) {
        query = query.bind(unit.clone());
    }
    query.bind(limit).fetch_all(db.reader()).await
}

/// What the editor needs of a procedure: its published version and its draft, if any.
#[derive(Debug, Clone, FromRow)]
pub struct EditRow {
    /// Procedure id.
    pub id: String,
    /// Published definition (JSON).
    pub published_def: Option<String>,
    /// Published version number.
    pub published_version: Option<i64>,
    /// Draft definition (JSON).
    pub draft_def: Option<String>,
    /// The published version the draft started from.
    pub draft_based_on: Option<i64>,
}

/// The procedure with this code, for editing.
pub async fn procedure_for_edit(conn: &mut AnyConnection, code: &str) -> sqlx::Result<Option<EditRow>> {
    sqlx::query_as(
        "SELECT p.id, v.definition AS published_def, v.version AS published_version, \
         d.definition AS draft_def, d.based_on AS draft_based_on \
         FROM procedures p \
         LEFT JOIN procedure_versions v ON v.id = p.published_version_id \
         LEFT JOIN procedure_versions d ON d.procedure_id = p.id AND d.status = 'draft' \
         WHERE p.code = $1",
    )
    .bind(code)
    .fetch_optional(conn)
    .await
}

/// The units that receive or decide a procedure (its published version).
pub async fn procedure_unit_ids(conn: &mut AnyConnection, procedure_id: &str) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT agency_id FROM procedure_agencies WHERE procedure_id = $1")
            .bind(procedure_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Stores the procedure's draft (replacing the one there, or creating it with version 0:
/// a draft gets its number when it is published).
pub async fn save_draft(
    conn: &mut AnyConnection,
    procedure_id: &str,
    definition: &str,
    based_on: Option<i64>,
    edited_by: &str,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    let updated = sqlx::query(
        "UPDATE procedure_versions SET definition = $1, edited_by = $2, created_at = $3 \
         WHERE procedure_id = $4 AND status = 'draft'",
    )
    .bind(definition)
    .bind(edited_by)
    .bind(to_db(now))
    .bind(procedure_id)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() > 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO procedure_versions (id, procedure_id, version, status, definition, created_at, based_on, edited_by) \
         VALUES ($1, $2, 0, 'draft', $3, $4, $5, $6)",
    )
    .bind(super::columns::new_id())
    .bind(procedure_id)
    .bind(definition)
    .bind(to_db(now))
    .bind(based_on)
    .bind(edited_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the procedure's draft; returns whether there was one.
pub async fn delete_draft(conn: &mut AnyConnection, procedure_id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM procedure_versions WHERE procedure_id = $1 AND status = 'draft'")
        .bind(procedure_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The names of a field of activity (for the search text), if it exists.
pub async fn field_names(conn: &mut AnyConnection, code: &str) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT name_vi, name_en FROM fields WHERE code = $1")
        .bind(code)
        .fetch_optional(conn)
        .await
}

/// Agency ids by national code (for the units a procedure names).
pub async fn agency_ids(conn: &mut AnyConnection) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT code, id FROM agencies").fetch_all(conn).await
}

/// A holiday row.
#[derive(Debug, Clone, FromRow)]
pub struct HolidayRow {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Compensatory day off (0/1).
    pub compensatory: i64,
}

/// The holidays of one year, by date.
pub async fn holidays_of_year(db: &Db, year: i32) -> sqlx::Result<Vec<HolidayRow>> {
    sqlx::query_as(
        "SELECT day, name_vi, name_en, compensatory FROM holidays WHERE day >= $1 AND day <= $2 ORDER BY day",
    )
    .bind(format!("{year:04}-01-01"))
    .bind(format!("{year:04}-12-31"))
    .fetch_all(db.reader())
    .await
}

/// The extra working days (day, note) of one year, by date.
pub async fn extra_working_days_of_year(db: &Db, year: i32) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT day, note FROM extra_working_days WHERE day >= $1 AND day <= $2 ORDER BY day")
        .bind(format!("{year:04}-01-01"))
        .bind(format!("{year:04}-12-31"))
        .fetch_all(db.reader())
        .await
}

/// Adds a holiday or replaces the one on that day.
pub async fn put_holiday(conn: &mut AnyConnection, h: &HolidayRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO holidays (day, name_vi, name_en, compensatory) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (day) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, \
         compensatory = excluded.compensatory",
    )
    .bind(&h.day)
    .bind(&h.name_vi)
    .bind(&h.name_en)
    .bind(h.compensatory)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes a holiday; returns whether there was one.
pub async fn delete_holiday(conn: &mut AnyConnection, day: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM holidays WHERE day = $1").bind(day).execute(conn).await?;
    Ok(done.rows_affected() > 0)
}

/// Adds an extra working day or replaces its note.
pub async fn put_extra_working_day(conn: &mut AnyConnection, day: &str, note: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO extra_working_days (day, note) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET note = excluded.note",
    )
    .bind(day)
    .bind(note)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes an extra working day; returns whether there was one.
pub async fn delete_extra_working_day(conn: &mut AnyConnection, day: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM extra_working_days WHERE day = $1").bind(day).execute(conn).await?;
    Ok(done.rows_affected() > 0)
}

/// Every unit as (id, code, parent id), for walking the tree inside a transaction.
pub async fn agency_tree(conn: &mut AnyConnection) -> sqlx::Result<Vec<(String, String, Option<String>)>> {
    sqlx::query_as("SELECT id, code, parent_id FROM agencies").fetch_all(conn).await
}

/// Updates a unit's names, address and hours.
pub async fn update_agency(
    conn: &mut AnyConnection,
    id: &str,
    name_vi: &str,
    name_en: &str,
    address: &str,
    hours: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE agencies SET name_vi = $1, name_en = $2, address = $3, hours = $4 WHERE id = $5")
        .bind(name_vi)
        .bind(name_en)
        .bind(address)
        .bind(hours)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
