//! Personal data in storage: replacing it in finished bookings and their
//! messages, and deleting accounts. Every change is one UPDATE with a WHERE
//! that leaves done rows alone, so running it twice, after a restart or on
//! several instances at once changes each row once.

use super::audit::{self, Act};
use super::{Db, StorageError};
use crate::domain::privacy::{
    deleted_email, finished_statuses, may_delete_account, ANONYMIZED_NAME, ANONYMIZED_RECIPIENT, STALE_MESSAGE_HOURS,
};
use chrono::{DateTime, Duration, Utc};
use sqlx::{AnyConnection, Row};

/// Replaces the personal data of the finished bookings that also match
/// `condition` (which may use `$3`, bound to `value`); returns how many.
async fn anonymize_bookings(conn: &mut AnyConnection, condition: &str, value: i64, now: DateTime<Utc>) -> Result<u64, StorageError> {
    let finished = finished_statuses().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "UPDATE bookings SET guest_name = $1, guest_email = '', guest_phone = NULL, notes = '', details = '{{}}', \
         anonymized_at = $2, updated_at = $2 WHERE anonymized_at IS NULL AND status IN ({finished}) AND {condition}"
    );
    let done = sqlx::query(&sql).bind(ANONYMIZED_NAME).bind(now.timestamp()).bind(value).execute(&mut *conn).await?;
    Ok(done.rows_affected())
}

/// Clears what anonymized bookings' history and messages still say about
/// people: reasons typed in the history; the recipient, words and data of
/// their messages. A message being delivered right now, or still waiting for
/// its first delivery (less than a day), is left for a later run; one waiting
/// longer is given up (failed).
async fn scrub_anonymized(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<(), StorageError> {
    const ANONYMIZED: &str = "booking_id IN (SELECT id FROM bookings WHERE anonymized_at IS NOT NULL)";
    sqlx::query(&format!("UPDATE booking_events SET reason = '' WHERE reason <> '' AND {ANONYMIZED}"))
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!(
        "UPDATE outbox_messages SET recipient = $1, subject = '', body_text = '', body_html = '', ics = NULL, \
         data = '{{}}', last_error = '', status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END \
         WHERE {ANONYMIZED} AND (claimed_until IS NULL OR claimed_until <= $2) AND (status <> 'pending' OR send_after <= $3) \
         AND (recipient <> $1 OR subject <> '' OR body_text <> '' OR body_html <> '' OR ics IS NOT NULL \
              OR data <> '{{}}' OR last_error <> '')"
    ))
    .bind(ANONYMIZED_RECIPIENT)
    .bind(now.timestamp())
    .bind((now - Duration::hours(STALE_MESSAGE_HOURS)).timestamp())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The retention job: anonymizes the finished bookings that ended before
/// `cutoff` (none when `None`) or whose client deleted their account, and
/// what their messages still hold. Returns how many bookings it anonymized.
pub async fn anonymize_due(db: &Db, cutoff: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<u64, StorageError> {
    let mut tx = db.begin_write().await?;
    let due = "(ends_at < $3 OR client_id IN (SELECT id FROM users WHERE deleted_at IS NOT NULL))";
    let anonymized = anonymize_bookings(&mut tx, due, cutoff.map_or(i64::MIN, |c| c.timestamp()), now).await?;
    scrub_anonymized(&mut tx, now).await?;
    tx.commit().await?;
    Ok(anonymized)
}

/// The administrators still active other than `user_id`, locked until the
/// transaction ends so two of them cannot both leave at once.
async fn other_admins(db: &Db, conn: &mut AnyConnection, user_id: i64) -> Result<usize, StorageError> {
    let rows = sqlx::query(&format!("SELECT id FROM users WHERE role = 'admin' AND deleted_at IS NULL{}", db.for_update()))
        .fetch_all(&mut *conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
    Ok(ids.into_iter().filter(|id| *id != user_id).count())
}

/// Deletes an account: its personal fields are replaced and it can no
/// longer log in (sessions and API tokens removed, email freed); it stops
/// managing resources; its finished bookings are anonymized at once, the
/// others once they finish (by the retention job). The bookings themselves
/// stay for the managers' records. `DeletionRefused` for the last administrator.
pub async fn delete_account(db: &Db, user_id: i64, audit_entry: Option<&Act>, now: DateTime<Utc>) -> Result<(), StorageError> {
    let mut tx = db.begin_write().await?;
    let others = other_admins(db, &mut tx, user_id).await?;
    let row = sqlx::query(&format!("SELECT role FROM users WHERE id = $1 AND deleted_at IS NULL{}", db.for_update()))
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(()) };
    let role: String = row.try_get("role")?;
    let role = role.parse().map_err(|_| super::users::decode_error("role", &role))?;
    may_delete_account(role, others)?;
    sqlx::query("UPDATE users SET email = $1, name = $2, phone = NULL, password_hash = '!', deleted_at = $3 WHERE id = $4")
        .bind(deleted_email(user_id))
        .bind(ANONYMIZED_NAME)
        .bind(now.timestamp())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for table in ["sessions", "api_tokens", "resource_managers", "vehicles"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1")).bind(user_id).execute(&mut *tx).await?;
    }
    anonymize_bookings(&mut tx, "client_id = $3", user_id, now).await?;
    scrub_anonymized(&mut tx, now).await?;
    if let Some(act) = audit_entry {
        audit::record(&mut *tx, act, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
