//! Who is told what, and when reminders fall due. Pure: no I/O, no clock.

use super::compose::{Audience, MessageEvent};
use crate::domain::account::Role;
use crate::domain::booking::BookingStatus;
use chrono::{DateTime, Duration, Utc};

/// The message a status change sends, if any.
pub fn event_of_change(from: Option<BookingStatus>, to: BookingStatus) -> Option<MessageEvent> {
    use BookingStatus::*;
    Some(match (from, to) {
        (None, Pending) => MessageEvent::Requested,
        (_, Confirmed) => MessageEvent::Confirmed,
        (_, Rejected) => MessageEvent::Rejected,
        (_, Cancelled) => MessageEvent::Cancelled,
        (_, Expired) => MessageEvent::Expired,
        (_, InProgress) => MessageEvent::CheckedIn,
        (_, Completed) => MessageEvent::CheckedOut,
        _ => return None,
    })
}

/// The event stored under `name` in the outbox.
pub fn event_named(name: &str) -> Option<MessageEvent> {
    use MessageEvent::*;
    [Requested, Confirmed, Rejected, Cancelled, Expired, Rescheduled, CheckedIn, CheckedOut, Reminder]
        .into_iter()
        .find(|e| e.as_str() == name)
}

/// Who reads about `event`. Managers hear of new requests and bookings, and
/// of what clients do themselves; clients hear of everything that happens to
/// their booking.
pub fn audiences(event: MessageEvent, new_booking: bool, by: Role) -> Vec<Audience> {
    let by_client = by == Role::Client;
    let managers = match event {
        MessageEvent::Requested | MessageEvent::Expired => true,
        MessageEvent::Confirmed => new_booking,
        MessageEvent::Cancelled | MessageEvent::Rescheduled => by_client,
        _ => false,
    };
    let mut who = vec![Audience::Client];
    if managers {
        who.push(Audience::Manager);
    }
    who
}

/// The reminder to send now for a booking starting at `start`, if any: the
/// one with the smallest offset whose time has come, unless it (or a later
/// one) was already sent for this start, or it was already due when the
/// booking got its time (the confirmation said it all then).
pub fn reminder_due(
    start: DateTime<Utc>,
    timed_at: DateTime<Utc>,
    offsets: &[Duration],
    already_sent: &[Duration],
    now: DateTime<Utc>,
) -> Option<Duration> {
    if now >= start {
        return None;
    }
    let due = offsets.iter().copied().filter(|o| start - *o <= now).min()?;
    let fresh = start - due >= timed_at;
    let covered = already_sent.iter().any(|sent| *sent <= due);
    (fresh && !covered).then_some(due)
}

/// When a failed attempt is tried again: `base` doubled for every attempt made,
/// at most a day.
pub fn retry_delay(base: Duration, attempts: u32) -> Duration {
    let factor = 1i64 << attempts.saturating_sub(1).min(16);
    (base * factor as i32).min(Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn h(hours: i64) -> Duration {
        Duration::hours(hours)
    }

    fn t0() -> DateTime<Utc> {
        "2026-12-05T20:00:00Z".parse().unwrap()
    }

    #[test]
    fn each_change_has_its_message() {
        assert_eq!(event_of_change(None, BookingStatus::Pending), Some(MessageEvent::Requested));
        assert_eq!(event_of_change(None, BookingStatus::Confirmed), Some(MessageEvent::Confirmed));
        assert_eq!(event_of_change(Some(BookingStatus::Confirmed), BookingStatus::InProgress), Some(MessageEvent::CheckedIn));
        assert_eq!(event_of_change(Some(BookingStatus::Confirmed), BookingStatus::NoShow), None);
    }

    #[test]
    fn event_names_read_back() {
        assert_eq!(event_named(MessageEvent::CheckedOut.as_str()), Some(MessageEvent::CheckedOut));
        assert_eq!(event_named("nonsense"), None);
    }

    #[test]
    fn managers_hear_of_requests_and_of_what_clients_do() {
        assert_eq!(audiences(MessageEvent::Requested, true, Role::Client), [Audience::Client, Audience::Manager]);
        assert_eq!(audiences(MessageEvent::Confirmed, false, Role::Manager), [Audience::Client]);
        assert_eq!(audiences(MessageEvent::Confirmed, true, Role::Client), [Audience::Client, Audience::Manager]);
        assert_eq!(audiences(MessageEvent::Cancelled, false, Role::Client), [Audience::Client, Audience::Manager]);
        assert_eq!(audiences(MessageEvent::Cancelled, false, Role::Manager), [Audience::Client]);
        assert_eq!(audiences(MessageEvent::Rescheduled, false, Role::Admin), [Audience::Client]);
    }

    #[test]
    fn reminders_come_one_at_a_time_and_once() {
        let offsets = [h(24), h(2)];
        let start = t0();
        let booked = start - Duration::days(10);
        assert_eq!(reminder_due(start, booked, &offsets, &[], start - h(25)), None);
        assert_eq!(reminder_due(start, booked, &offsets, &[], start - h(24)), Some(h(24)));
        assert_eq!(reminder_due(start, booked, &offsets, &[h(24)], start - h(3)), None);
        assert_eq!(reminder_due(start, booked, &offsets, &[h(24)], start - h(2)), Some(h(2)));
        assert_eq!(reminder_due(start, booked, &offsets, &[h(24), h(2)], start - h(1)), None);
        assert_eq!(reminder_due(start, booked, &offsets, &[], start), None, "too late");
    }

    #[test]
    fn a_server_down_for_a_day_sends_only_the_latest_reminder() {
        let start = t0();
        assert_eq!(reminder_due(start, start - h(100), &[h(24), h(2)], &[], start - h(1)), Some(h(2)));
    }

    #[test]
    fn a_booking_made_late_skips_reminders_already_due() {
        let start = t0();
        let offsets = [h(24), h(2)];
        assert_eq!(reminder_due(start, start - h(5), &offsets, &[], start - h(4)), None);
        assert_eq!(reminder_due(start, start - h(5), &offsets, &[], start - h(2)), Some(h(2)));
    }

    #[test]
    fn retries_back_off_to_at_most_a_day() {
        let base = Duration::seconds(30);
        assert_eq!(retry_delay(base, 1), Duration::seconds(30));
        assert_eq!(retry_delay(base, 2), Duration::seconds(60));
        assert_eq!(retry_delay(base, 4), Duration::seconds(240));
        assert_eq!(retry_delay(base, 40), Duration::days(1));
    }

    proptest! {
        #[test]
        fn a_reminder_is_never_sent_after_the_start_nor_twice(
            offsets in proptest::collection::vec(1i64..72, 1..4),
            timed_hours_before in 0i64..200,
            now_hours_before in -5i64..200,
        ) {
            let offsets: Vec<Duration> = offsets.into_iter().map(h).collect();
            let start = t0();
            let now = start - h(now_hours_before);
            if let Some(due) = reminder_due(start, start - h(timed_hours_before), &offsets, &[], now) {
                prop_assert!(now < start);
                prop_assert!(start - due <= now);
                prop_assert_eq!(reminder_due(start, start - h(timed_hours_before), &offsets, &[due], now), None);
            }
        }
    }
}
