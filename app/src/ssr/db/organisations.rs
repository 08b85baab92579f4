//! The `organisations` and `organisation_members` tables.

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::columns::{new_id, to_db};

/// An organisation.
#[derive(Debug, Clone, FromRow, serde::Serialize, serde::Deserialize)]
pub struct OrganisationRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Tax code.
    pub tax_code: String,
    /// Address.
    pub address: String,
}

/// A member of an organisation.
#[derive(Debug, Clone, FromRow, serde::Serialize, serde::Deserialize)]
pub struct MemberRow {
    /// User id.
    pub user_id: String,
    /// Full name.
    pub full_name: String,
    /// Email.
    pub email: String,
    /// `owner` or `member`.
    pub role: String,
}

/// Creates an organisation with `owner` as its owner; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    name: &str,
    tax_code: &str,
    address: &str,
    owner: &str,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query("INSERT INTO organisations (id, name, tax_code, address, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(name)
        .bind(tax_code)
        .bind(address)
        .bind(owner)
        .bind(to_db(now))
        .execute(&mut *conn)
        .await?;
    add_member(conn, &id, owner, "owner", now).await?;
    Ok(id)
}

/// Adds a member (no-op if already one).
pub async fn add_member(
    conn: &mut AnyConnection,
    organisation_id: &str,
    user_id: &str,
    role: &str,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(organisation_id)
    .bind(user_id)
    .bind(role)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes a member (owners are not removed this way).
pub async fn remove_member(
    conn: &mut AnyConnection,
    organisation_id: &str,
    user_id: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2 AND role = 'member'",
    )
    .bind(organisation_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The role of `user_id` in the organisation, if a member.
pub async fn membership(
    conn: &mut AnyConnection,
    organisation_id: &str,
    user_id: &str,
) -> sqlx::Result<Option<String>> {
    Ok(sqlx::query_as::<_, (String,)>(
        "SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2",
    )
    .bind(organisation_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?
    .map(|(r,)| r))
}

/// The organisation with this id.
pub async fn by_id(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<OrganisationRow>> {
    sqlx::query_as("SELECT id, name, tax_code, address FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Whether a tax code is registered already.
pub async fn tax_code_taken(conn: &mut AnyConnection, tax_code: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query_as::<_, (String,)>("SELECT id FROM organisations WHERE tax_code = $1")
        .bind(tax_code)
        .fetch_optional(conn)
        .await?
        .is_some())
}

/// The organisations `user_id` belongs to, with their role.
pub async fn of_user(
    conn: &mut AnyConnection,
    user_id: &str,
) -> sqlx::Result<Vec<(OrganisationRow, String)>> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT o.id, o.name, o.tax_code, o.address, m.role FROM organisations o \
         JOIN organisation_members m ON m.organisation_id = o.id WHERE m.user_id = $1 ORDER BY o.name",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, tax_code, address, role)| (OrganisationRow { id, name, tax_code, address }, role))
        .collect())
}

/// The members of an organisation.
pub async fn members(conn: &mut AnyConnection, organisation_id: &str) -> sqlx::Result<Vec<MemberRow>> {
    sqlx::query_as(
        "SELECT u.id AS user_id, u.full_name, u.email, m.role FROM organisation_members m \
         JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1 ORDER BY m.role DESC, u.full_name",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await
}
