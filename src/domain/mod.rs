//! Pure booking-platform rules: no I/O, no feature flags.

pub mod account;
pub mod availability;
pub mod booking;
pub mod link;
pub mod live;
pub mod photo;
pub mod resource;
pub mod room;
pub mod time;
