//! Bookable resources and who manages them.

use super::audit::{self, Act};
use super::{unique_violation, unix_now, Db, StorageError};
use crate::domain::booking::BookingError;
use crate::domain::resource::{NewResource, ResourceSummary};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

const COLUMNS: &str = "r.id, r.kind, r.slug, r.name, r.description, r.timezone, r.capacity";
/// What `find` adds to `COLUMNS`.
const DETAIL_COLUMNS: &str = "r.attributes, r.photos, r.archived_at";
/// Resources still offered: retired ones leave every list.
const OFFERED: &str = "r.archived_at IS NULL";

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
    let mut tx = db.begin_write().await?;
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
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM resources r WHERE {OFFERED} ORDER BY r.kind, r.name"))
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

pub async fn list_managed_by(db: &Db, user_id: i64) -> Result<Vec<ResourceSummary>, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM resources r JOIN resource_managers m ON m.resource_id = r.id \
         WHERE m.user_id = $1 AND {OFFERED} ORDER BY r.kind, r.name"
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
    pub retired: bool,
}

/// What anyone may see of an offered resource: `ResourceDetail` without
/// its managers' accounts, read in one query.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicDetail {
    pub summary: ResourceSummary,
    pub attributes: serde_json::Value,
    pub photos: Vec<String>,
}

pub(super) fn public_of(row: &AnyRow) -> Result<PublicDetail, sqlx::Error> {
    let attributes: String = row.try_get("attributes")?;
    let photos: String = row.try_get("photos")?;
    Ok(PublicDetail {
        summary: from_row(row)?,
        attributes: serde_json::from_str(&attributes).unwrap_or_default(),
        photos: serde_json::from_str(&photos).unwrap_or_default(),
    })
}

pub async fn find(db: &Db, id: i64) -> Result<Option<ResourceDetail>, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS}, {DETAIL_COLUMNS} FROM resources r WHERE r.id = $1")).bind(id).fetch_optional(db.pool()).await?;
    detail_of(db, row).await
}

/// The resources of these ids that exist, retired or not, in one query.
pub async fn summaries(db: &Db, ids: &[i64]) -> Result<HashMap<i64, ResourceSummary>, StorageError> {
    let rows = super::rows_for_ids(db, &format!("SELECT {COLUMNS} FROM resources r WHERE r.id IN"), ids).await?;
    Ok(rows.iter().map(|row| from_row(row).map(|r| (r.id, r))).collect::<Result<_, _>>()?)
}

/// A resource that is not retired, by its slug.
pub async fn find_offered_by_slug(db: &Db, slug: &str) -> Result<Option<PublicDetail>, StorageError> {
    let sql = format!("SELECT {COLUMNS}, {DETAIL_COLUMNS} FROM resources r WHERE r.slug = $1 AND {OFFERED}");
    Ok(sqlx::query(&sql).bind(slug).fetch_optional(db.pool()).await?.as_ref().map(public_of).transpose()?)
}

/// The resource of a row of `COLUMNS` and `DETAIL_COLUMNS`, with its managers.
async fn detail_of(db: &Db, row: Option<AnyRow>) -> Result<Option<ResourceDetail>, StorageError> {
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    let managers = sqlx::query("SELECT user_id FROM resource_managers WHERE resource_id = $1 ORDER BY user_id")
        .bind(id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| r.try_get("user_id"))
        .collect::<Result<_, _>>()?;
    let PublicDetail { summary, attributes, photos } = public_of(&row)?;
    let retired = row.try_get::<Option<i64>, _>("archived_at")?.is_some();
    Ok(Some(ResourceDetail { summary, attributes, photos, managers, retired }))
}

/// The resource's IANA time zone, in which everything about it is shown.
pub async fn timezone(db: &Db, id: i64) -> Result<Option<String>, StorageError> {
    let row = sqlx::query("SELECT timezone FROM resources WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    Ok(row.map(|r| r.try_get("timezone")).transpose()?)
}

pub async fn list_of_kind(db: &Db, kind: &str) -> Result<Vec<ResourceSummary>, StorageError> {
    list_of_kind_where(db, kind, OFFERED).await
}

/// The retired resources of a kind, for administrators to restore.
pub async fn list_retired_of_kind(db: &Db, kind: &str) -> Result<Vec<ResourceSummary>, StorageError> {
    list_of_kind_where(db, kind, "r.archived_at IS NOT NULL").await
}

async fn list_of_kind_where(db: &Db, kind: &str, condition: &str) -> Result<Vec<ResourceSummary>, StorageError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM resources r WHERE r.kind = $1 AND {condition} ORDER BY r.id"))
        .bind(kind)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// Takes a resource out of offer. Refused while bookings are waiting, booked
/// ahead or in progress on it: they must be cancelled or finished first.
/// `audit_entry` is recorded with the change.
pub async fn retire(db: &Db, id: i64, audit_entry: Option<&Act>, now: chrono::DateTime<chrono::Utc>) -> Result<(), StorageError> {
    let mut tx = db.begin_write().await?;
    let locked = sqlx::query(&format!("SELECT id FROM resources WHERE id = $1{}", db.for_update()))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    if locked.is_none() {
        return Err(BookingError::UnknownResource.into());
    }
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM bookings WHERE resource_id = $1 \
         AND status IN ('pending', 'confirmed', 'in_progress') AND ends_at > $2",
    )
    .bind(id)
    .bind(now.timestamp())
    .fetch_one(&mut *tx)
    .await?;
    let upcoming: i64 = row.try_get("n")?;
    if upcoming > 0 {
        return Err(BookingError::ResourceHasUpcoming(upcoming.clamp(0, u32::MAX as i64) as u32).into());
    }
    sqlx::query("UPDATE resources SET archived_at = $1 WHERE id = $2 AND archived_at IS NULL")
        .bind(now.timestamp())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if let Some(act) = audit_entry {
        audit::record(&mut *tx, act, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Offers a retired resource again; `audit_entry` is recorded with the change.
pub async fn restore(db: &Db, id: i64, audit_entry: Option<&Act>, now: chrono::DateTime<chrono::Utc>) -> Result<(), StorageError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE resources SET archived_at = NULL WHERE id = $1").bind(id).execute(&mut *tx).await?;
    if let Some(act) = audit_entry {
        audit::record(&mut *tx, act, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Changes a resource's photo list (URLs, the first is the cover) under a row
/// lock, so two changes at once do not lose one another; `audit_entry` is
/// recorded with the change. `None` if there is no such resource.
pub async fn change_photos<E: From<StorageError>>(
    db: &Db,
    id: i64,
    audit_entry: Option<&Act>,
    change: impl FnOnce(Vec<String>) -> Result<Vec<String>, E>,
) -> Result<Option<Vec<String>>, E> {
    let mut tx = db.begin_write().await.map_err(E::from)?;
    let row = sqlx::query(&format!("SELECT photos FROM resources WHERE id = $1{}", db.for_update()))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| E::from(e.into()))?;
    let Some(row) = row else { return Ok(None) };
    let photos: String = row.try_get("photos").map_err(|e| E::from(e.into()))?;
    let changed = change(serde_json::from_str(&photos).unwrap_or_default())?;
    sqlx::query("UPDATE resources SET photos = $1 WHERE id = $2")
        .bind(serde_json::to_string(&changed).expect("strings serialize"))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| E::from(e.into()))?;
    if let Some(act) = audit_entry {
        audit::record(&mut *tx, act, crate::server::clock::now()).await.map_err(E::from)?;
    }
    tx.commit().await.map_err(|e| E::from(e.into()))?;
    Ok(Some(changed))
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

/// Changes a resource's name, description and attributes; its photos,
/// zone, slug and rules stay.
pub async fn update_profile(db: &Db, id: i64, name: &str, description: &str, attributes: &serde_json::Value) -> Result<(), StorageError> {
    sqlx::query("UPDATE resources SET name = $1, description = $2, attributes = $3 WHERE id = $4")
        .bind(name)
        .bind(description)
        .bind(attributes.to_string())
        .bind(id)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
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
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}
