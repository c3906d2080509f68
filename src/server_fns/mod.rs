//! Server functions: declared once, called from the browser or the server
//! render; their bodies run only on the server.

pub mod account;
pub mod audit;
pub mod auth;
pub mod booking_detail;
pub mod directory;
pub mod links;
pub mod mail;
pub mod manager_calendar;
pub mod my_bookings;
pub mod panel;
pub mod reports;
pub mod resource_settings;
pub mod reviews;
pub mod rooms;
