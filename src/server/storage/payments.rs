//! Payments and refunds of bookings, the payment provider's checkout
//! sessions and the webhook events already handled. A payment is written in
//! one transaction with its booking's row, whose payment status is computed
//! again from the sums.

use super::audit::{self, Act};
use super::bookings::{self, Actor};
use super::calendar::{self, from_unix};
use super::changes::BookingChange;
use super::{Db, StorageError};
use crate::domain::account::Role;
use crate::domain::audit::{target, AuditAction};
use crate::domain::booking::{Action, Approval, Booking, BookingError, BookingStatus};
use crate::domain::payment::{check_payment, Ledger, NewPayment, PaymentKind, PaymentMethod, PaymentRefusal, PaymentSource};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// One stored payment or refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payment {
    pub id: i64,
    pub booking_id: i64,
    pub kind: PaymentKind,
    pub amount_minor: i64,
    pub currency: String,
    pub provider: PaymentSource,
    pub method: PaymentMethod,
    pub reference: String,
    pub recorded_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

fn from_row(row: &AnyRow) -> Result<Payment, sqlx::Error> {
    let text = |column: &str| row.try_get::<String, _>(column);
    let (kind, provider, method) = (text("kind")?, text("provider")?, text("method")?);
    let bad = |column: &str, value: &str| super::users::decode_error(column, value);
    Ok(Payment {
        id: row.try_get("id")?,
        booking_id: row.try_get("booking_id")?,
        kind: PaymentKind::parse(&kind).ok_or_else(|| bad("kind", &kind))?,
        amount_minor: row.try_get("amount_minor")?,
        currency: row.try_get("currency")?,
        provider: PaymentSource::parse(&provider).ok_or_else(|| bad("provider", &provider))?,
        method: PaymentMethod::parse(&method).ok_or_else(|| bad("method", &method))?,
        reference: row.try_get("reference")?,
        recorded_by: row.try_get("recorded_by")?,
        created_at: from_unix(row.try_get("created_at")?),
    })
}

/// A booking's payments and refunds, oldest first.
pub async fn list_for_booking(db: &Db, booking_id: i64) -> Result<Vec<Payment>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, booking_id, kind, amount_minor, currency, provider, method, reference, recorded_by, created_at \
         FROM payments WHERE booking_id = $1 ORDER BY id",
    )
    .bind(booking_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// What a booking has received so far.
pub async fn ledger_of(db: &Db, booking_id: i64) -> Result<Ledger, StorageError> {
    ledger(&mut *db.pool().acquire().await?, booking_id).await
}

async fn ledger(conn: &mut AnyConnection, booking_id: i64) -> Result<Ledger, StorageError> {
    let row = sqlx::query(
        // PostgreSQL sums BIGINTs as NUMERIC, which the Any driver cannot read.
        "SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'refund' THEN 0 ELSE amount_minor END), 0) AS BIGINT) AS paid_in, \
         CAST(COALESCE(SUM(CASE WHEN kind = 'refund' THEN amount_minor ELSE 0 END), 0) AS BIGINT) AS refunded \
         FROM payments WHERE booking_id = $1",
    )
    .bind(booking_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Ledger { paid_in: row.try_get("paid_in")?, refunded: row.try_get("refunded")? })
}

/// What recording a payment did to its booking.
struct Recorded {
    booking: Booking,
    /// The deposit is now covered on a pending booking whose resource confirms by itself.
    confirm_now: bool,
}

/// Records `payment` inside `tx`: checks it against the booking (locked),
/// writes it, and recomputes the booking's payment status. A pending
/// booking whose deposit is now covered is held again for the manager's
/// answer (manual approval) or is to be confirmed (automatic).
/// `taken` is money the provider already took: it is recorded even on a
/// booking that closed meanwhile, so it can be refunded.
async fn record_in(
    db: &Db,
    tx: &mut AnyConnection,
    booking_id: i64,
    payment: &NewPayment,
    recorded_by: Option<i64>,
    taken: bool,
    now: DateTime<Utc>,
) -> Result<Recorded, StorageError> {
    let booking = bookings::fetch_locked(db, tx, booking_id).await?;
    let before = ledger(tx, booking_id).await?;
    match check_payment(payment, booking.status, &booking.currency, before) {
        Err(PaymentRefusal::BookingClosed(_)) if taken => {
            tracing::warn!(booking_id, "a provider's payment for a closed booking: recorded, to be refunded");
        }
        other => other.map_err(BookingError::Payment)?,
    }
    sqlx::query(
        "INSERT INTO payments (booking_id, kind, amount_minor, currency, provider, method, reference, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(booking_id)
    .bind(payment.kind.as_str())
    .bind(payment.amount_minor)
    .bind(&booking.currency)
    .bind(payment.source.as_str())
    .bind(payment.method.as_str())
    .bind(&payment.reference)
    .bind(recorded_by)
    .bind(now.timestamp())
    .execute(&mut *tx)
    .await?;
    let status = before.with(payment.kind, payment.amount_minor).status(booking.price_minor, booking.deposit_due_minor);
    let settles = booking.status == BookingStatus::Pending && booking.deposit_unpaid() && status.covers_deposit();
    let rules = calendar::load(tx, booking.resource_id).await?.ok_or(BookingError::UnknownResource)?;
    let hold = match (settles, rules.approval) {
        (true, Approval::Manual) => Some((now + rules.pending_expiry).timestamp()),
        _ => booking.hold_expires_at.map(|t| t.timestamp()),
    };
    sqlx::query("UPDATE bookings SET payment_status = $1, hold_expires_at = $2, updated_at = $3 WHERE id = $4")
        .bind(status.as_str())
        .bind(hold)
        .bind(now.timestamp())
        .bind(booking_id)
        .execute(&mut *tx)
        .await?;
    let updated = bookings::fetch(tx, booking_id).await?.ok_or(BookingError::UnknownBooking)?;
    Ok(Recorded { booking: updated, confirm_now: settles && rules.approval == Approval::Auto })
}

/// Confirms, as the system, a booking whose deposit was just paid (the
/// client is told and live views hear of it, as for any confirmation).
async fn confirm_paid(db: &Db, recorded: Recorded, now: DateTime<Utc>) -> Result<Booking, StorageError> {
    if !recorded.confirm_now {
        return Ok(recorded.booking);
    }
    bookings::apply(db, recorded.booking.id, Action::Confirm, Actor::SYSTEM, "deposit paid", now).await
}

/// Records a payment or refund by a manager or administrator (an
/// administrator's goes into the audit log); returns the booking after it.
pub async fn record(db: &Db, booking_id: i64, payment: &NewPayment, actor: Actor, now: DateTime<Utc>) -> Result<Booking, StorageError> {
    let mut tx = db.begin_write().await?;
    let recorded = record_in(db, &mut tx, booking_id, payment, actor.user_id, false, now).await?;
    if let Some(actor_id) = actor.user_id.filter(|_| actor.role == Role::Admin) {
        let detail = serde_json::json!({
            "kind": payment.kind, "amount_minor": payment.amount_minor, "currency": recorded.booking.currency,
            "provider": payment.source, "method": payment.method, "reference": payment.reference,
        });
        let act = Act { actor_id, action: AuditAction::PaymentRecord, target: target("booking", booking_id), detail };
        audit::record(&mut *tx, &act, now).await?;
    }
    db.commit_announcing(tx, &[BookingChange::of(&recorded.booking, false)]).await?;
    confirm_paid(db, recorded, now).await
}

/// A checkout session the provider opened for a booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutSession {
    pub id: String,
    pub booking_id: i64,
    pub kind: PaymentKind,
    pub amount_minor: i64,
    pub currency: String,
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

pub async fn save_checkout(db: &Db, session: &CheckoutSession, now: DateTime<Utc>) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO checkout_sessions (id, booking_id, kind, amount_minor, currency, url, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&session.id)
    .bind(session.booking_id)
    .bind(session.kind.as_str())
    .bind(session.amount_minor)
    .bind(&session.currency)
    .bind(&session.url)
    .bind(now.timestamp())
    .bind(session.expires_at.timestamp())
    .execute(&mut *db.write().await?)
    .await
    .map_err(super::unique_violation("checkout session"))?;
    Ok(())
}

/// The URL of a booking's checkout that is still open for a while, to send
/// a client who clicks "pay" twice to the same one.
pub async fn open_checkout_url(db: &Db, booking_id: i64, kind: PaymentKind, now: DateTime<Utc>) -> Result<Option<String>, StorageError> {
    let row = sqlx::query(
        "SELECT url FROM checkout_sessions WHERE booking_id = $1 AND kind = $2 AND status = 'open' AND expires_at > $3 \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(booking_id)
    .bind(kind.as_str())
    .bind((now + chrono::Duration::minutes(5)).timestamp())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| r.try_get("url")).transpose()?)
}

/// What a provider's webhook event asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderEvent {
    /// The client paid through this checkout session.
    CheckoutCompleted { session_id: String },
    CheckoutExpired { session_id: String },
    /// Anything else: only remembered.
    Other,
}

/// What handling a webhook event did.
#[derive(Debug, Clone, PartialEq)]
pub enum EventOutcome {
    /// The event id was handled before: nothing changed.
    Replay,
    /// Nothing to do (another event type, an unknown or already completed session).
    Ignored,
    Paid(Box<Booking>),
    Expired,
}

/// Handles one provider event once: its id is remembered in the same
/// transaction, so a replayed event, or a second event for a session
/// already completed, changes nothing.
pub async fn handle_event(db: &Db, provider: PaymentSource, event_id: &str, event: &ProviderEvent, now: DateTime<Utc>) -> Result<EventOutcome, StorageError> {
    let mut tx = db.begin_write().await?;
    let seen = sqlx::query("INSERT INTO webhook_events (provider, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(provider.as_str())
        .bind(event_id)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
    if seen.rows_affected() == 0 {
        return Ok(EventOutcome::Replay);
    }
    let outcome = match event {
        ProviderEvent::CheckoutCompleted { session_id } => complete_checkout(db, &mut tx, session_id, now).await?,
        ProviderEvent::CheckoutExpired { session_id } => {
            let done = sqlx::query("UPDATE checkout_sessions SET status = 'expired' WHERE id = $1 AND status = 'open'")
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
            (if done.rows_affected() == 1 { EventOutcome::Expired } else { EventOutcome::Ignored }, None)
        }
        ProviderEvent::Other => (EventOutcome::Ignored, None),
    };
    match outcome {
        (EventOutcome::Paid(_), Some(recorded)) => {
            db.commit_announcing(tx, &[BookingChange::of(&recorded.booking, false)]).await?;
            Ok(EventOutcome::Paid(Box::new(confirm_paid(db, recorded, now).await?)))
        }
        (outcome, _) => {
            tx.commit().await?;
            Ok(outcome)
        }
    }
}

/// Marks the session completed (once) and records its payment by card.
async fn complete_checkout(
    db: &Db,
    tx: &mut AnyConnection,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<(EventOutcome, Option<Recorded>), StorageError> {
    let row = sqlx::query(
        "UPDATE checkout_sessions SET status = 'completed' WHERE id = $1 AND status <> 'completed' \
         RETURNING booking_id, kind, amount_minor, currency",
    )
    .bind(session_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok((EventOutcome::Ignored, None)) };
    let kind: String = row.try_get("kind")?;
    let payment = NewPayment {
        kind: PaymentKind::parse(&kind).unwrap_or(PaymentKind::Payment),
        amount_minor: row.try_get("amount_minor")?,
        currency: row.try_get("currency")?,
        source: PaymentSource::Stripe,
        method: PaymentMethod::Card,
        reference: session_id.to_string(),
    };
    let recorded = record_in(db, tx, row.try_get("booking_id")?, &payment, None, true, now).await?;
    Ok((EventOutcome::Paid(Box::new(recorded.booking.clone())), Some(recorded)))
}
