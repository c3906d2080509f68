//! Attendance confirmed by the client, through the link in a reminder.

use super::bookings::{fetch_locked, record_event, Actor};
use super::{Db, StorageError};
use crate::domain::account::Role;
use crate::domain::booking::{Booking, BookingError, BookingStatus};
use chrono::{DateTime, Utc};

/// Records that the client will come (or is there). Only a confirmed or
/// in-progress booking takes it; confirming again keeps the first time.
pub async fn confirm(db: &Db, booking_id: i64, now: DateTime<Utc>) -> Result<Booking, StorageError> {
    let mut tx = db.begin_write().await?;
    let booking = fetch_locked(db, &mut tx, booking_id).await?;
    if !matches!(booking.status, BookingStatus::Confirmed | BookingStatus::InProgress) {
        return Err(BookingError::AttendanceNotConfirmable(booking.status).into());
    }
    if booking.attendance_confirmed_at.is_some() {
        return Ok(booking);
    }
    sqlx::query("UPDATE bookings SET attendance_confirmed_at = $1, updated_at = $1 WHERE id = $2")
        .bind(now.timestamp())
        .bind(booking_id)
        .execute(&mut *tx)
        .await?;
    let client = Actor { user_id: booking.client_id, role: Role::Client };
    record_event(&mut tx, booking_id, client, Some(booking.status), booking.status, "attendance confirmed", now).await?;
    let updated = fetch_locked(db, &mut tx, booking_id).await?;
    tx.commit().await?;
    Ok(updated)
}
