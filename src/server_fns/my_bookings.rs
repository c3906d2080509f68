//! A logged-in person's own bookings (those where they are the client), and
//! cancelling one of them under the client's cancellation policy.

use crate::domain::booking::BookingStatus;
use crate::domain::payment::PaymentStatus;
use crate::error::AppError;
use crate::server_fns::reviews::ReviewNow;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many past bookings the page lists, newest first.
pub const PAST_LIMIT: usize = 50;

/// Where the "pay the deposit" form posts (a plain form; answered with a
/// redirect to the payment provider's page).
pub const PAY_DEPOSIT_PATH: &str = "/mis-reservas/pagar-anticipo";

/// The longest cancellation reason kept.
pub const REASON_MAX_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnBookings {
    /// Not over yet (end after now), soonest first.
    pub upcoming: Vec<MyBooking>,
    /// Over, newest first, at most `PAST_LIMIT`.
    pub past: Vec<MyBooking>,
}

/// One booking as the page shows it: texts in the visitor's language, times
/// in the resource's zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyBooking {
    pub id: i64,
    pub resource_name: String,
    pub resource_kind: String,
    pub resource_slug: String,
    /// IANA name of the resource's zone, in which every time here is given.
    pub timezone: String,
    /// e.g. "viernes 21 de noviembre de 2025, 14:00".
    pub starts: String,
    pub ends: String,
    /// Start and end together; the end's date only when it is another day.
    pub when: String,
    pub status: BookingStatus,
    /// e.g. "$1,500.00 MXN".
    pub price: String,
    pub party_size: u32,
    pub notes: String,
    pub attendance_confirmed_at: Option<String>,
    pub cancel: CancelNow,
    pub review: ReviewNow,
    pub payment_status: PaymentStatus,
    /// The deposit asked when it was booked (e.g. "$500.00 MXN"), if any.
    pub deposit: Option<String>,
    pub deposit_payment: DepositPayment,
}

/// How the client pays a deposit still owed on a pending booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepositPayment {
    /// Nothing owed now.
    None,
    /// Online, from this page (the "pay the deposit" form).
    Online,
    /// At the place, to the manager (no online payments).
    InPerson,
}

impl DepositPayment {
    pub fn of(booking: &crate::domain::booking::Booking, online: bool) -> DepositPayment {
        match (booking.status == BookingStatus::Pending && booking.deposit_unpaid(), online) {
            (false, _) => DepositPayment::None,
            (true, true) => DepositPayment::Online,
            (true, false) => DepositPayment::InPerson,
        }
    }
}

/// Whether the client may cancel the booking now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelNow {
    /// Yes, until this moment (in the resource's zone).
    Until(String),
    /// No: the cutoff, `hours` before the start, has passed.
    TooLate { hours: i64 },
    /// No: the booking's status does not allow it (cancelled, finished...).
    NotCancellable,
}

#[server(prefix = "/fn", endpoint = "my-bookings")]
pub async fn my_bookings() -> Result<OwnBookings, AppError> {
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let user = auth::require_user(&request)?;
            let state = fn_context::state()?;
            let online = crate::server::payments::PaymentProvider::of(&state.config).online();
            ssr::list(&state.db, user.id, crate::i18n::request_lang(), online, crate::server::clock::now()).await
        }
        .await,
    )
}

/// Cancels one of the caller's own bookings as a client: the resource's
/// cutoff applies whatever the caller's role. 404 for an unknown booking,
/// 403 for someone else's, 409 when the policy refuses.
#[server(prefix = "/fn", endpoint = "cancel-my-booking")]
pub async fn cancel_my_booking(booking_id: i64, #[server(default)] reason: String) -> Result<i64, AppError> {
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let user = auth::require_user(&request)?;
            let state = fn_context::state()?;
            ssr::cancel(&state.db, user.id, booking_id, &reason, crate::server::clock::now()).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{CancelNow, DepositPayment, MyBooking, OwnBookings, ReviewNow, PAST_LIMIT, REASON_MAX_CHARS};
    use crate::domain::account::{Lang, Problem, Role};
    use crate::domain::booking::{may_cancel, Action, Booking, BookingError, CancelRefusal};
    use crate::error::AppError;
    use crate::i18n::{local_moment, local_period};
    use crate::server::availability;
    use crate::server::notify::compose::money;
    use crate::server::storage::bookings::{self, Actor, Filter};
    use crate::server::storage::reviews::Review;
    use crate::server::storage::{resources, Db};
    use crate::server_fns::reviews::ssr::{given_by, review_now};
    use chrono::{DateTime, Duration, Utc};
    use std::collections::HashMap;

    /// What a booking's card needs from its resource.
    struct ResourceFacts {
        name: String,
        kind: String,
        slug: String,
        zone: chrono_tz::Tz,
        cancel_cutoff_hours: i64,
    }

    async fn facts(db: &Db, resource_id: i64) -> Result<ResourceFacts, AppError> {
        let rules = availability::rules(db, resource_id).await?.ok_or(AppError::Booking(BookingError::UnknownResource))?;
        let detail = resources::find(db, resource_id).await?.ok_or(AppError::Booking(BookingError::UnknownResource))?;
        Ok(ResourceFacts {
            name: detail.summary.name,
            kind: detail.summary.kind,
            slug: detail.summary.slug,
            zone: rules.zone,
            cancel_cutoff_hours: rules.cancel_cutoff_hours,
        })
    }

    /// How a card is shown: in which language, when, and whether clients pay online.
    #[derive(Clone, Copy)]
    struct View {
        lang: Lang,
        online: bool,
        now: DateTime<Utc>,
    }

    fn card(booking: &Booking, resource: &ResourceFacts, review: ReviewNow, view: View) -> MyBooking {
        let View { lang, online, now } = view;
        let zone = resource.zone;
        let cutoff = resource.cancel_cutoff_hours;
        let cancel = match may_cancel(booking.status, Role::Client, booking.start, now, cutoff) {
            Ok(_) => CancelNow::Until(local_moment(lang, booking.start - Duration::hours(cutoff), zone)),
            Err(CancelRefusal::TooLate { hours }) => CancelNow::TooLate { hours },
            Err(CancelRefusal::Illegal(_)) => CancelNow::NotCancellable,
        };
        MyBooking {
            id: booking.id,
            resource_name: resource.name.clone(),
            resource_kind: resource.kind.clone(),
            resource_slug: resource.slug.clone(),
            timezone: zone.name().to_string(),
            starts: local_moment(lang, booking.start, zone),
            ends: local_moment(lang, booking.end, zone),
            when: local_period(lang, booking.start, booking.end, zone),
            status: booking.status,
            price: money(booking.price_minor, &booking.currency),
            party_size: booking.party_size,
            notes: booking.notes.clone(),
            attendance_confirmed_at: booking.attendance_confirmed_at.map(|t| local_moment(lang, t, zone)),
            cancel,
            review,
            payment_status: booking.payment_status,
            deposit: (booking.deposit_due_minor > 0).then(|| money(booking.deposit_due_minor, &booking.currency)),
            deposit_payment: DepositPayment::of(booking, online),
        }
    }

    /// The cards of `list`, looking each resource up once.
    async fn cards(
        db: &Db,
        list: &[&Booking],
        known: &mut HashMap<i64, ResourceFacts>,
        reviews: &HashMap<i64, Review>,
        view: View,
    ) -> Result<Vec<MyBooking>, AppError> {
        let mut out = Vec::with_capacity(list.len());
        for booking in list {
            if !known.contains_key(&booking.resource_id) {
                known.insert(booking.resource_id, facts(db, booking.resource_id).await?);
            }
            let review = booking.client_id.map_or(ReviewNow::Unavailable, |client| review_now(client, booking, reviews.get(&booking.id)));
            out.push(card(booking, &known[&booking.resource_id], review, view));
        }
        Ok(out)
    }

    pub async fn list(db: &Db, user_id: i64, lang: Lang, online: bool, now: DateTime<Utc>) -> Result<OwnBookings, AppError> {
        let view = View { lang, online, now };
        // Oldest start first; one person's bookings are few enough to split here.
        let all = bookings::list(db, &Filter { client_id: Some(user_id), ..Filter::default() }, 0, i64::MAX).await?;
        let mut known = HashMap::new();
        let upcoming: Vec<&Booking> = all.iter().filter(|b| b.end > now).collect();
        let past: Vec<&Booking> = all.iter().rev().filter(|b| b.end <= now).take(PAST_LIMIT).collect();
        let reviews = given_by(db, user_id).await?;
        let upcoming = cards(db, &upcoming, &mut known, &reviews, view).await?;
        let past = cards(db, &past, &mut known, &reviews, view).await?;
        Ok(OwnBookings { upcoming, past })
    }

    pub async fn cancel(db: &Db, user_id: i64, booking_id: i64, reason: &str, now: DateTime<Utc>) -> Result<i64, AppError> {
        let reason = reason.trim();
        if reason.chars().count() > REASON_MAX_CHARS {
            return Err(AppError::invalid("reason", Problem::TooLong));
        }
        let booking = bookings::get(db, booking_id).await?.ok_or(AppError::Booking(BookingError::UnknownBooking))?;
        if booking.client_id != Some(user_id) {
            return Err(AppError::Forbidden);
        }
        // As the client, whatever the caller's role: the client's cutoff applies.
        let client = Actor { user_id: Some(user_id), role: Role::Client };
        bookings::apply(db, booking.id, Action::Cancel, client, reason, now).await?;
        Ok(booking.id)
    }
}
