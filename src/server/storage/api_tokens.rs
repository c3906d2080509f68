//! Bearer tokens for the REST API, stored as SHA-256 hashes and revocable.

use super::users::{self, User};
use super::{unix_now, Db, StorageError};
use sqlx::Row;

/// `scope` is "full" or "read" (GET only).
pub async fn create(db: &Db, token_hash: &str, user_id: i64, scope: &str) -> Result<(), StorageError> {
    sqlx::query("INSERT INTO api_tokens (token_hash, user_id, created_at, scope) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(unix_now())
        .bind(scope)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// The owner of a token that has not been revoked, and the token's scope.
pub async fn holder_of(db: &Db, token_hash: &str) -> Result<Option<(User, String)>, StorageError> {
    let sql = format!(
        "SELECT {}, t.scope FROM users, (SELECT user_id, scope FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL) t \
         WHERE users.id = t.user_id AND {}",
        users::COLUMNS,
        users::ACTIVE
    );
    let Some(row) = sqlx::query(&sql).bind(token_hash).fetch_optional(db.pool()).await? else { return Ok(None) };
    Ok(Some((users::from_row(&row)?, row.try_get("scope")?)))
}

pub async fn revoke(db: &Db, token_hash: &str) -> Result<bool, StorageError> {
    let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
        .bind(unix_now())
        .bind(token_hash)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// When each of a person's API tokens was made and revoked (never the token).
pub async fn list_for_user(db: &Db, user_id: i64) -> Result<Vec<(i64, Option<i64>)>, StorageError> {
    let rows = sqlx::query("SELECT created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(|r| Ok((r.try_get("created_at")?, r.try_get("revoked_at")?))).collect::<Result<_, sqlx::Error>>()?)
}
