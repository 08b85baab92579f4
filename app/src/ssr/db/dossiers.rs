//! The `dossiers`, `dossier_files`, `dossier_events`, `dossier_sequences` and `documents`
//! tables.

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::{new_id, to_db};

/// A dossier with the names a page needs.
#[derive(Debug, Clone, FromRow)]
pub struct DossierRow {
    /// Id.
    pub id: String,
    /// Code, once submitted.
    pub code: Option<String>,
    /// Procedure id.
    pub procedure_id: String,
    /// Procedure code.
    pub procedure_code: String,
    /// Procedure name (published listing, Vietnamese).
    pub procedure_name_vi: String,
    /// Procedure name in English.
    pub procedure_name_en: String,
    /// The version filed under.
    pub version_id: String,
    /// Its number.
    pub version: i64,
    /// Its definition (JSON `ProcedureDef`).
    pub definition: String,
    /// Applicant (the person who filed).
    pub applicant_id: String,
    /// The organisation filed for, if any.
    pub organisation_id: Option<String>,
    /// Receiving unit's national code.
    pub receiving_agency: String,
    /// `DossierState` as JSON.
    pub state: String,
    /// National status code.
    pub national_status: Option<i64>,
    /// Form values as typed (JSON object of strings).
    pub form_values: String,
    /// Delivery option code.
    pub delivery: String,
    /// Postal address for delivery by post.
    pub delivery_address: String,
    /// Secret for the public lookup.
    pub lookup_secret: Option<String>,
    /// Idempotency token of the submission.
    pub submit_token: Option<String>,
    /// Created.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
    /// Submitted.
    pub submitted_at: Option<i64>,
    /// Due (appointment), once received.
    pub due_at: Option<i64>,
    /// Accepted by the desk.
    pub received_at: Option<i64>,
    /// `online`, or `desk` (filed at the counter).
    pub channel: String,
    /// The desk officer who filed it at the counter.
    pub filed_by: Option<String>,
}

const DOSSIER_COLUMNS: &str = "d.id, d.code, d.procedure_id, p.code AS procedure_code, \
     p.name_vi AS procedure_name_vi, p.name_en AS procedure_name_en, d.version_id, v.version, v.definition, \
     d.applicant_id, d.organisation_id, d.receiving_agency, d.state, d.national_status, d.form_values, \
     d.delivery, d.delivery_address, d.lookup_secret, d.submit_token, d.created_at, d.updated_at, \
     d.submitted_at, d.due_at, d.received_at, d.channel, d.filed_by \
     FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN procedure_versions v ON v.id = d.version_id";

/// A new draft.
#[derive(Debug, Clone)]
pub struct NewDraft<'a> {
    /// Procedure id.
    pub procedure_id: &'a str,
    /// Version id (the published one at the time).
    pub version_id: &'a str,
    /// Applicant.
    pub applicant_id: &'a str,
    /// Organisation, if filing for one.
    pub organisation_id: Option<&'a str>,
    /// Receiving unit code.
    pub receiving_agency: &'a str,
    /// `DossierState::Draft` as JSON.
    pub state: &'a str,
    /// Pre-filled values (JSON).
    pub form_values: &'a str,
    /// Default delivery.
    pub delivery: &'a str,
    /// Default postal address.
    pub delivery_address: &'a str,
}

/// Creates a draft; returns its id.
pub async fn insert_draft(
    conn: &mut AnyConnection,
    d: &NewDraft<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO dossiers (id, procedure_id, version_id, applicant_id, organisation_id, receiving_agency, \
         state, form_values, delivery, delivery_address, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(&id)
    .bind(d.procedure_id)
    .bind(d.version_id)
    .bind(d.applicant_id)
    .bind(d.organisation_id)
    .bind(d.receiving_agency)
    .bind(d.state)
    .bind(d.form_values)
    .bind(d.delivery)
    .bind(d.delivery_address)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// Marks a draft as filed at the counter by `officer_id`.
pub async fn set_intake(conn: &mut AnyConnection, id: &str, officer_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE dossiers SET channel = 'desk', filed_by = $2 WHERE id = $1")
        .bind(id)
        .bind(officer_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// One dossier by id.
pub async fn by_id(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<DossierRow>> {
    sqlx::query_as(&format!("SELECT {DOSSIER_COLUMNS} WHERE d.id = $1")).bind(id).fetch_optional(conn).await
}

/// One dossier by code.
pub async fn by_code(conn: &mut AnyConnection, code: &str) -> sqlx::Result<Option<DossierRow>> {
    sqlx::query_as(&format!("SELECT {DOSSIER_COLUMNS} WHERE d.code = $1"))
        .bind(code)
        .fetch_optional(conn)
        .await
}

/// What the public lookup needs of a dossier, and no more: the lookup is the busiest page
/// that reads the database (`bench/load lookup`), and the whole [`DossierRow`] carries the
/// procedure's definition (several KB) and the form values.
#[derive(Debug, Clone, FromRow)]
pub struct LookupRow {
    /// Code.
    pub code: String,
    /// Procedure name, Vietnamese.
    pub procedure_name_vi: String,
    /// Procedure name, English.
    pub procedure_name_en: String,
    /// Applicant (for the phone-number alternative to the key).
    pub applicant_id: String,
    /// `DossierState` as JSON.
    pub state: String,
    /// Secret for the public lookup.
    pub lookup_secret: Option<String>,
    /// Submitted.
    pub submitted_at: Option<i64>,
    /// Due.
    pub due_at: Option<i64>,
}

/// A submitted dossier by code, as the public lookup shows it.
pub async fn lookup_by_code(conn: &mut AnyConnection, code: &str) -> sqlx::Result<Option<LookupRow>> {
    sqlx::query_as(
        "SELECT d.code, p.name_vi AS procedure_name_vi, p.name_en AS procedure_name_en, d.applicant_id, \
         d.state, d.lookup_secret, d.submitted_at, d.due_at \
         FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE d.code = $1",
    )
    .bind(code)
    .fetch_optional(conn)
    .await
}

/// Saves a draft's form values and delivery choice.
pub async fn update_draft(
    conn: &mut AnyConnection,
    id: &str,
    form_values: &str,
    delivery: &str,
    delivery_address: &str,
    receiving_agency: &str,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE dossiers SET form_values = $2, delivery = $3, delivery_address = $4, receiving_agency = $5, \
         updated_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(form_values)
    .bind(delivery)
    .bind(delivery_address)
    .bind(receiving_agency)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a draft as changed now.
pub async fn touch(conn: &mut AnyConnection, id: &str, now: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query("UPDATE dossiers SET updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(to_db(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// The next number of `unit`'s daily sequence for `day` (YYMMDD), in the caller's
/// transaction: the row lock serialises concurrent submissions and a rollback returns the
/// number, so codes are gap-free.
pub async fn next_sequence(conn: &mut AnyConnection, unit: &str, day: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO dossier_sequences (unit_code, day, last_seq) VALUES ($1, $2, 1) \
         ON CONFLICT (unit_code, day) DO UPDATE SET last_seq = dossier_sequences.last_seq + 1 \
         RETURNING last_seq",
    )
    .bind(unit)
    .bind(day)
    .fetch_one(conn)
    .await
}

/// The submission itself: only a draft in state `draft_state` changes; returns whether it did.
pub struct Submission<'a> {
    /// Dossier id.
    pub id: &'a str,
    /// The state it must still be in.
    pub draft_state: &'a str,
    /// Its code.
    pub code: &'a str,
    /// New state (JSON).
    pub state: &'a str,
    /// National status code.
    pub national_status: i64,
    /// Validated form values (JSON).
    pub form_values: &'a str,
    /// Lookup secret.
    pub lookup_secret: &'a str,
    /// Idempotency token.
    pub submit_token: &'a str,
}

/// Applies a [`Submission`]; `false` if the dossier was no longer a draft.
pub async fn submit(conn: &mut AnyConnection, s: &Submission<'_>, now: OffsetDateTime) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE dossiers SET code = $3, state = $4, national_status = $5, form_values = $6, lookup_secret = $7, \
         submit_token = $8, submitted_at = $9, updated_at = $9 WHERE id = $1 AND state = $2",
    )
    .bind(s.id)
    .bind(s.draft_state)
    .bind(s.code)
    .bind(s.state)
    .bind(s.national_status)
    .bind(s.form_values)
    .bind(s.lookup_secret)
    .bind(s.submit_token)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a dossier from state `from` to `to`; `false` if it was no longer in `from`.
pub async fn set_state(
    conn: &mut AnyConnection,
    id: &str,
    from: &str,
    to: &str,
    national_status: Option<i64>,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE dossiers SET state = $3, national_status = $4, updated_at = $5 WHERE id = $1 AND state = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(national_status)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a draft (its files' rows go with it; documents stay in the owner's store).
pub async fn delete_draft(conn: &mut AnyConnection, id: &str, draft_state: &str) -> sqlx::Result<bool> {
    sqlx::query("DELETE FROM dossier_events WHERE dossier_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM dossier_files WHERE dossier_id = $1").bind(id).execute(&mut *conn).await?;
    let done = sqlx::query("DELETE FROM dossiers WHERE id = $1 AND state = $2")
        .bind(id)
        .bind(draft_state)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The query of [`stale_drafts`] (`$1` the draft state, `$2` the time). `national_status IS
/// NULL` (true of every draft) lets both databases use the partial index `dossiers_drafts`
/// instead of reading the whole table; a test checks the plan.
pub const STALE_DRAFTS_SQL: &str =
    "SELECT id FROM dossiers WHERE national_status IS NULL AND state = $1 AND updated_at < $2";

/// Drafts not changed since `before`.
pub async fn stale_drafts(db: &Db, draft_state: &str, before: OffsetDateTime) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(STALE_DRAFTS_SQL).bind(draft_state).bind(to_db(before)).fetch_all(db.reader()).await
}

/// One row of the timeline.
#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    /// When.
    pub at: i64,
    /// What (`submitted`, `withdrawn`…).
    pub kind: String,
    /// State before (JSON).
    pub state_from: Option<String>,
    /// State after (JSON).
    pub state_to: Option<String>,
    /// Note (reason…).
    pub note: String,
    /// Who, if a person.
    pub actor_name: Option<String>,
}

/// Appends to the timeline.
#[allow(clippy::too_many_arguments)]
pub async fn insert_event(
    conn: &mut AnyConnection,
    dossier_id: &str,
    actor_id: Option<&str>,
    kind: &str,
    state_from: Option<&str>,
    state_to: Option<&str>,
    note: &str,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO dossier_events (id, dossier_id, at, actor_id, kind, state_from, state_to, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(dossier_id)
    .bind(to_db(now))
    .bind(actor_id)
    .bind(kind)
    .bind(state_from)
    .bind(state_to)
    .bind(note)
    .execute(&mut *conn)
    .await?;
    // organisations' webhooks hear of the change in the same transaction (issue #10)
    super::webhooks::enqueue_for_event(conn, dossier_id, kind, state_to, now).await?;
    Ok(())
}

/// The timeline, oldest first.
pub async fn events(conn: &mut AnyConnection, dossier_id: &str) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "SELECT e.at, e.kind, e.state_from, e.state_to, e.note, u.full_name AS actor_name \
         FROM dossier_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.dossier_id = $1 ORDER BY e.at, e.id",
    )
    .bind(dossier_id)
    .fetch_all(conn)
    .await
}

/// A document in a person's store.
#[derive(Debug, Clone, FromRow)]
pub struct DocumentRow {
    /// Id.
    pub id: String,
    /// Owner.
    pub owner_id: String,
    /// Blob key.
    pub blob_key: String,
    /// SHA-256 hex.
    pub sha256: String,
    /// Size.
    pub size_bytes: i64,
    /// MIME type.
    pub media_type: String,
    /// Name as uploaded (cleaned).
    pub file_name: String,
    /// `upload` or `result`.
    pub kind: String,
    /// When.
    pub created_at: i64,
}

/// Records a stored file in its owner's document store; returns the id.
#[allow(clippy::too_many_arguments)]
pub async fn insert_document(
    conn: &mut AnyConnection,
    owner_id: &str,
    blob_key: &str,
    sha256: &str,
    size_bytes: i64,
    media_type: &str,
    file_name: &str,
    kind: &str,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO documents (id, owner_id, blob_key, sha256, size_bytes, media_type, file_name, kind, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(owner_id)
    .bind(blob_key)
    .bind(sha256)
    .bind(size_bytes)
    .bind(media_type)
    .bind(file_name)
    .bind(kind)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// One document.
pub async fn document(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<DocumentRow>> {
    sqlx::query_as(
        "SELECT id, owner_id, blob_key, sha256, size_bytes, media_type, file_name, kind, created_at \
         FROM documents WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A person's documents, newest first.
pub async fn documents_of(db: &Db, owner_id: &str) -> sqlx::Result<Vec<DocumentRow>> {
    sqlx::query_as(
        "SELECT id, owner_id, blob_key, sha256, size_bytes, media_type, file_name, kind, created_at \
         FROM documents WHERE owner_id = $1 ORDER BY created_at DESC, id DESC LIMIT 500",
    )
    .bind(owner_id)
    .fetch_all(db.reader())
    .await
}

/// A file attached to a dossier.
#[derive(Debug, Clone, FromRow)]
pub struct FileRow {
    /// Attachment id.
    pub id: String,
    /// Which paper.
    pub paper_index: i64,
    /// The document.
    pub document_id: String,
    /// Its name.
    pub file_name: String,
    /// Its type.
    pub media_type: String,
    /// Its size.
    pub size_bytes: i64,
}

/// Attaches a document to a paper of a dossier.
pub async fn attach(
    conn: &mut AnyConnection,
    dossier_id: &str,
    paper_index: i64,
    document_id: &str,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query("INSERT INTO dossier_files (id, dossier_id, paper_index, document_id, added_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(dossier_id)
        .bind(paper_index)
        .bind(document_id)
        .bind(to_db(now))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Removes an attachment of a dossier; whether it was there.
pub async fn detach(conn: &mut AnyConnection, dossier_id: &str, file_id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM dossier_files WHERE id = $1 AND dossier_id = $2")
        .bind(file_id)
        .bind(dossier_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The files of a dossier by paper.
pub async fn files(conn: &mut AnyConnection, dossier_id: &str) -> sqlx::Result<Vec<FileRow>> {
    sqlx::query_as(
        "SELECT f.id, f.paper_index, f.document_id, d.file_name, d.media_type, d.size_bytes \
         FROM dossier_files f JOIN documents d ON d.id = f.document_id \
         WHERE f.dossier_id = $1 ORDER BY f.paper_index, f.added_at, f.id",
    )
    .bind(dossier_id)
    .fetch_all(conn)
    .await
}

/// Total size of a dossier's files.
pub async fn total_bytes(conn: &mut AnyConnection, dossier_id: &str) -> sqlx::Result<i64> {
    let total: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(d.size_bytes) AS BIGINT) FROM dossier_files f JOIN documents d ON d.id = f.document_id \
         WHERE f.dossier_id = $1",
    )
    .bind(dossier_id)
    .fetch_one(conn)
    .await?;
    Ok(total.unwrap_or(0))
}

/// Whether a document is attached to a dossier `user_id` may see (the applicant or an
/// organisation member), so that members can open each other's scans of a shared dossier.
pub async fn document_visible_through_dossier(
    conn: &mut AnyConnection,
    document_id: &str,
    user_id: &str,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM dossier_files f JOIN dossiers d ON d.id = f.dossier_id \
         WHERE f.document_id = $1 AND (d.applicant_id = $2 OR d.organisation_id IN \
         (SELECT organisation_id FROM organisation_members WHERE user_id = $2))",
    )
    .bind(document_id)
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// A line of "My dossiers".
#[derive(Debug, Clone, FromRow)]
pub struct ListRow {
    /// Id.
    pub id: String,
    /// Code.
    pub code: Option<String>,
    /// Procedure name.
    pub procedure_name_vi: String,
    /// In English.
    pub procedure_name_en: String,
    /// State (JSON).
    pub state: String,
    /// Organisation name, if filed for one.
    pub organisation_name: Option<String>,
    /// Submitted.
    pub submitted_at: Option<i64>,
    /// Due.
    pub due_at: Option<i64>,
    /// Last change.
    pub updated_at: i64,
}

/// Which dossiers to list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// `draft`, `active` (submitted, not finished), `done`, or everything.
    pub group: Option<String>,
    /// Part of the code, upper case.
    pub code: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

/// The dossiers `user_id` may see (filed by them, or for an organisation they belong to).
pub async fn list_visible(db: &Db, user_id: &str, f: &ListFilter) -> sqlx::Result<(Vec<ListRow>, i64)> {
    let mut cond = String::from(
        "(d.applicant_id = $1 OR d.organisation_id IN (SELECT organisation_id FROM organisation_members WHERE user_id = $1))",
    );
    match f.group.as_deref() {
        Some("draft") => cond.push_str(" AND d.national_status IS NULL"),
        Some("active") => {
            cond.push_str(" AND d.national_status IN (1, 2, 4, 5, 6, 7, 9) AND d.state <> '\"withdrawn\"'")
        }
        Some("done") => cond.push_str(" AND (d.national_status IN (3, 8, 10) OR d.state = '\"withdrawn\"')"),
        _ => {}
    }
    let code = f.code.clone().unwrap_or_default();
    if !code.is_empty() {
        cond.push_str(" AND d.code LIKE $2");
    }
    let like = format!("%{code}%");
    let sql = format!(
        "SELECT d.id, d.code, p.name_vi AS procedure_name_vi, p.name_en AS procedure_name_en, d.state, \
         o.name AS organisation_name, d.submitted_at, d.due_at, d.updated_at \
         FROM dossiers d JOIN procedures p ON p.id = d.procedure_id LEFT JOIN organisations o ON o.id = d.organisation_id \
         WHERE {cond} ORDER BY d.updated_at DESC, d.id DESC LIMIT {} OFFSET {}",
        f.limit.clamp(1, 100),
        f.offset.max(0)
    );
    let count_sql = format!("SELECT COUNT(*) FROM dossiers d WHERE {cond}");
    let (rows, total) = if code.is_empty() {
        (
            sqlx::query_as(&sql).bind(user_id).fetch_all(db.reader()).await?,
            sqlx::query_scalar(&count_sql).bind(user_id).fetch_one(db.reader()).await?,
        )
    } else {
        (
            sqlx::query_as(&sql).bind(user_id).bind(&like).fetch_all(db.reader()).await?,
            sqlx::query_scalar(&count_sql).bind(user_id).bind(&like).fetch_one(db.reader()).await?,
        )
    };
    Ok((rows, total))
}

/// Deletes a document that no dossier uses any more; returns its blob key if no other
/// document shares that content (the caller then removes the blob after commit).
pub async fn delete_document_if_unused(
    conn: &mut AnyConnection,
    document_id: &str,
) -> sqlx::Result<Option<String>> {
    let used: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dossier_files WHERE document_id = $1")
        .bind(document_id)
        .fetch_one(&mut *conn)
        .await?;
    if used > 0 {
        return Ok(None);
    }
    let Some(key): Option<String> = sqlx::query_scalar("SELECT blob_key FROM documents WHERE id = $1")
        .bind(document_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM documents WHERE id = $1").bind(document_id).execute(&mut *conn).await?;
    let shared: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE blob_key = $1")
        .bind(&key)
        .fetch_one(conn)
        .await?;
    Ok((shared == 0).then_some(key))
}

/// When the last event of `kind` happened on a dossier, if ever.
pub async fn last_event_at(
    conn: &mut AnyConnection,
    dossier_id: &str,
    kind: &str,
) -> sqlx::Result<Option<i64>> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(MAX(at) AS BIGINT) FROM dossier_events WHERE dossier_id = $1 AND kind = $2",
    )
    .bind(dossier_id)
    .bind(kind)
    .fetch_one(conn)
    .await?;
    Ok(at)
}

/// Whether an attachment of the dossier was added at or after `since`.
pub async fn file_added_since(
    conn: &mut AnyConnection,
    dossier_id: &str,
    file_id: &str,
    since: i64,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM dossier_files WHERE id = $1 AND dossier_id = $2 AND added_at >= $3",
    )
    .bind(file_id)
    .bind(dossier_id)
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The desk accepts: the new state, when, and the appointment.
pub async fn receive(
    conn: &mut AnyConnection,
    id: &str,
    from: &str,
    to: &str,
    national_status: i64,
    now: OffsetDateTime,
    due: OffsetDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE dossiers SET state = $3, national_status = $4, received_at = $5, due_at = $6, updated_at = $5 \
         WHERE id = $1 AND state = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(national_status)
    .bind(to_db(now))
    .bind(to_db(due))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A line of an officer's queue.
#[derive(Debug, Clone, FromRow)]
pub struct QueueRow {
    /// Id.
    pub id: String,
    /// Code.
    pub code: Option<String>,
    /// Procedure name.
    pub procedure_name_vi: String,
    /// In English.
    pub procedure_name_en: String,
    /// Applicant's name.
    pub applicant_name: String,
    /// State (JSON).
    pub state: String,
    /// Submitted.
    pub submitted_at: Option<i64>,
    /// Receiving unit code.
    pub receiving_agency: String,
    /// Procedure code.
    pub procedure_code: String,
    /// The current step's deadline.
    pub step_due_at: Option<i64>,
    /// `online` or `desk`.
    pub channel: String,
    /// Who the current step is assigned to.
    pub assignee_name: Option<String>,
}

const QUEUE_COLUMNS: &str = "d.id, d.code, p.name_vi AS procedure_name_vi, p.name_en AS procedure_name_en, \
     u.full_name AS applicant_name, d.state, d.submitted_at, d.receiving_agency, p.code AS procedure_code, \
     d.step_due_at, d.channel, asg.full_name AS assignee_name \
     FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN users u ON u.id = d.applicant_id \
     LEFT JOIN users asg ON asg.id = d.step_assignee";

/// Dossiers in one of `states` received by one of `units` (all units if `None`), oldest
/// submission first.
pub async fn reception_queue(
    db: &Db,
    units: Option<&[String]>,
    states: &[String],
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<QueueRow>, i64)> {
    let mut args: Vec<String> = states.to_vec();
    let state_list = (1..=states.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let mut cond = format!("d.state IN ({state_list})");
    if let Some(units) = units {
        let start = args.len();
        let list = (1..=units.len()).map(|i| format!("${}", start + i)).collect::<Vec<_>>().join(", ");
        cond.push_str(&format!(" AND d.receiving_agency IN ({list})"));
        args.extend(units.iter().cloned());
    }
    let sql = format!(
        "SELECT {QUEUE_COLUMNS} WHERE {cond} ORDER BY d.submitted_at, d.id LIMIT {} OFFSET {}",
        limit.clamp(1, 100),
        offset.max(0)
    );
    let count_sql = format!("SELECT COUNT(*) FROM dossiers d WHERE {cond}");
    let mut q = sqlx::query_as::<_, QueueRow>(&sql);
    let mut c = sqlx::query_scalar::<_, i64>(&count_sql);
    for a in &args {
        q = q.bind(a.clone());
        c = c.bind(a.clone());
    }
    Ok((q.fetch_all(db.reader()).await?, c.fetch_one(db.reader()).await?))
}

/// Whether a document is attached to a dossier received by one of `units`.
pub async fn document_in_units(
    conn: &mut AnyConnection,
    document_id: &str,
    units: &[String],
) -> sqlx::Result<bool> {
    if units.is_empty() {
        return Ok(false);
    }
    let list = (2..=units.len() + 1).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT COUNT(*) FROM dossier_files f JOIN dossiers d ON d.id = f.dossier_id \
         WHERE f.document_id = $1 AND d.code IS NOT NULL AND d.receiving_agency IN ({list})"
    );
    let mut q = sqlx::query_scalar::<_, i64>(&sql).bind(document_id.to_string());
    for u in units {
        q = q.bind(u.clone());
    }
    Ok(q.fetch_one(conn).await? > 0)
}

/// Moves a dossier to workflow step `index` (at `agency`, worked by `role`, due `due`), closing
/// the open step row with `outcome` and opening the new one, in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn enter_step(
    conn: &mut AnyConnection,
    dossier_id: &str,
    index: i64,
    agency: &str,
    role: &str,
    due: Option<OffsetDateTime>,
    outcome: &str,
    actor_id: &str,
    note: &str,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    close_step(conn, dossier_id, outcome, actor_id, note, now).await?;
    sqlx::query(
        "UPDATE dossiers SET current_step = $2, step_agency = $3, step_role = $4, step_due_at = $5, updated_at = $6, \
         step_assignee = NULL WHERE id = $1",
    )
    .bind(dossier_id)
    .bind(index)
    .bind(agency)
    .bind(role)
    .bind(due.map(to_db))
    .bind(to_db(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO dossier_steps (id, dossier_id, step_index, agency_code, role, started_at, due_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(dossier_id)
    .bind(index)
    .bind(agency)
    .bind(role)
    .bind(to_db(now))
    .bind(due.map(to_db))
    .execute(conn)
    .await?;
    Ok(())
}

/// Closes the open step row (if any) with `outcome`.
pub async fn close_step(
    conn: &mut AnyConnection,
    dossier_id: &str,
    outcome: &str,
    actor_id: &str,
    note: &str,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE dossier_steps SET finished_at = $2, outcome = $3, actor_id = $4, note = $5 \
         WHERE dossier_id = $1 AND finished_at IS NULL",
    )
    .bind(dossier_id)
    .bind(to_db(now))
    .bind(outcome)
    .bind(actor_id)
    .bind(note)
    .execute(conn)
    .await?;
    Ok(())
}

/// Leaves the workflow (returned, refused…): no current step.
pub async fn leave_workflow(conn: &mut AnyConnection, dossier_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE dossiers SET current_step = NULL, step_agency = NULL, step_role = NULL, step_due_at = NULL WHERE id = $1")
        .bind(dossier_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Where a dossier is in its workflow.
#[derive(Debug, Clone, FromRow)]
pub struct WorkPosition {
    /// Current step index.
    pub current_step: Option<i64>,
    /// Its unit.
    pub step_agency: Option<String>,
    /// Its role.
    pub step_role: Option<String>,
    /// Its deadline.
    pub step_due_at: Option<i64>,
    /// Issued result, not yet returned: blob key.
    pub result_blob_key: Option<String>,
    /// Its SHA-256.
    pub result_sha256: Option<String>,
    /// Its size.
    pub result_size: Option<i64>,
    /// Its name.
    pub result_file_name: Option<String>,
    /// The returned result in the applicant's documents.
    pub result_document_id: Option<String>,
    /// The officer the current step is assigned to.
    pub step_assignee: Option<String>,
}

/// The workflow position of a dossier.
pub async fn position(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<WorkPosition>> {
    sqlx::query_as(
        "SELECT current_step, step_agency, step_role, step_due_at, result_blob_key, result_sha256, result_size, \
         result_file_name, result_document_id, step_assignee FROM dossiers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Records the issued result file.
#[allow(clippy::too_many_arguments)]
pub async fn set_result(
    conn: &mut AnyConnection,
    id: &str,
    key: &str,
    sha256: &str,
    size: i64,
    name: &str,
    verify_token: &str,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE dossiers SET result_blob_key = $2, result_sha256 = $3, result_size = $4, result_file_name = $5, \
         result_verify_token = $6, result_issued_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(key)
    .bind(sha256)
    .bind(size)
    .bind(name)
    .bind(verify_token)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// How the result was handed over: `electronic`, `post` (detail: the tracking number) or
/// `desk` (detail: who collected it).
pub async fn set_returned(conn: &mut AnyConnection, id: &str, via: &str, detail: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE dossiers SET returned_via = $2, return_detail = $3 WHERE id = $1")
        .bind(id)
        .bind(via)
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}

/// An issued result, as the public verification page shows it.
#[derive(Debug, Clone, FromRow)]
pub struct IssuedResult {
    /// Dossier code.
    pub code: String,
    /// Procedure code.
    pub procedure_code: String,
    /// Procedure name.
    pub procedure_name_vi: String,
    /// In English.
    pub procedure_name_en: String,
    /// The unit that received it.
    pub receiving_agency: String,
    /// The result file's SHA-256.
    pub result_sha256: String,
    /// Its file name.
    pub result_file_name: String,
    /// When it was issued.
    pub result_issued_at: i64,
    /// The dossier's state (a refusal notice or a grant).
    pub state: String,
}

/// The result a QR code points at: by dossier code and verification token.
pub async fn issued_result(
    conn: &mut AnyConnection,
    code: &str,
    token: &str,
) -> sqlx::Result<Option<IssuedResult>> {
    sqlx::query_as(
        "SELECT d.code, p.code AS procedure_code, p.name_vi AS procedure_name_vi, p.name_en AS procedure_name_en, \
         d.receiving_agency, d.result_sha256, d.result_file_name, d.result_issued_at, d.state \
         FROM dossiers d JOIN procedures p ON p.id = d.procedure_id \
         WHERE d.code = $1 AND d.result_verify_token = $2 AND d.result_sha256 IS NOT NULL",
    )
    .bind(code)
    .bind(token)
    .fetch_optional(conn)
    .await
}

/// The extra facts of the back office about a dossier.
#[derive(Debug, Clone, Default, FromRow)]
pub struct Handling {
    /// How the result was handed over.
    pub returned_via: Option<String>,
    /// Tracking number or collector.
    pub return_detail: String,
    /// The first appointment, when it was moved by an apology.
    pub original_due_at: Option<i64>,
    /// The apology.
    pub apology: String,
    /// `online` or `desk` (counter intake).
    pub channel: String,
    /// Verification token of the issued result.
    pub result_verify_token: Option<String>,
    /// When the dossier was marked late.
    pub overdue_at: Option<i64>,
}

/// The back-office facts of a dossier.
pub async fn handling(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Handling> {
    Ok(sqlx::query_as(
        "SELECT returned_via, return_detail, original_due_at, apology, channel, result_verify_token, overdue_at \
         FROM dossiers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?
    .unwrap_or_default())
}

/// Moves the appointment once, with the apology: only when it has not been moved before.
/// Returns whether it moved.
pub async fn reschedule(
    conn: &mut AnyConnection,
    id: &str,
    new_due: OffsetDateTime,
    apology: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE dossiers SET original_due_at = due_at, due_at = $2, apology = $3 \
         WHERE id = $1 AND original_due_at IS NULL AND due_at IS NOT NULL AND due_at < $2",
    )
    .bind(id)
    .bind(to_db(new_due))
    .bind(apology)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A step falling due soon, to warn its officers about.
#[derive(Debug, Clone, FromRow)]
pub struct DueSoon {
    /// Dossier id.
    pub dossier_id: String,
    /// The step's unit.
    pub agency_code: String,
    /// Its role.
    pub role: String,
    /// Its deadline.
    pub due_at: i64,
}

/// Open steps due before `horizon` and not yet warned about, marked as warned (each once,
/// even with several processes sweeping).
pub async fn mark_due_soon(
    conn: &mut AnyConnection,
    now: OffsetDateTime,
    horizon: OffsetDateTime,
) -> sqlx::Result<Vec<DueSoon>> {
    sqlx::query_as(
        "UPDATE dossier_steps SET warned_at = $1 WHERE warned_at IS NULL AND finished_at IS NULL \
         AND due_at IS NOT NULL AND due_at > $1 AND due_at <= $2 \
         RETURNING dossier_id, agency_code, role, due_at",
    )
    .bind(to_db(now))
    .bind(to_db(horizon))
    .fetch_all(conn)
    .await
}

/// Records the result's document once returned.
pub async fn set_result_document(conn: &mut AnyConnection, id: &str, document_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE dossiers SET result_document_id = $2 WHERE id = $1")
        .bind(id)
        .bind(document_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How the work queue is narrowed and ordered.
#[derive(Debug, Clone, Default)]
pub struct WorkFilter {
    /// Only this procedure (code).
    pub procedure: Option<String>,
    /// Only `overdue` or `soon` steps.
    pub due: Option<String>,
    /// Only `online` or `desk` dossiers.
    pub channel: Option<String>,
    /// `submitted` (oldest first) instead of the step deadline.
    pub by_submission: bool,
    /// Only steps assigned to this officer (`Some(id)`), or (`Some("")`) to nobody.
    pub assignee: Option<String>,
    /// Page, from 1.
    pub page: i64,
}

/// How many dossiers the queue holds: all, with a late step, with a step falling due soon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkCounts {
    /// All.
    pub total: i64,
    /// Step deadline passed.
    pub overdue: i64,
    /// Step deadline within the horizon.
    pub soon: i64,
}

/// One page (20) of the dossiers whose current step is worked by one of `pairs` (unit code,
/// role), filtered; the number matching the filter; and the counts of the whole queue.
/// `soon_until` is the end of the "due soon" horizon.
pub async fn work_queue(
    db: &Db,
    pairs: &[(String, String)],
    f: &WorkFilter,
    now: OffsetDateTime,
    soon_until: OffsetDateTime,
) -> sqlx::Result<(Vec<QueueRow>, i64, WorkCounts)> {
    if pairs.is_empty() {
        return Ok((Vec::new(), 0, WorkCounts::default()));
    }
    enum Arg {
        S(String),
        I(i64),
    }
    let mut args: Vec<Arg> = Vec::new();
    let mut mine = Vec::new();
    for (agency, role) in pairs {
        args.push(Arg::S(agency.clone()));
        args.push(Arg::S(role.clone()));
        mine.push(format!("(d.step_agency = ${} AND d.step_role = ${})", args.len() - 1, args.len()));
    }
    let base = format!("d.current_step IS NOT NULL AND ({})", mine.join(" OR "));
    args.push(Arg::I(to_db(now)));
    let now_i = args.len();
    args.push(Arg::I(to_db(soon_until)));
    let soon_i = args.len();
    let counts_sql = format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN d.step_due_at < ${now_i} THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN d.step_due_at >= ${now_i} AND d.step_due_at <= ${soon_i} THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM dossiers d WHERE {base}"
    );
    let mut cond = base.clone();
    match f.due.as_deref() {
        Some("overdue") => cond.push_str(&format!(" AND d.step_due_at < ${now_i}")),
        Some("soon") => {
            cond.push_str(&format!(" AND d.step_due_at >= ${now_i} AND d.step_due_at <= ${soon_i}"))
        }
        _ => {}
    }
    if let Some(code) = &f.procedure {
        args.push(Arg::S(code.clone()));
        cond.push_str(&format!(" AND p.code = ${}", args.len()));
    }
    if let Some(channel) = &f.channel {
        args.push(Arg::S(channel.clone()));
        cond.push_str(&format!(" AND d.channel = ${}", args.len()));
    }
    match f.assignee.as_deref() {
        Some("") => cond.push_str(" AND d.step_assignee IS NULL"),
        Some(id) => {
            args.push(Arg::S(id.to_string()));
            cond.push_str(&format!(" AND d.step_assignee = ${}", args.len()));
        }
        None => {}
    }
    let order = if f.by_submission { "d.submitted_at, d.id" } else { "d.step_due_at, d.id" };
    let sql = format!(
        "SELECT {QUEUE_COLUMNS} WHERE {cond} ORDER BY {order} LIMIT 20 OFFSET {}",
        (f.page.max(1) - 1) * 20
    );
    let count_sql =
        format!("SELECT COUNT(*) FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE {cond}");
    let mut q = sqlx::query_as::<_, QueueRow>(&sql);
    let mut c = sqlx::query_scalar::<_, i64>(&count_sql);
    let mut k = sqlx::query_as::<_, (i64, i64, i64)>(&counts_sql);
    for (i, a) in args.iter().enumerate() {
        match a {
            Arg::S(v) => {
                q = q.bind(v.clone());
                c = c.bind(v.clone());
            }
            Arg::I(v) => {
                q = q.bind(*v);
                c = c.bind(*v);
            }
        }
        // the counts use the queue's own condition and the two instants only
        if i < soon_i {
            k = match a {
                Arg::S(v) => k.bind(v.clone()),
                Arg::I(v) => k.bind(*v),
            };
        }
    }
    let rows = q.fetch_all(db.reader()).await?;
    let matching = c.fetch_one(db.reader()).await?;
    let (total, overdue, soon) = k.fetch_one(db.reader()).await?;
    Ok((rows, matching, WorkCounts { total, overdue, soon }))
}

/// The procedures (code, Vietnamese and English name) of the dossiers in a work queue.
pub async fn work_procedures(
    db: &Db,
    pairs: &[(String, String)],
) -> sqlx::Result<Vec<(String, String, String)>> {
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let cond = (0..pairs.len())
        .map(|i| format!("(d.step_agency = ${} AND d.step_role = ${})", 2 * i + 1, 2 * i + 2))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sql = format!(
        "SELECT DISTINCT p.code, p.name_vi, p.name_en FROM dossiers d JOIN procedures p ON p.id = d.procedure_id \
         WHERE d.current_step IS NOT NULL AND ({cond}) ORDER BY p.code"
    );
    let mut q = sqlx::query_as::<_, (String, String, String)>(&sql);
    for (agency, role) in pairs {
        q = q.bind(agency.clone()).bind(role.clone());
    }
    q.fetch_all(db.reader()).await
}

/// Marks dossiers whose appointment has passed while their clock runs (received or in
/// process), each once, and logs it; returns their ids. Safe to run on several processes at
/// once: the conditional update takes each row once.
pub async fn mark_overdue(conn: &mut AnyConnection, now: OffsetDateTime) -> sqlx::Result<Vec<String>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "UPDATE dossiers SET overdue_at = $1 WHERE overdue_at IS NULL AND due_at IS NOT NULL AND due_at < $1 \
         AND national_status IN (2, 4) RETURNING id",
    )
    .bind(to_db(now))
    .fetch_all(&mut *conn)
    .await?;
    for id in &ids {
        insert_event(conn, id, None, "overdue", None, None, "", now).await?;
    }
    Ok(ids)
}

/// Marks open steps past their deadline, each once; returns how many.
pub async fn mark_overdue_steps(conn: &mut AnyConnection, now: OffsetDateTime) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE dossier_steps SET overdue_at = $1 WHERE overdue_at IS NULL AND finished_at IS NULL \
         AND due_at IS NOT NULL AND due_at < $1",
    )
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// One row of the process-control log.
#[derive(Debug, Clone, FromRow)]
pub struct StepRow {
    /// Index into the workflow.
    pub step_index: i64,
    /// Unit.
    pub agency_code: String,
    /// Role.
    pub role: String,
    /// Started.
    pub started_at: i64,
    /// Deadline.
    pub due_at: Option<i64>,
    /// Finished.
    pub finished_at: Option<i64>,
    /// How it ended.
    pub outcome: Option<String>,
    /// Who finished it.
    pub actor_name: Option<String>,
    /// Note.
    pub note: String,
    /// Marked late.
    pub overdue_at: Option<i64>,
}

/// The process-control log of a dossier, oldest first.
pub async fn steps(conn: &mut AnyConnection, dossier_id: &str) -> sqlx::Result<Vec<StepRow>> {
    sqlx::query_as(
        "SELECT s.step_index, s.agency_code, s.role, s.started_at, s.due_at, s.finished_at, s.outcome, \
         u.full_name AS actor_name, s.note, s.overdue_at FROM dossier_steps s LEFT JOIN users u ON u.id = s.actor_id \
         WHERE s.dossier_id = $1 ORDER BY s.started_at, s.id",
    )
    .bind(dossier_id)
    .fetch_all(conn)
    .await
}

/// One line of the register of dossiers (form 07).
#[derive(Debug, Clone, FromRow)]
pub struct RegisterRow {
    /// Code.
    pub code: String,
    /// Procedure name.
    pub procedure_name_vi: String,
    /// Applicant.
    pub applicant_name: String,
    /// Submitted.
    pub submitted_at: Option<i64>,
    /// Received.
    pub received_at: Option<i64>,
    /// Appointment.
    pub due_at: Option<i64>,
    /// National status.
    pub national_status: Option<i64>,
    /// Marked late.
    pub overdue_at: Option<i64>,
}

/// The register of dossiers submitted to `units` between `from` and `to`.
pub async fn register(
    db: &Db,
    units: Option<&[String]>,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> sqlx::Result<Vec<RegisterRow>> {
    let mut sql = String::from(
        "SELECT d.code, p.name_vi AS procedure_name_vi, u.full_name AS applicant_name, d.submitted_at, d.received_at, \
         d.due_at, d.national_status, d.overdue_at FROM dossiers d JOIN procedures p ON p.id = d.procedure_id \
         JOIN users u ON u.id = d.applicant_id WHERE d.code IS NOT NULL AND d.submitted_at >= $1 AND d.submitted_at < $2",
    );
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let list = (0..units.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ");
        sql.push_str(&format!(" AND d.receiving_agency IN ({list})"));
    }
    sql.push_str(" ORDER BY d.submitted_at, d.code LIMIT 5000");
    let mut q = sqlx::query_as(&sql).bind(to_db(from)).bind(to_db(to));
    for u in units.unwrap_or_default() {
        q = q.bind(u);
    }
    q.fetch_all(db.reader()).await
}

/// Moves the appointment and the open step's deadline (the clock stood still meanwhile).
pub async fn set_deadlines(
    conn: &mut AnyConnection,
    id: &str,
    due: Option<OffsetDateTime>,
    step_due: Option<OffsetDateTime>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE dossiers SET due_at = COALESCE($2, due_at), step_due_at = COALESCE($3, step_due_at) WHERE id = $1")
        .bind(id)
        .bind(due.map(to_db))
        .bind(step_due.map(to_db))
        .execute(&mut *conn)
        .await?;
    if let Some(step_due) = step_due {
        sqlx::query("UPDATE dossier_steps SET due_at = $2 WHERE dossier_id = $1 AND finished_at IS NULL")
            .bind(id)
            .bind(to_db(step_due))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Assigns the open step of a dossier to an officer.
pub async fn assign(conn: &mut AnyConnection, id: &str, officer_id: &str) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE dossiers SET step_assignee = $2 WHERE id = $1 AND current_step IS NOT NULL")
            .bind(id)
            .bind(officer_id)
            .execute(&mut *conn)
            .await?;
    sqlx::query("UPDATE dossier_steps SET assignee_id = $2 WHERE dossier_id = $1 AND finished_at IS NULL")
        .bind(id)
        .bind(officer_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
