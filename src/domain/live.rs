//! Live updates: what the server tells open pages when a booking changes.

use super::booking::{Booking, BookingStatus};
use serde::{Deserialize, Serialize};

/// One booking that was created or changed, as announced after its
/// transaction committed (SSE event `booking` on GET /events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingChange {
    pub booking_id: i64,
    pub resource_id: i64,
    /// The booking's status after the change, e.g. "pending".
    pub status: String,
    /// A new booking that waits for the manager's answer.
    pub new_request: bool,
}

/// The name of the server-sent event that carries a `BookingChange`.
pub const BOOKING_EVENT: &str = "booking";

impl BookingChange {
    /// The change that leaves `booking` as it is; `new_request` for a booking
    /// just created that waits for approval.
    pub fn of(booking: &Booking, created: bool) -> BookingChange {
        BookingChange {
            booking_id: booking.id,
            resource_id: booking.resource_id,
            status: booking.status.as_str().to_string(),
            new_request: created && booking.status == BookingStatus::Pending,
        }
    }
}
