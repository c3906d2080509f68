//! Accounts.

use super::{unique_violation, unix_now, Db, StorageError};
use crate::domain::account::{Lang, NewAccount, Role};
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub lang: Lang,
    pub role: Role,
    pub password_hash: String,
}

pub(super) const COLUMNS: &str = "id, email, name, phone, lang, role, password_hash";
/// Deleted accounts (see `privacy::delete_account`) are never found, listed or counted by role.
pub(super) const ACTIVE: &str = "deleted_at IS NULL";

pub(super) fn from_row(row: &AnyRow) -> Result<User, sqlx::Error> {
    let lang: String = row.try_get("lang")?;
    let role: String = row.try_get("role")?;
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        phone: row.try_get("phone")?,
        lang: Lang::parse(&lang).ok_or_else(|| decode_error("lang", &lang))?,
        role: role.parse().map_err(|_| decode_error("role", &role))?,
        password_hash: row.try_get("password_hash")?,
    })
}

pub(crate) fn decode_error(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected {column} {value:?}").into())
}

/// Inserts an account; `Duplicate("email")` when the email is taken.
pub async fn create(db: &Db, account: &NewAccount, password_hash: &str) -> Result<i64, StorageError> {
    let row = sqlx::query(
        "INSERT INTO users (email, name, phone, lang, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&account.email)
    .bind(&account.name)
    .bind(account.phone.as_deref())
    .bind(account.lang.code())
    .bind(account.role.as_str())
    .bind(password_hash)
    .bind(unix_now())
    .fetch_one(&mut *db.write().await?)
    .await
    .map_err(unique_violation("email"))?;
    Ok(row.try_get("id")?)
}

pub async fn find(db: &Db, id: i64) -> Result<Option<User>, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1 AND {ACTIVE}"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<User>, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE email = $1 AND {ACTIVE}"))
        .bind(email)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

pub async fn list(db: &Db, limit: i64, offset: i64) -> Result<Vec<User>, StorageError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE {ACTIVE} ORDER BY id LIMIT $1 OFFSET $2"))
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// Every account ever made, deleted ones included.
pub async fn count(db: &Db) -> Result<i64, StorageError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM users").fetch_one(db.pool()).await?;
    Ok(row.try_get("n")?)
}

pub async fn count_by_role(db: &Db) -> Result<Vec<(Role, i64)>, StorageError> {
    let rows = sqlx::query(&format!("SELECT role, COUNT(*) AS n FROM users WHERE {ACTIVE} GROUP BY role ORDER BY role"))
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            let role = role.parse().map_err(|_| decode_error("role", &role))?;
            Ok((role, row.try_get("n")?))
        })
        .collect()
}

pub async fn set_lang(db: &Db, id: i64, lang: Lang) -> Result<(), StorageError> {
    sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(lang.code())
        .bind(id)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// When the account was made.
pub async fn created_at(db: &Db, id: i64) -> Result<Option<chrono::DateTime<chrono::Utc>>, StorageError> {
    let row = sqlx::query("SELECT created_at FROM users WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    Ok(row.map(|r| r.try_get("created_at")).transpose()?.map(super::calendar::from_unix))
}
