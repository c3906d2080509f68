//! What each resource offers and at what price. A removed service is only
//! marked inactive: the bookings that name it keep it.

use super::{Db, StorageError};
use crate::domain::resource::Service;
use sqlx::Row;

pub(super) const COLUMNS: &str = "id, resource_id, name, duration_minutes, price_minor, deposit_minor, deposit_percent, currency";

/// Stores a service that passed `validate_service`; returns its id.
pub async fn create(db: &Db, service: &Service) -> Result<i64, StorageError> {
    let row = sqlx::query(
        "INSERT INTO services (resource_id, name, duration_minutes, price_minor, deposit_minor, deposit_percent, currency) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(service.resource_id)
    .bind(&service.name)
    .bind(service.duration_minutes)
    .bind(service.price_minor)
    .bind(service.deposit_minor)
    .bind(service.deposit_percent)
    .bind(&service.currency)
    .fetch_one(&mut *db.write().await?)
    .await?;
    Ok(row.try_get("id")?)
}

/// Changes a service that passed `validate_service`; false when `service.id`
/// is not an offered service of `service.resource_id`.
pub async fn update(db: &Db, service: &Service) -> Result<bool, StorageError> {
    let done = sqlx::query(
        "UPDATE services SET name = $1, duration_minutes = $2, price_minor = $3, deposit_minor = $4, deposit_percent = $5, currency = $6 \
         WHERE id = $7 AND resource_id = $8 AND active = 1",
    )
    .bind(&service.name)
    .bind(service.duration_minutes)
    .bind(service.price_minor)
    .bind(service.deposit_minor)
    .bind(service.deposit_percent)
    .bind(&service.currency)
    .bind(service.id)
    .bind(service.resource_id)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stops offering a service; false when it was not offered by `resource_id`.
pub async fn remove(db: &Db, resource_id: i64, service_id: i64) -> Result<bool, StorageError> {
    let done = sqlx::query("UPDATE services SET active = 0 WHERE id = $1 AND resource_id = $2 AND active = 1")
        .bind(service_id)
        .bind(resource_id)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The services a resource offers now, by name.
pub async fn list_for_resource(db: &Db, resource_id: i64) -> Result<Vec<Service>, StorageError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM services WHERE resource_id = $1 AND active = 1 ORDER BY name"))
        .bind(resource_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect::<Result<_, sqlx::Error>>().map_err(Into::into)
}

/// Any service by id, offered or removed (a booking's service).
pub async fn get(db: &Db, service_id: i64) -> Result<Option<Service>, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM services WHERE id = $1"))
        .bind(service_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

pub(super) fn from_row(row: &sqlx::any::AnyRow) -> Result<Service, sqlx::Error> {
    Ok(Service {
        id: row.try_get("id")?,
        resource_id: row.try_get("resource_id")?,
        name: row.try_get("name")?,
        duration_minutes: row.try_get("duration_minutes")?,
        price_minor: row.try_get("price_minor")?,
        deposit_minor: row.try_get("deposit_minor")?,
        deposit_percent: row.try_get("deposit_percent")?,
        currency: row.try_get("currency")?,
    })
}
