//! The manager's calendar: the bookings of every resource they manage, as a
//! month or a week, each at its local time in its resource's zone.

use crate::domain::booking::BookingStatus;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub id: i64,
    pub resource: String,
    /// "14:00–16:00" in the resource's zone; a stay shows its dates instead.
    pub time: String,
    pub guest_name: String,
    pub status: BookingStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarDay {
    /// YYYY-MM-DD.
    pub date: String,
    pub day: u32,
    /// 0 is Monday.
    pub weekday: usize,
    /// Part of the month shown (always, for a week).
    pub in_period: bool,
    pub entries: Vec<CalendarEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarPage {
    /// "mes" or "semana".
    pub view: String,
    pub year: i32,
    /// 0 is January.
    pub month0: u32,
    /// The anchors of the previous and next page, YYYY-MM-DD.
    pub prev: String,
    pub next: String,
    pub days: Vec<CalendarDay>,
}

/// At most this many bookings in one page (a month of a busy agency).
pub const CALENDAR_MAX_BOOKINGS: i64 = 2000;

/// `view` is "mes" or "semana"; `date` (YYYY-MM-DD) picks the month or week,
/// today (in the default time zone of the server) when empty or unreadable.
#[server(prefix = "/fn", endpoint = "manager-calendar")]
pub async fn manager_calendar(view: String, date: String) -> Result<CalendarPage, AppError> {
    use crate::domain::account::Role;
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let manager = auth::require_role(&request, &[Role::Manager, Role::Admin])?;
            Ok(ssr::page(&fn_context::state()?, manager.id, &view, &date).await?)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{CalendarDay, CalendarEntry, CalendarPage, CALENDAR_MAX_BOOKINGS};
    use crate::domain::booking::Booking;
    use crate::domain::calendar_view::{window, View};
    use crate::domain::time::{local_date, parse_zone};
    use crate::server::state::AppState;
    use crate::server::storage::bookings::{self, Filter};
    use crate::server::storage::StorageError;
    use crate::server_fns::panel::ssr::ManagedResources;
    use chrono::{Datelike, Days, NaiveDate};
    use chrono_tz::Tz;

    pub async fn page(state: &AppState, manager_id: i64, view: &str, date: &str) -> Result<CalendarPage, StorageError> {
        let view = View::parse(view);
        let resources = ManagedResources::load(&state.db, manager_id).await?;
        let home_zone = parse_zone(&state.config.server.default_timezone).unwrap_or(chrono_tz::UTC);
        // Years outside 1..=9999 count as unreadable: the window around them would overflow chrono's range.
        let anchor = date
            .parse::<NaiveDate>()
            .ok()
            .filter(|d| (1..=9999).contains(&d.year()))
            .unwrap_or_else(|| local_date(crate::server::clock::now(), home_zone));
        let shown = window(view, anchor);
        // A day wide enough for every zone on Earth on both ends.
        let from = (shown.first - Days::new(1)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let to = (shown.last + Days::new(2)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let filter = Filter { manager_id: Some(manager_id), from: Some(from), to: Some(to), ..Filter::default() };
        let found = bookings::list(&state.db, &filter, 0, CALENDAR_MAX_BOOKINGS).await?;
        let placed: Vec<(NaiveDate, CalendarEntry)> = found.iter().filter_map(|b| place(&resources, b)).collect();
        let days = shown
            .first
            .iter_days()
            .take_while(|d| *d <= shown.last)
            .map(|day| CalendarDay {
                date: day.to_string(),
                day: day.day(),
                weekday: day.weekday().num_days_from_monday() as usize,
                in_period: view == View::Week || day.month() == anchor.month(),
                entries: placed.iter().filter(|(d, _)| *d == day).map(|(_, e)| e.clone()).collect(),
            })
            .collect();
        Ok(CalendarPage {
            view: view.code().into(),
            year: anchor.year(),
            month0: anchor.month0(),
            prev: shown.prev.to_string(),
            next: shown.next.to_string(),
            days,
        })
    }

    /// The local day a booking starts on, and how it is shown there.
    fn place(resources: &ManagedResources, booking: &Booking) -> Option<(NaiveDate, CalendarEntry)> {
        let (name, zone) = resources.get(booking.resource_id)?;
        let entry = CalendarEntry {
            id: booking.id,
            resource: name.clone(),
            time: local_times(booking, *zone),
            guest_name: booking.guest_name.clone(),
            status: booking.status,
        };
        Some((local_date(booking.start, *zone), entry))
    }

    fn local_times(booking: &Booking, zone: Tz) -> String {
        let (start, end) = (booking.start.with_timezone(&zone), booking.end.with_timezone(&zone));
        if start.date_naive() == end.date_naive() {
            format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"))
        } else {
            format!("{} → {}", start.format("%d/%m %H:%M"), end.format("%d/%m %H:%M"))
        }
    }
}
