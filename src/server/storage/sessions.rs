//! Server-side login sessions. Only a hash of each token is stored, so a
//! copy of the database does not let anyone in.

use super::users::{self, User};
use super::{unix_now, Db, StorageError};
use sqlx::Row;

pub async fn create(db: &Db, token_hash: &str, user_id: i64, ttl_secs: i64) -> Result<(), StorageError> {
    let now = unix_now();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(now + ttl_secs)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// The user of a live session; expired sessions count as absent.
pub async fn user_of(db: &Db, token_hash: &str) -> Result<Option<User>, StorageError> {
    let row = sqlx::query("SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(unix_now())
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(row) => users::find(db, row.try_get("user_id")?).await,
        None => Ok(None),
    }
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *db.write().await?).await?;
    Ok(())
}

pub async fn delete_expired(db: &Db) -> Result<u64, StorageError> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(unix_now()).execute(&mut *db.write().await?).await?;
    Ok(done.rows_affected())
}

/// When each of a person's live sessions began and ends (never the token).
pub async fn list_for_user(db: &Db, user_id: i64) -> Result<Vec<(i64, i64)>, StorageError> {
    let rows = sqlx::query("SELECT created_at, expires_at FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at")
        .bind(user_id)
        .bind(unix_now())
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(|r| Ok((r.try_get("created_at")?, r.try_get("expires_at")?))).collect::<Result<_, sqlx::Error>>()?)
}
