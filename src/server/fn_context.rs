//! What server functions need from the request they run in.

use crate::error::AppError;
use crate::server::auth::RequestAuth;
use crate::server::state::AppState;
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or(AppError::Internal)
}

pub fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or(AppError::Internal)
}

pub fn auth() -> RequestAuth {
    use_context::<Parts>().and_then(|p| p.extensions.get::<RequestAuth>().cloned()).unwrap_or_default()
}

pub fn set_cookie(cookie: HeaderValue) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.append_header(http::header::SET_COOKIE, cookie);
    }
}

/// Whether the call is a browser's own form post (no JavaScript), which
/// expects a page back, rather than a call from the hydrated app.
pub fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|p| p.headers.get(http::header::ACCEPT)?.to_str().ok().map(|a| a.contains("text/html")))
        .unwrap_or(false)
}

/// Gives an error its HTTP status, so clients see 401/403/422 too. A plain
/// HTML form post (no JavaScript) is left alone: Leptos sends it back to the
/// form's page, which a 4xx status would prevent. An unavailable database
/// is told to every caller, pages rendered on the server included: their
/// 503 tells browsers, proxies and monitors to come back shortly.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Some(e) = result.as_ref().err().filter(|e| **e == AppError::Unavailable || !is_plain_form_post()) {
        if let (Some(response), Ok(status)) = (use_context::<ResponseOptions>(), StatusCode::from_u16(e.status())) {
            response.set_status(status);
            if let AppError::TooManyAttempts { retry_after_secs } = e {
                response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(*retry_after_secs));
            }
        }
    }
    result
}

/// A call whose arguments could not be read (a missing field, text for a
/// number, a body that is not a form) is the caller's mistake: 400, not the
/// 500 Leptos gives any error raised before the function runs.
pub fn unreadable_arguments() {
    if let (Some(response), false) = (use_context::<ResponseOptions>(), is_plain_form_post()) {
        response.set_status(StatusCode::BAD_REQUEST);
    }
}
