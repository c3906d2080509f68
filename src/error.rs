//! The error every server function returns, shared by server and browser.
//! Its HTTP status is decided here, once.

use crate::domain::account::{FieldError, Problem};
use crate::domain::booking::BookingError;
use crate::domain::review::ReviewRefusal;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("invalid {}: {:?}", .0.field, .0.problem)]
    Invalid(FieldError),
    #[error("wrong email or password")]
    BadCredentials,
    #[error("too many attempts; retry in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("you need to log in")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A booking-email link that this app did not sign (or that was changed).
    #[error("the link is not valid")]
    LinkInvalid,
    #[error("the link has expired")]
    LinkExpired,
    #[error("{0}")]
    Booking(BookingError),
    #[error("{0}")]
    Review(ReviewRefusal),
    /// The database cannot be reached now; trying again shortly may work.
    #[error("temporarily unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal,
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, problem: Problem) -> Self {
        AppError::Invalid(FieldError::new(field, problem))
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::BadCredentials | AppError::Unauthorized => 401,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::LinkInvalid => 400,
            AppError::LinkExpired => 410,
            AppError::Booking(e) => e.status(),
            AppError::Review(_) => 409,
            AppError::Unavailable => 503,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// The form field this error is about, if it is about one: a refused
    /// value, or a booking refusal that names the field to change.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid(e) => Some(&e.field),
            AppError::Booking(e) => e.field(),
            _ => None,
        }
    }

    /// The problem with `field`, if that field is what this error is about.
    pub fn field_problem(&self, field: &str) -> Option<Problem> {
        match self {
            AppError::Invalid(e) if e.field == field => Some(e.problem),
            _ => None,
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(e)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        if matches!(value, ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_)) {
            crate::server::fn_context::unreadable_arguments();
        }
        AppError::Transport(value.to_string())
    }
}
