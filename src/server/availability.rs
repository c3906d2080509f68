//! Free times of a resource, as the availability API and the reschedule link
//! offer them: what `Calendar::check` would accept given the bookings held.

use crate::domain::availability::{Calendar, Occupancy, Span};
use crate::server::storage::calendar::{self, ResourceRules};
use crate::server::storage::{bookings, Db, StorageError};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// A resource's booking rules, `None` if there is no such resource.
pub async fn rules(db: &Db, resource_id: i64) -> Result<Option<ResourceRules>, StorageError> {
    let mut conn = db.pool().acquire().await?;
    calendar::load(&mut conn, resource_id).await
}

/// Free slots of `duration` starting on local dates `from..=to` or, for stays
/// ("ranges" resources), the free periods on those dates. `moving` is a
/// booking's own time, left out of the busy times so it can move onto or next
/// to where it is now.
pub async fn free_spans(
    db: &Db,
    rules: &ResourceRules,
    from: NaiveDate,
    to: NaiveDate,
    duration: Duration,
    moving: Option<Span>,
    now: DateTime<Utc>,
) -> Result<Vec<Span>, StorageError> {
    if rules.retired {
        return Ok(Vec::new());
    }
    let (Some(window_start), Some(window_end)) = (from.checked_sub_days(chrono::Days::new(2)), to.checked_add_days(chrono::Days::new(3))) else {
        return Ok(Vec::new());
    };
    let window = Span::new(
        window_start.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
        window_end.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
    );
    let mut busy = bookings::active_in(db, rules.id, Span::new(window.start - rules.policy.buffer, window.end)).await?;
    if let Some(own) = moving {
        if let Some(i) = busy.iter().position(|b| *b == own) {
            busy.swap_remove(i);
        }
    }
    let occupancy = Occupancy::new(&busy, rules.policy.buffer, rules.zone);
    let cal = Calendar { schedule: &rules.schedule, policy: &rules.policy, occupancy: &occupancy, now };
    Ok(if is_ranges(rules) { cal.free_ranges(from, to) } else { cal.free_slots(from, to, duration) })
}

/// Whether the resource is booked as stays (free ranges) rather than slots.
pub fn is_ranges(rules: &ResourceRules) -> bool {
    rules.booking_mode == "ranges"
}
