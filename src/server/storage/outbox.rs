//! The transactional outbox: messages written in the same transaction as the
//! booking change they tell about, then claimed and delivered by a worker.
//! A claim is a lease, so a worker that dies mid-delivery loses nothing: once
//! the lease runs out another worker takes the message.

use super::calendar::from_unix;
use super::{Db, StorageError};
use crate::domain::account::{Lang, Role};
use crate::domain::booking::Booking;
use crate::server::notify::compose::{Audience, MessageEvent};
use crate::server::notify::policy;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Pending,
    Sent,
    Failed,
    /// No transport configured: rendered and kept for the "Sent mail" page.
    Kept,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Kept => "kept",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        [DeliveryStatus::Pending, DeliveryStatus::Sent, DeliveryStatus::Failed, DeliveryStatus::Kept]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// What a message needs beyond the booking itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageData {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Rescheduled: the start before the move (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_start: Option<i64>,
    /// Reminders: the start it reminds of and how long before it, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_for: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_offset_minutes: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessage {
    pub id: i64,
    pub booking_id: Option<i64>,
    pub channel: Channel,
    pub event: String,
    pub audience: Audience,
    pub recipient: String,
    pub lang: Lang,
    pub data: MessageData,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub ics: Option<String>,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub send_after: DateTime<Utc>,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl OutboxMessage {
    pub fn event(&self) -> Option<MessageEvent> {
        policy::event_named(&self.event)
    }
}

/// The words of a message once rendered, kept with it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub ics: Option<String>,
}

const COLUMNS: &str = "id, booking_id, channel, event, audience, recipient, lang, data, subject, body_text, body_html, \
                       ics, status, attempts, send_after, last_error, created_at, sent_at";

fn from_row(row: &AnyRow) -> Result<OutboxMessage, sqlx::Error> {
    let text = |name: &str| row.try_get::<String, _>(name);
    let bad = |name: &str, value: &str| super::users::decode_error(name, value);
    let channel = text("channel")?;
    let audience = text("audience")?;
    let status = text("status")?;
    let lang = text("lang")?;
    Ok(OutboxMessage {
        id: row.try_get("id")?,
        booking_id: row.try_get("booking_id")?,
        channel: match channel.as_str() {
            "email" => Channel::Email,
            "sms" => Channel::Sms,
            other => return Err(bad("channel", other)),
        },
        event: text("event")?,
        audience: match audience.as_str() {
            "client" => Audience::Client,
            "manager" => Audience::Manager,
            other => return Err(bad("audience", other)),
        },
        recipient: text("recipient")?,
        lang: Lang::parse(&lang).ok_or_else(|| bad("lang", &lang))?,
        data: serde_json::from_str(&text("data")?).unwrap_or_default(),
        subject: text("subject")?,
        body_text: text("body_text")?,
        body_html: text("body_html")?,
        ics: row.try_get("ics")?,
        status: DeliveryStatus::parse(&status).ok_or_else(|| bad("status", &status))?,
        attempts: row.try_get::<i64, _>("attempts")?.clamp(0, u32::MAX as i64) as u32,
        send_after: from_unix(row.try_get("send_after")?),
        last_error: text("last_error")?,
        created_at: from_unix(row.try_get("created_at")?),
        sent_at: row.try_get::<Option<i64>, _>("sent_at")?.map(from_unix),
    })
}

/// Somebody to tell: an address (or phone number) and a language.
#[derive(Debug, Clone, PartialEq)]
struct Recipient {
    address: String,
    lang: Lang,
}

/// The client, at the booking's address, in their language (a guest, with
/// no account, gets the default).
async fn client_of(conn: &mut AnyConnection, booking: &Booking) -> Result<Recipient, StorageError> {
    let lang: String = sqlx::query_scalar("SELECT COALESCE((SELECT lang FROM users WHERE id = $1), $2)")
        .bind(booking.client_id)
        .bind(Lang::default().code())
        .fetch_one(&mut *conn)
        .await?;
    Ok(Recipient { address: booking.guest_email.clone(), lang: Lang::parse(&lang).unwrap_or_default() })
}

#[derive(Clone, Copy)]
struct NewMessage<'a> {
    booking_id: i64,
    channel: Channel,
    event: MessageEvent,
    audience: Audience,
    recipient: &'a Recipient,
    data: &'a MessageData,
    send_after: DateTime<Utc>,
}

fn audience_name(audience: Audience) -> &'static str {
    match audience {
        Audience::Client => "client",
        Audience::Manager => "manager",
    }
}

fn data_json(data: &MessageData) -> String {
    serde_json::to_string(data).unwrap_or_else(|_| "{}".into())
}

async fn insert(conn: &mut AnyConnection, m: NewMessage<'_>, now: DateTime<Utc>) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO outbox_messages (booking_id, channel, event, audience, recipient, lang, data, send_after, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(m.booking_id)
    .bind(m.channel.as_str())
    .bind(m.event.as_str())
    .bind(audience_name(m.audience))
    .bind(m.recipient.address.clone())
    .bind(m.recipient.lang.code())
    .bind(data_json(m.data))
    .bind(m.send_after.timestamp())
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes the emails that tell about `event`, inside the change's
/// transaction: to the client and, when the event concerns them, to each of
/// the resource's managers in their own language.
pub(super) async fn tell(
    conn: &mut AnyConnection,
    booking: &Booking,
    event: MessageEvent,
    new_booking: bool,
    by: Role,
    data: &MessageData,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    tell_all(conn, &[Telling { booking, event, new_booking, by, data, now }]).await
}

/// A change to tell about (see `tell`).
pub(super) struct Telling<'a> {
    pub booking: &'a Booking,
    pub event: MessageEvent,
    pub new_booking: bool,
    pub by: Role,
    pub data: &'a MessageData,
    pub now: DateTime<Utc>,
}

/// `tell` for several changes, in one statement whose plan is the same for
/// any number of changes: the changes are a VALUES list joined to their
/// recipients, not a subquery each.
pub(super) async fn tell_all(conn: &mut AnyConnection, changes: &[Telling<'_>]) -> Result<(), StorageError> {
    if changes.is_empty() {
        return Ok(());
    }
    let default_lang = 8 * changes.len() + 1;
    let sql = format!(
        "WITH c (booking_id, client_id, event, data, at, email, resource_id, managers_too) AS (VALUES {}) \
         INSERT INTO outbox_messages (booking_id, channel, event, audience, recipient, lang, data, send_after, created_at) \
         SELECT booking_id, 'email', event, audience, recipient, lang, data, at, at FROM ( \
         SELECT c.booking_id, c.event, c.data, c.at, 0 AS manager, 0 AS user_id, 'client' AS audience, \
         c.email AS recipient, COALESCE(u.lang, ${default_lang}) AS lang FROM c LEFT JOIN users u ON u.id = c.client_id \
         UNION ALL SELECT c.booking_id, c.event, c.data, c.at, 1, u.id, 'manager', u.email, u.lang \
         FROM c JOIN resource_managers m ON m.resource_id = c.resource_id JOIN users u ON u.id = m.user_id \
         WHERE c.managers_too = 1) AS recipients ORDER BY booking_id, manager, user_id",
        super::values_rows(changes.len(), &[1, 2, 3, 4, 5, 6, 7, 8]),
    );
    let mut query = sqlx::query(&sql);
    for c in changes {
        let managers_too = policy::audiences(c.event, c.new_booking, c.by).contains(&Audience::Manager);
        query = query
            .bind(c.booking.id)
            .bind(c.booking.client_id)
            .bind(c.event.as_str())
            .bind(data_json(c.data))
            .bind(c.now.timestamp())
            .bind(&c.booking.guest_email)
            .bind(c.booking.resource_id)
            .bind(i64::from(managers_too));
    }
    query.bind(Lang::default().code()).execute(&mut *conn).await?;
    Ok(())
}

/// Reminders already written for a booking's start, as offsets.
async fn reminders_written(conn: &mut AnyConnection, booking_id: i64, start: DateTime<Utc>) -> Result<Vec<Duration>, StorageError> {
    let rows = sqlx::query("SELECT data FROM outbox_messages WHERE booking_id = $1 AND event = 'reminder'")
        .bind(booking_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut offsets = Vec::new();
    for row in rows {
        let data: MessageData = serde_json::from_str(&row.try_get::<String, _>("data")?).unwrap_or_default();
        if data.reminder_for == Some(start.timestamp()) {
            offsets.extend(data.reminder_offset_minutes.map(Duration::minutes));
        }
    }
    Ok(offsets)
}

/// Writes the reminders that are due by `now` for confirmed bookings: an email
/// to the client, and an SMS when the client gave a phone number and the
/// resource sends SMS reminders. Returns how many bookings were reminded.
/// Each booking row is locked while its reminders are written, so several
/// instances never write the same reminder twice.
pub async fn write_due_reminders(db: &Db, offsets: &[Duration], now: DateTime<Utc>) -> Result<usize, StorageError> {
    let Some(longest) = offsets.iter().max() else { return Ok(0) };
    let candidates: Vec<i64> = sqlx::query(
        "SELECT id FROM bookings WHERE status = 'confirmed' AND starts_at > $1 AND starts_at <= $2 ORDER BY starts_at",
    )
    .bind(now.timestamp())
    .bind((now + *longest).timestamp())
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|row| row.try_get("id"))
    .collect::<Result<_, _>>()?;
    let mut reminded = 0;
    for id in candidates {
        if remind_one(db, id, offsets, now).await? {
            reminded += 1;
        }
    }
    Ok(reminded)
}

async fn remind_one(db: &Db, id: i64, offsets: &[Duration], now: DateTime<Utc>) -> Result<bool, StorageError> {
    let mut tx = db.begin_write().await?;
    let booking = super::bookings::fetch_locked(db, &mut tx, id).await?;
    let sent = reminders_written(&mut tx, id, booking.start).await?;
    let due = (booking.status == crate::domain::booking::BookingStatus::Confirmed)
        .then(|| policy::reminder_due(booking.start, booking.timed_at, offsets, &sent, now))
        .flatten();
    let Some(offset) = due else { return Ok(false) };
    let data = MessageData {
        reminder_for: Some(booking.start.timestamp()),
        reminder_offset_minutes: Some(offset.num_minutes()),
        ..MessageData::default()
    };
    let client = client_of(&mut tx, &booking).await?;
    let email = NewMessage {
        booking_id: id,
        channel: Channel::Email,
        event: MessageEvent::Reminder,
        audience: Audience::Client,
        recipient: &client,
        data: &data,
        send_after: now,
    };
    insert(&mut tx, email, now).await?;
    if let Some(phone) = sms_phone(&mut tx, &booking).await? {
        let by_sms = Recipient { address: phone, lang: client.lang };
        let sms = NewMessage { channel: Channel::Sms, recipient: &by_sms, ..email };
        insert(&mut tx, sms, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The client's phone when the resource sends SMS reminders.
async fn sms_phone(conn: &mut AnyConnection, booking: &Booking) -> Result<Option<String>, StorageError> {
    let Some(phone) = booking.guest_phone.clone().filter(|p| !p.is_empty()) else { return Ok(None) };
    let enabled: i64 = sqlx::query("SELECT sms_reminders FROM resources WHERE id = $1")
        .bind(booking.resource_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("sms_reminders")?;
    Ok((enabled != 0).then_some(phone))
}

pub async fn sms_reminders(db: &Db, resource_id: i64) -> Result<bool, StorageError> {
    let row = sqlx::query("SELECT sms_reminders FROM resources WHERE id = $1").bind(resource_id).fetch_one(db.pool()).await?;
    Ok(row.try_get::<i64, _>("sms_reminders")? != 0)
}

/// Turns SMS reminders on or off for a resource.
pub async fn set_sms_reminders(db: &Db, resource_id: i64, on: bool) -> Result<(), StorageError> {
    sqlx::query("UPDATE resources SET sms_reminders = $1 WHERE id = $2").bind(i64::from(on)).bind(resource_id).execute(&mut *db.write().await?).await?;
    Ok(())
}

/// Takes up to `limit` due messages for `lease`, oldest first, in one
/// statement; on PostgreSQL rows another worker holds are passed over.
pub async fn claim(db: &Db, now: DateTime<Utc>, lease: Duration, limit: i64) -> Result<Vec<OutboxMessage>, StorageError> {
    let sql = format!(
        "UPDATE outbox_messages SET claimed_until = $1 WHERE id IN (SELECT id FROM outbox_messages \
         WHERE status = 'pending' AND send_after <= $2 AND (claimed_until IS NULL OR claimed_until <= $2) \
         ORDER BY send_after, id LIMIT $3{}) RETURNING {COLUMNS}",
        db.skip_locked()
    );
    let rows = sqlx::query(&sql)
        .bind((now + lease).timestamp())
        .bind(now.timestamp())
        .bind(limit)
        .fetch_all(&mut *db.write().await?)
        .await?;
    let mut claimed = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    // RETURNING need not keep the subquery's order.
    claimed.sort_by_key(|m| (m.send_after, m.id));
    Ok(claimed)
}

/// A message that was handed over (or kept), with the words it went with.
pub struct Delivered<'a> {
    pub id: i64,
    pub status: DeliveryStatus,
    pub words: &'a Rendered,
}

/// Records delivered (or kept) messages with their words, in one statement.
pub async fn mark_delivered(db: &Db, delivered: &[Delivered<'_>], now: DateTime<Utc>) -> Result<(), StorageError> {
    if delivered.is_empty() {
        return Ok(());
    }
    // A VALUES list's columns are column1, column2, … on both engines.
    let sql = format!(
        "UPDATE outbox_messages SET status = v.column2, subject = v.column3, body_text = v.column4, \
         body_html = v.column5, ics = v.column6, sent_at = ${}, attempts = attempts + 1, claimed_until = NULL, \
         last_error = '' FROM (VALUES {}) AS v WHERE outbox_messages.id = v.column1",
        6 * delivered.len() + 1,
        super::values_rows(delivered.len(), &[1, 2, 3, 4, 5, 6]),
    );
    let mut query = sqlx::query(&sql);
    for d in delivered {
        query = query
            .bind(d.id)
            .bind(d.status.as_str())
            .bind(&d.words.subject)
            .bind(&d.words.text)
            .bind(&d.words.html)
            .bind(d.words.ics.as_deref());
    }
    query.bind(now.timestamp()).execute(&mut *db.write().await?).await?;
    Ok(())
}

/// Records a failed attempt: tried again at `retry_at`, or marked failed when
/// there is none.
pub async fn mark_attempt_failed(db: &Db, id: i64, error: &str, retry_at: Option<DateTime<Utc>>) -> Result<(), StorageError> {
    let status = if retry_at.is_some() { DeliveryStatus::Pending } else { DeliveryStatus::Failed };
    sqlx::query(
        "UPDATE outbox_messages SET status = $1, attempts = attempts + 1, last_error = $2, claimed_until = NULL, \
         send_after = COALESCE($3, send_after) WHERE id = $4",
    )
    .bind(status.as_str())
    .bind(error)
    .bind(retry_at.map(|t| t.timestamp()))
    .bind(id)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(())
}

/// Puts a failed message back in the queue (an admin's "retry"); not one
/// whose recipient was anonymized.
pub async fn retry(db: &Db, id: i64, now: DateTime<Utc>) -> Result<bool, StorageError> {
    let done = sqlx::query(
        "UPDATE outbox_messages SET status = 'pending', attempts = 0, send_after = $1, claimed_until = NULL \
         WHERE id = $2 AND status = 'failed' AND recipient <> $3",
    )
    .bind(now.timestamp())
    .bind(id)
    .bind(crate::domain::privacy::ANONYMIZED_RECIPIENT)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The newest messages first.
pub async fn list(db: &Db, status: Option<DeliveryStatus>, limit: i64) -> Result<Vec<OutboxMessage>, StorageError> {
    let rows = match status {
        Some(status) => {
            sqlx::query(&format!("SELECT {COLUMNS} FROM outbox_messages WHERE status = $1 ORDER BY id DESC LIMIT $2"))
                .bind(status.as_str())
                .bind(limit)
                .fetch_all(db.pool())
                .await?
        }
        None => {
            sqlx::query(&format!("SELECT {COLUMNS} FROM outbox_messages ORDER BY id DESC LIMIT $1"))
                .bind(limit)
                .fetch_all(db.pool())
                .await?
        }
    };
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

pub async fn list_for_booking(db: &Db, booking_id: i64) -> Result<Vec<OutboxMessage>, StorageError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox_messages WHERE booking_id = $1 ORDER BY id"))
        .bind(booking_id)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// The messages to the client about the bookings of `client_id`, oldest first.
pub async fn list_to_client_of(db: &Db, client_id: i64) -> Result<Vec<OutboxMessage>, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM outbox_messages WHERE audience = 'client' \
         AND booking_id IN (SELECT id FROM bookings WHERE client_id = $1) ORDER BY id"
    ))
    .bind(client_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// How many messages there are in each delivery status (for /metrics).
pub async fn count_by_status(db: &Db) -> Result<Vec<(DeliveryStatus, i64)>, StorageError> {
    let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM outbox_messages GROUP BY status ORDER BY status")
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            let status = DeliveryStatus::parse(&status).ok_or_else(|| super::users::decode_error("status", &status))?;
            Ok((status, row.try_get("n")?))
        })
        .collect()
}

/// When the longest-waiting message that is due was due: the delivery lag.
/// None when nothing pending is due at `now`.
pub async fn oldest_due_pending(db: &Db, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StorageError> {
    let row = sqlx::query(
        "SELECT send_after FROM outbox_messages WHERE status = 'pending' AND send_after <= $1 \
         ORDER BY send_after LIMIT 1",
    )
    .bind(now.timestamp())
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(row) => Some(from_unix(row.try_get("send_after")?)),
        None => None,
    })
}
