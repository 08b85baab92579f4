//! Feedback (phản ánh, kiến nghị): sent by a signed-in person, answered by the responsible
//! unit, marked overdue once, optionally published without personal data.

use sqlx::{Any, AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::{new_id, to_db};

/// A new item.
#[derive(Debug, Clone)]
pub struct NewFeedback<'a> {
    /// The sender.
    pub sender_id: &'a str,
    /// `procedure`, `unit` or `dossier`.
    pub about: &'a str,
    /// The procedure, when about one.
    pub procedure_id: Option<&'a str>,
    /// The dossier, when about one.
    pub dossier_id: Option<&'a str>,
    /// The responsible unit (id).
    pub agency_id: &'a str,
    /// Subject line.
    pub subject: &'a str,
    /// Text.
    pub body: &'a str,
    /// The answer is due.
    pub due_at: OffsetDateTime,
}

/// An item as the sender and the unit's officers see it.
#[derive(Debug, Clone, FromRow)]
pub struct FeedbackRow {
    /// Id.
    pub id: String,
    /// Sender.
    pub sender_id: String,
    /// `procedure`, `unit` or `dossier`.
    pub about: String,
    /// What it is about, for display (procedure code and name, unit name or dossier code).
    pub about_label: String,
    /// The responsible unit (id).
    pub agency_id: String,
    /// Its name.
    pub agency_name: String,
    /// Subject.
    pub subject: String,
    /// Text.
    pub body: String,
    /// Sent.
    pub created_at: i64,
    /// Due.
    pub due_at: i64,
    /// Answer ('' until answered).
    pub answer: String,
    /// Answered.
    pub answered_at: Option<i64>,
    /// Marked overdue.
    pub overdue_at: Option<i64>,
    /// Published.
    pub published_at: Option<i64>,
}

const COLUMNS: &str = "f.id, f.sender_id, f.about, \
     COALESCE(d.code, p.code || ' ' || p.name_vi, a.name_vi) AS about_label, f.agency_id, a.name_vi AS agency_name, \
     f.subject, f.body, f.created_at, f.due_at, f.answer, f.answered_at, f.overdue_at, f.published_at \
     FROM feedback f JOIN agencies a ON a.id = f.agency_id LEFT JOIN procedures p ON p.id = f.procedure_id \
     LEFT JOIN dossiers d ON d.id = f.dossier_id";

/// Records an item; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    f: &NewFeedback<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO feedback (id, sender_id, about, procedure_id, dossier_id, agency_id, subject, body, created_at, \
         due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(f.sender_id)
    .bind(f.about)
    .bind(f.procedure_id)
    .bind(f.dossier_id)
    .bind(f.agency_id)
    .bind(f.subject)
    .bind(f.body)
    .bind(to_db(now))
    .bind(to_db(f.due_at))
    .execute(conn)
    .await?;
    Ok(id)
}

/// One item.
pub async fn by_id(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<FeedbackRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} WHERE f.id = $1")).bind(id).fetch_optional(conn).await
}

/// The sender's items, newest first.
pub async fn of_sender(db: &Db, sender_id: &str) -> sqlx::Result<Vec<FeedbackRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} WHERE f.sender_id = $1 ORDER BY f.created_at DESC LIMIT 200"))
        .bind(sender_id)
        .fetch_all(db.reader())
        .await
}

/// The queue of the given units: unanswered first (oldest due first), then answered.
pub async fn of_units(db: &Db, agency_ids: &[String], all: bool) -> sqlx::Result<Vec<FeedbackRow>> {
    if agency_ids.is_empty() && !all {
        return Ok(Vec::new());
    }
    let filter = if all {
        "1 = 1".to_string()
    } else {
        let marks: Vec<String> = (1..=agency_ids.len()).map(|i| format!("${i}")).collect();
        format!("f.agency_id IN ({})", marks.join(", "))
    };
    let sql = format!(
        "SELECT {COLUMNS} WHERE {filter} ORDER BY CASE WHEN f.answered_at IS NULL THEN 0 ELSE 1 END, f.due_at \
         LIMIT 200"
    );
    let mut q = sqlx::query_as::<Any, FeedbackRow>(&sql);
    if !all {
        for id in agency_ids {
            q = q.bind(id);
        }
    }
    q.fetch_all(db.reader()).await
}

/// Records the answer if the item is not answered yet; returns whether it was.
pub async fn answer(
    conn: &mut AnyConnection,
    id: &str,
    answer: &str,
    by: &str,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE feedback SET answer = $2, answered_by = $3, answered_at = $4 WHERE id = $1 AND answered_at IS NULL",
    )
    .bind(id)
    .bind(answer)
    .bind(by)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The cleaned texts of a published item.
#[derive(Debug, Clone)]
pub struct PublicTexts {
    /// Subject.
    pub subject: String,
    /// Text.
    pub body: String,
    /// Answer.
    pub answer: String,
    /// The three folded, for search.
    pub search: String,
}

/// Publishes an answered item with the cleaned texts; returns whether it was published now.
pub async fn publish(
    conn: &mut AnyConnection,
    id: &str,
    texts: &PublicTexts,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE feedback SET public_subject = $2, public_body = $3, public_answer = $4, public_search = $5, \
         published_at = $6 WHERE id = $1 AND answered_at IS NOT NULL AND published_at IS NULL",
    )
    .bind(id)
    .bind(&texts.subject)
    .bind(&texts.body)
    .bind(&texts.answer)
    .bind(&texts.search)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Unanswered items past their due time, marked overdue (each once, even with several
/// processes sweeping). Returns their ids.
pub async fn mark_overdue(conn: &mut AnyConnection, now: OffsetDateTime) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "UPDATE feedback SET overdue_at = $1 WHERE overdue_at IS NULL AND answered_at IS NULL AND due_at < $1 \
         RETURNING id",
    )
    .bind(to_db(now))
    .fetch_all(conn)
    .await
}

/// A published item: no personal data, only the cleaned subject, text and answer.
#[derive(Debug, Clone, FromRow)]
pub struct PublicRow {
    /// Id.
    pub id: String,
    /// The responsible unit's name.
    pub agency_name: String,
    /// Subject.
    pub subject: String,
    /// Text.
    pub body: String,
    /// Answer.
    pub answer: String,
    /// Published.
    pub published_at: i64,
}

/// Published items whose folded text contains every term, newest first, one page; and the
/// total.
pub async fn published(
    db: &Db,
    terms: &[String],
    page: i64,
    per_page: i64,
) -> sqlx::Result<(Vec<PublicRow>, i64)> {
    let mut filter = String::from("f.published_at IS NOT NULL");
    for i in 0..terms.len() {
        filter.push_str(&format!(" AND f.public_search LIKE ${}", i + 1));
    }
    let n = terms.len();
    let sql = format!(
        "SELECT f.id, a.name_vi AS agency_name, f.public_subject AS subject, f.public_body AS body, \
         f.public_answer AS answer, f.published_at FROM feedback f JOIN agencies a ON a.id = f.agency_id \
         WHERE {filter} ORDER BY f.published_at DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query_as::<Any, PublicRow>(&sql);
    for t in terms {
        q = q.bind(format!("%{t}%"));
    }
    let rows = q.bind(per_page).bind((page.max(1) - 1) * per_page).fetch_all(db.reader()).await?;
    let count_sql = format!("SELECT COUNT(*) FROM feedback f WHERE {filter}");
    let mut c = sqlx::query_scalar::<Any, i64>(&count_sql);
    for t in terms {
        c = c.bind(format!("%{t}%"));
    }
    let total: i64 = c.fetch_one(db.reader()).await?;
    Ok((rows, total))
}

/// The unit (id) that receives a procedure's dossiers (the first receiving unit).
pub async fn receiving_unit_of_procedure(
    conn: &mut AnyConnection,
    code: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT p.id, pa.agency_id FROM procedures p JOIN procedure_agencies pa ON pa.procedure_id = p.id \
         AND pa.relation = 'receiving' JOIN agencies a ON a.id = pa.agency_id WHERE p.code = $1 ORDER BY a.code LIMIT 1",
    )
    .bind(code)
    .fetch_optional(conn)
    .await
}
