//! The words of every notification: subject, plain text and HTML email, SMS
//! text and the .ics calendar attachment, in the recipient's language with
//! times in the resource's time zone. Pure: no I/O, no clock.

use crate::domain::account::Lang;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// What happened to the booking that the message tells about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageEvent {
    Requested,
    Confirmed,
    Rejected,
    Cancelled,
    Expired,
    Rescheduled,
    CheckedIn,
    CheckedOut,
    Reminder,
}

impl MessageEvent {
    /// Stored in `outbox_messages.event`.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageEvent::Requested => "requested",
            MessageEvent::Confirmed => "confirmed",
            MessageEvent::Rejected => "rejected",
            MessageEvent::Cancelled => "cancelled",
            MessageEvent::Expired => "expired",
            MessageEvent::Rescheduled => "rescheduled",
            MessageEvent::CheckedIn => "checked_in",
            MessageEvent::CheckedOut => "checked_out",
            MessageEvent::Reminder => "reminder",
        }
    }
}

/// Who reads the message: the client (or guest) who booked, or a manager of
/// the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Client,
    Manager,
}

/// Links that work without logging in, already signed, as absolute URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub confirm_attendance: Option<String>,
    pub cancel: Option<String>,
    pub reschedule: Option<String>,
    /// The booking in the app (managers: their dashboard).
    pub view: String,
}

/// Everything a message may say about a booking.
#[derive(Debug, Clone)]
pub struct MessageFacts {
    pub event: MessageEvent,
    pub audience: Audience,
    pub lang: Lang,
    pub booking_id: i64,
    pub resource_name: String,
    /// "musician", "venue", "workshop", "room" or a configured kind.
    pub resource_kind: String,
    pub zone: Tz,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Rescheduled: where the booking was before.
    pub previous_start: Option<DateTime<Utc>>,
    pub guest_name: String,
    pub guest_email: String,
    pub guest_phone: Option<String>,
    pub party_size: u32,
    pub notes: String,
    pub price_minor: i64,
    pub currency: String,
    /// Why it was cancelled or rejected, as the person wrote it (may be empty).
    pub reason: String,
    pub links: Links,
    /// Address of the app, for the .ics UID domain and the footer.
    pub public_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An iCalendar (RFC 5545) file for confirmations and reschedules.
    pub ics: Option<String>,
}
