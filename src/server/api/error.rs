use crate::domain::booking::BookingError;
use crate::error::AppError;
use crate::i18n::{booking_error_text, error_text};
use crate::domain::account::Lang;
use crate::server::storage::StorageError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An API error: status, a stable code, a sentence, and the field at fault.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// Seconds to wait before trying again (429), sent as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError { status, code: code.into(), message: message.into(), field: None, retry_after: None }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError { field: Some(field.into()), ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message) }
    }

    pub fn unauthorized(message: &str) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: &str) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such resource or route")
    }

    /// Renames a field of the engine to the name the API uses for it.
    pub fn renamed(mut self, rename: impl Fn(&str) -> &str) -> Self {
        self.field = self.field.map(|f| rename(&f).to_string());
        self
    }
}

fn booking_code(error: &BookingError) -> String {
    use crate::domain::booking::CancelRefusal;
    use crate::domain::time::TimeProblem;
    let code = match error {
        BookingError::Slot(problem) => return serde_json::to_value(problem).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
        BookingError::Transition(_) | BookingError::Cancel(CancelRefusal::Illegal(_)) => "illegal_transition",
        BookingError::Cancel(CancelRefusal::TooLate { .. }) => "cancellation_too_late",
        BookingError::Time { problem: TimeProblem::Unreadable, .. } => "unreadable_time",
        BookingError::Time { problem: TimeProblem::DoesNotExist, .. } => "nonexistent_local_time",
        BookingError::UnknownResource => "unknown_resource",
        BookingError::ResourceRetired => "resource_retired",
        BookingError::ResourceHasUpcoming(_) => "has_upcoming_bookings",
        BookingError::UnknownService => "unknown_service",
        BookingError::UnknownBooking => "not_found",
        BookingError::AttendanceNotConfirmable(_) => "attendance_not_confirmable",
        BookingError::DepositUnpaid => "deposit_unpaid",
        BookingError::Payment(refusal) => refusal.code(),
    };
    code.to_string()
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = error_text(Lang::En, &error);
        match &error {
            AppError::Invalid(e) => ApiError { field: Some(e.field.clone()), ..ApiError::new(status, "invalid", message) },
            AppError::Booking(refusal) => ApiError {
                field: refusal.field().map(str::to_string),
                ..ApiError::new(status, &booking_code(refusal), booking_error_text(Lang::En, refusal))
            },
            AppError::BadCredentials => ApiError::new(status, "bad_credentials", message),
            AppError::TooManyAttempts { retry_after_secs } => {
                ApiError { retry_after: Some(*retry_after_secs), ..ApiError::new(status, "too_many_attempts", message) }
            }
            AppError::Unauthorized => ApiError::new(status, "unauthorized", message),
            AppError::Forbidden => ApiError::new(status, "forbidden", message),
            AppError::NotFound => ApiError::new(status, "not_found", message),
            AppError::Review(refusal) => ApiError::new(status, refusal.code(), message),
            AppError::LinkInvalid => ApiError::new(status, "invalid_link", message),
            AppError::LinkExpired => ApiError::new(status, "link_expired", message),
            AppError::Unavailable => ApiError::new(status, "unavailable", message),
            AppError::Internal | AppError::Transport(_) => ApiError::new(status, "internal", message),
        }
    }
}

impl From<BookingError> for ApiError {
    fn from(error: BookingError) -> Self {
        AppError::Booking(error).into()
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        AppError::from(error).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": self.code, "message": self.message});
        if let Some(field) = self.field {
            body["field"] = json!(field);
        }
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Turns axum's plain-text rejections (malformed JSON, wrong types, bad
/// path or query values, unknown methods) into the API's JSON errors.
pub async fn into_json(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("application/json"));
    let status = response.status();
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).trim().to_string();
    let code = match status {
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::NOT_FOUND => "not_found",
        s if s.is_server_error() => "internal",
        _ => "invalid",
    };
    let message = if text.is_empty() { status.canonical_reason().unwrap_or("error").to_string() } else { text };
    let mut response = ApiError::new(status, code, message).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
