//! The signed links of booking emails: what a link is about, and doing the
//! one thing it allows. No login: the signed token is the permission, and it
//! covers one booking and one action until it expires.

use crate::domain::booking::{BookingError, BookingStatus};
use crate::domain::link::LinkAction;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How far ahead a reschedule link offers new times.
pub const RESCHEDULE_DAYS: u64 = 14;

/// A booking as its link page shows it; texts already in the visitor's
/// language and times in the resource's zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkView {
    pub token: String,
    pub action: LinkAction,
    pub booking_id: i64,
    pub resource_name: String,
    /// IANA name of the resource's zone, in which every time here is given.
    pub timezone: String,
    /// e.g. "viernes 21 de noviembre de 2025, 14:00 – 16:00".
    pub when: String,
    pub guest_name: String,
    pub status: BookingStatus,
    pub attendance_confirmed_at: Option<String>,
    /// Cancel links: the last moment a client may cancel.
    pub cancel_until: Option<String>,
    pub state: LinkState,
    /// A stay (rooms): new arrival days are offered, keeping its length.
    pub stay: bool,
    /// Reschedule links: the free times, by local day (the list shown
    /// without JavaScript, and for stays).
    pub free_days: Vec<FreeDay>,
    /// Reschedule links of slot resources whose booking length is one the
    /// resource offers: the month calendar can pick the new time.
    pub picker: Option<PickerSetup>,
}

/// What the month calendar of a reschedule link needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickerSetup {
    pub slug: String,
    /// Today in the resource's zone, "2026-12-05".
    pub today: String,
    /// The booking's length, kept when it moves.
    pub duration_minutes: i64,
}

/// Whether the link's action can be done now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    Ready,
    /// Already done: attendance recorded, or the booking cancelled.
    Done,
    /// Not possible any more, and why.
    Refused(BookingError),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeDay {
    pub day: String,
    pub times: Vec<FreeTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeTime {
    /// RFC 3339, what the form sends back.
    pub start: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkDone {
    AttendanceRecorded,
    Cancelled,
    Rescheduled,
}

/// Reads only: opening a link never changes anything (mail scanners open
/// links too). 400 for a token this app did not sign, 410 when it expired,
/// 404 when the booking is gone.
#[server(prefix = "/fn", endpoint = "link-details")]
pub async fn link_details(token: String) -> Result<LinkView, AppError> {
    use crate::server::fn_context;
    fn_context::respond(
        async {
            let state = fn_context::state()?;
            ssr::details(&state, &token, crate::i18n::request_lang(), crate::server::clock::now()).await
        }
        .await,
    )
}

/// Does what the link is for. The new time of a reschedule is either `start`
/// (RFC 3339, the list of free times) or `date` and `time` ("2026-12-05",
/// "14:00", local to the resource: the month calendar).
#[server(prefix = "/fn", endpoint = "link-act")]
pub async fn link_act(
    token: String,
    start: Option<String>,
    date: Option<String>,
    time: Option<String>,
) -> Result<LinkDone, AppError> {
    use crate::server::fn_context;
    fn_context::respond(
        async {
            let state = fn_context::state()?;
            let new_time = ssr::NewTime { start, date, time };
            ssr::act(&state, &token, new_time, crate::server::clock::now()).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{FreeDay, FreeTime, LinkView, LinkDone, LinkState, PickerSetup, RESCHEDULE_DAYS};
    use crate::domain::account::{Lang, Problem, Role};
    use crate::domain::availability::Span;
    use crate::domain::booking::{may_cancel, Action, Booking, BookingError, BookingStatus, IllegalTransition, TimeField};
    use crate::domain::link::LinkAction;
    use crate::domain::time::{local_date, local_to_utc, TimeProblem};
    use crate::error::AppError;
    use crate::i18n::{local_moment as moment, local_period as period, long_date};
    use crate::server::availability;
    use crate::server_fns::directory::ssr::local_start;
    use crate::server::links::{LinkClaim, LinkError};
    use crate::server::state::AppState;
    use crate::server::storage::bookings::{self, Actor};
    use crate::server::storage::calendar::ResourceRules;
    use crate::server::storage::{attendance, resources};
    use chrono::{DateTime, Days, Utc};
    use chrono_tz::Tz;

    fn claim(state: &AppState, token: &str, now: DateTime<Utc>) -> Result<LinkClaim, AppError> {
        state.links.verify(token, now).map_err(|e| match e {
            LinkError::Tampered => AppError::LinkInvalid,
            LinkError::Expired => AppError::LinkExpired,
        })
    }

    async fn booking(state: &AppState, id: i64) -> Result<Booking, AppError> {
        bookings::get(&state.db, id).await?.ok_or(AppError::Booking(BookingError::UnknownBooking))
    }

    fn clock(t: DateTime<Utc>, zone: Tz) -> String {
        t.with_timezone(&zone).format("%H:%M").to_string()
    }

    pub async fn details(state: &AppState, token: &str, lang: Lang, now: DateTime<Utc>) -> Result<LinkView, AppError> {
        let claim = claim(state, token, now)?;
        let booking = booking(state, claim.booking_id).await?;
        let rules = availability::rules(&state.db, booking.resource_id).await?.ok_or(AppError::Booking(BookingError::UnknownResource))?;
        let resource = resources::find(&state.db, booking.resource_id).await?;
        let resource_name = resource.as_ref().map(|r| r.summary.name.clone()).unwrap_or_default();
        let zone = rules.zone;
        let movable = matches!(booking.status, BookingStatus::Pending | BookingStatus::Confirmed);
        let link_state = match claim.action {
            LinkAction::ConfirmAttendance if booking.attendance_confirmed_at.is_some() => LinkState::Done,
            LinkAction::ConfirmAttendance => match booking.status {
                BookingStatus::Confirmed | BookingStatus::InProgress => LinkState::Ready,
                other => LinkState::Refused(BookingError::AttendanceNotConfirmable(other)),
            },
            LinkAction::Cancel if booking.status == BookingStatus::Cancelled => LinkState::Done,
            LinkAction::Cancel => match may_cancel(booking.status, Role::Client, booking.start, now, rules.cancel_cutoff_hours) {
                Ok(_) => LinkState::Ready,
                Err(refusal) => LinkState::Refused(BookingError::Cancel(refusal)),
            },
            LinkAction::Reschedule if movable => LinkState::Ready,
            LinkAction::Reschedule => {
                LinkState::Refused(BookingError::Transition(IllegalTransition { from: booking.status, action: Action::Reschedule }))
            }
        };
        let cancel_until = (claim.action == LinkAction::Cancel && movable)
            .then(|| moment(lang, booking.start - chrono::Duration::hours(rules.cancel_cutoff_hours), zone));
        let rescheduling = claim.action == LinkAction::Reschedule && link_state == LinkState::Ready;
        let free_days = if rescheduling { free_days(state, &rules, &booking, lang, now).await? } else { Vec::new() };
        let length = (booking.end - booking.start).num_minutes();
        // The calendar only offers the resource's own lengths; a booking of
        // another length (or a stay) keeps the list.
        let picker = match resource.as_ref() {
            Some(resource) if rescheduling && !availability::is_ranges(&rules) => {
                crate::server_fns::directory::ssr::durations(&state.db, booking.resource_id, &rules).await?.contains(&length).then(|| {
                    PickerSetup {
                        slug: resource.summary.slug.clone(),
                        today: local_date(now, zone).format("%Y-%m-%d").to_string(),
                        duration_minutes: length,
                    }
                })
            }
            _ => None,
        };
        Ok(LinkView {
            token: token.to_string(),
            action: claim.action,
            booking_id: booking.id,
            resource_name,
            timezone: zone.name().to_string(),
            when: period(lang, booking.start, booking.end, zone),
            guest_name: booking.guest_name.clone(),
            status: booking.status,
            attendance_confirmed_at: booking.attendance_confirmed_at.map(|t| moment(lang, t, zone)),
            cancel_until,
            state: link_state,
            stay: availability::is_ranges(&rules),
            free_days,
            picker,
        })
    }

    /// Times of the booking's length it could move to in the next days. Slots:
    /// every free start. Stays: each day it could arrive at its usual hour and
    /// stay as long as now.
    async fn free_days(
        state: &AppState,
        rules: &ResourceRules,
        booking: &Booking,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> Result<Vec<FreeDay>, AppError> {
        let zone = rules.zone;
        let length = booking.end - booking.start;
        let own = Span::new(booking.start, booking.end);
        let today = local_date(now, zone);
        let last = today + Days::new(RESCHEDULE_DAYS - 1);
        let mut days: Vec<FreeDay> = Vec::new();
        let mut add = |start: DateTime<Utc>, label: String| {
            let day = long_date(lang, local_date(start, zone));
            let time = FreeTime { start: start.to_rfc3339(), label };
            match days.last_mut() {
                Some(last) if last.day == day => last.times.push(time),
                _ => days.push(FreeDay { day, times: vec![time] }),
            }
        };
        if availability::is_ranges(rules) {
            // Ranges for the arrival days and the nights after the last one.
            let until = last + Days::new(length.num_days().max(0) as u64 + 1);
            let ranges = availability::free_spans(&state.db, rules, today, until, length, Some(own), now).await?;
            let arrival = booking.start.with_timezone(&zone).time();
            for date in today.iter_days().take_while(|d| *d <= last) {
                let Some(start) = local_to_utc(date.and_time(arrival), zone) else { continue };
                let stay = Span::new(start, start + length);
                if start != booking.start && ranges.iter().any(|r| r.contains(&stay)) {
                    add(start, format!("{} → {}", clock(start, zone), moment(lang, stay.end, zone)));
                }
            }
        } else {
            for slot in availability::free_spans(&state.db, rules, today, last, length, Some(own), now).await? {
                if slot.start != booking.start {
                    add(slot.start, format!("{} – {}", clock(slot.start, zone), clock(slot.end, zone)));
                }
            }
        }
        Ok(days)
    }

    /// The new time of a reschedule, as the form sent it.
    pub struct NewTime {
        pub start: Option<String>,
        pub date: Option<String>,
        pub time: Option<String>,
    }

    fn given(text: &Option<String>) -> Option<&str> {
        text.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }

    /// `start` (RFC 3339) when given, else `date` and `time` in the resource's zone.
    async fn new_start(state: &AppState, booking: &Booking, new_time: &NewTime) -> Result<DateTime<Utc>, AppError> {
        if let Some(raw) = given(&new_time.start) {
            return Ok(DateTime::parse_from_rfc3339(raw)
                .map_err(|_| AppError::Booking(BookingError::Time { field: TimeField::Start, problem: TimeProblem::Unreadable }))?
                .with_timezone(&Utc));
        }
        match (given(&new_time.date), given(&new_time.time)) {
            (None, None) => Err(AppError::invalid("start", Problem::Required)),
            (None, Some(_)) => Err(AppError::invalid("date", Problem::Required)),
            (Some(_), None) => Err(AppError::invalid("time", Problem::Required)),
            (Some(date), Some(time)) => {
                let rules =
                    availability::rules(&state.db, booking.resource_id).await?.ok_or(AppError::Booking(BookingError::UnknownResource))?;
                local_start(date, time, rules.zone)
            }
        }
    }

    pub async fn act(state: &AppState, token: &str, new_time: NewTime, now: DateTime<Utc>) -> Result<LinkDone, AppError> {
        let claim = claim(state, token, now)?;
        let booking = booking(state, claim.booking_id).await?;
        // The client's own policy applies, whoever holds the link.
        let client = Actor { user_id: booking.client_id, role: Role::Client };
        match claim.action {
            LinkAction::ConfirmAttendance => {
                attendance::confirm(&state.db, booking.id, now).await?;
                Ok(LinkDone::AttendanceRecorded)
            }
            LinkAction::Cancel => {
                if booking.status != BookingStatus::Cancelled {
                    bookings::apply(&state.db, booking.id, Action::Cancel, client, "cancelled through the email link", now).await?;
                }
                Ok(LinkDone::Cancelled)
            }
            LinkAction::Reschedule => {
                let start = new_start(state, &booking, &new_time).await?;
                let new_time = Span::new(start, start + (booking.end - booking.start));
                bookings::reschedule(&state.db, booking.id, new_time, client, now).await?;
                Ok(LinkDone::Rescheduled)
            }
        }
    }
}
