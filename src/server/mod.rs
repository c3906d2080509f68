//! Everything that only runs on the server: configuration, storage, auth and HTTP.

pub mod api;
pub mod auth;
pub mod availability;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod config;
pub mod fn_context;
pub mod http;
pub mod jobs;
pub mod links;
pub mod notify;
pub mod payments;
pub mod photos;
pub mod privacy;
pub mod rooms;
pub mod state;
pub mod storage;

use crate::domain::account::Problem;
use crate::error::AppError;
use storage::StorageError;

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Duplicate("email") => AppError::invalid("email", Problem::EmailTaken),
            StorageError::Refused(refusal) => AppError::Booking(refusal),
            StorageError::Invalid(refusal) => AppError::Invalid(refusal),
            StorageError::DeletionRefused(crate::domain::privacy::DeletionRefusal::LastAdmin) => {
                AppError::invalid("account", Problem::LastAdmin)
            }
            // PostgreSQL refuses text with a NUL byte (SQLSTATE 22021): the caller sent it, not a failure here.
            StorageError::Database(sqlx::Error::Database(e)) if e.code().as_deref() == Some("22021") => {
                AppError::invalid("text", Problem::OutOfRange)
            }
            StorageError::Unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "storage failure");
                AppError::Internal
            }
        }
    }
}
