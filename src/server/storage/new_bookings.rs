//! New bookings, written in batches. Requests that arrive while batches are
//! being written wait for the next one, and each batch is one transaction of
//! a few statements for all its bookings: the resources' rules (locked), the
//! bookings near the times asked for, one insert of the accepted bookings,
//! their histories and their emails. Under load a booking thus costs a
//! fraction of a transaction's round trips and of its commit; alone it is a
//! batch of one. Each booking is checked against the rules, the stored
//! bookings and those accepted before it in its batch, exactly as if it had
//! had a transaction of its own.

use super::bookings::{self, Actor, Event};
use super::calendar::{self, ResourceRules};
use super::changes::BookingChange;
use super::outbox::{self, MessageData, Telling};
use super::{Db, StorageError};
use crate::domain::audit::AuditAction;
use crate::domain::availability::Span;
use crate::domain::booking::{Booking, BookingError, BookingRequest, BookingStatus};
use crate::domain::resource::Service;
use crate::server::notify::policy::event_of_change;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use tokio::sync::oneshot;

/// The most bookings one transaction writes (19 parameters each in the
/// insert); a power of two (see `batch_size`).
const MAX_BATCH: usize = 64;

/// A booking to make: what was asked, by whom, and when.
#[derive(Debug, Clone)]
pub struct Order {
    pub request: BookingRequest,
    pub actor: Actor,
    /// The time given to pay a deposit online; None: the resource's pending expiry.
    pub deposit_window: Option<Duration>,
    pub now: DateTime<Utc>,
}

/// A booking made, with its resource's time zone, the one to show its times in.
#[derive(Debug, Clone)]
pub struct Made {
    pub booking: Booking,
    pub zone: Tz,
}

type Answer = Result<Made, StorageError>;

/// The orders waiting for the next batch, and how many batches are being
/// written (see `Db::concurrent_batches`).
#[derive(Default)]
pub struct Queue {
    waiting: Mutex<Vec<(Order, oneshot::Sender<Answer>)>>,
    writers: AtomicUsize,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue").field("writers", &self.writers.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}

/// Makes the booking in the next batch. The batch is written by a task of
/// its own, so a caller that goes away (a closed connection) cannot cut
/// short the others' transaction.
pub async fn submit(db: &Db, order: Order) -> Answer {
    let (reply, answer) = oneshot::channel();
    db.new_bookings.waiting.lock().expect("the queue's lock").push((order, reply));
    start_writing(db);
    // The sender goes away unanswered only if the writer panicked.
    answer.await.unwrap_or_else(|_| Err(StorageError::Unavailable(sqlx::Error::WorkerCrashed)))
}

/// Starts another writer unless as many as the engine takes are writing.
fn start_writing(db: &Db) {
    let most = db.concurrent_batches();
    let writers = &db.new_bookings.writers;
    if writers.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < most).then_some(n + 1)).is_ok() {
        tokio::spawn(write_waiting(db.clone()));
    }
}

/// Writes batches until none is waiting.
async fn write_waiting(db: Db) {
    let _done = Writing(db.clone());
    loop {
        let batch = {
            let mut waiting = db.new_bookings.waiting.lock().expect("the queue's lock");
            let take = batch_size(waiting.len());
            waiting.drain(..take).collect::<Vec<_>>()
        };
        if batch.is_empty() {
            return;
        }
        let (orders, replies): (Vec<Order>, Vec<_>) = batch.into_iter().unzip();
        for (reply, answer) in replies.into_iter().zip(create_all(&db, &orders).await) {
            let _ = reply.send(answer);
        }
    }
}

/// How many of the `waiting` orders the next batch takes: a power of two,
/// at most `MAX_BATCH`, so that the batches' statements come in a few sizes
/// that both engines keep prepared instead of preparing (and PostgreSQL
/// planning) a new one for nearly every batch; the rest go in the next.
fn batch_size(waiting: usize) -> usize {
    match waiting.min(MAX_BATCH) {
        0 => 0,
        n => 1 << n.ilog2(),
    }
}

/// Ends a writer, even one that panicked; an order that came after it
/// looked for the last time starts the next.
struct Writing(Db);

impl Drop for Writing {
    fn drop(&mut self) {
        let queue = &self.0.new_bookings;
        queue.writers.fetch_sub(1, Ordering::SeqCst);
        let waiting = queue.waiting.lock().map(|w| !w.is_empty()).unwrap_or(false);
        if waiting && tokio::runtime::Handle::try_current().is_ok() {
            start_writing(&self.0);
        }
    }
}

/// Makes the bookings in one transaction, each one's answer in order. When
/// the transaction itself fails, each order is tried again alone, so that
/// one order's failure is never another's.
pub async fn create_all(db: &Db, orders: &[Order]) -> Vec<Answer> {
    match write_batch(db, orders).await {
        Ok(answers) => answers,
        Err(e) if orders.len() == 1 => vec![Err(e)],
        Err(_) => {
            let mut answers = Vec::with_capacity(orders.len());
            for order in orders {
                answers.push(write_batch(db, std::slice::from_ref(order)).await.and_then(|mut one| one.remove(0)));
            }
            answers
        }
    }
}

/// A booking the rules accepted, ready to insert.
struct Accepted<'a> {
    order: &'a Order,
    span: Span,
    blocked_until: DateTime<Utc>,
    price_minor: i64,
    currency: String,
    deposit_due: i64,
    status: BookingStatus,
    hold: Option<i64>,
    exclusive: bool,
    zone: Tz,
}

/// The transaction: Err only when it failed as a whole (nothing written).
async fn write_batch(db: &Db, orders: &[Order]) -> Result<Vec<Answer>, StorageError> {
    let mut tx = db.begin_write().await?;
    let mut resource_ids = orders.iter().map(|o| o.request.resource_id).collect::<Vec<_>>();
    resource_ids.sort_unstable();
    resource_ids.dedup();
    let rules = calendar::load_many_locking(&mut tx, &resource_ids, &db.for_update_of("r")).await?;
    let mut busy = bookings::active_within(&mut tx, &windows(orders), -1).await?;
    let mut decided = Vec::with_capacity(orders.len());
    for order in orders {
        decided.push(accept(&mut tx, &rules, &mut busy, order).await?);
    }
    let accepted = decided.iter().filter_map(|d| d.as_ref().ok()).collect::<Vec<_>>();
    let made = insert(&mut tx, &accepted).await?;
    record(&mut tx, &accepted, &made).await?;
    let changes = made.iter().map(|b| BookingChange::of(b, true)).collect::<Vec<_>>();
    db.commit_announcing(tx, &changes).await?;
    let mut made = made.into_iter();
    Ok(decided
        .into_iter()
        .map(|d| {
            d.map(|a| Made { booking: made.next().expect("a booking for each accepted order"), zone: a.zone })
                .map_err(StorageError::from)
        })
        .collect())
}

/// For each resource, the window that holds every booking near its orders.
fn windows(orders: &[Order]) -> Vec<(i64, Span)> {
    let mut windows: HashMap<i64, Span> = HashMap::new();
    for order in orders {
        let near = bookings::near(Span::new(order.request.start, order.request.end));
        windows
            .entry(order.request.resource_id)
            .and_modify(|w| *w = Span::new(w.start.min(near.start), w.end.max(near.end)))
            .or_insert(near);
    }
    windows.into_iter().collect()
}

/// The order checked against its resource's rules and the bookings before
/// it; an accepted order's time becomes busy for the orders after it.
/// Err(StorageError) only for a failure of the transaction.
async fn accept<'a>(
    conn: &mut AnyConnection,
    rules: &HashMap<i64, ResourceRules>,
    busy: &mut HashMap<i64, Vec<Span>>,
    order: &'a Order,
) -> Result<Result<Accepted<'a>, BookingError>, StorageError> {
    let request = &order.request;
    let Some(rules) = rules.get(&request.resource_id) else { return Ok(Err(BookingError::UnknownResource)) };
    if rules.retired {
        return Ok(Err(BookingError::ResourceRetired));
    }
    let service = match request.service_id {
        Some(service) => match bookings::service_price(conn, request.resource_id, service).await {
            Ok(service) => Some(service),
            Err(StorageError::Refused(refusal)) => return Ok(Err(refusal)),
            Err(e) => return Err(e),
        },
        None => None,
    };
    let span = Span::new(request.start, request.end);
    let held = busy.entry(request.resource_id).or_default();
    match bookings::fits(rules, held, span, request.party_size, order.now) {
        Ok(()) => held.push(span),
        Err(StorageError::Refused(refusal)) => return Ok(Err(refusal)),
        Err(e) => return Err(e),
    }
    let deposit_due = service.as_ref().map_or(0, Service::deposit_due);
    let (status, hold) = match deposit_due {
        0 => (rules.approval.initial_status(), order.now + rules.pending_expiry),
        _ => (BookingStatus::Pending, order.now + order.deposit_window.unwrap_or(rules.pending_expiry)),
    };
    Ok(Ok(Accepted {
        order,
        span,
        blocked_until: span.end + rules.policy.buffer,
        price_minor: service.as_ref().map_or(0, |s| s.price_minor),
        currency: service.map_or_else(|| "MXN".to_string(), |s| s.currency),
        deposit_due,
        status,
        hold: (status == BookingStatus::Pending).then(|| hold.timestamp()),
        exclusive: rules.policy.capacity == 1,
        zone: rules.zone,
    }))
}

/// Inserts the accepted bookings in one statement; the bookings come back
/// in the same order.
async fn insert(conn: &mut AnyConnection, accepted: &[&Accepted<'_>]) -> Result<Vec<Booking>, StorageError> {
    if accepted.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "INSERT INTO bookings (resource_id, service_id, client_id, guest_name, guest_email, guest_phone, starts_at, \
         ends_at, blocked_until, party_size, notes, details, price_minor, currency, status, exclusive, \
         hold_expires_at, created_at, updated_at, timed_at, deposit_due_minor) VALUES {} RETURNING {}",
        super::values_rows(accepted.len(), &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 18, 18, 19]),
        bookings::COLUMNS,
    );
    let mut query = sqlx::query(&sql);
    for a in accepted {
        let r = &a.order.request;
        query = query
            .bind(r.resource_id)
            .bind(r.service_id)
            .bind(r.client_id)
            .bind(&r.guest_name)
            .bind(&r.guest_email)
            .bind(r.guest_phone.as_deref())
            .bind(a.span.start.timestamp())
            .bind(a.span.end.timestamp())
            .bind(a.blocked_until.timestamp())
            .bind(i64::from(r.party_size))
            .bind(&r.notes)
            .bind(r.details.to_string())
            .bind(a.price_minor)
            .bind(&a.currency)
            .bind(a.status.as_str())
            .bind(i64::from(a.exclusive))
            .bind(a.hold)
            .bind(a.order.now.timestamp())
            .bind(a.deposit_due);
    }
    let rows = query.fetch_all(&mut *conn).await.map_err(bookings::overlap_violation)?;
    let mut made = rows.iter().map(bookings::from_row).collect::<Result<Vec<_>, _>>()?;
    // Rows take their ids in the order of the VALUES list; RETURNING need not keep it.
    made.sort_by_key(|b| b.id);
    if made.len() != accepted.len() || made.iter().zip(accepted).any(|(b, a)| !is_booking_of(b, a)) {
        return Err(sqlx::Error::Protocol("the inserted bookings do not match the orders".into()).into());
    }
    Ok(made)
}

fn is_booking_of(booking: &Booking, accepted: &Accepted<'_>) -> bool {
    let r = &accepted.order.request;
    booking.resource_id == r.resource_id
        && booking.client_id == r.client_id
        // Stored to the second: an order's times may carry fractions.
        && booking.start.timestamp() == accepted.span.start.timestamp()
        && booking.end.timestamp() == accepted.span.end.timestamp()
        && booking.guest_email == r.guest_email
}

/// The new bookings' first history lines, the administrators' audit lines
/// and the emails that tell about them.
async fn record(conn: &mut AnyConnection, accepted: &[&Accepted<'_>], made: &[Booking]) -> Result<(), StorageError> {
    if made.is_empty() {
        return Ok(());
    }
    let events = made
        .iter()
        .zip(accepted)
        .map(|(b, a)| Event { booking_id: b.id, actor: a.order.actor, from: None, to: b.status, reason: "", now: a.order.now })
        .collect::<Vec<_>>();
    bookings::record_events(conn, &events).await?;
    for (b, a) in made.iter().zip(accepted) {
        let detail = serde_json::json!({"resource_id": b.resource_id, "client_id": b.client_id, "status": b.status});
        bookings::audit_admin(conn, a.order.actor, AuditAction::BookingCreate, b.id, detail, a.order.now).await?;
    }
    let data = MessageData::default();
    let tellings = made
        .iter()
        .zip(accepted)
        .filter_map(|(b, a)| {
            let event = event_of_change(None, b.status)?;
            Some(Telling { booking: b, event, new_booking: true, by: a.order.actor.role, data: &data, now: a.order.now })
        })
        .collect::<Vec<_>>();
    outbox::tell_all(conn, &tellings).await
}

#[cfg(test)]
mod tests {
    use super::{batch_size, MAX_BATCH};

    #[test]
    fn batches_take_a_power_of_two_of_the_waiting_orders() {
        let sizes = [0, 1, 2, 3, 4, 7, 8, 50, 63, 64, 65, 1000].map(batch_size);
        assert_eq!(sizes, [0, 1, 2, 2, 4, 4, 8, 32, 32, 64, 64, 64]);
        for waiting in 1..200 {
            let size = batch_size(waiting);
            assert!(size.is_power_of_two() && size <= waiting.min(MAX_BATCH) && size * 2 > waiting.min(MAX_BATCH), "{waiting}");
        }
    }
}
