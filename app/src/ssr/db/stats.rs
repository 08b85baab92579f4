//! Statistics: the facts they are computed from (events, payments), the daily aggregates
//! (`stats_daily`), and their sums.

use std::sync::LazyLock;

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::to_db;
use crate::domain::quality::{Criterion, Satisfaction};

/// One event that counts, with the dossier facts needed to count it.
#[derive(Debug, Clone, FromRow)]
pub struct EventFact {
    /// Dossier id.
    pub dossier_id: String,
    /// Dossier code.
    pub code: Option<String>,
    /// Event kind.
    pub kind: String,
    /// When.
    pub at: i64,
    /// Receiving unit.
    pub agency_code: String,
    /// Procedure code.
    pub procedure_code: String,
    /// `online` or `desk`.
    pub channel: String,
    /// Appointment now.
    pub due_at: Option<i64>,
    /// The first appointment, when it was moved.
    pub original_due_at: Option<i64>,
    /// How the result was handed over.
    pub returned_via: Option<String>,
    /// When the desk received it (a withdrawal after it closes a dossier in progress).
    pub received_at: Option<i64>,
}

/// The kinds of event statistics count.
pub const COUNTED: [&str; 7] =
    ["submitted", "received", "refused_at_reception", "withdrawn", "decided", "returned", "stopped"];

/// A narrower drill-down: one procedure, one field of procedures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narrow {
    /// Procedure code.
    pub procedure: Option<String>,
    /// Field code.
    pub field: Option<String>,
}

impl Narrow {
    /// Appends its conditions on `p` (the procedures) to `sql` and their values to `args`.
    fn apply(&self, sql: &mut String, args: &mut Vec<String>, first: usize) {
        if let Some(code) = &self.procedure {
            args.push(code.clone());
            sql.push_str(&format!(" AND p.code = ${}", first + args.len()));
        }
        if let Some(code) = &self.field {
            args.push(code.clone());
            sql.push_str(&format!(" AND p.field_code = ${}", first + args.len()));
        }
    }
}

/// Counted events in `[from, to)`, optionally only at `units`, of one procedure or field.
pub async fn events_between(
    conn: &mut AnyConnection,
    from: OffsetDateTime,
    to: OffsetDateTime,
    units: Option<&[String]>,
    kinds: &[&str],
    narrow: &Narrow,
) -> sqlx::Result<Vec<EventFact>> {
    let mut args: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
    let kind_list = (1..=args.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
    let mut sql = format!(
        "SELECT e.dossier_id, d.code, e.kind, e.at, d.receiving_agency AS agency_code, p.code AS procedure_code, \
         d.channel, d.due_at, d.original_due_at, d.returned_via, d.received_at \
         FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id JOIN procedures p ON p.id = d.procedure_id \
         WHERE e.at >= $1 AND e.at < $2 AND e.kind IN ({kind_list})"
    );
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let start = args.len() + 2;
        let list = (1..=units.len()).map(|i| format!("${}", start + i)).collect::<Vec<_>>().join(", ");
        sql.push_str(&format!(" AND d.receiving_agency IN ({list})"));
        args.extend(units.iter().cloned());
    }
    narrow.apply(&mut sql, &mut args, 2);
    sql.push_str(" ORDER BY e.at");
    let mut q = sqlx::query_as::<_, EventFact>(&sql).bind(to_db(from)).bind(to_db(to));
    for a in args {
        q = q.bind(a);
    }
    q.fetch_all(conn).await
}

/// A settled payment: unit, procedure, method, when.
pub async fn payments_between(
    conn: &mut AnyConnection,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> sqlx::Result<Vec<(String, String, String, i64)>> {
    sqlx::query_as(
        "SELECT d.receiving_agency, p.code, y.method, y.settled_at FROM payments y JOIN dossiers d ON d.id = y.dossier_id \
         JOIN procedures p ON p.id = d.procedure_id WHERE y.status = 'paid' AND y.settled_at >= $1 AND y.settled_at < $2",
    )
    .bind(to_db(from))
    .bind(to_db(to))
    .fetch_all(conn)
    .await
}

/// The counters of one day, unit and procedure (and their sums).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromRow)]
pub struct Counters {
    /// Filed online.
    pub submitted_online: i64,
    /// Filed at the counter.
    pub submitted_desk: i64,
    /// Received by the desk.
    pub accepted: i64,
    /// Refused at reception.
    pub refused_at_reception: i64,
    /// Withdrawn.
    pub withdrawn: i64,
    /// Decided before the appointment day.
    pub resolved_early: i64,
    /// Decided on the appointment day, in time.
    pub resolved_on_time: i64,
    /// Decided after the appointment.
    pub resolved_late: i64,
    /// Results handed over.
    pub returned: i64,
    /// Of which electronically.
    pub returned_electronic: i64,
    /// Fees paid online.
    pub paid_online: i64,
    /// Fees paid at the counter.
    pub paid_counter: i64,
    /// Filed with at least one paper as an electronic file.
    pub filed_digitised: i64,
    /// Papers attached at filing.
    pub papers: i64,
    /// Of which reused from the applicant's document store (the document existed before it
    /// was attached).
    pub papers_reused: i64,
    /// Dossiers that left processing: decided, stopped, or withdrawn after reception. The
    /// dossiers in progress at an instant are those received before it less those closed.
    pub closed: i64,
}

impl Counters {
    /// The counts in the order of [`COUNTER_COLUMNS`].
    fn in_column_order(&self) -> [i64; 16] {
        [
            self.submitted_online,
            self.submitted_desk,
            self.accepted,
            self.refused_at_reception,
            self.withdrawn,
            self.resolved_early,
            self.resolved_on_time,
            self.resolved_late,
            self.returned,
            self.returned_electronic,
            self.paid_online,
            self.paid_counter,
            self.filed_digitised,
            self.papers,
            self.papers_reused,
            self.closed,
        ]
    }

    /// Adds another's counts.
    pub fn add(&mut self, o: &Counters) {
        self.submitted_online += o.submitted_online;
        self.submitted_desk += o.submitted_desk;
        self.accepted += o.accepted;
        self.refused_at_reception += o.refused_at_reception;
        self.withdrawn += o.withdrawn;
        self.resolved_early += o.resolved_early;
        self.resolved_on_time += o.resolved_on_time;
        self.resolved_late += o.resolved_late;
        self.returned += o.returned;
        self.returned_electronic += o.returned_electronic;
        self.paid_online += o.paid_online;
        self.paid_counter += o.paid_counter;
        self.filed_digitised += o.filed_digitised;
        self.papers += o.papers;
        self.papers_reused += o.papers_reused;
        self.closed += o.closed;
    }
}

/// Replaces the aggregates of the days `[from_day, to_day)` (`YYYY-MM-DD`) with `rows` and
/// the rating sums with `ratings`.
pub async fn replace_days(
    conn: &mut AnyConnection,
    from_day: &str,
    to_day: &str,
    rows: &[((String, String, String), Counters)],
    ratings: &[((String, String, String), Satisfaction)],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM stats_daily WHERE day >= $1 AND day < $2")
        .bind(from_day)
        .bind(to_day)
        .execute(&mut *conn)
        .await?;
    for ((day, agency, procedure), c) in rows {
        let mut insert = sqlx::query(INSERT_DAILY.as_str()).bind(day).bind(agency).bind(procedure);
        for value in c.in_column_order() {
            insert = insert.bind(value);
        }
        insert.execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM stats_ratings_daily WHERE day >= $1 AND day < $2")
        .bind(from_day)
        .bind(to_day)
        .execute(&mut *conn)
        .await?;
    for ((day, agency, procedure), s) in ratings {
        for c in Criterion::ALL {
            let t = s.get(c);
            if t.total() == 0 {
                continue;
            }
            sqlx::query(
                "INSERT INTO stats_ratings_daily (day, agency_code, procedure_code, criterion, very_satisfied, \
                 satisfied, not_satisfied) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(day)
            .bind(agency)
            .bind(procedure)
            .bind(c.code())
            .bind(t.very_satisfied)
            .bind(t.satisfied)
            .bind(t.not_satisfied)
            .execute(&mut *conn)
            .await?;
        }
    }
    Rollup::Counts.refresh_months(conn, from_day, to_day).await?;
    Rollup::Ratings.refresh_months(conn, from_day, to_day).await
}

/// The select list that sums every counter (`CAST(COALESCE(SUM(c), 0) AS BIGINT) AS c`).
static SUMS: LazyLock<String> = LazyLock::new(|| {
    COUNTER_COLUMNS.map(|c| format!("CAST(COALESCE(SUM({c}), 0) AS BIGINT) AS {c}")).join(", ")
});

/// The insert of one daily row: day, unit, procedure, then the counters.
static INSERT_DAILY: LazyLock<String> = LazyLock::new(|| {
    let params: Vec<String> = (4..4 + COUNTER_COLUMNS.len()).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO stats_daily (day, agency_code, procedure_code, {}) VALUES ($1, $2, $3, {})",
        COUNTER_COLUMNS.join(", "),
        params.join(", ")
    )
});

/// The counters of `stats_daily` and `stats_monthly`, in their table order.
const COUNTER_COLUMNS: [&str; 16] = [
    "submitted_online",
    "submitted_desk",
    "accepted",
    "refused_at_reception",
    "withdrawn",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "returned",
    "returned_electronic",
    "paid_online",
    "paid_counter",
    "filed_digitised",
    "papers",
    "papers_reused",
    "closed",
];

/// A family of aggregates: per day, and the same rows summed per month (the `day` of a
/// monthly row is the month's first day), so that a long period reads months, not days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rollup {
    /// `stats_daily` / `stats_monthly`.
    Counts,
    /// `stats_ratings_daily` / `stats_ratings_monthly`.
    Ratings,
}

impl Rollup {
    fn daily(self) -> &'static str {
        match self {
            Rollup::Counts => "stats_daily",
            Rollup::Ratings => "stats_ratings_daily",
        }
    }

    fn monthly(self) -> &'static str {
        match self {
            Rollup::Counts => "stats_monthly",
            Rollup::Ratings => "stats_ratings_monthly",
        }
    }

    /// The key columns (after `day`) and the summed columns.
    fn columns(self) -> (&'static [&'static str], Vec<&'static str>) {
        match self {
            Rollup::Counts => (&["agency_code", "procedure_code"], COUNTER_COLUMNS.to_vec()),
            Rollup::Ratings => (
                &["agency_code", "procedure_code", "criterion"],
                vec!["very_satisfied", "satisfied", "not_satisfied"],
            ),
        }
    }

    /// Recomputes the monthly rows of the months that hold a day of `[from_day, to_day)`
    /// from the daily rows (in the transaction that changed them).
    async fn refresh_months(
        self,
        conn: &mut AnyConnection,
        from_day: &str,
        to_day: &str,
    ) -> sqlx::Result<()> {
        let (first, end) = (month_floor(from_day), month_ceil(to_day));
        let (keys, sums) = self.columns();
        let keys = keys.join(", ");
        let names = sums.join(", ");
        let totals = sums.iter().map(|c| format!("SUM({c})")).collect::<Vec<_>>().join(", ");
        sqlx::query(&format!("DELETE FROM {} WHERE day >= $1 AND day < $2", self.monthly()))
            .bind(&first)
            .bind(&end)
            .execute(&mut *conn)
            .await?;
        sqlx::query(&format!(
            "INSERT INTO {monthly} (day, {keys}, {names}) SELECT SUBSTR(day, 1, 7) || '-01', {keys}, {totals} \
             FROM {daily} WHERE day >= $1 AND day < $2 GROUP BY SUBSTR(day, 1, 7), {keys}",
            monthly = self.monthly(),
            daily = self.daily(),
        ))
        .bind(&first)
        .bind(&end)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// The rows of the days `[from_day, to_day)` as a `FROM` source named `s`: whole months
    /// from the monthly table, the days at either end from the daily one. Its bounds are
    /// pushed onto `args` (placeholders numbered after what is there).
    fn source(self, from_day: &str, to_day: &str, args: &mut Vec<String>) -> String {
        let (keys, sums) = self.columns();
        let columns = format!("day, {}, {}", keys.join(", "), sums.join(", "));
        let mut range = |table: &str, from: &str, to: &str| {
            args.push(from.to_string());
            args.push(to.to_string());
            format!(
                "SELECT {columns} FROM {table} WHERE day >= ${} AND day < ${}",
                args.len() - 1,
                args.len()
            )
        };
        let (first, last) = (month_ceil(from_day), month_floor(to_day));
        if first < last {
            let head = range(self.daily(), from_day, &first);
            let months = range(self.monthly(), &first, &last);
            let tail = range(self.daily(), &last, to_day);
            format!("({head} UNION ALL {months} UNION ALL {tail}) s")
        } else {
            format!("({}) s", range(self.daily(), from_day, to_day))
        }
    }
}

/// The year and month of a day `YYYY-MM-DD`.
fn year_month(day: &str) -> Option<(i32, u8)> {
    let b = day.as_bytes();
    if day.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Some((day[..4].parse().ok()?, day[5..7].parse().ok()?))
}

/// The first day of the month of `day`; a bound that is not a day (`""`, `"9999"`) as is.
fn month_floor(day: &str) -> String {
    match year_month(day) {
        Some((y, m)) => format!("{y:04}-{m:02}-01"),
        None => day.to_string(),
    }
}

/// `day` when it is the first of a month, else the first day of the next month; a bound
/// that is not a day as is.
fn month_ceil(day: &str) -> String {
    match year_month(day) {
        Some(_) if day.ends_with("-01") => day.to_string(),
        Some((y, 12)) => format!("{:04}-01-01", y + 1),
        Some((y, m)) => format!("{y:04}-{:02}-01", m + 1),
        None => day.to_string(),
    }
}

/// The `WHERE` condition on the aggregates' `agency_code` (one of `units`, unless `None`) and
/// `procedure_code` (when given), its values pushed onto `args`; `None` when `units` is empty
/// (nothing can match).
fn narrowed(args: &mut Vec<String>, units: Option<&[String]>, procedure: Option<&str>) -> Option<String> {
    narrowed_in("", args, units, procedure)
}

/// [`narrowed`], with the columns qualified by `table` (`"s."`) beside joined tables.
fn narrowed_in(
    table: &str,
    args: &mut Vec<String>,
    units: Option<&[String]>,
    procedure: Option<&str>,
) -> Option<String> {
    let mut cond = String::from("1 = 1");
    if let Some(units) = units {
        if units.is_empty() {
            return None;
        }
        cond.push_str(&format!(" AND {table}agency_code IN ({})", placeholders(args, units)));
    }
    if let Some(p) = procedure {
        args.push(p.to_string());
        cond.push_str(&format!(" AND {table}procedure_code = ${}", args.len()));
    }
    Some(cond)
}

/// Pushes `values` onto `args` and returns their placeholders (`$4, $5`).
fn placeholders(args: &mut Vec<String>, values: &[String]) -> String {
    let start = args.len();
    args.extend(values.iter().cloned());
    (start + 1..=args.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The sums per unit over the days `[from_day, to_day)`, optionally only `units` and one
/// procedure.
pub async fn sums_by_unit(
    db: &Db,
    from_day: &str,
    to_day: &str,
    units: Option<&[String]>,
    procedure: Option<&str>,
) -> sqlx::Result<Vec<(String, Counters)>> {
    let mut args: Vec<String> = Vec::new();
    let source = Rollup::Counts.source(from_day, to_day, &mut args);
    let Some(cond) = narrowed(&mut args, units, procedure) else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT agency_code, {sums} FROM {source} WHERE {cond} GROUP BY agency_code ORDER BY agency_code",
        sums = SUMS.as_str()
    );
    let mut q = sqlx::query(&sql);
    for a in &args {
        q = q.bind(a.clone());
    }
    let rows = q.fetch_all(db.reader()).await?;
    rows.iter()
        .map(|row| {
            use sqlx::Row as _;
            Ok((row.try_get::<String, _>("agency_code")?, Counters::from_row(row)?))
        })
        .collect()
}

/// Dossiers carried over into a period starting on `from_day` at `units` (all when `None`),
/// optionally of one procedure: received before it less closed before it, by unit (units
/// with none left out). Two sums only, as it reads every month before the period.
pub async fn carried_by_unit(
    db: &Db,
    from_day: &str,
    units: Option<&[String]>,
    procedure: Option<&str>,
) -> sqlx::Result<Vec<(String, i64)>> {
    let mut args: Vec<String> = Vec::new();
    let source = Rollup::Counts.source("", from_day, &mut args);
    let Some(cond) = narrowed(&mut args, units, procedure) else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT agency_code, CAST(COALESCE(SUM(accepted), 0) - COALESCE(SUM(closed), 0) AS BIGINT) \
         FROM {source} WHERE {cond} GROUP BY agency_code ORDER BY agency_code"
    );
    let mut q = sqlx::query_as::<_, (String, i64)>(&sql);
    for a in args {
        q = q.bind(a);
    }
    Ok(q.fetch_all(db.reader()).await?.into_iter().filter(|(_, n)| *n != 0).collect())
}

/// Dossiers whose clock runs now at `units` (all when `None`): (in time, late).
pub async fn open_counts(
    db: &Db,
    units: Option<&[String]>,
    now: OffsetDateTime,
) -> sqlx::Result<Vec<(String, i64, i64)>> {
    let mut args: Vec<String> = Vec::new();
    let mut cond = String::from("national_status IN (2, 4) AND due_at IS NOT NULL");
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=units.len()).map(|i| format!("${}", i + 1)).collect::<Vec<_>>().join(", ");
        cond.push_str(&format!(" AND receiving_agency IN ({list})"));
        args.extend(units.iter().cloned());
    }
    let sql = format!(
        "SELECT receiving_agency, CAST(COALESCE(SUM(CASE WHEN due_at >= $1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN due_at < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM dossiers WHERE {cond} GROUP BY receiving_agency"
    );
    let mut q = sqlx::query_as::<_, (String, i64, i64)>(&sql).bind(to_db(now));
    for a in args {
        q = q.bind(a);
    }
    q.fetch_all(db.reader()).await
}

/// Open dossiers (clock running) at `units`, late or in time, for the drill-down.
pub async fn open_dossiers(
    db: &Db,
    units: &[String],
    late: bool,
    now: OffsetDateTime,
) -> sqlx::Result<Vec<(String, Option<String>, String, Option<i64>)>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let list = (1..=units.len()).map(|i| format!("${}", i + 1)).collect::<Vec<_>>().join(", ");
    let op = if late { "<" } else { ">=" };
    let sql = format!(
        "SELECT d.id, d.code, p.code, d.due_at FROM dossiers d JOIN procedures p ON p.id = d.procedure_id \
         WHERE d.national_status IN (2, 4) AND d.due_at {op} $1 AND d.receiving_agency IN ({list}) ORDER BY d.due_at LIMIT 500"
    );
    let mut q = sqlx::query_as(&sql).bind(to_db(now));
    for u in units {
        q = q.bind(u.clone());
    }
    q.fetch_all(db.reader()).await
}

/// Resolved dossiers per month (`YYYY-MM`): (early or on time, late), over the days
/// `[from_day, to_day)`, optionally only `units`.
pub async fn monthly_resolution(
    db: &Db,
    from_day: &str,
    to_day: &str,
    units: Option<&[String]>,
) -> sqlx::Result<Vec<(String, i64, i64)>> {
    let mut args: Vec<String> = Vec::new();
    let source = Rollup::Counts.source(from_day, to_day, &mut args);
    let Some(cond) = narrowed(&mut args, units, None) else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT SUBSTR(day, 1, 7) AS month, CAST(COALESCE(SUM(resolved_early + resolved_on_time), 0) AS BIGINT), \
         CAST(COALESCE(SUM(resolved_late), 0) AS BIGINT) FROM {source} WHERE {cond} \
         GROUP BY SUBSTR(day, 1, 7) ORDER BY month"
    );
    let mut q = sqlx::query_as::<_, (String, i64, i64)>(&sql);
    for a in args {
        q = q.bind(a);
    }
    q.fetch_all(db.reader()).await
}

/// The papers of each dossier filed in `[from, to)`, as attached when it was filed: unit,
/// procedure, when filed, papers, of which reused from the document store (the document is
/// older than its attachment). Papers added later (a supplement) do not change the day's
/// figures, so a rebuild stays exact.
pub async fn papers_between(
    conn: &mut AnyConnection,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> sqlx::Result<Vec<(String, String, i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT d.receiving_agency, p.code, e.at, CAST(COUNT(f.id) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN doc.created_at < f.added_at THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id JOIN procedures p ON p.id = d.procedure_id \
         JOIN dossier_files f ON f.dossier_id = d.id AND f.added_at <= e.at JOIN documents doc ON doc.id = f.document_id \
         WHERE e.kind = 'submitted' AND e.at >= $1 AND e.at < $2 \
         GROUP BY e.id, d.receiving_agency, p.code, e.at",
    )
    .bind(to_db(from))
    .bind(to_db(to))
    .fetch_all(conn)
    .await
}

/// The ratings given in `[from, to)`: unit, procedure, when, the four levels.
pub async fn ratings_between(
    conn: &mut AnyConnection,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> sqlx::Result<Vec<(String, String, i64, i64, i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT r.agency_code, p.code, r.created_at, CAST(r.reception AS BIGINT), CAST(r.timing AS BIGINT), \
         CAST(r.attitude AS BIGINT), CAST(r.correctness AS BIGINT) \
         FROM ratings r JOIN procedures p ON p.id = r.procedure_id WHERE r.created_at >= $1 AND r.created_at < $2",
    )
    .bind(to_db(from))
    .bind(to_db(to))
    .fetch_all(conn)
    .await
}

/// The rating sums per unit over the days `[from_day, to_day)`, optionally only `units` and
/// one procedure.
pub async fn satisfaction_by_unit(
    db: &Db,
    from_day: &str,
    to_day: &str,
    units: Option<&[String]>,
    procedure: Option<&str>,
) -> sqlx::Result<Vec<(String, Satisfaction)>> {
    let mut args: Vec<String> = Vec::new();
    let source = Rollup::Ratings.source(from_day, to_day, &mut args);
    let Some(cond) = narrowed(&mut args, units, procedure) else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT agency_code, criterion, CAST(COALESCE(SUM(very_satisfied), 0) AS BIGINT), \
         CAST(COALESCE(SUM(satisfied), 0) AS BIGINT), CAST(COALESCE(SUM(not_satisfied), 0) AS BIGINT) \
         FROM {source} WHERE {cond} GROUP BY agency_code, criterion ORDER BY agency_code"
    );
    let mut q = sqlx::query_as::<_, (String, String, i64, i64, i64)>(&sql);
    for a in &args {
        q = q.bind(a.clone());
    }
    let mut out: Vec<(String, Satisfaction)> = Vec::new();
    for (agency, criterion, very, sat, not) in q.fetch_all(db.reader()).await? {
        let Some(c) = Criterion::from_code(&criterion) else { continue };
        if out.last().is_none_or(|(a, _)| *a != agency) {
            out.push((agency.clone(), Satisfaction::default()));
        }
        if let Some(t) = out.last_mut().and_then(|(_, s)| s.get_mut(c)) {
            t.very_satisfied += very;
            t.satisfied += sat;
            t.not_satisfied += not;
        }
    }
    Ok(out)
}

/// Feedback whose answer fell due in `[from, min(to, now))` per responsible unit (national
/// code): (due, answered in time). The feedback table is small and indexed by due time.
pub async fn feedback_due_by_unit(
    db: &Db,
    from: OffsetDateTime,
    to: OffsetDateTime,
    units: Option<&[String]>,
) -> sqlx::Result<Vec<(String, i64, i64)>> {
    let mut args: Vec<String> = Vec::new();
    let mut cond = String::from("f.due_at >= $1 AND f.due_at < $2");
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=units.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
        cond.push_str(&format!(" AND a.code IN ({list})"));
        args.extend(units.iter().cloned());
    }
    let sql = format!(
        "SELECT a.code, CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN f.answered_at IS NOT NULL AND f.answered_at <= f.due_at THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM feedback f JOIN agencies a ON a.id = f.agency_id WHERE {cond} GROUP BY a.code"
    );
    let mut q = sqlx::query_as::<_, (String, i64, i64)>(&sql).bind(to_db(from)).bind(to_db(to));
    for a in args {
        q = q.bind(a);
    }
    q.fetch_all(db.reader()).await
}

/// The open dossiers at `units` (all when `None`) by where they wait: national status, the
/// current step's role (empty outside the workflow); (in time, late) against their
/// appointment at `now` (no appointment yet counts as in time).
pub async fn backlog_by_step(
    db: &Db,
    units: Option<&[String]>,
    now: OffsetDateTime,
) -> sqlx::Result<Vec<(i64, String, i64, i64)>> {
    let mut args: Vec<String> = Vec::new();
    let mut cond = String::from("national_status IN (1, 2, 4, 5, 6)");
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=units.len()).map(|i| format!("${}", i + 1)).collect::<Vec<_>>().join(", ");
        cond.push_str(&format!(" AND receiving_agency IN ({list})"));
        args.extend(units.iter().cloned());
    }
    let sql = format!(
        "SELECT CAST(national_status AS BIGINT), COALESCE(step_role, ''), \
         CAST(COALESCE(SUM(CASE WHEN due_at IS NULL OR due_at >= $1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN due_at < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM dossiers WHERE {cond} GROUP BY national_status, COALESCE(step_role, '') \
         ORDER BY national_status, COALESCE(step_role, '')"
    );
    let mut q = sqlx::query_as::<_, (i64, String, i64, i64)>(&sql).bind(to_db(now));
    for a in args {
        q = q.bind(a);
    }
    q.fetch_all(db.reader()).await
}

/// The raw facts of one dossier's handling for its evaluation on the nine criteria.
#[derive(Debug, Clone, Default)]
pub struct HandlingRows {
    /// Decided (the first `decided` event).
    pub decided_at: Option<i64>,
    /// Requests to supplement (at reception or in processing).
    pub supplements: i64,
    /// Whether the desk accepted it.
    pub received: bool,
    /// Finished workflow steps: unit, own deadline, finished.
    pub steps: Vec<(String, Option<i64>, i64)>,
    /// Whether its procedure has a published version.
    pub published: bool,
    /// Feedback about it: deadline, answered.
    pub feedback: Vec<(i64, Option<i64>)>,
}

/// Reads the facts of a dossier's handling.
pub async fn handling_rows(
    conn: &mut AnyConnection,
    dossier_id: &str,
    procedure_id: &str,
) -> sqlx::Result<HandlingRows> {
    let (decided_at, supplements, received): (Option<i64>, i64, i64) = sqlx::query_as(
        "SELECT CAST(MIN(CASE WHEN kind = 'decided' THEN at END) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN kind LIKE 'supplement_requested%' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN kind = 'received' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM dossier_events WHERE dossier_id = $1",
    )
    .bind(dossier_id)
    .fetch_one(&mut *conn)
    .await?;
    let steps = sqlx::query_as(
        "SELECT agency_code, due_at, finished_at FROM dossier_steps WHERE dossier_id = $1 AND finished_at IS NOT NULL \
         ORDER BY started_at",
    )
    .bind(dossier_id)
    .fetch_all(&mut *conn)
    .await?;
    let published: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM procedure_versions WHERE procedure_id = $1 AND status = 'published'",
    )
    .bind(procedure_id)
    .fetch_one(&mut *conn)
    .await?;
    let feedback = sqlx::query_as("SELECT due_at, answered_at FROM feedback WHERE dossier_id = $1")
        .bind(dossier_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(HandlingRows {
        decided_at,
        supplements,
        received: received > 0,
        steps,
        published: published > 0,
        feedback,
    })
}

/// The sums per field of the procedures (code, Vietnamese and English names) over the days
/// `[from_day, to_day)`, optionally only `units`.
pub async fn sums_by_field(
    db: &Db,
    from_day: &str,
    to_day: &str,
    units: Option<&[String]>,
) -> sqlx::Result<Vec<(String, String, String, Counters)>> {
    let mut args: Vec<String> = Vec::new();
    let source = Rollup::Counts.source(from_day, to_day, &mut args);
    let Some(cond) = narrowed_in("s.", &mut args, units, None) else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT f.code AS field_code, f.name_vi AS field_vi, f.name_en AS field_en, {sums} FROM {source} \
         JOIN procedures p ON p.code = s.procedure_code JOIN fields f ON f.code = p.field_code WHERE {cond} \
         GROUP BY f.code, f.name_vi, f.name_en ORDER BY f.name_vi",
        sums = SUMS.as_str()
    );
    let mut q = sqlx::query(&sql);
    for a in &args {
        q = q.bind(a.clone());
    }
    let rows = q.fetch_all(db.reader()).await?;
    rows.iter()
        .map(|row| {
            use sqlx::Row as _;
            Ok((
                row.try_get::<String, _>("field_code")?,
                row.try_get::<String, _>("field_vi")?,
                row.try_get::<String, _>("field_en")?,
                Counters::from_row(row)?,
            ))
        })
        .collect()
}

/// The dossiers at `units` in progress at `at` (received before it, not decided, stopped or
/// withdrawn before it): id, code, procedure code, when received; at most 500, oldest first.
pub async fn carried_over_dossiers(
    db: &Db,
    units: &[String],
    at: OffsetDateTime,
    narrow: &Narrow,
) -> sqlx::Result<Vec<(String, Option<String>, String, Option<i64>)>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let list = (1..=units.len()).map(|i| format!("${}", i + 1)).collect::<Vec<_>>().join(", ");
    let mut sql = format!(
        "SELECT d.id, d.code, p.code, d.received_at FROM dossiers d JOIN procedures p ON p.id = d.procedure_id \
         WHERE d.receiving_agency IN ({list}) AND d.received_at < $1 AND NOT EXISTS (SELECT 1 FROM dossier_events e \
         WHERE e.dossier_id = d.id AND e.at < $1 AND e.kind IN ('decided', 'stopped', 'withdrawn'))"
    );
    let mut args: Vec<String> = units.to_vec();
    narrow.apply(&mut sql, &mut args, 1);
    sql.push_str(" ORDER BY d.received_at, d.id LIMIT 500");
    let mut q = sqlx::query_as(&sql).bind(to_db(at));
    for a in args {
        q = q.bind(a);
    }
    q.fetch_all(db.reader()).await
}

/// The Vietnam day (UTC+7) of a stored instant, as a whole number, in SQL both engines run.
fn vn_day(column: &str) -> String {
    format!("(({column} + 25200000000) / 86400000000)")
}

/// How a finished step compares with its own deadline, in SQL: the same rule as a
/// dossier's resolution (early: a day before the deadline's day; late: after the deadline).
fn step_class(class: StepClass) -> String {
    match class {
        StepClass::Early => {
            format!("s.due_at IS NOT NULL AND {} < {}", vn_day("s.finished_at"), vn_day("s.due_at"))
        }
        StepClass::Late => "s.due_at IS NOT NULL AND s.finished_at > s.due_at".to_string(),
        StepClass::OnTime => format!(
            "NOT (s.due_at IS NOT NULL AND ({} < {} OR s.finished_at > s.due_at))",
            vn_day("s.finished_at"),
            vn_day("s.due_at")
        ),
        StepClass::OpenInTime => "(s.due_at IS NULL OR s.due_at >= $1)".to_string(),
        StepClass::OpenLate => "s.due_at < $1".to_string(),
    }
}

/// A class of workflow steps for the breakdown by officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepClass {
    /// Finished before its deadline's day.
    Early,
    /// Finished on its deadline's day, in time (or without a deadline).
    OnTime,
    /// Finished after its deadline.
    Late,
    /// Open, deadline not passed (or none).
    OpenInTime,
    /// Open, past its deadline.
    OpenLate,
}

impl StepClass {
    fn open(self) -> bool {
        matches!(self, StepClass::OpenInTime | StepClass::OpenLate)
    }
}

/// Whose steps: everyone's, one officer's, or nobody's (open steps not assigned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    /// All.
    All,
    /// One officer (user id).
    Officer(String),
    /// Open steps assigned to nobody (finished steps without an actor).
    Nobody,
}

/// The conditions shared by the counts by officer and their drill-down lists: steps of
/// `units` (all when `None`), finished in `[$1, $2)`, or open at `$1` (the dossier's clock
/// not stopped for the applicant), optionally of one procedure or field. Returns the `WHERE`
/// clause, the instants to bind first and the text arguments that follow them.
fn step_conditions(
    units: Option<&[String]>,
    open: bool,
    from: OffsetDateTime,
    to: OffsetDateTime,
    now: OffsetDateTime,
    narrow: &Narrow,
) -> (String, Vec<i64>, Vec<String>) {
    let mut args: Vec<String> = Vec::new();
    let (mut sql, times) = if open {
        (String::from("s.finished_at IS NULL AND d.national_status NOT IN (5, 6)"), vec![to_db(now)])
    } else {
        (String::from("s.finished_at >= $1 AND s.finished_at < $2"), vec![to_db(from), to_db(to)])
    };
    let first = times.len();
    if let Some(units) = units {
        let list = (1..=units.len()).map(|i| format!("${}", i + first)).collect::<Vec<_>>().join(", ");
        sql.push_str(&format!(" AND s.agency_code IN ({list})"));
        args.extend(units.iter().cloned());
    }
    narrow.apply(&mut sql, &mut args, first);
    (sql, times, args)
}

/// One officer's steps at a unit: unit, officer id, name, and the counts early, on time,
/// late, open in time, open late.
pub type OfficerSteps = (String, Option<String>, Option<String>, [i64; 5]);

/// Workflow steps per unit and officer: finished in `[from, to)` early, on time, late (by
/// who finished them), and open at `now` in time, late (by whom they are assigned to);
/// `(unit, officer id, officer name, [early, on time, late, open in time, open late])`.
pub async fn steps_by_officer(
    db: &Db,
    units: Option<&[String]>,
    from: OffsetDateTime,
    to: OffsetDateTime,
    now: OffsetDateTime,
    narrow: &Narrow,
) -> sqlx::Result<Vec<OfficerSteps>> {
    if units.is_some_and(|u| u.is_empty()) {
        return Ok(Vec::new());
    }
    let sum = |c: StepClass| {
        format!("CAST(COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0) AS BIGINT)", step_class(c))
    };
    let mut out: Vec<OfficerSteps> = Vec::new();
    for open in [false, true] {
        let (cond, times, args) = step_conditions(units, open, from, to, now, narrow);
        let (who, classes) = if open {
            ("s.assignee_id", [StepClass::OpenInTime, StepClass::OpenLate, StepClass::OpenLate])
        } else {
            ("s.actor_id", [StepClass::Early, StepClass::OnTime, StepClass::Late])
        };
        let sql = format!(
            "SELECT s.agency_code, {who}, u.full_name, {}, {}, {} FROM dossier_steps s \
             JOIN dossiers d ON d.id = s.dossier_id JOIN procedures p ON p.id = d.procedure_id \
             LEFT JOIN users u ON u.id = {who} WHERE {cond} GROUP BY s.agency_code, {who}, u.full_name",
            sum(classes[0]),
            sum(classes[1]),
            sum(classes[2]),
        );
        let mut q = sqlx::query_as::<_, (String, Option<String>, Option<String>, i64, i64, i64)>(&sql);
        for t in times {
            q = q.bind(t);
        }
        for a in args {
            q = q.bind(a);
        }
        for (unit, id, name, a, b, c) in q.fetch_all(db.reader()).await? {
            let n = if open { [0, 0, 0, a, b] } else { [a, b, c, 0, 0] };
            match out.iter_mut().find(|(u, i, _, _)| *u == unit && *i == id) {
                Some((_, _, _, v)) => {
                    for (x, y) in v.iter_mut().zip(n) {
                        *x += y;
                    }
                }
                None => out.push((unit, id, name, n)),
            }
        }
    }
    Ok(out)
}

/// The steps behind one figure by officer, at `units`: dossier id, code, procedure code,
/// when (finished, or the step's deadline when open); at most 500.
#[expect(clippy::too_many_arguments, reason = "the filters of one drill-down")]
pub async fn step_dossiers(
    db: &Db,
    units: &[String],
    whose: &Whose,
    class: StepClass,
    from: OffsetDateTime,
    to: OffsetDateTime,
    now: OffsetDateTime,
    narrow: &Narrow,
) -> sqlx::Result<Vec<(String, Option<String>, String, Option<i64>)>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let open = class.open();
    let (mut cond, times, mut args) = step_conditions(Some(units), open, from, to, now, narrow);
    let who = if open { "s.assignee_id" } else { "s.actor_id" };
    match whose {
        Whose::All => {}
        Whose::Officer(id) => {
            args.push(id.clone());
            cond.push_str(&format!(" AND {who} = ${}", args.len() + times.len()));
        }
        Whose::Nobody => cond.push_str(&format!(" AND {who} IS NULL")),
    }
    let when = if open { "s.due_at" } else { "s.finished_at" };
    let sql = format!(
        "SELECT d.id, d.code, p.code, {when} FROM dossier_steps s JOIN dossiers d ON d.id = s.dossier_id \
         JOIN procedures p ON p.id = d.procedure_id WHERE {cond} AND {} ORDER BY {when}, s.id LIMIT 500",
        step_class(class)
    );
    let mut q = sqlx::query_as(&sql);
    for t in times {
        q = q.bind(t);
    }
    for a in args {
        q = q.bind(a);
    }
    q.fetch_all(db.reader()).await
}

/// The officers holding a role in the workflow (desk, specialist, leader, clerk) at `units`
/// (all when `None`): unit, user id, name.
pub async fn officers_of(db: &Db, units: Option<&[String]>) -> sqlx::Result<Vec<(String, String, String)>> {
    let mut sql = String::from(
        "SELECT DISTINCT a.code, u.id, u.full_name FROM officer_roles r JOIN agencies a ON a.id = r.agency_id \
         JOIN users u ON u.id = r.user_id WHERE r.role IN ('desk_officer', 'specialist', 'leader', 'clerk')",
    );
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=units.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        sql.push_str(&format!(" AND a.code IN ({list})"));
    }
    let mut q = sqlx::query_as(&sql);
    for u in units.unwrap_or_default() {
        q = q.bind(u.clone());
    }
    q.fetch_all(db.reader()).await
}

/// A user's name, for a drill-down's title.
pub async fn user_name(db: &Db, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT full_name FROM users WHERE id = $1").bind(id).fetch_optional(db.reader()).await
}

/// The dossiers whose result was handed over in `[from, to)` at `units` (all when `None`),
/// the latest first, at most `limit`.
pub async fn returned_between(
    conn: &mut AnyConnection,
    units: Option<&[String]>,
    from: OffsetDateTime,
    to: OffsetDateTime,
    limit: i64,
) -> sqlx::Result<Vec<String>> {
    let mut sql = String::from(
        "SELECT e.dossier_id FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id \
         WHERE e.kind = 'returned' AND e.at >= $1 AND e.at < $2",
    );
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=units.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
        sql.push_str(&format!(" AND d.receiving_agency IN ({list})"));
    }
    sql.push_str(&format!(" ORDER BY e.at DESC, e.dossier_id LIMIT {}", limit.max(0)));
    let mut q = sqlx::query_scalar(&sql).bind(to_db(from)).bind(to_db(to));
    for u in units.unwrap_or_default() {
        q = q.bind(u.clone());
    }
    q.fetch_all(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_counter_is_written_and_summed_under_its_own_name() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let db = Db::connect(&format!("sqlite://{}", dir.path().join("t.db").display())).await?;
        db.migrate().await?;
        // sixteen different counts: a counter bound to another's column would show
        let mut day = Counters::default();
        for (i, field) in [
            &mut day.submitted_online,
            &mut day.submitted_desk,
            &mut day.accepted,
            &mut day.refused_at_reception,
            &mut day.withdrawn,
            &mut day.resolved_early,
            &mut day.resolved_on_time,
            &mut day.resolved_late,
            &mut day.returned,
            &mut day.returned_electronic,
            &mut day.paid_online,
            &mut day.paid_counter,
            &mut day.filed_digitised,
            &mut day.papers,
            &mut day.papers_reused,
            &mut day.closed,
        ]
        .into_iter()
        .enumerate()
        {
            *field = 1 << i;
        }
        let key = |d: &str| (d.to_string(), "U1".to_string(), "P1".to_string());
        let mut tx = db.begin_write().await?;
        replace_days(
            &mut tx,
            "2026-03-01",
            "2026-04-01",
            &[(key("2026-03-02"), day), (key("2026-03-31"), day)],
            &[],
        )
        .await?;
        tx.commit().await?;
        let mut twice = day;
        twice.add(&day);
        // the month read from the monthly rollup, a partial one from the daily rows
        assert_eq!(
            sums_by_unit(&db, "2026-03-01", "2026-04-01", None, None).await?,
            vec![("U1".into(), twice)]
        );
        assert_eq!(
            sums_by_unit(&db, "2026-03-02", "2026-03-03", None, None).await?,
            vec![("U1".into(), day)]
        );
        Ok(())
    }

    #[test]
    fn months_round_down_and_up() {
        assert_eq!(month_floor("2026-03-17"), "2026-03-01");
        assert_eq!(month_floor("2026-03-01"), "2026-03-01");
        assert_eq!(month_ceil("2026-03-17"), "2026-04-01");
        assert_eq!(month_ceil("2026-03-01"), "2026-03-01");
        assert_eq!(month_ceil("2026-12-31"), "2027-01-01");
        // open bounds stay as they are
        assert_eq!(month_floor(""), "");
        assert_eq!(month_ceil("9999"), "9999");
    }

    #[test]
    fn a_long_period_reads_whole_months_from_the_monthly_table() {
        let mut args = vec!["first".to_string()];
        let source = Rollup::Counts.source("2026-01-15", "2026-04-10", &mut args);
        assert_eq!(source.matches(" FROM stats_daily ").count(), 2, "{source}");
        assert_eq!(source.matches(" FROM stats_monthly ").count(), 1, "{source}");
        assert!(source.contains("day >= $2 AND day < $3") && source.contains("day >= $6 AND day < $7"));
        assert_eq!(
            args[1..],
            ["2026-01-15", "2026-02-01", "2026-02-01", "2026-04-01", "2026-04-01", "2026-04-10"]
                .map(String::from)
        );
        // everything before a day: all months before its month, then its month's first days
        let mut args = Vec::new();
        let source = Rollup::Ratings.source("", "2026-04-10", &mut args);
        assert!(source.contains("stats_ratings_monthly"));
        assert_eq!(args, ["", "", "", "2026-04-01", "2026-04-01", "2026-04-10"].map(String::from));
    }

    #[test]
    fn a_period_within_a_month_reads_days_only() {
        let mut args = Vec::new();
        let source = Rollup::Counts.source("2026-03-02", "2026-03-30", &mut args);
        assert!(!source.contains("stats_monthly"), "{source}");
        assert_eq!(args, ["2026-03-02", "2026-03-30"].map(String::from));
        // a whole month only, bounds on month starts
        let mut args = Vec::new();
        let source = Rollup::Counts.source("2026-03-01", "2026-04-01", &mut args);
        assert!(source.contains("stats_monthly"));
        assert_eq!(args[2..4], ["2026-03-01", "2026-04-01"].map(String::from));
    }

    #[test]
    fn placeholders_number_after_the_arguments_so_far() {
        let mut args = vec!["a".to_string(), "b".to_string()];
        assert_eq!(placeholders(&mut args, &["x".to_string(), "y".to_string()]), "$3, $4");
        assert_eq!(args.len(), 4);
    }
}
