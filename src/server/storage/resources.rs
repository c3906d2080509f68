//! Bookable resources and who manages them.

use super::{unique_violation, unix_now, Db, StorageError};
use crate::domain::resource::{NewResource, ResourceSummary};
use sqlx::any::AnyRow;
use sqlx::Row;

const COLUMNS: &str = "r.id, r.kind, r.slug, r.name, r.description, r.timezone, r.capacity";

pub(super) fn from_row(row: &AnyRow) -> Result<ResourceSummary, sqlx::Error> {
    Ok(ResourceSummary {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        timezone: row.try_get("timezone")?,
        capacity: row.try_get("capacity")?,
    })
}

pub async fn create(db: &Db, resource: &NewResource, managers: &[i64]) -> Result<i64, StorageError> {
    let mut tx = db.pool().begin().await?;
    let row = sqlx::query(
        "INSERT INTO resources (kind, slug, name, description, timezone, capacity, attributes, photos, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&resource.kind)
    .bind(&resource.slug)
    .bind(&resource.name)
    .bind(&resource.description)
    .bind(&resource.timezone)
    .bind(resource.capacity)
    .bind(resource.attributes.to_string())
    .bind(serde_json::to_string(&resource.photos).expect("strings serialize"))
    .bind(unix_now())
    .fetch_one(&mut *tx)
    .await
    .map_err(unique_violation("slug"))?;
    let id: i64 = row.try_get("id")?;
    for manager in managers {
        sqlx::query("INSERT INTO resource_managers (resource_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(manager)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn list_all(db: &Db) -> Result<Vec<ResourceSummary>, StorageError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM resources r ORDER BY r.kind, r.name"))
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

pub async fn list_managed_by(db: &Db, user_id: i64) -> Result<Vec<ResourceSummary>, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM resources r JOIN resource_managers m ON m.resource_id = r.id \
         WHERE m.user_id = $1 ORDER BY r.kind, r.name"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// The ids of the resources a user manages.
pub async fn managed_ids(db: &Db, user_id: i64) -> Result<Vec<i64>, StorageError> {
    let rows = sqlx::query("SELECT resource_id FROM resource_managers WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(|r| r.try_get("resource_id")).collect::<Result<_, _>>()?)
}

pub async fn count(db: &Db) -> Result<i64, StorageError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM resources").fetch_one(db.pool()).await?;
    Ok(row.try_get("n")?)
}

/// A resource with everything a profile or the API shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceDetail {
    pub summary: ResourceSummary,
    pub attributes: serde_json::Value,
    pub photos: Vec<String>,
    pub managers: Vec<i64>,
}

pub async fn find(db: &Db, id: i64) -> Result<Option<ResourceDetail>, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS}, r.attributes, r.photos FROM resources r WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let managers = sqlx::query("SELECT user_id FROM resource_managers WHERE resource_id = $1 ORDER BY user_id")
        .bind(id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| r.try_get("user_id"))
        .collect::<Result<_, _>>()?;
    let attributes: String = row.try_get("attributes")?;
    let photos: String = row.try_get("photos")?;
    Ok(Some(ResourceDetail {
        summary: from_row(&row)?,
        attributes: serde_json::from_str(&attributes).unwrap_or_default(),
        photos: serde_json::from_str(&photos).unwrap_or_default(),
        managers,
    }))
}

pub async fn list_of_kind(db: &Db, kind: &str) -> Result<Vec<ResourceSummary>, StorageError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM resources r WHERE r.kind = $1 ORDER BY r.id"))
        .bind(kind)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

pub async fn slug_taken(db: &Db, slug: &str) -> Result<bool, StorageError> {
    Ok(sqlx::query("SELECT id FROM resources WHERE slug = $1").bind(slug).fetch_optional(db.pool()).await?.is_some())
}

/// Creates a resource with the booking rules of its kind and its weekly hours.
pub async fn create_with_rules(
    db: &Db,
    resource: &NewResource,
    managers: &[i64],
    settings: Option<&super::calendar::Settings>,
    hours: &[(u8, crate::domain::availability::DayHours)],
) -> Result<i64, StorageError> {
    let id = create(db, resource, managers).await?;
    if let Some(settings) = settings {
        super::calendar::update_settings(db, id, settings).await?;
    }
    super::calendar::set_weekly_hours(db, id, hours).await?;
    Ok(id)
}

/// Replaces what people see of a resource; its kind, slug and rules stay.
pub async fn update_details(db: &Db, id: i64, resource: &NewResource) -> Result<(), StorageError> {
    sqlx::query("UPDATE resources SET name = $1, description = $2, timezone = $3, attributes = $4, photos = $5 WHERE id = $6")
        .bind(&resource.name)
        .bind(&resource.description)
        .bind(&resource.timezone)
        .bind(resource.attributes.to_string())
        .bind(serde_json::to_string(&resource.photos).expect("strings serialize"))
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}
