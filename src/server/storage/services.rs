//! What each resource offers and at what price.

use super::{Db, StorageError};
use crate::domain::resource::Service;
use sqlx::Row;

/// Stores a service that passed `validate_service`; returns its id.
pub async fn create(db: &Db, service: &Service) -> Result<i64, StorageError> {
    let row = sqlx::query(
        "INSERT INTO services (resource_id, name, duration_minutes, price_minor, deposit_minor, currency) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(service.resource_id)
    .bind(&service.name)
    .bind(service.duration_minutes)
    .bind(service.price_minor)
    .bind(service.deposit_minor)
    .bind(&service.currency)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("id")?)
}

pub async fn list_for_resource(db: &Db, resource_id: i64) -> Result<Vec<Service>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, resource_id, name, duration_minutes, price_minor, deposit_minor, currency \
         FROM services WHERE resource_id = $1 ORDER BY name",
    )
    .bind(resource_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Service {
                id: row.try_get("id")?,
                resource_id: row.try_get("resource_id")?,
                name: row.try_get("name")?,
                duration_minutes: row.try_get("duration_minutes")?,
                price_minor: row.try_get("price_minor")?,
                deposit_minor: row.try_get("deposit_minor")?,
                currency: row.try_get("currency")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}
