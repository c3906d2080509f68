//! Notifications: composed in the booking's transaction into the outbox,
//! delivered by a background worker over SMTP or SMS.

pub mod compose;
