//! /panel/reservas/:id: one booking as its resource's managers (and admins)
//! see it — who, when, what for (the service, a workshop's vehicle and
//! problem, an event's type and address), its money and its history — and
//! moving it to another time.

use crate::domain::booking::{BookingEvent, BookingStatus};
use crate::domain::payment::{PaymentKind, PaymentStatus};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingView {
    pub id: i64,
    pub resource_id: i64,
    pub resource: String,
    pub kind: String,
    /// The resource's IANA zone: every time is shown in it.
    pub timezone: String,
    pub status: BookingStatus,
    /// Start and end in the resource's zone and the visitor's language.
    /// Times reach the page formatted, so the browser needs no zone tables.
    pub when: String,
    pub guest_name: String,
    pub guest_email: String,
    pub guest_phone: Option<String>,
    pub service: Option<String>,
    /// e.g. "$450.00 MXN".
    pub price: String,
    /// "Nissan Versa 2019", for a workshop.
    pub vehicle: Option<String>,
    pub problem: Option<String>,
    pub event_type: Option<String>,
    pub address: Option<String>,
    pub notes: String,
    pub payment_status: PaymentStatus,
    /// The deposit the booking was made with, e.g. "$500.00 MXN".
    pub deposit_due: Option<String>,
    pub payments: Vec<PaymentLine>,
    pub history: Vec<HistoryLine>,
}

/// One payment or refund of the booking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentLine {
    /// "2026-03-14 18:30" in the resource's zone.
    pub at: String,
    pub kind: PaymentKind,
    /// e.g. "$450.00 MXN".
    pub amount: String,
}

/// A status change, with its time as `PaymentLine::at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: String,
    pub event: BookingEvent,
}

/// 401 logged out, 403 for anyone but the resource's managers and admins.
#[server(prefix = "/fn", endpoint = "booking-detail")]
pub async fn booking_detail(id: i64) -> Result<BookingView, AppError> {
    use crate::server::fn_context;
    fn_context::respond(
        async {
            let (db, booking) = ssr::managed_booking(id).await?;
            ssr::detail(&db, booking).await
        }
        .await,
    )
}

/// Moves a booking to the local `date` and `time` of its resource (same
/// length), under the same checks as a new booking; its client is told.
/// Its own time is refused too: a move that changes nothing resolves nothing.
#[server(prefix = "/fn", endpoint = "move-booking")]
pub async fn move_booking(booking_id: i64, date: String, time: String) -> Result<(), AppError> {
    use crate::domain::availability::{SlotProblem, Span};
    use crate::domain::booking::BookingError;
    use crate::server::storage::bookings::{self, Actor};
    use crate::server::{auth, availability, fn_context};
    use crate::server_fns::directory::ssr::local_start;
    fn_context::respond(
        async {
            let (db, booking) = ssr::managed_booking(booking_id).await?;
            let user = auth::require_user(&fn_context::auth())?.clone();
            let zone = availability::rules(&db, booking.resource_id).await?.ok_or(AppError::NotFound)?.zone;
            let start = local_start(&date, &time, zone)?;
            if start == booking.start {
                return Err(AppError::Booking(BookingError::Slot(SlotProblem::OutsideHours)));
            }
            let span = Span { start, end: start + (booking.end - booking.start) };
            let actor = Actor { user_id: Some(user.id), role: user.role };
            bookings::reschedule(&db, booking.id, span, actor, crate::server::clock::now()).await?;
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{BookingView, HistoryLine, PaymentLine};
    use crate::domain::time::parse_zone;
    use crate::i18n::{local_period, request_lang};
    use chrono::{DateTime, Utc};
    use chrono_tz::Tz;
    use crate::domain::booking::Booking;
    use crate::domain::vehicle::Vehicle;
    use crate::error::AppError;
    use crate::server::notify::compose::money;
    use crate::server::storage::{bookings, payments, resources, services, Db};
    use crate::server::{auth, fn_context, photos};
    use serde_json::Value;

    /// The booking, once the caller is known to manage its resource (or be an admin).
    pub async fn managed_booking(id: i64) -> Result<(Db, Booking), AppError> {
        let request = fn_context::auth();
        let user = auth::require_user(&request)?;
        let db = fn_context::state()?.db;
        let booking = bookings::get(&db, id).await?.ok_or(AppError::NotFound)?;
        photos::may_change(&db, user, booking.resource_id).await?;
        Ok((db, booking))
    }

    fn text(details: &Value, key: &str) -> Option<String> {
        details[key].as_str().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
    }

    fn log_time(at: DateTime<Utc>, zone: Tz) -> String {
        at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
    }

    pub async fn detail(db: &Db, booking: Booking) -> Result<BookingView, AppError> {
        let resource = resources::find(db, booking.resource_id).await?.ok_or(AppError::NotFound)?;
        let zone = parse_zone(&resource.summary.timezone).unwrap_or(Tz::UTC);
        let service = match booking.service_id {
            Some(id) => services::get(db, id).await?.map(|s| s.name),
            None => None,
        };
        let vehicle = serde_json::from_value::<Vehicle>(booking.details["vehicle"].clone()).ok().map(|v| v.label());
        Ok(BookingView {
            id: booking.id,
            resource_id: resource.summary.id,
            resource: resource.summary.name.clone(),
            kind: resource.summary.kind.clone(),
            timezone: resource.summary.timezone.clone(),
            status: booking.status,
            when: local_period(request_lang(), booking.start, booking.end, zone),
            guest_name: booking.guest_name.clone(),
            guest_email: booking.guest_email.clone(),
            guest_phone: booking.guest_phone.clone(),
            service,
            price: money(booking.price_minor, &booking.currency),
            vehicle,
            problem: text(&booking.details, "problem"),
            event_type: text(&booking.details, "event_type"),
            address: text(&booking.details, "address"),
            notes: booking.notes.clone(),
            payment_status: booking.payment_status,
            deposit_due: (booking.deposit_due_minor > 0).then(|| money(booking.deposit_due_minor, &booking.currency)),
            payments: payments::list_for_booking(db, booking.id)
                .await?
                .into_iter()
                .map(|p| PaymentLine { at: log_time(p.created_at, zone), kind: p.kind, amount: money(p.amount_minor, &p.currency) })
                .collect(),
            history: bookings::history(db, booking.id)
                .await?
                .into_iter()
                .map(|event| HistoryLine { at: log_time(event.at, zone), event })
                .collect(),
        })
    }
}
