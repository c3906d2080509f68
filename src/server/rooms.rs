//! Adding, changing and retiring rooms (retiring: any resource), shared by
//! the REST API and the administrators' board. Every change is audited.

use crate::domain::audit::{target, AuditAction};
use crate::domain::availability::DayHours;
use crate::domain::resource::{default_room_name, room_resource, RoomInput};
use crate::error::AppError;
use crate::server::state::AppState;
use crate::server::storage::audit::{self, Act};
use crate::server::storage::resources::ResourceDetail;
use crate::server::storage::users::User;
use crate::server::storage::{resources, Db, StorageError};
use chrono::{DateTime, Utc};

/// Validates and stores a room managed by `admin_id`, open all day, with the
/// booking rules of the "room" kind; returns its id.
pub async fn create_room(state: &AppState, admin_id: i64, input: &RoomInput) -> Result<i64, AppError> {
    let mut resource = room_resource(input, &state.config.server.default_timezone)?;
    resource.slug = free_slug(state, &resource.slug).await?;
    let mut settings = state.config.kinds.get("room").map(|k| k.settings());
    if let Some(settings) = settings.as_mut() {
        settings.max_party = input.guests;
    }
    let all_day: Vec<(u8, DayHours)> = (0..7).map(|d| (d, DayHours::ALL_DAY)).collect();
    let id = resources::create_with_rules(&state.db, &resource, &[admin_id], settings.as_ref(), &all_day).await?;
    let detail = serde_json::json!({"name": resource.name, "slug": resource.slug});
    audit_after(&state.db, admin_id, AuditAction::RoomCreate, id, detail).await?;
    Ok(id)
}

/// Changes a room's description and attributes (its slug stays).
pub async fn update_room(state: &AppState, admin_id: i64, id: i64, input: &RoomInput) -> Result<(), AppError> {
    let existing = resources::find(&state.db, id).await?.filter(|r| r.summary.kind == "room").ok_or(AppError::NotFound)?;
    let mut resource = room_resource(input, &existing.summary.timezone)?;
    resource.photos = existing.photos;
    resources::update_details(&state.db, id, &resource).await?;
    crate::server::storage::calendar::set_max_party(&state.db, id, input.guests).await?;
    let detail = serde_json::json!({"name": resource.name, "attributes": resource.attributes});
    audit_after(&state.db, admin_id, AuditAction::RoomUpdate, id, detail).await?;
    Ok(())
}

/// Audits a room change that took several steps (and so no one transaction):
/// recorded right after it.
async fn audit_after(db: &Db, admin_id: i64, action: AuditAction, id: i64, detail: serde_json::Value) -> Result<(), StorageError> {
    let act = Act { actor_id: admin_id, action, target: target("resource", id), detail };
    audit::record(&mut *db.write().await?, &act, crate::server::clock::now()).await
}

/// Retires a resource (refused while it has bookings ahead) or offers it
/// again, audited in the same transaction when `by` is an administrator.
pub async fn set_offered(db: &Db, by: &User, id: i64, offered: bool, now: DateTime<Utc>) -> Result<(), AppError> {
    let action = if offered { AuditAction::ResourceRestore } else { AuditAction::ResourceRetire };
    let act = Act::by_admin(by, action, target("resource", id), serde_json::json!({}));
    if offered {
        resources::restore(db, id, act.as_ref(), now).await?;
    } else {
        resources::retire(db, id, act.as_ref(), now).await?;
    }
    Ok(())
}

/// A stored room as the input that would store it again.
pub fn input_of(room: &ResourceDetail) -> RoomInput {
    let attribute = |name: &str| room.attributes.get(name).filter(|v| !v.is_null());
    let text = |name: &str| attribute(name).map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
    let number = |name: &str| attribute(name).and_then(|v| v.as_i64());
    let number_text = text("number");
    // A name that was only derived from the number follows a new number.
    let named = Some(room.summary.name.clone()).filter(|name| *name != default_room_name(number_text.as_deref()));
    RoomInput {
        name: named,
        number: number_text,
        description: Some(room.summary.description.clone()),
        room_type: text("type"),
        beds: number("beds"),
        guests: number("guests"),
        nightly_price_minor: number("nightly_price_minor"),
        currency: text("currency"),
        photos: room.photos.clone(),
        timezone: Some(room.summary.timezone.clone()),
        status: None,
    }
}

/// The slug, or the slug with the first free numeric suffix.
async fn free_slug(state: &AppState, base: &str) -> Result<String, StorageError> {
    let base = if base.is_empty() { "recurso" } else { base };
    let mut candidate = base.to_string();
    let mut n = 1;
    while resources::slug_taken(&state.db, &candidate).await? {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    Ok(candidate)
}
