//! The `users` and `officer_roles` tables.

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::{new_id, to_db};
use crate::ssr::auth::policy::{Role, RoleGrant};

/// A user row. Holds the password hash and TOTP secret, so it is deliberately neither
/// `Serialize` nor sent to any page.
#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    /// Id.
    pub id: String,
    /// `citizen` or `officer`.
    pub kind: String,
    /// Lower-cased email.
    pub email: String,
    /// Full name.
    pub full_name: String,
    /// Phone (`0XXXXXXXXX`).
    pub phone: Option<String>,
    /// Citizen id (CCCD).
    pub citizen_id: Option<String>,
    /// Postal address for result delivery.
    pub postal_address: Option<String>,
    /// argon2id PHC string.
    pub password_hash: String,
    /// When the email was verified.
    pub email_verified_at: Option<i64>,
    /// TOTP secret (officers).
    pub totp_secret: Option<String>,
    /// When TOTP enrolment was confirmed.
    pub totp_enabled_at: Option<i64>,
    /// Consecutive failed logins.
    pub failed_logins: i64,
    /// Locked until this instant.
    pub locked_until: Option<i64>,
    /// Disabled by an admin.
    pub disabled_at: Option<i64>,
}

impl UserRow {
    /// Whether this is an officer account.
    pub fn is_officer(&self) -> bool {
        self.kind == "officer"
    }
}

const COLUMNS: &str = "id, kind, email, full_name, phone, citizen_id, postal_address, password_hash, \
    email_verified_at, totp_secret, totp_enabled_at, failed_logins, locked_until, disabled_at";

/// What a new account is made of.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// `citizen` or `officer`.
    pub kind: &'a str,
    /// Lower-cased email.
    pub email: &'a str,
    /// Full name.
    pub full_name: &'a str,
    /// Phone.
    pub phone: Option<&'a str>,
    /// Citizen id.
    pub citizen_id: Option<&'a str>,
    /// argon2id hash.
    pub password_hash: &'a str,
    /// Already verified (officers created by an admin)?
    pub verified: bool,
}

/// Inserts a user and returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    user: &NewUser<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    let now = to_db(now);
    sqlx::query(
        "INSERT INTO users (id, kind, email, full_name, phone, citizen_id, password_hash, email_verified_at, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(user.kind)
    .bind(user.email)
    .bind(user.full_name)
    .bind(user.phone)
    .bind(user.citizen_id)
    .bind(user.password_hash)
    .bind(user.verified.then_some(now))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

/// The user with this (lower-cased) email.
pub async fn by_email(conn: &mut AnyConnection, email: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(conn)
        .await
}

/// The user with this id.
pub async fn by_id(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1")).bind(id).fetch_optional(conn).await
}

/// The user read through the read pool.
pub async fn find(db: &Db, id: &str) -> sqlx::Result<Option<UserRow>> {
    let mut conn = db.reader().acquire().await?;
    by_id(&mut conn, id).await
}

/// Whether a citizen id is already registered.
pub async fn citizen_id_taken(conn: &mut AnyConnection, citizen_id: &str) -> sqlx::Result<bool> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE citizen_id = $1")
        .bind(citizen_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// Marks the email verified.
pub async fn set_verified(conn: &mut AnyConnection, id: &str, now: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1), updated_at = $1 WHERE id = $2",
    )
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the password hash (and clears any lockout).
pub async fn set_password(
    conn: &mut AnyConnection,
    id: &str,
    hash: &str,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $3",
    )
    .bind(hash)
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts a failed login; returns the new count.
pub async fn record_failed_login(conn: &mut AnyConnection, id: &str) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// Locks the account until `until`.
pub async fn lock_until(conn: &mut AnyConnection, id: &str, until: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET locked_until = $1, failed_logins = 0 WHERE id = $2")
        .bind(to_db(until))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Clears the failure count after a good login.
pub async fn clear_failed_logins(conn: &mut AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND failed_logins <> 0",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Updates the contact details of the profile.
pub async fn update_profile(
    conn: &mut AnyConnection,
    id: &str,
    full_name: &str,
    phone: Option<&str>,
    postal_address: Option<&str>,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET full_name = $1, phone = $2, postal_address = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(full_name)
    .bind(phone)
    .bind(postal_address)
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores a TOTP secret (not yet confirmed).
pub async fn set_totp_secret(conn: &mut AnyConnection, id: &str, secret: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled_at = NULL WHERE id = $2")
        .bind(secret)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Confirms TOTP enrolment.
pub async fn enable_totp(conn: &mut AnyConnection, id: &str, now: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET totp_enabled_at = $1 WHERE id = $2")
        .bind(to_db(now))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces the recovery codes (hashes).
pub async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    user_id: &str,
    hashes: &[String],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (id, user_id, code_hash) VALUES ($1, $2, $3)")
            .bind(new_id())
            .bind(user_id)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Uses a recovery code once; true if it was valid and unused.
/// Records `step` as the last TOTP step used; false (nothing changed) when that step or a
/// later one was already used — a replayed code.
pub async fn use_totp_step(conn: &mut AnyConnection, user_id: &str, step: u64) -> sqlx::Result<bool> {
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let done = sqlx::query(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn use_recovery_code(
    conn: &mut AnyConnection,
    user_id: &str,
    hash: &str,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(to_db(now))
    .bind(user_id)
    .bind(hash)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The role grants of an officer.
pub async fn grants(conn: &mut AnyConnection, user_id: &str) -> sqlx::Result<Vec<RoleGrant>> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT role, agency_id FROM officer_roles WHERE user_id = $1 ORDER BY role, agency_id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(role, agency_id)| Role::from_code(&role).map(|role| RoleGrant { role, agency_id }))
        .collect())
}

/// Grants a role (idempotent).
pub async fn grant(
    conn: &mut AnyConnection,
    user_id: &str,
    role: Role,
    agency_id: Option<&str>,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO officer_roles (id, user_id, role, agency_id, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT DO NOTHING",
    )
    .bind(new_id())
    .bind(user_id)
    .bind(role.code())
    .bind(agency_id)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// The account holding a citizen id (email and name, to warn its owner).
pub async fn owner_of_citizen_id(
    conn: &mut AnyConnection,
    citizen_id: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT email, full_name FROM users WHERE citizen_id = $1")
        .bind(citizen_id)
        .fetch_optional(conn)
        .await
}

/// One role of one officer, for the administrators' list.
#[derive(Debug, Clone, FromRow)]
pub struct OfficerRoleRow {
    /// User id.
    pub id: String,
    /// Full name.
    pub full_name: String,
    /// Email.
    pub email: String,
    /// When TOTP was enabled.
    pub totp_enabled_at: Option<i64>,
    /// Role code.
    pub role: String,
    /// Unit id.
    pub agency_id: Option<String>,
    /// Unit national code.
    pub agency_code: Option<String>,
}

/// Every officer role, ordered by officer.
pub async fn officer_roles(db: &Db) -> sqlx::Result<Vec<OfficerRoleRow>> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.email, u.totp_enabled_at, r.role, r.agency_id, a.code AS agency_code \
         FROM users u JOIN officer_roles r ON r.user_id = u.id LEFT JOIN agencies a ON a.id = r.agency_id \
         WHERE u.kind = 'officer' ORDER BY u.full_name, u.id, r.role",
    )
    .fetch_all(db.reader())
    .await
}

/// Officers holding `role` in the unit `agency_id` (name and email), to warn them.
pub async fn officers_with_role(
    conn: &mut AnyConnection,
    role: Role,
    agency_id: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT u.full_name, u.email FROM users u JOIN officer_roles r ON r.user_id = u.id \
         WHERE r.role = $1 AND r.agency_id = $2 AND u.disabled_at IS NULL ORDER BY u.email",
    )
    .bind(role.code())
    .bind(agency_id)
    .fetch_all(conn)
    .await
}

/// The account holding a citizen id.
pub async fn by_citizen_id(conn: &mut AnyConnection, citizen_id: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE citizen_id = $1"))
        .bind(citizen_id)
        .fetch_optional(conn)
        .await
}

/// Whether `user_id` holds any role in the unit `agency_id`.
pub async fn works_in(conn: &mut AnyConnection, user_id: &str, agency_id: &str) -> sqlx::Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM officer_roles WHERE user_id = $1 AND agency_id = $2")
            .bind(user_id)
            .bind(agency_id)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}
