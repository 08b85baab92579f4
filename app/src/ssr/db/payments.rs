//! The `payments` table: a dossier's payment orders (online through the gateway, or taken
//! at the counter). Status changes are conditional `UPDATE … WHERE status = $from`, so two
//! callbacks racing for one order change it once.

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::{new_id, to_db};

/// Waiting for the gateway.
pub const PENDING: &str = "pending";
/// Paid and settled.
pub const PAID: &str = "paid";
/// The gateway reported a failure.
pub const FAILED: &str = "failed";
/// The payer cancelled at the gateway, or the order was replaced by a counter payment.
pub const CANCELLED: &str = "cancelled";
/// Nothing was paid before the link expired (found by reconciliation).
pub const EXPIRED: &str = "expired";
/// Paid at the gateway after the order had left `pending`: to refund.
pub const LATE_PAID: &str = "late_paid";
/// Every status, for the report.
pub const STATUSES: [&str; 6] = [PENDING, PAID, FAILED, CANCELLED, EXPIRED, LATE_PAID];

/// One order.
#[derive(Debug, Clone, FromRow)]
pub struct PaymentRow {
    /// Id.
    pub id: String,
    /// The dossier paid for.
    pub dossier_id: String,
    /// Whole đồng.
    pub amount: i64,
    /// Reference at the gateway (`vnp_TxnRef`); for counter payments an internal one.
    pub txn_ref: String,
    /// See the constants.
    pub status: String,
    /// `online` or `counter`.
    pub method: String,
    /// Receipt number (e-receipt for online payments, the counter's own for cash/card).
    pub receipt_no: Option<String>,
    /// The gateway's transaction number.
    pub gateway_txn_no: Option<String>,
    /// The bank the payer used.
    pub bank_code: Option<String>,
    /// The gateway's last response code.
    pub response_code: Option<String>,
    /// The order's `vnp_CreateDate` (QueryDR needs it).
    pub gateway_date: String,
    /// Who made the order (payer or desk officer).
    pub created_by: Option<String>,
    /// Created.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
    /// Paid at.
    pub settled_at: Option<i64>,
}

const COLUMNS: &str = "id, dossier_id, amount, txn_ref, status, method, receipt_no, gateway_txn_no, bank_code, \
     response_code, gateway_date, created_by, created_at, updated_at, settled_at";

/// A new order.
#[derive(Debug, Clone)]
pub struct NewPayment<'a> {
    /// Dossier.
    pub dossier_id: &'a str,
    /// Whole đồng.
    pub amount: i64,
    /// Reference.
    pub txn_ref: &'a str,
    /// Initial status (`pending` online, `paid` at the counter).
    pub status: &'a str,
    /// `online` / `counter`.
    pub method: &'a str,
    /// Receipt number, if known now.
    pub receipt_no: Option<&'a str>,
    /// `vnp_CreateDate`.
    pub gateway_date: &'a str,
    /// Who.
    pub created_by: Option<&'a str>,
}

/// Inserts an order unless it would be a second pending (or paid) order of the dossier;
/// returns its id, or `None` when the unique indexes refused it.
pub async fn insert(
    conn: &mut AnyConnection,
    p: &NewPayment<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<Option<String>> {
    let id = new_id();
    let settled = (p.status == PAID).then(|| to_db(now));
    let done = sqlx::query(
        "INSERT INTO payments (id, dossier_id, amount, txn_ref, status, method, receipt_no, gateway_date, \
         created_by, created_at, updated_at, settled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) \
         ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(p.dossier_id)
    .bind(p.amount)
    .bind(p.txn_ref)
    .bind(p.status)
    .bind(p.method)
    .bind(p.receipt_no)
    .bind(p.gateway_date)
    .bind(p.created_by)
    .bind(to_db(now))
    .bind(settled)
    .execute(conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(id))
}

/// The dossier's order in `status` (there is at most one pending and one paid).
pub async fn of_dossier_in(
    conn: &mut AnyConnection,
    dossier_id: &str,
    status: &str,
) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM payments WHERE dossier_id = $1 AND status = $2 ORDER BY created_at DESC LIMIT 1"
    ))
    .bind(dossier_id)
    .bind(status)
    .fetch_optional(conn)
    .await
}

/// All orders of a dossier, newest first.
pub async fn of_dossier(conn: &mut AnyConnection, dossier_id: &str) -> sqlx::Result<Vec<PaymentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM payments WHERE dossier_id = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(dossier_id)
    .fetch_all(conn)
    .await
}

/// The order with this gateway reference.
pub async fn by_txn_ref(conn: &mut AnyConnection, txn_ref: &str) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM payments WHERE txn_ref = $1"))
        .bind(txn_ref)
        .fetch_optional(conn)
        .await
}

/// One order by id.
pub async fn by_id(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM payments WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// What the gateway said about an order.
#[derive(Debug, Clone, Default)]
pub struct GatewayFacts<'a> {
    /// Transaction number.
    pub txn_no: Option<&'a str>,
    /// Bank.
    pub bank_code: Option<&'a str>,
    /// Response code.
    pub response_code: Option<&'a str>,
    /// Receipt number to give.
    pub receipt_no: Option<&'a str>,
}

/// Moves an order from `from` to `to` (with the gateway's facts); `false` if it was no
/// longer in `from` (another callback won).
pub async fn transition(
    conn: &mut AnyConnection,
    id: &str,
    from: &str,
    to: &str,
    facts: &GatewayFacts<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let settled = matches!(to, PAID | LATE_PAID).then(|| to_db(now));
    let done = sqlx::query(
        "UPDATE payments SET status = $3, gateway_txn_no = COALESCE($4, gateway_txn_no), \
         bank_code = COALESCE($5, bank_code), response_code = COALESCE($6, response_code), \
         receipt_no = COALESCE($7, receipt_no), settled_at = COALESCE($8, settled_at), updated_at = $9 \
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(facts.txn_no)
    .bind(facts.bank_code)
    .bind(facts.response_code)
    .bind(facts.receipt_no)
    .bind(settled)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Online orders still pending that were made before `before`, oldest first.
pub async fn pending_before(db: &Db, before: OffsetDateTime, limit: i64) -> sqlx::Result<Vec<PaymentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM payments WHERE status = $1 AND method = 'online' AND created_at < $2 \
         ORDER BY created_at LIMIT $3"
    ))
    .bind(PENDING)
    .bind(to_db(before))
    .bind(limit)
    .fetch_all(db.reader())
    .await
}

/// One line of the reconciliation report.
#[derive(Debug, Clone, FromRow)]
pub struct ReportRow {
    /// The order.
    pub id: String,
    /// Dossier id.
    pub dossier_id: String,
    /// Dossier code.
    pub code: Option<String>,
    /// Receiving unit.
    pub receiving_agency: String,
    /// Whole đồng.
    pub amount: i64,
    /// Reference.
    pub txn_ref: String,
    /// Status.
    pub status: String,
    /// Method.
    pub method: String,
    /// Receipt number.
    pub receipt_no: Option<String>,
    /// Gateway transaction.
    pub gateway_txn_no: Option<String>,
    /// Created.
    pub created_at: i64,
    /// Settled.
    pub settled_at: Option<i64>,
}

/// Orders of the given receiving units (all for `None`), optionally of one status, newest
/// first.
pub async fn report(
    db: &Db,
    units: Option<&[String]>,
    status: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<ReportRow>> {
    let mut sql = String::from(
        "SELECT p.id, p.dossier_id, d.code, d.receiving_agency, p.amount, p.txn_ref, p.status, p.method, \
         p.receipt_no, p.gateway_txn_no, p.created_at, p.settled_at \
         FROM payments p JOIN dossiers d ON d.id = p.dossier_id WHERE ($1 = '' OR p.status = $1)",
    );
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let list = (0..units.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ");
        sql.push_str(&format!(" AND d.receiving_agency IN ({list})"));
    }
    sql.push_str(" ORDER BY p.created_at DESC, p.id DESC LIMIT $2");
    let mut q = sqlx::query_as(&sql).bind(status.unwrap_or("")).bind(limit);
    for u in units.unwrap_or(&[]) {
        q = q.bind(u);
    }
    q.fetch_all(db.reader()).await
}

/// Count and sum of orders by status (for the given units; all for `None`).
pub async fn totals(db: &Db, units: Option<&[String]>) -> sqlx::Result<Vec<(String, i64, i64)>> {
    let mut sql = String::from(
        "SELECT p.status, COUNT(*), CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) FROM payments p JOIN dossiers d ON d.id = p.dossier_id",
    );
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let list = (0..units.len()).map(|i| format!("${}", i + 1)).collect::<Vec<_>>().join(", ");
        sql.push_str(&format!(" WHERE d.receiving_agency IN ({list})"));
    }
    sql.push_str(" GROUP BY p.status ORDER BY p.status");
    let mut q = sqlx::query_as::<_, (String, i64, i64)>(&sql);
    for u in units.unwrap_or(&[]) {
        q = q.bind(u);
    }
    q.fetch_all(db.reader()).await
}
