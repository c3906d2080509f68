//! The booking state machine.
//!
//! pending -> confirmed -> in_progress (check-in) -> completed (check-out);
//! pending -> rejected; pending | confirmed -> cancelled; confirmed -> no_show;
//! pending -> expired (its hold ran out). Nothing else.

use super::account::Role;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Pending,
    Confirmed,
    InProgress,
    Completed,
    Rejected,
    Cancelled,
    NoShow,
    Expired,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 8] = [
        BookingStatus::Pending,
        BookingStatus::Confirmed,
        BookingStatus::InProgress,
        BookingStatus::Completed,
        BookingStatus::Rejected,
        BookingStatus::Cancelled,
        BookingStatus::NoShow,
        BookingStatus::Expired,
    ];

    /// Statuses that hold the resource's time.
    pub const ACTIVE: [BookingStatus; 3] = [BookingStatus::Pending, BookingStatus::Confirmed, BookingStatus::InProgress];

    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Pending => "pending",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::InProgress => "in_progress",
            BookingStatus::Completed => "completed",
            BookingStatus::Rejected => "rejected",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::NoShow => "no_show",
            BookingStatus::Expired => "expired",
        }
    }

    /// English names, and the Spanish ones of the hotel seed
    /// (pendiente, confirmada, en_progreso, completada, cancelada, ...).
    pub fn parse(text: &str) -> Option<BookingStatus> {
        let text = text.trim().to_lowercase();
        BookingStatus::ALL.into_iter().find(|s| s.as_str() == text).or(match text.as_str() {
            "pendiente" => Some(BookingStatus::Pending),
            "confirmada" | "confirmado" => Some(BookingStatus::Confirmed),
            "en_progreso" => Some(BookingStatus::InProgress),
            "completada" | "completado" => Some(BookingStatus::Completed),
            "rechazada" | "rechazado" => Some(BookingStatus::Rejected),
            "cancelada" | "cancelado" => Some(BookingStatus::Cancelled),
            "no_presentado" | "no_presentada" => Some(BookingStatus::NoShow),
            "expirada" | "expirado" => Some(BookingStatus::Expired),
            _ => None,
        })
    }

    pub fn is_active(self) -> bool {
        BookingStatus::ACTIVE.contains(&self)
    }
}

impl fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Confirm,
    Reject,
    Cancel,
    CheckIn,
    CheckOut,
    MarkNoShow,
    Expire,
    /// Not a status change: listed so refusals can name it.
    Reschedule,
    CompleteMaintenance,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Confirm,
        Action::Reject,
        Action::Cancel,
        Action::CheckIn,
        Action::CheckOut,
        Action::MarkNoShow,
        Action::Expire,
        Action::Reschedule,
        Action::CompleteMaintenance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Confirm => "confirm",
            Action::Reject => "reject",
            Action::Cancel => "cancel",
            Action::CheckIn => "check_in",
            Action::CheckOut => "check_out",
            Action::MarkNoShow => "mark_no_show",
            Action::Expire => "expire",
            Action::Reschedule => "rescheduled",
            Action::CompleteMaintenance => "complete_maintenance",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("a {from} booking cannot be {}", action.as_str())]
pub struct IllegalTransition {
    pub from: BookingStatus,
    pub action: Action,
}

/// The status an action leads to, or why it is not allowed from `from`.
pub fn transition(from: BookingStatus, action: Action) -> Result<BookingStatus, IllegalTransition> {
    use Action::*;
    use BookingStatus::*;
    let to = match (from, action) {
        (Pending, Confirm) => Confirmed,
        (Pending, Reject) => Rejected,
        (Pending, Expire) => Expired,
        (Pending | Confirmed, Cancel) => Cancelled,
        (Confirmed, CheckIn) => InProgress,
        (Confirmed, MarkNoShow) => NoShow,
        (InProgress, CheckOut) => Completed,
        _ => return Err(IllegalTransition { from, action }),
    };
    Ok(to)
}

/// Whether a new booking waits for the manager or is confirmed at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    Manual,
    Auto,
}

impl Approval {
    pub fn initial_status(self) -> BookingStatus {
        match self {
            Approval::Manual => BookingStatus::Pending,
            Approval::Auto => BookingStatus::Confirmed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CancelRefusal {
    #[error("{0}")]
    Illegal(IllegalTransition),
    #[error("clients may cancel only until {hours} h before the start")]
    TooLate { hours: i64 },
}

/// Cancellation policy: clients may cancel until `client_cutoff_hours` before
/// the start; managers and admins at any time (the state machine still applies).
pub fn may_cancel(
    status: BookingStatus,
    by: Role,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    client_cutoff_hours: i64,
) -> Result<BookingStatus, CancelRefusal> {
    let to = transition(status, Action::Cancel).map_err(CancelRefusal::Illegal)?;
    if by == Role::Client && now > start - Duration::hours(client_cutoff_hours) {
        return Err(CancelRefusal::TooLate { hours: client_cutoff_hours });
    }
    Ok(to)
}

/// A booking as stored; times in UTC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Booking {
    pub id: i64,
    pub resource_id: i64,
    pub service_id: Option<i64>,
    pub client_id: Option<i64>,
    pub guest_name: String,
    pub guest_email: String,
    pub guest_phone: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub party_size: u32,
    pub notes: String,
    pub details: serde_json::Value,
    pub price_minor: i64,
    pub currency: String,
    pub status: BookingStatus,
    pub hold_expires_at: Option<DateTime<Utc>>,
    /// Rooms: cleaning after check-out lasts until then.
    pub maintenance_until: Option<DateTime<Utc>>,
    /// When the client confirmed through the link in a reminder.
    pub attendance_confirmed_at: Option<DateTime<Utc>>,
    /// When the booking got its current time (made or last moved).
    pub timed_at: DateTime<Utc>,
    pub payment_status: super::payment::PaymentStatus,
    /// The deposit owed when the booking was made (0: none).
    pub deposit_due_minor: i64,
}

impl Booking {
    /// A deposit is owed and not (or no longer) covered: it may not be confirmed yet.
    pub fn deposit_unpaid(&self) -> bool {
        self.deposit_due_minor > 0 && !self.payment_status.covers_deposit()
    }
}

/// Changes to a booking; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BookingChanges {
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub guest_name: Option<String>,
    pub guest_email: Option<String>,
    pub guest_phone: Option<String>,
    pub party_size: Option<u32>,
    pub notes: Option<String>,
}

/// A request for a new booking, already parsed into UTC.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingRequest {
    pub resource_id: i64,
    pub service_id: Option<i64>,
    pub client_id: Option<i64>,
    pub guest_name: String,
    pub guest_email: String,
    pub guest_phone: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub party_size: u32,
    pub notes: String,
    pub details: serde_json::Value,
}

/// One line of a booking's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingEvent {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub from: Option<BookingStatus>,
    pub to: BookingStatus,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeField {
    Start,
    End,
}

impl TimeField {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeField::Start => "start",
            TimeField::End => "end",
        }
    }
}

/// Why a booking request or change was refused, for the person who asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum BookingError {
    #[error("the time does not work: {0:?}")]
    Slot(super::availability::SlotProblem),
    #[error("{0}")]
    Transition(IllegalTransition),
    #[error("{0}")]
    Cancel(CancelRefusal),
    #[error("{field:?}: {problem:?}")]
    Time { field: TimeField, problem: super::time::TimeProblem },
    #[error("unknown resource")]
    UnknownResource,
    #[error("the resource is retired and takes no bookings")]
    ResourceRetired,
    /// A resource is retired only once nothing is left to happen on it.
    #[error("the resource still has {0} upcoming bookings")]
    ResourceHasUpcoming(u32),
    #[error("unknown service for this resource")]
    UnknownService,
    #[error("unknown booking")]
    UnknownBooking,
    /// Attendance is confirmed only for a confirmed or in-progress booking.
    #[error("attendance cannot be confirmed for a {0} booking")]
    AttendanceNotConfirmable(BookingStatus),
    /// A booking that owes a deposit is confirmed once the deposit is paid.
    #[error("the deposit is not paid yet")]
    DepositUnpaid,
    #[error("{0}")]
    Payment(super::payment::PaymentRefusal),
}

impl BookingError {
    /// 409 when the request is fine but the booking's or calendar's state
    /// stands in the way; 404 for unknown ids; 422 when a field is wrong.
    pub fn status(&self) -> u16 {
        use super::availability::SlotProblem::{Conflict, DayFull};
        match self {
            BookingError::Slot(Conflict | DayFull)
            | BookingError::Transition(_)
            | BookingError::Cancel(_)
            | BookingError::AttendanceNotConfirmable(_)
            | BookingError::ResourceRetired
            | BookingError::ResourceHasUpcoming(_)
            | BookingError::DepositUnpaid => 409,
            BookingError::Payment(refusal) => refusal.status(),
            BookingError::UnknownResource | BookingError::UnknownBooking => 404,
            BookingError::Slot(_) | BookingError::Time { .. } | BookingError::UnknownService => 422,
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            BookingError::Slot(problem) => Some(problem.field()),
            BookingError::Time { field, .. } => Some(field.as_str()),
            BookingError::UnknownResource | BookingError::ResourceRetired => Some("resource_id"),
            BookingError::UnknownService => Some("service_id"),
            BookingError::Payment(refusal) => refusal.field(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use BookingStatus::*;

    #[test]
    fn the_documented_paths_are_allowed() {
        assert_eq!(transition(Pending, Action::Confirm), Ok(Confirmed));
        assert_eq!(transition(Confirmed, Action::CheckIn), Ok(InProgress));
        assert_eq!(transition(InProgress, Action::CheckOut), Ok(Completed));
        assert_eq!(transition(Pending, Action::Reject), Ok(Rejected));
        assert_eq!(transition(Pending, Action::Cancel), Ok(Cancelled));
        assert_eq!(transition(Confirmed, Action::Cancel), Ok(Cancelled));
        assert_eq!(transition(Confirmed, Action::MarkNoShow), Ok(NoShow));
        assert_eq!(transition(Pending, Action::Expire), Ok(Expired));
    }

    #[test]
    fn everything_else_is_refused() {
        let refused = [
            (InProgress, Action::Cancel),
            (Completed, Action::Cancel),
            (Pending, Action::CheckIn),
            (Confirmed, Action::Confirm),
            (Cancelled, Action::Confirm),
            (Confirmed, Action::Expire),
        ];
        for (from, action) in refused {
            assert_eq!(transition(from, action), Err(IllegalTransition { from, action }));
        }
        assert_eq!(
            IllegalTransition { from: InProgress, action: Action::Cancel }.to_string(),
            "a in_progress booking cannot be cancel"
        );
    }

    #[test]
    fn statuses_read_english_and_the_seed_spanish() {
        for status in BookingStatus::ALL {
            assert_eq!(BookingStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(BookingStatus::parse("confirmada"), Some(Confirmed));
        assert_eq!(BookingStatus::parse("EN_PROGRESO"), Some(InProgress));
        assert_eq!(BookingStatus::parse("whatever"), None);
    }

    #[test]
    fn clients_cancel_only_before_the_cutoff() {
        let start = DateTime::parse_from_rfc3339("2026-01-10T20:00:00Z").unwrap().with_timezone(&Utc);
        let early = start - Duration::hours(30);
        let late = start - Duration::hours(2);
        assert_eq!(may_cancel(Confirmed, Role::Client, start, early, 24), Ok(Cancelled));
        assert_eq!(may_cancel(Confirmed, Role::Client, start, late, 24), Err(CancelRefusal::TooLate { hours: 24 }));
        assert_eq!(may_cancel(Confirmed, Role::Manager, start, late, 24), Ok(Cancelled));
        assert!(matches!(may_cancel(InProgress, Role::Admin, start, early, 24), Err(CancelRefusal::Illegal(_))));
    }

    fn any_status() -> impl Strategy<Value = BookingStatus> {
        proptest::sample::select(BookingStatus::ALL.to_vec())
    }

    fn any_action() -> impl Strategy<Value = Action> {
        proptest::sample::select(Action::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn finished_bookings_never_change(status in any_status(), action in any_action()) {
            if !status.is_active() {
                prop_assert!(transition(status, action).is_err());
            }
        }

        #[test]
        fn no_path_leads_back_to_pending(path in proptest::collection::vec(any_action(), 0..10)) {
            let mut status = Pending;
            for action in path {
                if let Ok(next) = transition(status, action) {
                    prop_assert!(next > status, "{:?} -> {:?} goes backwards", status, next);
                    status = next;
                }
            }
        }

        #[test]
        fn statuses_read_back_in_any_case_and_padding(status in any_status(), upper in any::<bool>(), pad in " {0,3}") {
            let name = if upper { status.as_str().to_uppercase() } else { status.as_str().to_string() };
            prop_assert_eq!(BookingStatus::parse(&format!("{pad}{name}{pad}")), Some(status));
        }

        #[test]
        fn any_status_text_is_read_or_refused_without_panicking(text in "\\PC{0,20}") {
            if let Some(status) = BookingStatus::parse(&text) {
                prop_assert!(BookingStatus::ALL.contains(&status));
            }
        }

        #[test]
        fn clients_may_cancel_exactly_until_the_cutoff(hours_before in -100i64..100, cutoff in 0i64..=24 * 31) {
            let start = DateTime::parse_from_rfc3339("2026-01-10T20:00:00Z").unwrap().with_timezone(&Utc);
            let now = start - Duration::hours(hours_before);
            let result = may_cancel(Confirmed, Role::Client, start, now, cutoff);
            if hours_before >= cutoff {
                prop_assert_eq!(result, Ok(Cancelled));
            } else {
                prop_assert_eq!(result, Err(CancelRefusal::TooLate { hours: cutoff }));
            }
        }
    }
}
