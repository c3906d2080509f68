//! Server functions: declared once, called from the browser or the server
//! render; their bodies run only on the server.

pub mod auth;
pub mod directory;
pub mod links;
pub mod mail;
pub mod my_bookings;
pub mod panel;
pub mod rooms;
