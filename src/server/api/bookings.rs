use super::resources::parse_id;
use super::{ApiError, Caller};
use crate::domain::account::{normalize_email, Role};
use crate::domain::booking::{Action, Booking, BookingChanges, BookingError, BookingRequest, BookingStatus, TimeField};
use crate::domain::time::{parse_instant, parse_zone, TypedTime};
use crate::server::state::AppState;
use crate::server::storage::bookings::{self, Actor, Filter};
use crate::server::storage::{resources, users};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{json, Value};

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

/// The engine's field names as the API spells them (the hotel seed's names).
fn api_field(field: &str) -> &str {
    match field {
        "start" => "check_in",
        "end" => "check_out",
        "party_size" => "number_of_guests",
        "resource_id" => "room_id",
        other => other,
    }
}

fn refused(error: impl Into<ApiError>) -> ApiError {
    error.into().renamed(api_field)
}

async fn zone_of(state: &AppState, resource_id: i64) -> Result<Tz, ApiError> {
    let zone = resources::timezone(&state.db, resource_id).await?.ok_or_else(|| refused(BookingError::UnknownResource))?;
    parse_zone(&zone).ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "bad time zone"))
}

pub(super) async fn booking_json(state: &AppState, b: &Booking) -> Result<Value, ApiError> {
    Ok(booking_json_in(b, zone_of(state, b.resource_id).await?))
}

/// The booking as the API shows it, its times in `zone` (its resource's).
fn booking_json_in(b: &Booking, zone: Tz) -> Value {
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).to_rfc3339();
    json!({
        "id": b.id, "room_id": b.resource_id, "resource_id": b.resource_id, "user_id": b.client_id,
        "service_id": b.service_id, "check_in": local(b.start), "check_out": local(b.end),
        "guest_name": b.guest_name, "guest_email": b.guest_email, "guest_phone": b.guest_phone,
        "number_of_guests": b.party_size, "special_requests": b.notes, "details": b.details,
        "price_minor": b.price_minor, "currency": b.currency, "status": b.status.as_str(),
        "hold_expires_at": b.hold_expires_at.map(local), "maintenance_until": b.maintenance_until.map(local),
        "attendance_confirmed_at": b.attendance_confirmed_at.map(local), "timezone": zone.name(),
        "payment_status": b.payment_status.as_str(), "deposit_due_minor": b.deposit_due_minor,
    })
}

fn actor(caller: &Caller) -> Actor {
    Actor { user_id: Some(caller.0.id), role: caller.0.role }
}

/// The caller may see a booking if it is theirs, they manage its resource, or they are an admin.
async fn may_see(state: &AppState, caller: &Caller, booking: &Booking) -> Result<bool, ApiError> {
    Ok(match caller.0.role {
        Role::Admin => true,
        _ if booking.client_id == Some(caller.0.id) => true,
        Role::Manager => manages(state, caller, booking.resource_id).await?,
        Role::Client => false,
    })
}

pub(super) async fn manages(state: &AppState, caller: &Caller, resource_id: i64) -> Result<bool, ApiError> {
    Ok(resources::find(&state.db, resource_id).await?.is_some_and(|r| r.managers.contains(&caller.0.id)))
}

pub(super) async fn visible_booking(state: &AppState, caller: &Caller, id: &str) -> Result<Booking, ApiError> {
    let booking = bookings::get(&state.db, parse_id(id, "id")?).await?.ok_or_else(ApiError::not_found)?;
    if may_see(state, caller, &booking).await? {
        Ok(booking)
    } else {
        Err(ApiError::forbidden("this booking is not yours"))
    }
}

/// A room or resource id given as a number or a numeric string.
fn id_value(field: &str, value: &Value) -> Result<i64, ApiError> {
    match value {
        Value::Number(n) => n.as_i64().filter(|v| *v > 0).ok_or_else(|| ApiError::invalid(field, format!("{field} must be a positive id"))),
        Value::String(s) => parse_id(s, field),
        _ => Err(ApiError::invalid(field, format!("{field} must be a positive whole number, e.g. 3"))),
    }
}

fn parse_time(raw: &str, zone: Tz, field: TimeField) -> Result<DateTime<Utc>, ApiError> {
    in_zone(typed_time(raw, field)?, zone, field)
}

fn typed_time(raw: &str, field: TimeField) -> Result<TypedTime, ApiError> {
    TypedTime::read(raw).map_err(|problem| refused(BookingError::Time { field, problem }))
}

fn in_zone(time: TypedTime, zone: Tz, field: TimeField) -> Result<DateTime<Utc>, ApiError> {
    time.in_zone(zone).map_err(|problem| refused(BookingError::Time { field, problem }))
}

/// A new booking's start and end. The resource's zone is looked up only
/// when one of them is a wall-clock time; times with an offset need none.
async fn new_booking_times(state: &AppState, resource_id: i64, body: &NewBooking) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let start = typed_time(&body.check_in, TimeField::Start)?;
    let end = typed_time(&body.check_out, TimeField::End)?;
    let zone = if start.needs_zone() || end.needs_zone() { zone_of(state, resource_id).await? } else { chrono_tz::UTC };
    Ok((in_zone(start, zone, TimeField::Start)?, in_zone(end, zone, TimeField::End)?))
}

fn check_phone(phone: &Option<String>) -> Result<(), ApiError> {
    let Some(phone) = phone else { return Ok(()) };
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if allowed && (7..=15).contains(&digits) {
        Ok(())
    } else {
        Err(ApiError::invalid("guest_phone", "guest_phone must have 7 to 15 digits, e.g. +525551234567"))
    }
}

fn check_guests(guests: Option<i64>) -> Result<Option<u32>, ApiError> {
    guests
        .map(|n| u32::try_from(n).ok().filter(|n| (1..=1000).contains(n)).ok_or_else(|| ApiError::invalid("number_of_guests", "number_of_guests must be between 1 and 1000")))
        .transpose()
}

fn check_text(field: &str, value: &Option<String>, max: usize) -> Result<(), ApiError> {
    match value {
        Some(v) if v.chars().count() > max => Err(ApiError::invalid(field, format!("{field} may have at most {max} characters"))),
        _ => Ok(()),
    }
}

fn check_email(value: &Option<String>) -> Result<Option<String>, ApiError> {
    value.as_deref().map(|e| normalize_email(e).map_err(|_| ApiError::invalid("guest_email", "guest_email must be an email like ana@example.com"))).transpose()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBooking {
    room_id: Option<Value>,
    resource_id: Option<Value>,
    user_id: Option<Value>,
    service_id: Option<i64>,
    check_in: String,
    check_out: String,
    guest_name: Option<String>,
    guest_email: Option<String>,
    guest_phone: Option<String>,
    number_of_guests: Option<i64>,
    special_requests: Option<String>,
    details: Option<Value>,
}

/// POST /api/bookings/ with the hotel seed's body. Times without an offset are
/// read in the room's zone. Only administrators may book for someone else.
pub async fn create(State(state): State<AppState>, caller: Caller, Json(body): Json<NewBooking>) -> Result<Response, ApiError> {
    let resource_id = match (&body.room_id, &body.resource_id) {
        (Some(id), _) => id_value("room_id", id)?,
        (None, Some(id)) => id_value("resource_id", id)?,
        (None, None) => return Err(ApiError::invalid("room_id", "room_id (or resource_id) is required")),
    };
    let user_id = body.user_id.as_ref().map(|id| id_value("user_id", id)).transpose()?;
    let client = match user_id {
        Some(id) if id != caller.0.id => {
            caller.require_admin()?;
            users::find(&state.db, id).await?.ok_or_else(|| ApiError::invalid("user_id", "no user has this id"))?
        }
        _ => caller.0.clone(),
    };
    check_text("guest_name", &body.guest_name, 200)?;
    check_text("special_requests", &body.special_requests, 2000)?;
    check_phone(&body.guest_phone)?;
    let email = check_email(&body.guest_email)?;
    let guests = check_guests(body.number_of_guests)?;
    let (start, end) = new_booking_times(&state, resource_id, &body).await?;
    let request = BookingRequest {
        resource_id,
        service_id: body.service_id,
        client_id: Some(client.id),
        guest_name: body.guest_name.filter(|n| !n.trim().is_empty()).unwrap_or(client.name.clone()),
        guest_email: email.unwrap_or(client.email.clone()),
        guest_phone: body.guest_phone.or(client.phone.clone()),
        start,
        end,
        party_size: guests.unwrap_or(1),
        notes: body.special_requests.unwrap_or_default(),
        details: body.details.unwrap_or(json!({})),
    };
    let window = state.config.payments.window();
    let made = bookings::create_with_window(&state.db, &request, actor(&caller), window, crate::server::clock::now()).await.map_err(refused)?;
    Ok((StatusCode::CREATED, Json(booking_json_in(&made.booking, made.zone))).into_response())
}

#[derive(Deserialize)]
pub struct ListQuery {
    room_id: Option<String>,
    resource_id: Option<String>,
    user_id: Option<String>,
    status: Option<String>,
    date_from: Option<String>,
    date_to: Option<String>,
    skip: Option<String>,
    limit: Option<String>,
}

/// A date (midnight UTC) or a date-time (UTC unless it has an offset).
fn parse_bound(field: &str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(date) = raw.trim().parse::<NaiveDate>() {
        return Ok(date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    parse_instant(raw, chrono_tz::UTC).map_err(|_| ApiError::invalid(field, format!("{field} must be a date like 2025-11-20 or 2025-11-20T14:00:00")))
}

pub(super) fn parse_count(field: &str, raw: Option<&str>, default: i64, max: i64) -> Result<i64, ApiError> {
    match raw {
        None => Ok(default),
        Some(raw) => raw.trim().parse::<i64>().ok().filter(|n| (0..=max).contains(n))
            .ok_or_else(|| ApiError::invalid(field, format!("{field} must be a whole number from 0 to {max}"))),
    }
}

/// The filter a caller asked for, narrowed to what their role may see.
fn scoped_filter(caller: &Caller, q: &ListQuery) -> Result<Filter, ApiError> {
    let resource = q.room_id.as_deref().map(|r| parse_id(r, "room_id")).or(q.resource_id.as_deref().map(|r| parse_id(r, "resource_id"))).transpose()?;
    let mut filter = Filter {
        resource_id: resource,
        client_id: q.user_id.as_deref().map(|u| parse_id(u, "user_id")).transpose()?,
        status: q.status.as_deref().map(|s| {
            BookingStatus::parse(s).ok_or_else(|| ApiError::invalid("status", "status must be one of pending, confirmed, in_progress, completed, cancelled, rejected, no_show, expired (or pendiente, confirmada, en_progreso, completada, cancelada)"))
        }).transpose()?,
        from: q.date_from.as_deref().map(|d| parse_bound("date_from", d)).transpose()?,
        to: q.date_to.as_deref().map(|d| parse_bound("date_to", d)).transpose()?,
        manager_id: None,
        ..Filter::default()
    };
    match caller.0.role {
        Role::Admin => {}
        Role::Manager => filter.manager_id = Some(caller.0.id),
        Role::Client => filter.client_id = Some(caller.0.id),
    }
    Ok(filter)
}

/// GET /api/bookings/: filtered and paginated; clients see only their own,
/// managers the bookings of the resources they manage.
pub async fn list(State(state): State<AppState>, caller: Caller, Query(q): Query<ListQuery>) -> Result<Json<Value>, ApiError> {
    let filter = scoped_filter(&caller, &q)?;
    let skip = parse_count("skip", q.skip.as_deref(), 0, i64::from(i32::MAX))?;
    let limit = parse_count("limit", q.limit.as_deref(), DEFAULT_LIMIT, MAX_LIMIT)?;
    let mut zones = std::collections::HashMap::new();
    let mut out = Vec::new();
    for booking in bookings::list(&state.db, &filter, skip, limit).await? {
        let zone = match zones.get(&booking.resource_id) {
            Some(zone) => *zone,
            None => {
                let zone = zone_of(&state, booking.resource_id).await?;
                zones.insert(booking.resource_id, zone);
                zone
            }
        };
        out.push(booking_json_in(&booking, zone));
    }
    Ok(Json(Value::Array(out)))
}

pub async fn stats(State(state): State<AppState>, caller: Caller, Query(q): Query<ListQuery>) -> Result<Json<Value>, ApiError> {
    let counts = bookings::count_by_status(&state.db, &scoped_filter(&caller, &q)?).await?;
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let active: i64 = counts.iter().filter(|(s, _)| s.is_active()).map(|(_, n)| n).sum();
    let by_status: serde_json::Map<String, Value> =
        BookingStatus::ALL.iter().map(|s| (s.as_str().to_string(), json!(counts.iter().find(|(c, _)| c == s).map_or(0, |(_, n)| *n)))).collect();
    Ok(Json(json!({"total": total, "active": active, "by_status": by_status})))
}

pub async fn get_one(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let booking = visible_booking(&state, &caller, &id).await?;
    Ok(Json(booking_json(&state, &booking).await?))
}

pub async fn history(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let booking = visible_booking(&state, &caller, &id).await?;
    Ok(Json(json!(bookings::history(&state.db, booking.id).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    check_in: Option<String>,
    check_out: Option<String>,
    guest_name: Option<String>,
    guest_email: Option<String>,
    guest_phone: Option<String>,
    number_of_guests: Option<i64>,
    special_requests: Option<String>,
}

/// PUT /api/bookings/{id}: administrators (and the resource's managers)
/// change any field; new times are checked again for conflicts.
pub async fn update(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, Json(body): Json<Changes>) -> Result<Json<Value>, ApiError> {
    let booking = visible_booking(&state, &caller, &id).await?;
    if caller.0.role != Role::Admin && !manages(&state, &caller, booking.resource_id).await? {
        return Err(ApiError::forbidden("only administrators and the resource's managers may change a booking"));
    }
    check_text("guest_name", &body.guest_name, 200)?;
    check_text("special_requests", &body.special_requests, 2000)?;
    check_phone(&body.guest_phone)?;
    let zone = zone_of(&state, booking.resource_id).await?;
    let changes = BookingChanges {
        start: body.check_in.as_deref().map(|t| parse_time(t, zone, TimeField::Start)).transpose()?,
        end: body.check_out.as_deref().map(|t| parse_time(t, zone, TimeField::End)).transpose()?,
        guest_name: body.guest_name,
        guest_email: check_email(&body.guest_email)?,
        guest_phone: body.guest_phone,
        party_size: check_guests(body.number_of_guests)?,
        notes: body.special_requests,
    };
    let updated = bookings::update(&state.db, booking.id, &changes, actor(&caller), crate::server::clock::now()).await.map_err(refused)?;
    Ok(Json(booking_json(&state, &updated).await?))
}

#[derive(Deserialize, Default)]
pub struct Reason {
    reason: Option<String>,
}

/// DELETE /api/bookings/{id}: cancels (owner, manager or admin; the
/// cancellation policy applies to clients); refused once checked in or done.
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<Reason>,
) -> Result<Json<Value>, ApiError> {
    let booking = visible_booking(&state, &caller, &id).await?;
    check_text("reason", &q.reason, crate::server_fns::my_bookings::REASON_MAX_CHARS)?;
    let reason = q.reason.unwrap_or_default();
    let updated = bookings::apply(&state.db, booking.id, Action::Cancel, actor(&caller), &reason, crate::server::clock::now()).await.map_err(refused)?;
    Ok(Json(booking_json(&state, &updated).await?))
}

async fn admin_action(state: AppState, caller: Caller, id: String, action: Action) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    let id = parse_id(&id, "id")?;
    let now = crate::server::clock::now();
    let updated = match action {
        Action::CompleteMaintenance => bookings::complete_maintenance(&state.db, id, actor(&caller), now).await,
        _ => bookings::apply(&state.db, id, action, actor(&caller), "", now).await,
    }
    .map_err(refused)?;
    Ok(Json(booking_json(&state, &updated).await?))
}

pub async fn check_in(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    admin_action(state, caller, id, Action::CheckIn).await
}

pub async fn check_out(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    admin_action(state, caller, id, Action::CheckOut).await
}

pub async fn complete_maintenance(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    admin_action(state, caller, id, Action::CompleteMaintenance).await
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Any JSON value, a few levels deep.
    pub(in crate::server::api) fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(|f| json!(f)),
            "\\PC{0,20}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map("\\PC{0,8}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// An object with some of `fields` (and maybe an unknown one), each with any JSON value.
    pub(in crate::server::api) fn any_body(fields: &'static [&'static str]) -> impl Strategy<Value = Value> {
        let names = proptest::sample::subsequence(fields.to_vec(), 0..=fields.len());
        (names, proptest::collection::vec(any_json(), fields.len()), proptest::option::of(any_json())).prop_map(|(names, values, extra)| {
            let mut body: serde_json::Map<String, Value> = names.into_iter().map(String::from).zip(values).collect();
            if let Some(extra) = extra {
                body.insert("unknown".into(), extra);
            }
            Value::Object(body)
        })
    }

    const NEW_BOOKING: &[&str] = &["room_id", "resource_id", "user_id", "service_id", "check_in", "check_out", "guest_name",
        "guest_email", "guest_phone", "number_of_guests", "special_requests", "details"];
    const CHANGES: &[&str] = &["check_in", "check_out", "guest_name", "guest_email", "guest_phone", "number_of_guests", "special_requests"];

    fn is_invalid<T: std::fmt::Debug>(result: Result<T, ApiError>, field: &str) -> bool {
        result.is_err_and(|e| e.status == StatusCode::UNPROCESSABLE_ENTITY && e.field.as_deref() == Some(field))
    }

    proptest! {
        #[test]
        fn bodies_of_any_shape_are_read_or_refused_without_panicking(booking in any_body(NEW_BOOKING), changes in any_body(CHANGES)) {
            if let Ok(body) = serde_json::from_value::<NewBooking>(booking) {
                let _ = (body.room_id.as_ref().map(|id| id_value("room_id", id)), check_guests(body.number_of_guests));
                let _ = (check_phone(&body.guest_phone), check_email(&body.guest_email));
            }
            let _ = serde_json::from_value::<Changes>(changes);
        }

        #[test]
        fn ids_are_positive_whole_numbers(n in any::<i64>(), as_text in any::<bool>()) {
            let value = if as_text { json!(format!(" {n} ")) } else { json!(n) };
            if n > 0 {
                prop_assert_eq!(id_value("room_id", &value).ok(), Some(n));
                prop_assert_eq!(parse_id(&n.to_string(), "id").ok(), Some(n));
            } else {
                prop_assert!(is_invalid(id_value("room_id", &value), "room_id"));
                prop_assert!(is_invalid(parse_id(&n.to_string(), "id"), "id"));
            }
        }

        #[test]
        fn any_id_value_is_read_or_refused_without_panicking(value in any_json()) {
            if let Ok(id) = id_value("user_id", &value) {
                prop_assert!(id > 0);
            } else {
                prop_assert!(is_invalid(id_value("user_id", &value), "user_id"));
            }
        }

        #[test]
        fn counts_stay_within_their_bounds(text in "\\PC{0,12}|-?[0-9]{1,20}", max in 0i64..10_000) {
            match parse_count("limit", Some(&text), 7, max) {
                Ok(n) => prop_assert!((0..=max).contains(&n)),
                Err(e) => prop_assert_eq!(e.field.as_deref(), Some("limit")),
            }
            prop_assert_eq!(parse_count("limit", None, 7, max).ok(), Some(7));
        }

        #[test]
        fn guests_are_from_one_to_a_thousand(n in any::<i64>()) {
            match check_guests(Some(n)) {
                Ok(guests) => prop_assert!((1..=1000).contains(&n) && guests == u32::try_from(n).ok()),
                Err(e) => prop_assert!(!(1..=1000).contains(&n) && e.field.as_deref() == Some("number_of_guests")),
            }
        }

        #[test]
        fn phones_have_seven_to_fifteen_digits(digits in "[0-9]{0,20}", separator in "[ +().-]{0,2}", junk in "\\PC{0,3}") {
            let spaced: String = digits.chars().map(|d| format!("{d}{separator}")).collect();
            let counted = (7..=15).contains(&digits.len());
            prop_assert_eq!(check_phone(&Some(spaced)).is_ok(), counted);
            if let Ok(()) = check_phone(&Some(format!("{digits}{junk}"))) {
                prop_assert!(junk.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)));
            }
        }

        #[test]
        fn list_bounds_read_dates_and_times(seconds in -62_000_000_000i64..250_000_000_000, text in "\\PC{0,30}") {
            let instant = DateTime::from_timestamp(seconds, 0).unwrap();
            prop_assert_eq!(parse_bound("date_from", &instant.to_rfc3339()).ok(), Some(instant));
            let midnight = instant.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc();
            prop_assert_eq!(parse_bound("date_from", &instant.date_naive().to_string()).ok(), Some(midnight));
            if let Err(e) = parse_bound("date_to", &text) {
                prop_assert_eq!(e.field.as_deref(), Some("date_to"));
            }
        }
    }
}
