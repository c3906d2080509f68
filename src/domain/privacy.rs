//! Privacy rules: how long the personal data of finished bookings is kept,
//! what replaces it, and when a person may delete their account.

use super::account::Role;
use super::booking::BookingStatus;
use chrono::{DateTime, Duration, Utc};

/// What replaces a guest's (or a deleted account's) name.
pub const ANONYMIZED_NAME: &str = "—";

/// What replaces the address or phone number of an anonymized message.
pub const ANONYMIZED_RECIPIENT: &str = "anonymized";

/// A message of an anonymized booking still waiting for delivery after this
/// long is given up (and anonymized); a younger one is delivered first.
pub const STALE_MESSAGE_HOURS: i64 = 24;

/// Nothing more happens to a finished booking: completed, cancelled,
/// rejected, no-show or expired.
pub fn is_finished(status: BookingStatus) -> bool {
    !status.is_active()
}

pub fn finished_statuses() -> impl Iterator<Item = BookingStatus> {
    BookingStatus::ALL.into_iter().filter(|s| is_finished(*s))
}

/// Finished bookings that ended before this instant lose their personal data;
/// `None` (0 days, or a period longer than the calendar) keeps it forever.
pub fn retention_cutoff(now: DateTime<Utc>, retention_days: u32) -> Option<DateTime<Utc>> {
    if retention_days == 0 {
        return None;
    }
    now.checked_sub_signed(Duration::days(i64::from(retention_days)))
}

/// What the retention rule looks at in a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionFacts {
    pub status: BookingStatus,
    pub end: DateTime<Utc>,
    pub anonymized: bool,
    /// Its client deleted their account.
    pub client_deleted: bool,
}

/// Whether a booking's personal data is to be replaced now: it is finished
/// and either ended before the cutoff or belongs to a deleted account.
pub fn due_for_anonymization(booking: &RetentionFacts, cutoff: Option<DateTime<Utc>>) -> bool {
    !booking.anonymized
        && is_finished(booking.status)
        && (booking.client_deleted || cutoff.is_some_and(|cutoff| booking.end < cutoff))
}

/// Why an account may not be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeletionRefusal {
    /// Somebody must stay able to administer the app.
    #[error("the last administrator cannot delete their account")]
    LastAdmin,
}

/// An administrator may leave only while another one stays.
pub fn may_delete_account(role: Role, other_admins: usize) -> Result<(), DeletionRefusal> {
    if role == Role::Admin && other_admins == 0 {
        Err(DeletionRefusal::LastAdmin)
    } else {
        Ok(())
    }
}

/// The email a deleted account keeps: unique, undeliverable (.invalid is
/// reserved), and never one a person can register with or log in as.
pub fn deleted_email(user_id: i64) -> String {
    format!("deleted-{user_id}@deleted.invalid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use BookingStatus::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn facts(status: BookingStatus, end: &str) -> RetentionFacts {
        RetentionFacts { status, end: at(end), anonymized: false, client_deleted: false }
    }

    #[test]
    fn the_cutoff_is_the_period_before_now_and_zero_keeps_forever() {
        let now = at("2026-06-01T12:00:00Z");
        assert_eq!(retention_cutoff(now, 30), Some(at("2026-05-02T12:00:00Z")));
        assert_eq!(retention_cutoff(now, 0), None);
        assert_eq!(retention_cutoff(now, u32::MAX), None, "longer than the calendar: forever");
    }

    #[test]
    fn only_finished_bookings_older_than_the_period_are_due() {
        let cutoff = Some(at("2026-01-01T00:00:00Z"));
        for status in [Completed, Cancelled, Rejected, NoShow, Expired] {
            assert!(due_for_anonymization(&facts(status, "2025-12-31T23:59:59Z"), cutoff), "{status}");
            assert!(!due_for_anonymization(&facts(status, "2026-01-01T00:00:00Z"), cutoff), "{status} at the cutoff");
            assert!(!due_for_anonymization(&facts(status, "2025-06-01T00:00:00Z"), None), "{status} kept forever");
        }
        for status in [Pending, Confirmed, InProgress] {
            assert!(!due_for_anonymization(&facts(status, "2020-01-01T00:00:00Z"), cutoff), "{status} is not finished");
        }
        let done = RetentionFacts { anonymized: true, ..facts(Completed, "2020-01-01T00:00:00Z") };
        assert!(!due_for_anonymization(&done, cutoff), "once is enough");
    }

    #[test]
    fn a_deleted_accounts_finished_bookings_are_due_at_once() {
        let recent = RetentionFacts { client_deleted: true, ..facts(Cancelled, "2026-05-30T00:00:00Z") };
        assert!(due_for_anonymization(&recent, Some(at("2026-01-01T00:00:00Z"))));
        assert!(due_for_anonymization(&recent, None), "whatever the retention period");
        let upcoming = RetentionFacts { client_deleted: true, ..facts(Confirmed, "2026-07-01T00:00:00Z") };
        assert!(!due_for_anonymization(&upcoming, None), "kept until it is finished");
    }

    #[test]
    fn finished_is_the_opposite_of_active() {
        assert_eq!(finished_statuses().collect::<Vec<_>>(), vec![Completed, Rejected, Cancelled, NoShow, Expired]);
    }

    #[test]
    fn the_last_administrator_stays() {
        assert_eq!(may_delete_account(Role::Admin, 0), Err(DeletionRefusal::LastAdmin));
        assert_eq!(may_delete_account(Role::Admin, 1), Ok(()));
        assert_eq!(may_delete_account(Role::Client, 0), Ok(()));
        assert_eq!(may_delete_account(Role::Manager, 0), Ok(()));
        assert!(deleted_email(7).ends_with(".invalid"));
        assert_ne!(deleted_email(7), deleted_email(8));
    }
}
