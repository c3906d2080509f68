//! The vehicles a client has booked a workshop for, remembered so the next
//! booking picks one from a list instead of typing it again.

use super::{Db, StorageError};
use crate::domain::vehicle::Vehicle;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedVehicle {
    pub id: i64,
    pub vehicle: Vehicle,
}

/// Remembers `vehicle` for `user_id` (or marks it used again); returns its id.
pub async fn remember(db: &Db, user_id: i64, vehicle: &Vehicle, now: DateTime<Utc>) -> Result<i64, StorageError> {
    let row = sqlx::query(
        "INSERT INTO vehicles (user_id, make, model, year, last_used_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, make, model, year) DO UPDATE SET last_used_at = excluded.last_used_at RETURNING id",
    )
    .bind(user_id)
    .bind(&vehicle.make)
    .bind(&vehicle.model)
    .bind(i64::from(vehicle.year))
    .bind(now.timestamp())
    .fetch_one(&mut *db.write().await?)
    .await?;
    Ok(row.try_get("id")?)
}

/// A person's vehicles, the one used last first.
pub async fn list_for_user(db: &Db, user_id: i64) -> Result<Vec<SavedVehicle>, StorageError> {
    let rows = sqlx::query("SELECT id, make, model, year FROM vehicles WHERE user_id = $1 ORDER BY last_used_at DESC, id DESC")
        .bind(user_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect::<Result<_, sqlx::Error>>().map_err(Into::into)
}

/// One of `user_id`'s vehicles; None for an unknown id or someone else's.
pub async fn get(db: &Db, user_id: i64, id: i64) -> Result<Option<SavedVehicle>, StorageError> {
    let row = sqlx::query("SELECT id, make, model, year FROM vehicles WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

fn from_row(row: &AnyRow) -> Result<SavedVehicle, sqlx::Error> {
    let year: i64 = row.try_get("year")?;
    Ok(SavedVehicle {
        id: row.try_get("id")?,
        vehicle: Vehicle { make: row.try_get("make")?, model: row.try_get("model")?, year: year.clamp(0, i32::MAX as i64) as i32 },
    })
}
