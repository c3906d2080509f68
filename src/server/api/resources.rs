use super::{ApiError, Caller};
use crate::domain::resource::{ResourceSummary, RoomInput};
use crate::domain::account::Role;
use crate::server::{availability, photos, rooms};
use crate::server::state::AppState;
use crate::domain::audit::{target, AuditAction};
use crate::server::storage::audit::{self, Act};
use crate::server::storage::outbox;
use crate::server::storage::resources::{self, ResourceDetail};
use crate::server::storage::bookings;
use crate::server::storage::directory::{self, Filter, FreeAt};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Duration, NaiveDate, NaiveTime};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

pub const ROOM: &str = "room";

/// A resource as everyone sees it; who manages it only for administrators
/// and those managers.
fn resource_json(detail: &ResourceDetail, caller: Option<&Caller>) -> Value {
    let r = &detail.summary;
    let mut body = json!({
        "id": r.id, "kind": r.kind, "slug": r.slug, "name": r.name, "description": r.description,
        "timezone": r.timezone, "capacity": r.capacity, "attributes": detail.attributes,
        "photos": detail.photos, "retired": detail.retired,
    });
    if caller.is_some_and(|c| c.0.role == Role::Admin || detail.managers.contains(&c.0.id)) {
        body["managers"] = json!(detail.managers);
    }
    body
}

async fn room_json(state: &AppState, detail: &ResourceDetail) -> Result<Value, ApiError> {
    let status = bookings::room_status_at(&state.db, detail.summary.id, crate::server::clock::now()).await?;
    let attribute = |name: &str| detail.attributes.get(name).cloned().unwrap_or(Value::Null);
    Ok(json!({
        "id": detail.summary.id, "name": detail.summary.name, "description": detail.summary.description,
        "number": attribute("number"), "type": attribute("type"), "beds": attribute("beds"), "guests": attribute("guests"),
        "nightly_price_minor": attribute("nightly_price_minor"), "currency": attribute("currency"),
        "photos": detail.photos, "timezone": detail.summary.timezone, "status": status.as_str(),
        "retired": detail.retired,
    }))
}

pub(super) fn parse_id(raw: &str, field: &str) -> Result<i64, ApiError> {
    raw.trim().parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| ApiError::invalid(field, format!("{field} must be a positive whole number, e.g. 3")))
}

async fn detail_of_kind(state: &AppState, id: &str, kind: Option<&str>) -> Result<ResourceDetail, ApiError> {
    let detail = resources::find(&state.db, parse_id(id, "id")?).await?.ok_or_else(ApiError::not_found)?;
    match kind {
        Some(kind) if detail.summary.kind != kind => Err(ApiError::not_found()),
        _ => Ok(detail),
    }
}

pub async fn list_rooms(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let mut rooms = Vec::new();
    for room in resources::list_of_kind(&state.db, ROOM).await? {
        if let Some(detail) = resources::find(&state.db, room.id).await? {
            rooms.push(room_json(&state, &detail).await?);
        }
    }
    Ok(Json(Value::Array(rooms)))
}

pub async fn get_room(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let detail = detail_of_kind(&state, &id, Some(ROOM)).await?;
    Ok(Json(room_json(&state, &detail).await?))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NewRoom {
    status: Option<String>,
    descripcion: Option<String>,
    description: Option<String>,
    name: Option<String>,
    number: Option<Value>,
    #[serde(rename = "type")]
    room_type: Option<String>,
    beds: Option<i64>,
    guests: Option<i64>,
    nightly_price_minor: Option<i64>,
    currency: Option<String>,
    photos: Option<Vec<String>>,
    timezone: Option<String>,
}

impl NewRoom {
    /// Errors name the description the way the caller spelled it.
    fn description_field(&self) -> &'static str {
        if self.description.is_none() && self.descripcion.is_some() { "descripcion" } else { "description" }
    }

    /// `base` with the fields this body gives.
    fn over(self, base: RoomInput) -> RoomInput {
        RoomInput {
            name: self.name.or(base.name),
            number: self.number.map(|n| n.as_str().map(str::to_string).unwrap_or_else(|| n.to_string())).or(base.number),
            description: self.description.or(self.descripcion).or(base.description),
            room_type: self.room_type.or(base.room_type),
            beds: self.beds.or(base.beds),
            guests: self.guests.or(base.guests),
            nightly_price_minor: self.nightly_price_minor.or(base.nightly_price_minor),
            currency: self.currency.or(base.currency),
            photos: self.photos.unwrap_or(base.photos),
            timezone: self.timezone.or(base.timezone),
            status: self.status.or(base.status),
        }
    }
}

/// POST /api/rooms/: an administrator adds a room (the seed's `descripcion` or `description`).
pub async fn create_room(State(state): State<AppState>, caller: Caller, body: Option<Json<NewRoom>>) -> Result<Response, ApiError> {
    caller.require_admin()?;
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let description_field = body.description_field();
    let id = rooms::create_room(&state, caller.0.id, &body.over(RoomInput::default()))
        .await
        .map_err(|e| ApiError::from(e).renamed(|f| if f == "description" { description_field } else { f }))?;
    let detail = resources::find(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    Ok((StatusCode::CREATED, Json(room_json(&state, &detail).await?)).into_response())
}

/// PUT /api/rooms/{id}: an administrator changes a room; fields left out stay
/// as they are. Photos change through /api/resources/{id}/photos.
pub async fn update_room(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Option<Json<NewRoom>>) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    let detail = detail_of_kind(&state, &id, Some(ROOM)).await?;
    let body = body.map(|Json(b)| b).unwrap_or_default();
    if body.photos.is_some() {
        return Err(ApiError::invalid("photos", "photos change through POST and DELETE /api/resources/{id}/photos"));
    }
    let description_field = body.description_field();
    let input = body.over(rooms::input_of(&detail));
    rooms::update_room(&state, caller.0.id, detail.summary.id, &input)
        .await
        .map_err(|e| ApiError::from(e).renamed(|f| if f == "description" { description_field } else { f }))?;
    let detail = resources::find(&state.db, detail.summary.id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(room_json(&state, &detail).await?))
}

#[derive(Deserialize)]
pub struct ListQuery {
    kind: Option<String>,
    /// A local date, YYYY-MM-DD.
    free_on: Option<String>,
    /// A local time on `free_on`, HH:MM, read in each resource's zone.
    free_at: Option<String>,
    /// Minutes from `free_at`; each resource's shortest service when left out.
    duration: Option<String>,
}

/// GET /api/resources[?kind=K][&free_on=DATE[&free_at=HH:MM[&duration=MIN]]]:
/// by kind and name; with free times, those the directory finds free (by name).
pub async fn list_resources(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Result<Json<Vec<ResourceSummary>>, ApiError> {
    if let Some(filter) = free_filter(&q)? {
        let found = directory::search(&state.db, &filter, 1, i64::MAX, crate::server::clock::now()).await?;
        return Ok(Json(found.entries.into_iter().map(|e| e.detail.summary).collect()));
    }
    let all = match q.kind {
        Some(kind) => resources::list_of_kind(&state.db, &kind).await?,
        None => resources::list_all(&state.db).await?,
    };
    Ok(Json(all))
}

/// The directory filter of the free-time parameters, `None` without them.
fn free_filter(q: &ListQuery) -> Result<Option<Filter>, ApiError> {
    let date = q.free_on.as_deref().map(|raw| parse_date("free_on", Some(raw))).transpose()?;
    let time = q.free_at.as_deref().map(parse_time).transpose()?;
    let minutes = q.duration.as_deref().map(|raw| parse_minutes(raw).map(|d| d.num_minutes())).transpose()?;
    let filter = |free_on, free_at| Filter { kind: q.kind.clone().unwrap_or_default(), free_on, free_at, ..Filter::default() };
    match (date, time, minutes) {
        (None, None, None) => Ok(None),
        (None, _, _) => Err(ApiError::invalid("free_on", "free_on, the date (e.g. 2026-12-05), is needed with free_at and duration")),
        (Some(_), None, Some(_)) => Err(ApiError::invalid("free_at", "duration needs free_at, the start time (e.g. 14:30)")),
        (Some(date), None, None) => Ok(Some(filter(Some(date), None))),
        (Some(date), Some(time), minutes) => Ok(Some(filter(None, Some(FreeAt { date, time, minutes })))),
    }
}

fn parse_time(raw: &str) -> Result<NaiveTime, ApiError> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| ApiError::invalid("free_at", "free_at must be a local time like 14:30"))
}

pub async fn get_resource(State(state): State<AppState>, caller: Option<Caller>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    Ok(Json(resource_json(&detail_of_kind(&state, &id, None).await?, caller.as_ref())))
}

/// DELETE /api/resources/{id} (and /api/rooms/{id}): an administrator retires
/// a resource with nothing ahead on it; its past bookings stay.
pub async fn retire(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    caller.require_admin()?;
    let id = detail_of_kind(&state, &id, None).await?.summary.id;
    rooms::set_offered(&state.db, &caller.0, id, false, crate::server::clock::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /api/resources/{id}/restore: offers a retired resource again.
pub async fn restore(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    let id = detail_of_kind(&state, &id, None).await?.summary.id;
    rooms::set_offered(&state.db, &caller.0, id, true, crate::server::clock::now()).await?;
    let detail = resources::find(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(resource_json(&detail, Some(&caller))))
}

/// The resource's id once the caller may change its photos.
async fn photo_editable(state: &AppState, caller: &Caller, id: &str) -> Result<i64, ApiError> {
    let id = parse_id(id, "id")?;
    photos::may_change(&state.db, &caller.0, id).await?;
    Ok(id)
}

fn photo_index(raw: &str) -> Result<usize, ApiError> {
    raw.trim().parse().map_err(|_| ApiError::invalid("index", "index is the photo's position in the list, from 0"))
}

/// POST /api/resources/{id}/photos with the image as the body (JPEG, PNG,
/// WebP or GIF, at most 5 MB): 201 with its URL and the new photo list.
pub async fn upload_photo(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let id = photo_editable(&state, &caller, &id).await?;
    let list = photos::add(&state.db, &caller.0, id, &body).await?;
    let url = list.last().cloned().unwrap_or_default();
    Ok((StatusCode::CREATED, Json(json!({"url": url, "photos": list}))).into_response())
}

/// DELETE /api/resources/{id}/photos/{index}
pub async fn remove_photo(State(state): State<AppState>, caller: Caller, Path((id, index)): Path<(String, String)>) -> Result<Json<Value>, ApiError> {
    let id = photo_editable(&state, &caller, &id).await?;
    Ok(Json(json!({"photos": photos::remove(&state.db, &caller.0, id, photo_index(&index)?).await?})))
}

/// POST /api/resources/{id}/photos/{index}/cover: that photo first.
pub async fn make_cover(State(state): State<AppState>, caller: Caller, Path((id, index)): Path<(String, String)>) -> Result<Json<Value>, ApiError> {
    let id = photo_editable(&state, &caller, &id).await?;
    Ok(Json(json!({"photos": photos::make_cover(&state.db, &caller.0, id, photo_index(&index)?).await?})))
}

#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    sms_reminders: bool,
}

/// The resource, if the caller manages it or is an administrator.
async fn managed_resource(state: &AppState, caller: &Caller, id: &str) -> Result<i64, ApiError> {
    let id = detail_of_kind(state, id, None).await?.summary.id;
    if caller.0.role == crate::domain::account::Role::Admin || super::bookings::manages(state, caller, id).await? {
        Ok(id)
    } else {
        Err(ApiError::forbidden("only the resource's managers and administrators may see or change this"))
    }
}

/// GET /api/resources/{id}/notifications
pub async fn notification_settings(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<NotificationSettings>, ApiError> {
    let id = managed_resource(&state, &caller, &id).await?;
    Ok(Json(NotificationSettings { sms_reminders: outbox::sms_reminders(&state.db, id).await? }))
}

/// PUT /api/resources/{id}/notifications: SMS reminders to clients who gave a phone number.
pub async fn set_notification_settings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Option<Json<NotificationSettings>>,
) -> Result<Json<NotificationSettings>, ApiError> {
    let id = managed_resource(&state, &caller, &id).await?;
    let Some(Json(settings)) = body else {
        return Err(ApiError::invalid("sms_reminders", "send {\"sms_reminders\": true} or false"));
    };
    outbox::set_sms_reminders(&state.db, id, settings.sms_reminders).await?;
    // One statement of its own: an administrator's change is recorded right after it.
    let detail = json!({"sms_reminders": settings.sms_reminders});
    if let Some(act) = Act::by_admin(&caller.0, AuditAction::ResourceNotifications, target("resource", id), detail) {
        audit::record(&mut *state.db.write().await?, &act, crate::server::clock::now()).await?;
    }
    Ok(Json(settings))
}

#[derive(Deserialize)]
pub struct AvailabilityQuery {
    from: Option<String>,
    to: Option<String>,
    duration: Option<String>,
}

pub const MAX_AVAILABILITY_DAYS: i64 = 62;

fn parse_date(field: &str, raw: Option<&str>) -> Result<NaiveDate, ApiError> {
    raw.and_then(|r| r.trim().parse::<NaiveDate>().ok())
        .ok_or_else(|| ApiError::invalid(field, format!("{field} must be a date like 2025-11-20")))
}

/// A length in whole minutes, up to 31 days.
fn parse_minutes(raw: &str) -> Result<Duration, ApiError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|m| (1..=60 * 24 * 31).contains(m))
        .map(Duration::minutes)
        .ok_or_else(|| ApiError::invalid("duration", "duration is in minutes, between 1 and 44640"))
}

/// GET /api/rooms/{id}/availability: the same for rooms only.
pub async fn room_availability(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Query<AvailabilityQuery>,
) -> Result<Json<Value>, ApiError> {
    detail_of_kind(&state, &id, Some(ROOM)).await?;
    availability(State(state), Path(id), query).await
}

/// GET /api/resources/{id}/availability?from=YYYY-MM-DD&to=YYYY-MM-DD[&duration=minutes]:
/// free slots (or free ranges for stays) in the resource's zone.
pub async fn availability(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AvailabilityQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "id")?;
    let (from, to) = (parse_date("from", q.from.as_deref())?, parse_date("to", q.to.as_deref())?);
    if to < from || (to - from).num_days() >= MAX_AVAILABILITY_DAYS {
        return Err(ApiError::invalid("to", format!("to must be on or after from and less than {MAX_AVAILABILITY_DAYS} days later")));
    }
    let rules = availability::rules(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    let duration = match q.duration.as_deref() {
        None => rules.default_duration,
        Some(raw) => parse_minutes(raw)?,
    };
    let spans = availability::free_spans(&state.db, &rules, from, to, duration, None, crate::server::clock::now()).await?;
    let zone = rules.zone;
    let list: Vec<Value> = spans
        .iter()
        .map(|s| json!({"start": s.start.with_timezone(&zone).to_rfc3339(), "end": s.end.with_timezone(&zone).to_rfc3339()}))
        .collect();
    let key = if rules.booking_mode == "ranges" { "ranges" } else { "slots" };
    let mut body: HashMap<&str, Value> = HashMap::from([
        ("resource_id", json!(id)),
        ("timezone", json!(zone.name())),
        ("mode", json!(rules.booking_mode)),
        ("from", json!(from)),
        ("to", json!(to)),
        ("duration_minutes", json!(duration.num_minutes())),
    ]);
    body.insert(key, Value::Array(list));
    Ok(Json(json!(body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::api::bookings::tests::any_body;
    use proptest::prelude::*;

    const NEW_ROOM: &[&str] = &["status", "descripcion", "description", "name", "number", "type", "beds", "guests",
        "nightly_price_minor", "currency", "photos", "timezone"];

    proptest! {
        #[test]
        fn room_bodies_of_any_shape_are_read_or_refused_without_panicking(body in any_body(NEW_ROOM)) {
            if let Ok(room) = serde_json::from_value::<NewRoom>(body) {
                let _ = crate::domain::resource::room_resource(&room.over(RoomInput::default()), "UTC");
            }
        }

        #[test]
        fn photo_indexes_are_whole_numbers_from_zero(n in any::<i64>(), text in "\\PC{0,8}") {
            prop_assert_eq!(photo_index(&format!(" {n} ")).ok(), usize::try_from(n).ok());
            if let Ok(index) = photo_index(&text) {
                prop_assert!(text.trim().trim_start_matches('+').bytes().all(|b| b.is_ascii_digit()), "{:?} read as {}", text, index);
            }
        }

        #[test]
        fn availability_dates_read_back(days in -700_000i64..700_000, text in "\\PC{0,12}") {
            let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(days);
            prop_assert_eq!(parse_date("from", Some(&date.to_string())).ok(), Some(date));
            if let Err(e) = parse_date("to", Some(&text)) {
                prop_assert_eq!(e.field.as_deref(), Some("to"));
            }
        }
    }
}
