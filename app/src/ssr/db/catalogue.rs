//! The catalogue tables: fields, agency details, procedures and their versions, holidays.

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::{new_id, to_db};

/// A procedure as listed in search results (from its published version).
#[derive(Debug, Clone, FromRow, serde::Serialize, serde::Deserialize)]
pub struct ListingRow {
    /// National code.
    pub code: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Field code.
    pub field_code: String,
    /// Deciding level.
    pub level: String,
    /// `full` or `partial`.
    pub online: String,
    /// Working days.
    pub processing_days: i64,
}

/// Upserts a field of activity.
pub async fn upsert_field(
    conn: &mut AnyConnection,
    code: &str,
    name_vi: &str,
    name_en: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO fields (code, name_vi, name_en) VALUES ($1, $2, $3) \
         ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en",
    )
    .bind(code)
    .bind(name_vi)
    .bind(name_en)
    .execute(conn)
    .await?;
    Ok(())
}

/// The details of an agency unit to store.
#[derive(Debug, Clone)]
pub struct AgencyDetails<'a> {
    /// National code.
    pub code: &'a str,
    /// Name in Vietnamese.
    pub name_vi: &'a str,
    /// Name in English.
    pub name_en: &'a str,
    /// Parent id.
    pub parent_id: Option<&'a str>,
    /// Level code.
    pub level: &'a str,
    /// Address.
    pub address: &'a str,
    /// Office hours.
    pub hours: &'a str,
}

/// Inserts or updates a unit by its code; returns its id.
pub async fn upsert_agency(
    conn: &mut AnyConnection,
    a: &AgencyDetails<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let existing: Option<(String,)> = sqlx::query_as("SELECT id FROM agencies WHERE code = $1")
        .bind(a.code)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some((id,)) = existing {
        sqlx::query(
            "UPDATE agencies SET name_vi = $1, name_en = $2, parent_id = $3, level = $4, address = $5, hours = $6 \
             WHERE id = $7",
        )
        .bind(a.name_vi)
        .bind(a.name_en)
        .bind(a.parent_id)
        .bind(a.level)
        .bind(a.address)
        .bind(a.hours)
        .bind(&id)
        .execute(conn)
        .await?;
        return Ok(id);
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO agencies (id, code, name_vi, name_en, parent_id, level, address, hours, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(a.code)
    .bind(a.name_vi)
    .bind(a.name_en)
    .bind(a.parent_id)
    .bind(a.level)
    .bind(a.address)
    .bind(a.hours)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// A procedure's id and its published definition (JSON), if any.
pub async fn procedure_by_code(
    conn: &mut AnyConnection,
    code: &str,
) -> sqlx::Result<Option<(String, Option<String>, Option<i64>)>> {
    sqlx::query_as(
        "SELECT p.id, v.definition, v.version FROM procedures p \
         LEFT JOIN procedure_versions v ON v.id = p.published_version_id WHERE p.code = $1",
    )
    .bind(code)
    .fetch_optional(conn)
    .await
}

/// The id of a procedure's published version.
pub async fn published_version_id(
    conn: &mut AnyConnection,
    procedure_id: &str,
) -> sqlx::Result<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>("SELECT published_version_id FROM procedures WHERE id = $1")
        .bind(procedure_id)
        .fetch_optional(conn)
        .await?
        .flatten())
}

/// The listing columns of a procedure's published version.
#[derive(Debug, Clone)]
pub struct Listing<'a> {
    /// Name in Vietnamese.
    pub name_vi: &'a str,
    /// Name in English.
    pub name_en: &'a str,
    /// Field code.
    pub field_code: &'a str,
    /// Level code.
    pub level: &'a str,
    /// Online level code.
    pub online: &'a str,
    /// Working days.
    pub processing_days: i64,
    /// Folded search text.
    pub search_text: &'a str,
}

/// Creates a procedure row (no version yet); returns its id.
pub async fn insert_procedure(
    conn: &mut AnyConnection,
    code: &str,
    l: &Listing<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO procedures (id, code, name_vi, name_en, field_code, level, online, processing_days, search_text, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(&id)
    .bind(code)
    .bind(l.name_vi)
    .bind(l.name_en)
    .bind(l.field_code)
    .bind(l.level)
    .bind(l.online)
    .bind(l.processing_days)
    .bind(l.search_text)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// Adds a published version (superseding the previous one) and updates the listing.
/// Returns the new version number.
pub async fn publish_version(
    conn: &mut AnyConnection,
    procedure_id: &str,
    definition: &str,
    l: &Listing<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<i64> {
    let (last,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM procedure_versions WHERE procedure_id = $1")
            .bind(procedure_id)
            .fetch_one(&mut *conn)
            .await?;
    let version = last.unwrap_or(0) + 1;
    sqlx::query("UPDATE procedure_versions SET status = 'superseded' WHERE procedure_id = $1 AND status = 'published'")
        .bind(procedure_id)
        .execute(&mut *conn)
        .await?;
    let version_id = new_id();
    let now = to_db(now);
    sqlx::query(
        "INSERT INTO procedure_versions (id, procedure_id, version, status, definition, created_at, published_at) \
         VALUES ($1, $2, $3, 'published', $4, $5, $5)",
    )
    .bind(&version_id)
    .bind(procedure_id)
    .bind(version)
    .bind(definition)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE procedures SET published_version_id = $1, name_vi = $2, name_en = $3, field_code = $4, level = $5, \
         online = $6, processing_days = $7, search_text = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&version_id)
    .bind(l.name_vi)
    .bind(l.name_en)
    .bind(l.field_code)
    .bind(l.level)
    .bind(l.online)
    .bind(l.processing_days)
    .bind(l.search_text)
    .bind(now)
    .bind(procedure_id)
    .execute(conn)
    .await?;
    Ok(version)
}

/// Replaces the receiving/deciding units of a procedure.
pub async fn set_procedure_agencies(
    conn: &mut AnyConnection,
    procedure_id: &str,
    links: &[(String, &'static str)],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM procedure_agencies WHERE procedure_id = $1")
        .bind(procedure_id)
        .execute(&mut *conn)
        .await?;
    for (agency_id, relation) in links {
        sqlx::query(
            "INSERT INTO procedure_agencies (procedure_id, agency_id, relation) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(procedure_id)
        .bind(agency_id)
        .bind(*relation)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A catalogue search.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Folded terms, all of which must match.
    pub terms: Vec<String>,
    /// Field code.
    pub field: Option<String>,
    /// Agency id (receiving or deciding).
    pub agency_id: Option<String>,
    /// `full` or `partial`.
    pub online: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Offset.
    pub offset: i64,
}

/// Published procedures matching the query, and how many match in all.
pub async fn search(db: &Db, q: &SearchQuery) -> sqlx::Result<(Vec<ListingRow>, i64)> {
    let mut conditions = vec!["p.published_version_id IS NOT NULL".to_string()];
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    for _ in &q.terms {
        conditions.push(format!("p.search_text LIKE {}", next()));
    }
    if q.field.is_some() {
        conditions.push(format!("p.field_code = {}", next()));
    }
    if q.agency_id.is_some() {
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM procedure_agencies pa WHERE pa.procedure_id = p.id AND pa.agency_id = {})",
            next()
        ));
    }
    if q.online.is_some() {
        conditions.push(format!("p.online = {}", next()));
    }
    let filter = conditions.join(" AND ");
    let (limit, offset) = (next(), next());
    let list_sql = format!(
        "SELECT p.code, p.name_vi, p.name_en, p.field_code, p.level, p.online, p.processing_days \
         FROM procedures p WHERE {filter} ORDER BY p.name_vi, p.code LIMIT {limit} OFFSET {offset}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM procedures p WHERE {filter}");
    let mut list = sqlx::query_as::<_, ListingRow>(&list_sql);
    let mut count = sqlx::query_as::<_, (i64,)>(&count_sql);
    for term in &q.terms {
        let pattern = format!("%{}%", term.replace(['%', '_'], ""));
        list = list.bind(pattern.clone());
        count = count.bind(pattern);
    }
    for value in [&q.field, &q.agency_id, &q.online].into_iter().flatten() {
        list = list.bind(value.clone());
        count = count.bind(value.clone());
    }
    let rows = list.bind(q.limit).bind(q.offset).fetch_all(db.reader()).await?;
    let (total,) = count.fetch_one(db.reader()).await?;
    Ok((rows, total))
}

/// Fields of activity (code, Vietnamese, English), by Vietnamese name.
pub async fn fields(db: &Db) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as("SELECT code, name_vi, name_en FROM fields ORDER BY name_vi").fetch_all(db.reader()).await
}

/// An agency unit as listed.
#[derive(Debug, Clone, FromRow, serde::Serialize, serde::Deserialize)]
pub struct AgencyRow {
    /// Id.
    pub id: String,
    /// National code.
    pub code: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Parent id.
    pub parent_id: Option<String>,
    /// Level code.
    pub level: String,
    /// Address.
    pub address: String,
    /// Office hours.
    pub hours: String,
}

/// Every agency unit.
pub async fn agencies(db: &Db) -> sqlx::Result<Vec<AgencyRow>> {
    sqlx::query_as(
        "SELECT id, code, name_vi, name_en, parent_id, level, address, hours FROM agencies ORDER BY code",
    )
    .fetch_all(db.reader())
    .await
}

/// Stores a holiday unless that day is in the table already (admins' edits win).
pub async fn insert_holiday(
    conn: &mut AnyConnection,
    day: &str,
    name_vi: &str,
    name_en: &str,
    compensatory: bool,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO holidays (day, name_vi, name_en, compensatory) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .bind(day)
        .bind(name_vi)
        .bind(name_en)
        .bind(i64::from(compensatory))
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores a working weekend day unless present.
pub async fn insert_extra_working_day(conn: &mut AnyConnection, day: &str, note: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO extra_working_days (day, note) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(day)
        .bind(note)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every holiday date and every extra working day (YYYY-MM-DD).
pub async fn calendar_days(db: &Db) -> sqlx::Result<(Vec<String>, Vec<String>)> {
    let mut conn = db.reader().acquire().await?;
    calendar_days_in(&mut conn).await
}

/// The same, on a connection (inside a transaction).
pub async fn calendar_days_in(conn: &mut AnyConnection) -> sqlx::Result<(Vec<String>, Vec<String>)> {
    let holidays: Vec<(String,)> =
        sqlx::query_as("SELECT day FROM holidays ORDER BY day").fetch_all(&mut *conn).await?;
    let extra: Vec<(String,)> =
        sqlx::query_as("SELECT day FROM extra_working_days ORDER BY day").fetch_all(&mut *conn).await?;
    Ok((holidays.into_iter().map(|(d,)| d).collect(), extra.into_iter().map(|(d,)| d).collect()))
}

/// The published definitions (JSON) of every procedure, by code.
pub async fn published_definitions(db: &Db) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT v.definition FROM procedures p JOIN procedure_versions v ON v.id = p.published_version_id ORDER BY p.code",
    )
    .fetch_all(db.reader())
    .await?;
    Ok(rows.into_iter().map(|(d,)| d).collect())
}
