//! Bookings: every write runs in one transaction that locks the resource's
//! calendar, re-checks the rules against the bookings it can see, and records
//! the change in the booking's history.

use super::audit::{self, Act};
use super::calendar::{self, from_unix, ResourceRules};
use super::changes::BookingChange;
use super::outbox::{self, MessageData};
use crate::server::notify::policy::event_of_change;
use super::{new_bookings, Db, StorageError};
use crate::domain::account::{FieldError, Problem, Role};
use crate::domain::audit::{target, AuditAction};
use crate::domain::availability::{Calendar, Occupancy, SlotProblem, Span};
use crate::domain::booking::{
    may_cancel, transition, Action, Booking, BookingChanges, BookingError, BookingEvent, BookingRequest, BookingStatus,
    IllegalTransition,
};
use crate::domain::payment::PaymentStatus;
use crate::domain::resource::Service;
use crate::domain::room::{room_status, RoomBooking, RoomStatus};
use crate::server::notify::compose::MessageEvent;
use chrono::{DateTime, Duration, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

pub(super) const COLUMNS: &str = "id, resource_id, service_id, client_id, guest_name, guest_email, guest_phone, starts_at, \
                       ends_at, party_size, notes, details, price_minor, currency, status, hold_expires_at, \
                       maintenance_until, attendance_confirmed_at, timed_at, payment_status, deposit_due_minor";
pub(super) const ACTIVE: &str = "status IN ('pending', 'confirmed', 'in_progress')";

/// Who is changing a booking; the cancellation policy depends on the role.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub role: Role,
}

impl Actor {
    /// Changes the system makes by itself (expiry, automatic check-in).
    pub const SYSTEM: Actor = Actor { user_id: None, role: Role::Admin };
}

pub(super) fn from_row(row: &AnyRow) -> Result<Booking, sqlx::Error> {
    let status: String = row.try_get("status")?;
    let details: String = row.try_get("details")?;
    let payment: String = row.try_get("payment_status")?;
    Ok(Booking {
        id: row.try_get("id")?,
        resource_id: row.try_get("resource_id")?,
        service_id: row.try_get("service_id")?,
        client_id: row.try_get("client_id")?,
        guest_name: row.try_get("guest_name")?,
        guest_email: row.try_get("guest_email")?,
        guest_phone: row.try_get("guest_phone")?,
        start: from_unix(row.try_get("starts_at")?),
        end: from_unix(row.try_get("ends_at")?),
        party_size: row.try_get::<i64, _>("party_size")?.clamp(0, u32::MAX as i64) as u32,
        notes: row.try_get("notes")?,
        details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
        price_minor: row.try_get("price_minor")?,
        currency: row.try_get("currency")?,
        status: BookingStatus::parse(&status).ok_or_else(|| super::users::decode_error("status", &status))?,
        hold_expires_at: row.try_get::<Option<i64>, _>("hold_expires_at")?.map(from_unix),
        maintenance_until: row.try_get::<Option<i64>, _>("maintenance_until")?.map(from_unix),
        attendance_confirmed_at: row.try_get::<Option<i64>, _>("attendance_confirmed_at")?.map(from_unix),
        timed_at: from_unix(row.try_get("timed_at")?),
        payment_status: PaymentStatus::parse(&payment).ok_or_else(|| super::users::decode_error("payment_status", &payment))?,
        deposit_due_minor: row.try_get("deposit_due_minor")?,
    })
}

/// The condition for a resource's active bookings that touch the window
/// from `start` to `end` (buffers included), by parameter. It is read
/// through `bookings_active_by_resource_end`, from the window's start on, so
/// it reads the bookings ahead (bounded by the horizon) and never the past
/// ones, which only grow; the unary `+` keeps both engines from scanning by
/// start instead, which would read every earlier booking.
fn touching(resource: &str, end: &str, start: &str) -> String {
    format!("resource_id = {resource} AND {ACTIVE} AND blocked_until > {start} AND +starts_at < {end}")
}

/// Two days either side of a booked span: enough for the overlap and the
/// per-day count. Saturating: a span at the end of chrono's range must not overflow.
pub(super) fn near(span: Span) -> Span {
    Span::new(
        span.start.checked_sub_signed(Duration::days(2)).unwrap_or(DateTime::<Utc>::MIN_UTC),
        span.end.checked_add_signed(Duration::days(2)).unwrap_or(DateTime::<Utc>::MAX_UTC),
    )
}

/// The unpadded times of active bookings near `span` (`near`), leaving out `except`.
async fn active_near(conn: &mut AnyConnection, resource_id: i64, span: Span, except: i64) -> Result<Vec<Span>, StorageError> {
    Ok(active_within(conn, &[(resource_id, near(span))], except).await?.remove(&resource_id).unwrap_or_default())
}

/// The unpadded times of active bookings that touch each resource's window,
/// leaving out `except`, by resource; one statement for all.
pub(super) async fn active_within(
    conn: &mut AnyConnection,
    windows: &[(i64, Span)],
    except: i64,
) -> Result<HashMap<i64, Vec<Span>>, StorageError> {
    let sql = (0..windows.len())
        .map(|n| {
            let p = 3 * n + 2;
            format!(
                "SELECT resource_id, starts_at, ends_at FROM bookings WHERE {} AND id <> $1",
                touching(&format!("${p}"), &format!("${}", p + 1), &format!("${}", p + 2))
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let mut query = sqlx::query(&sql).bind(except);
    for (resource_id, window) in windows {
        query = query.bind(*resource_id).bind(window.end.timestamp()).bind(window.start.timestamp());
    }
    let mut found: HashMap<i64, Vec<Span>> = HashMap::new();
    for row in query.fetch_all(&mut *conn).await? {
        let span = Span::new(from_unix(row.try_get("starts_at")?), from_unix(row.try_get("ends_at")?));
        found.entry(row.try_get("resource_id")?).or_default().push(span);
    }
    Ok(found)
}

/// Checks `span` against the resource's rules and the bookings it holds.
async fn check_slot(
    conn: &mut AnyConnection,
    rules: &ResourceRules,
    span: Span,
    party: u32,
    except: i64,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let busy = active_near(conn, rules.id, span, except).await?;
    fits(rules, &busy, span, party, now)
}

/// Whether `span` fits the rules beside the `busy` times.
pub(super) fn fits(rules: &ResourceRules, busy: &[Span], span: Span, party: u32, now: DateTime<Utc>) -> Result<(), StorageError> {
    let occupancy = Occupancy::new(busy, rules.policy.buffer, rules.zone);
    let calendar = Calendar { schedule: &rules.schedule, policy: &rules.policy, occupancy: &occupancy, now };
    calendar.check(span, party).map_err(|p| BookingError::Slot(p).into())
}

async fn locked_rules(db: &Db, conn: &mut AnyConnection, resource_id: i64) -> Result<ResourceRules, StorageError> {
    calendar::load_locking(conn, resource_id, &db.for_update_of("r")).await?.ok_or(BookingError::UnknownResource.into())
}

/// PostgreSQL's exclusion constraint is the last line of defence against overlap.
pub(super) fn overlap_violation(e: sqlx::Error) -> StorageError {
    match &e {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("23P01") => BookingError::Slot(SlotProblem::Conflict).into(),
        _ => e.into(),
    }
}

pub(super) async fn record_event(
    conn: &mut AnyConnection,
    booking_id: i64,
    actor: Actor,
    from: Option<BookingStatus>,
    to: BookingStatus,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    record_events(conn, &[Event { booking_id, actor, from, to, reason, now }]).await
}

/// A line to add to a booking's history.
pub(super) struct Event<'a> {
    pub booking_id: i64,
    pub actor: Actor,
    pub from: Option<BookingStatus>,
    pub to: BookingStatus,
    pub reason: &'a str,
    pub now: DateTime<Utc>,
}

/// Adds lines to bookings' histories, in one statement.
pub(super) async fn record_events(conn: &mut AnyConnection, events: &[Event<'_>]) -> Result<(), StorageError> {
    let sql = format!(
        "INSERT INTO booking_events (booking_id, at, actor_id, from_status, to_status, reason) VALUES {}",
        super::values_rows(events.len(), &[1, 2, 3, 4, 5, 6]),
    );
    let mut query = sqlx::query(&sql);
    for e in events {
        query = query
            .bind(e.booking_id)
            .bind(e.now.timestamp())
            .bind(e.actor.user_id)
            .bind(e.from.map(|s| s.as_str()))
            .bind(e.to.as_str())
            .bind(e.reason);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// An administrator's change goes into the audit log, in its transaction;
/// the system's own changes and everyone else's do not.
pub(super) async fn audit_admin(
    conn: &mut AnyConnection,
    actor: Actor,
    action: AuditAction,
    booking_id: i64,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    match actor.user_id {
        Some(actor_id) if actor.role == Role::Admin => {
            let act = Act { actor_id, action, target: target("booking", booking_id), detail };
            audit::record(&mut *conn, &act, now).await
        }
        _ => Ok(()),
    }
}

/// Writes the messages a status change sends, in the change's transaction.
async fn tell_change(
    conn: &mut AnyConnection,
    booking: &Booking,
    from: Option<BookingStatus>,
    new_booking: bool,
    actor: Actor,
    data: MessageData,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    match event_of_change(from, booking.status) {
        Some(event) => outbox::tell(conn, booking, event, new_booking, actor.role, &data, now).await,
        None => Ok(()),
    }
}

/// Books a time: confirmed at once or pending (holding its time until it
/// expires), per the resource's approval rule. A service that asks for a
/// deposit makes the booking pending whatever the rule; the deposit is taken
/// offline, so it holds its time as long as any pending request.
pub async fn create(db: &Db, request: &BookingRequest, actor: Actor, now: DateTime<Utc>) -> Result<Booking, StorageError> {
    Ok(create_with_window(db, request, actor, None, now).await?.booking)
}

/// `create`, with the time given to pay a deposit online (`[payments]
/// window_minutes`, see `PaymentsConfig::window`): an unpaid booking
/// releases its time then. None: the resource's pending expiry.
pub async fn create_with_window(
    db: &Db,
    request: &BookingRequest,
    actor: Actor,
    deposit_window: Option<Duration>,
    now: DateTime<Utc>,
) -> Result<new_bookings::Made, StorageError> {
    let order = new_bookings::Order { request: request.clone(), actor, deposit_window, now };
    new_bookings::submit(db, order).await
}

/// An offered service of the resource: its price, currency and deposit.
pub(super) async fn service_price(conn: &mut AnyConnection, resource_id: i64, service_id: i64) -> Result<Service, StorageError> {
    let row = sqlx::query(&format!("SELECT {} FROM services WHERE id = $1 AND resource_id = $2 AND active = 1", super::services::COLUMNS))
        .bind(service_id)
        .bind(resource_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(BookingError::UnknownService)?;
    Ok(super::services::from_row(&row)?)
}

pub(super) async fn fetch(conn: &mut AnyConnection, id: i64) -> Result<Option<Booking>, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM bookings WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// The bookings of these ids that exist, in one query.
pub async fn get_many(db: &Db, ids: &[i64]) -> Result<HashMap<i64, Booking>, StorageError> {
    let rows = super::rows_for_ids(db, &format!("SELECT {COLUMNS} FROM bookings WHERE id IN"), ids).await?;
    Ok(rows.iter().map(|row| from_row(row).map(|b| (b.id, b))).collect::<Result<_, _>>()?)
}

pub(super) async fn fetch_locked(db: &Db, conn: &mut AnyConnection, id: i64) -> Result<Booking, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM bookings WHERE id = $1{}", db.for_update()))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(BookingError::UnknownBooking)?;
    Ok(from_row(&row)?)
}

/// Changes how many bookings may overlap (a workshop's bays). Refused, with
/// nothing changed, when more upcoming bookings than that overlap already.
/// Upcoming bookings take the new capacity's exclusivity, which the database
/// checks for capacity 1.
pub async fn set_capacity(db: &Db, resource_id: i64, capacity: i64, now: DateTime<Utc>) -> Result<(), StorageError> {
    let mut tx = db.begin_write().await?;
    let rules = locked_rules(db, &mut tx, resource_id).await?;
    let upcoming = format!("resource_id = $1 AND {ACTIVE} AND ends_at > $2");
    let rows = sqlx::query(&format!("SELECT starts_at, ends_at FROM bookings WHERE {upcoming}"))
        .bind(resource_id)
        .bind(now.timestamp())
        .fetch_all(&mut *tx)
        .await?;
    let spans = rows
        .iter()
        .map(|r| Ok(Span::new(from_unix(r.try_get("starts_at")?), from_unix(r.try_get("ends_at")?))))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    if i64::from(Occupancy::new(&spans, rules.policy.buffer, rules.zone).most_at_once()) > capacity {
        return Err(StorageError::Invalid(FieldError::new("capacity", Problem::BelowBookings)));
    }
    sqlx::query("UPDATE resources SET capacity = $1 WHERE id = $2").bind(capacity).bind(resource_id).execute(&mut *tx).await?;
    sqlx::query(&format!("UPDATE bookings SET exclusive = $3 WHERE {upcoming}"))
        .bind(resource_id)
        .bind(now.timestamp())
        .bind(i64::from(capacity == 1))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Booking>, StorageError> {
    fetch(&mut *db.pool().acquire().await?, id).await
}

/// Applies a state-machine action; cancelling follows the resource's policy.
pub async fn apply(
    db: &Db,
    id: i64,
    action: Action,
    actor: Actor,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Booking, StorageError> {
    let mut tx = db.begin_write().await?;
    let booking = fetch_locked(db, &mut tx, id).await?;
    let rules = calendar::load(&mut tx, booking.resource_id).await?.ok_or(BookingError::UnknownResource)?;
    let to = match action {
        Action::Cancel => {
            may_cancel(booking.status, actor.role, booking.start, now, rules.cancel_cutoff_hours).map_err(BookingError::Cancel)?
        }
        _ => transition(booking.status, action).map_err(BookingError::Transition)?,
    };
    if action == Action::Confirm && booking.deposit_unpaid() {
        return Err(BookingError::DepositUnpaid.into());
    }
    let maintenance_until = (action == Action::CheckOut).then(|| (now + rules.policy.buffer).timestamp());
    sqlx::query("UPDATE bookings SET status = $1, hold_expires_at = NULL, maintenance_until = $2, updated_at = $3 WHERE id = $4")
        .bind(to.as_str())
        .bind(maintenance_until)
        .bind(now.timestamp())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record_event(&mut tx, id, actor, Some(booking.status), to, reason, now).await?;
    let detail = serde_json::json!({"from": booking.status, "to": to, "reason": reason});
    audit_admin(&mut tx, actor, AuditAction::of_booking(action), id, detail, now).await?;
    let updated = fetch(&mut tx, id).await?.ok_or(BookingError::UnknownBooking)?;
    let data = MessageData { reason: reason.to_string(), ..MessageData::default() };
    tell_change(&mut tx, &updated, Some(booking.status), false, actor, data, now).await?;
    db.commit_announcing(tx, &[BookingChange::of(&updated, false)]).await?;
    Ok(updated)
}

/// Moves a pending or confirmed booking to a new time, under the same checks
/// as a new booking; nothing changes if the new time is refused.
pub async fn reschedule(db: &Db, id: i64, new_time: Span, actor: Actor, now: DateTime<Utc>) -> Result<Booking, StorageError> {
    let changes = BookingChanges { start: Some(new_time.start), end: Some(new_time.end), ..Default::default() };
    update(db, id, &changes, actor, now).await
}

/// Changes a pending or confirmed booking in one transaction; a new time or
/// party size is checked like a new booking, and nothing changes if refused.
pub async fn update(db: &Db, id: i64, changes: &BookingChanges, actor: Actor, now: DateTime<Utc>) -> Result<Booking, StorageError> {
    let mut tx = db.begin_write().await?;
    let resource_id = fetch(&mut tx, id).await?.ok_or(BookingError::UnknownBooking)?.resource_id;
    let rules = locked_rules(db, &mut tx, resource_id).await?;
    let old = fetch_locked(db, &mut tx, id).await?;
    if !matches!(old.status, BookingStatus::Pending | BookingStatus::Confirmed) {
        return Err(BookingError::Transition(IllegalTransition { from: old.status, action: Action::Reschedule }).into());
    }
    let time = Span::new(changes.start.unwrap_or(old.start), changes.end.unwrap_or(old.end));
    let party = changes.party_size.unwrap_or(old.party_size);
    let moved = time != Span::new(old.start, old.end);
    if moved || party != old.party_size {
        check_slot(&mut tx, &rules, time, party, id, now).await?;
    }
    sqlx::query(
        "UPDATE bookings SET starts_at = $1, ends_at = $2, blocked_until = $3, party_size = $4, guest_name = $5, \
         guest_email = $6, guest_phone = $7, notes = $8, updated_at = $9, \
         timed_at = CASE WHEN starts_at = $1 THEN timed_at ELSE $9 END WHERE id = $10",
    )
    .bind(time.start.timestamp())
    .bind(time.end.timestamp())
    .bind((time.end + rules.policy.buffer).timestamp())
    .bind(i64::from(party))
    .bind(changes.guest_name.as_ref().unwrap_or(&old.guest_name))
    .bind(changes.guest_email.as_ref().unwrap_or(&old.guest_email))
    .bind(changes.guest_phone.as_ref().or(old.guest_phone.as_ref()))
    .bind(changes.notes.as_ref().unwrap_or(&old.notes))
    .bind(now.timestamp())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(overlap_violation)?;
    let note = if moved {
        format!("rescheduled from {} to {}", old.start.to_rfc3339(), time.start.to_rfc3339())
    } else {
        "details changed".to_string()
    };
    record_event(&mut tx, id, actor, Some(old.status), old.status, &note, now).await?;
    audit_admin(&mut tx, actor, AuditAction::BookingUpdate, id, serde_json::json!({"change": note}), now).await?;
    let updated = fetch(&mut tx, id).await?.ok_or(BookingError::UnknownBooking)?;
    if moved {
        let data = MessageData { previous_start: Some(old.start.timestamp()), ..MessageData::default() };
        outbox::tell(&mut tx, &updated, MessageEvent::Rescheduled, false, actor.role, &data, now).await?;
    }
    db.commit_announcing(tx, &[BookingChange::of(&updated, false)]).await?;
    Ok(updated)
}

/// Ends a room's cleaning before its time.
pub async fn complete_maintenance(db: &Db, id: i64, actor: Actor, now: DateTime<Utc>) -> Result<Booking, StorageError> {
    let mut tx = db.begin_write().await?;
    let booking = fetch_locked(db, &mut tx, id).await?;
    if booking.status != BookingStatus::Completed || booking.maintenance_until.is_none_or(|t| t <= now) {
        return Err(BookingError::Transition(IllegalTransition { from: booking.status, action: Action::CompleteMaintenance }).into());
    }
    sqlx::query("UPDATE bookings SET maintenance_until = $1, updated_at = $1 WHERE id = $2")
        .bind(now.timestamp())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record_event(&mut tx, id, actor, Some(booking.status), booking.status, "maintenance completed", now).await?;
    audit_admin(&mut tx, actor, AuditAction::BookingCompleteMaintenance, id, serde_json::json!({}), now).await?;
    let updated = fetch(&mut tx, id).await?.ok_or(BookingError::UnknownBooking)?;
    db.commit_announcing(tx, &[BookingChange::of(&updated, false)]).await?;
    Ok(updated)
}

/// Automatic check-in at the start and check-out at the end, for resources of
/// the given kinds. Check-out starts the cleaning time (the buffer) from the
/// booking's end, so after a restart a room long past cleaning is available.
/// Each booking moves once even with several instances running this.
pub async fn advance_due(db: &Db, kinds: &[String], now: DateTime<Utc>) -> Result<Vec<(i64, BookingStatus)>, StorageError> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let kind_list = super::placeholders(3, kinds.len());
    let of_kinds = format!("resource_id IN (SELECT id FROM resources WHERE kind IN ({kind_list}))");
    let steps = [
        (BookingStatus::Confirmed, BookingStatus::InProgress, "starts_at", "maintenance_until", "automatic check-in"),
        (BookingStatus::InProgress, BookingStatus::Completed, "ends_at", "blocked_until", "automatic check-out"),
    ];
    let mut tx = db.begin_write().await?;
    let mut moved = Vec::new();
    let mut changes = Vec::new();
    for (from, to, due_column, maintenance, reason) in steps {
        let sql = format!(
            "UPDATE bookings SET status = '{to}', maintenance_until = {maintenance}, updated_at = $1 \
             WHERE status = '{from}' AND {due_column} <= $2 AND {of_kinds} RETURNING id"
        );
        let mut query = sqlx::query(&sql).bind(now.timestamp()).bind(now.timestamp());
        for kind in kinds {
            query = query.bind(kind);
        }
        for row in query.fetch_all(&mut *tx).await? {
            let id: i64 = row.try_get("id")?;
            record_event(&mut tx, id, Actor::SYSTEM, Some(from), to, reason, now).await?;
            let booking = fetch(&mut tx, id).await?.ok_or(BookingError::UnknownBooking)?;
            tell_change(&mut tx, &booking, Some(from), false, Actor::SYSTEM, MessageData::default(), now).await?;
            changes.push(BookingChange::of(&booking, false));
            moved.push((id, to));
        }
    }
    db.commit_announcing(tx, &changes).await?;
    Ok(moved)
}

/// Pending requests whose hold ran out release their time. Each row is
/// updated once even with several instances running this at the same time.
pub async fn expire_pending(db: &Db, now: DateTime<Utc>) -> Result<Vec<i64>, StorageError> {
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query(
        "UPDATE bookings SET status = 'expired', hold_expires_at = NULL, updated_at = $1 \
         WHERE status = 'pending' AND hold_expires_at <= $1 RETURNING id",
    )
    .bind(now.timestamp())
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
    let mut changes = Vec::with_capacity(ids.len());
    for id in &ids {
        record_event(&mut tx, *id, Actor::SYSTEM, Some(BookingStatus::Pending), BookingStatus::Expired, "request not answered in time", now).await?;
        let booking = fetch(&mut tx, *id).await?.ok_or(BookingError::UnknownBooking)?;
        tell_change(&mut tx, &booking, Some(BookingStatus::Pending), false, Actor::SYSTEM, MessageData::default(), now).await?;
        changes.push(BookingChange::of(&booking, false));
    }
    db.commit_announcing(tx, &changes).await?;
    Ok(ids)
}

pub async fn history(db: &Db, id: i64) -> Result<Vec<BookingEvent>, StorageError> {
    let rows = sqlx::query("SELECT at, actor_id, from_status, to_status, reason FROM booking_events WHERE booking_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            let to: String = row.try_get("to_status")?;
            let from: Option<String> = row.try_get("from_status")?;
            Ok(BookingEvent {
                at: from_unix(row.try_get("at")?),
                actor_id: row.try_get("actor_id")?,
                from: from.as_deref().and_then(BookingStatus::parse),
                to: BookingStatus::parse(&to).ok_or_else(|| super::users::decode_error("to_status", &to))?,
                reason: row.try_get("reason")?,
            })
        })
        .collect()
}

/// Active bookings of a resource overlapping `span`, for availability.
pub async fn active_in(db: &Db, resource_id: i64, span: Span) -> Result<Vec<Span>, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT starts_at, ends_at FROM bookings WHERE {}",
        touching("$1", "$2", "$3")
    ))
    .bind(resource_id)
    .bind(span.end.timestamp())
    .bind(span.start.timestamp())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| Ok(Span::new(from_unix(row.try_get("starts_at")?), from_unix(row.try_get("ends_at")?))))
        .collect()
}

pub async fn list_for_resource(db: &Db, resource_id: i64) -> Result<Vec<Booking>, StorageError> {
    list(db, &Filter { resource_id: Some(resource_id), ..Filter::default() }, 0, i64::MAX).await
}

/// Which bookings to list; every field narrows the list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub resource_id: Option<i64>,
    pub client_id: Option<i64>,
    /// Only resources this user manages.
    pub manager_id: Option<i64>,
    pub status: Option<BookingStatus>,
    /// Bookings ending after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Bookings starting before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Guest name or email containing this text (any case).
    pub guest: Option<String>,
    /// Newest (latest start) first instead of soonest first.
    pub newest_first: bool,
}

impl Filter {
    /// The WHERE clause and its values, numbered from `$1`.
    fn clause(&self) -> (String, Vec<FilterValue>) {
        let mut conditions = vec!["1 = 1".to_string()];
        let mut values = Vec::new();
        let mut add = |condition: &str, value: FilterValue| {
            values.push(value);
            conditions.push(condition.replace('?', &format!("${}", values.len())));
        };
        if let Some(id) = self.resource_id {
            add("resource_id = ?", FilterValue::Int(id));
        }
        if let Some(id) = self.client_id {
            add("client_id = ?", FilterValue::Int(id));
        }
        if let Some(id) = self.manager_id {
            add("resource_id IN (SELECT resource_id FROM resource_managers WHERE user_id = ?)", FilterValue::Int(id));
        }
        if let Some(status) = self.status {
            add("status = ?", FilterValue::Text(status.as_str().to_string()));
        }
        if let Some(from) = self.from {
            add("ends_at > ?", FilterValue::Int(from.timestamp()));
        }
        if let Some(to) = self.to {
            add("starts_at < ?", FilterValue::Int(to.timestamp()));
        }
        if let Some(text) = self.guest.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pattern = format!("%{}%", text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            add("(LOWER(guest_name) LIKE ? ESCAPE '\\' OR LOWER(guest_email) LIKE ? ESCAPE '\\')", FilterValue::Text(pattern));
        }
        (conditions.join(" AND "), values)
    }
}

enum FilterValue {
    Int(i64),
    Text(String),
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    values: Vec<FilterValue>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for value in values {
        query = match value {
            FilterValue::Int(v) => query.bind(v),
            FilterValue::Text(v) => query.bind(v),
        };
    }
    query
}

pub async fn list(db: &Db, filter: &Filter, skip: i64, limit: i64) -> Result<Vec<Booking>, StorageError> {
    let (clause, values) = filter.clause();
    let n = values.len();
    let order = if filter.newest_first { "starts_at DESC, id DESC" } else { "starts_at, id" };
    let sql = format!("SELECT {COLUMNS} FROM bookings WHERE {clause} ORDER BY {order} LIMIT ${} OFFSET ${}", n + 1, n + 2);
    let rows = bind_all(sqlx::query(&sql), values).bind(limit).bind(skip).fetch_all(db.pool()).await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// How many bookings match, per status.
pub async fn count_by_status(db: &Db, filter: &Filter) -> Result<Vec<(BookingStatus, i64)>, StorageError> {
    let (clause, values) = filter.clause();
    let sql = format!("SELECT status, COUNT(*) AS n FROM bookings WHERE {clause} GROUP BY status ORDER BY status");
    let rows = bind_all(sqlx::query(&sql), values).fetch_all(db.pool()).await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            let status = BookingStatus::parse(&status).ok_or_else(|| super::users::decode_error("status", &status))?;
            Ok((status, row.try_get("n")?))
        })
        .collect()
}

/// A room's status at `now`, from its bookings.
pub async fn room_status_at(db: &Db, resource_id: i64, now: DateTime<Utc>) -> Result<RoomStatus, StorageError> {
    Ok(room_status(&room_inputs(db, resource_id, now).await?, now))
}

/// What a room's status depends on: its bookings that are active or whose
/// cleaning is not over at `now`.
async fn room_inputs(db: &Db, resource_id: i64, now: DateTime<Utc>) -> Result<Vec<RoomBooking>, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT status, ends_at, maintenance_until FROM bookings WHERE resource_id = $1 \
         AND ({ACTIVE} OR (status = 'completed' AND maintenance_until > $2))"
    ))
    .bind(resource_id)
    .bind(now.timestamp())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(RoomBooking {
                status: BookingStatus::parse(&status).ok_or_else(|| super::users::decode_error("status", &status))?,
                end: from_unix(row.try_get("ends_at")?),
                maintenance_until: row.try_get::<Option<i64>, _>("maintenance_until")?.map(from_unix),
            })
        })
        .collect()
}
