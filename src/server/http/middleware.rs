use crate::server::auth;
use crate::server::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Resolves the session cookie once per request into `RequestAuth`.
pub async fn resolve_session(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    match auth::resolve(&state, request.headers()).await {
        Ok(found) => {
            request.extensions_mut().insert(found);
            next.run(request).await
        }
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            refusal(&request, StatusCode::SERVICE_UNAVAILABLE, "unavailable", "database unavailable, try again shortly")
        }
    }
}

/// CSRF protection: a browser tells where a request comes from (Sec-Fetch-Site,
/// else Origin); writes from another site are refused. Requests without either
/// header do not come from a browser and cannot ride on its cookies.
pub async fn reject_cross_origin_writes(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || is_same_origin(&request) {
        next.run(request).await
    } else {
        tracing::warn!(uri = %request.uri(), "cross-origin write refused");
        refusal(&request, StatusCode::FORBIDDEN, "cross_site", "cross-site request refused")
    }
}

/// A refusal before any handler ran: the API's JSON error shape under /api,
/// plain text elsewhere.
pub(super) fn refusal(request: &Request, status: StatusCode, code: &str, message: &str) -> Response {
    if request.uri().path().starts_with("/api") {
        crate::server::api::ApiError::new(status, code, message).into_response()
    } else {
        (status, message.to_string()).into_response()
    }
}

fn is_same_origin(request: &Request<Body>) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
            origin.split_once("://").is_some_and(|(_, rest)| rest == host)
        }
    }
}
