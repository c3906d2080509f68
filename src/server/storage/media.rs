//! Uploaded images, kept in the database (so every instance serves them and
//! backups hold them) and served at /media/{id}.

use super::{unix_now, Db, StorageError};
use sqlx::Row;

pub struct Media {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub async fn insert(db: &Db, resource_id: i64, content_type: &str, bytes: &[u8]) -> Result<i64, StorageError> {
    let row = sqlx::query("INSERT INTO media (resource_id, content_type, bytes, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(resource_id)
        .bind(content_type)
        .bind(bytes.to_vec())
        .bind(unix_now())
        .fetch_one(&mut *db.write().await?)
        .await?;
    Ok(row.try_get("id")?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Media>, StorageError> {
    let row = sqlx::query("SELECT content_type, bytes FROM media WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Media { content_type: row.try_get("content_type")?, bytes: row.try_get("bytes")? }))
}

/// Deletes a resource's image (only that resource's: a photo URL copied from
/// another resource never deletes the other's image).
pub async fn delete(db: &Db, resource_id: i64, id: i64) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM media WHERE id = $1 AND resource_id = $2").bind(id).bind(resource_id).execute(&mut *db.write().await?).await?;
    Ok(())
}
