//! Pure booking-platform rules: no I/O, no feature flags.

pub mod account;
pub mod audit;
pub mod availability;
pub mod booking;
pub mod calendar_view;
pub mod chart;
pub mod link;
pub mod markup;
pub mod payment;
pub mod live;
pub mod photo;
pub mod privacy;
pub mod profile;
pub mod report;
pub mod resource;
pub mod review;
pub mod room;
pub mod time;
pub mod vehicle;
