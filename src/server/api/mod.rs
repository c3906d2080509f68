//! The REST API under /api (JSON). Every route works with and without a
//! trailing slash; callers authenticate with a bearer token (or the browser
//! session). Errors are `{"error", "message", "field"}` with 4xx statuses.

mod audit;
mod bookings;
mod error;
pub mod openapi;
mod payments;
mod resources;
mod reviews;
mod tokens;

pub use error::ApiError;

use crate::domain::account::Role;
use crate::server::auth::{token_hash, RequestAuth};
use crate::server::state::AppState;
use crate::server::storage::{api_tokens, StorageError};
use crate::server::storage::users::User;
use axum::extract::{DefaultBodyLimit, FromRequestParts, OptionalFromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{delete, get, post, MethodRouter};
use axum::Router;

/// Every route, relative to /api; `router` registers each also with a trailing slash.
fn routes() -> [(&'static str, MethodRouter<AppState>); 25] {
    [
        ("/get-test-token", get(tokens::test_token)),
        ("/auth/token", post(tokens::issue).delete(tokens::revoke)),
        ("/rooms", get(resources::list_rooms).post(resources::create_room)),
        ("/rooms/{id}", get(resources::get_room).put(resources::update_room).delete(resources::retire)),
        ("/rooms/{id}/availability", get(resources::room_availability)),
        ("/resources", get(resources::list_resources)),
        ("/resources/{id}", get(resources::get_resource).delete(resources::retire)),
        ("/resources/{id}/restore", post(resources::restore)),
        (
            "/resources/{id}/photos",
            post(resources::upload_photo).layer(DefaultBodyLimit::max(crate::domain::photo::MAX_PHOTO_BYTES + 1024)),
        ),
        ("/resources/{id}/photos/{index}", delete(resources::remove_photo)),
        ("/resources/{id}/photos/{index}/cover", post(resources::make_cover)),
        ("/resources/{id}/availability", get(resources::availability)),
        ("/resources/{id}/reviews", get(reviews::list)),
        ("/resources/{id}/notifications", get(resources::notification_settings).put(resources::set_notification_settings)),
        ("/bookings", get(bookings::list).post(bookings::create)),
        ("/bookings/stats/summary", get(bookings::stats)),
        ("/bookings/{id}", get(bookings::get_one).put(bookings::update).delete(bookings::cancel)),
        ("/bookings/{id}/check-in", post(bookings::check_in)),
        ("/bookings/{id}/check-out", post(bookings::check_out)),
        ("/bookings/{id}/complete-maintenance", post(bookings::complete_maintenance)),
        ("/bookings/{id}/history", get(bookings::history)),
        ("/bookings/{id}/payments", get(payments::list).post(payments::record)),
        ("/audit", get(audit::list)),
        ("/openapi.json", get(openapi::serve)),
        ("/docs", get(openapi::docs)),
    ]
}

/// The registered paths (without the trailing-slash twins), as in the OpenAPI document.
pub fn route_paths() -> Vec<&'static str> {
    routes().into_iter().map(|(path, _)| path).collect()
}

pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for (path, handler) in routes() {
        router = router.route(path, handler.clone()).route(&format!("{path}/"), handler);
    }
    router.fallback(|| async { ApiError::not_found() })
}

/// Answers with JSON also when axum itself refuses a request (bad JSON, bad
/// path parameter): those rejections are plain text otherwise.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    error::into_json(response).await
}

/// The token of an `Authorization: Bearer <token>` header ("" when the header
/// has another scheme, which matches no token).
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    let header = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = header.split_once(' ').unwrap_or((header, ""));
    Some(if scheme.eq_ignore_ascii_case("bearer") { token.trim() } else { "" })
}

/// The caller: from `Authorization: Bearer <token>`, else the browser session.
pub struct Caller(pub User);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        <Caller as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await?
            .ok_or_else(|| ApiError::unauthorized("send Authorization: Bearer <token> (POST /api/auth/token)"))
    }
}

/// For public routes that show more to some callers; a bad token is still refused.
impl OptionalFromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, ApiError> {
        if let Some(token) = bearer_token(&parts.headers) {
            let hash = token_hash(token);
            return match token_holder(parts, state, &hash).await? {
                Some((_, scope)) if scope == tokens::READ_SCOPE && !may_read_only(parts) => Err(ApiError::new(
                    axum::http::StatusCode::FORBIDDEN,
                    "insufficient_scope",
                    "this token may only read (GET); issue one with scope \"full\" to make changes",
                )),
                Some((user, _)) => Ok(Some(Caller(user))),
                None => Err(ApiError::unauthorized("the bearer token is unknown or revoked")),
            };
        }
        Ok(parts.extensions.get::<RequestAuth>().and_then(|auth| auth.user.clone()).map(Caller))
    }
}

/// The holder of the request's bearer token and the token's scope, looked up
/// once per request: the rate limits need it before the handler does.
#[derive(Clone)]
struct TokenHolder(Option<(User, String)>);

pub async fn token_holder(parts: &mut Parts, state: &AppState, token_hash: &str) -> Result<Option<(User, String)>, StorageError> {
    if let Some(TokenHolder(holder)) = parts.extensions.get::<TokenHolder>() {
        return Ok(holder.clone());
    }
    let holder = api_tokens::holder_of(&state.db, token_hash).await?;
    parts.extensions.insert(TokenHolder(holder.clone()));
    Ok(holder)
}

/// What a read-only token may do: read, and revoke itself.
fn may_read_only(parts: &Parts) -> bool {
    let revoking_itself = parts.method == axum::http::Method::DELETE && parts.uri.path().trim_end_matches('/').ends_with("/auth/token");
    matches!(parts.method, axum::http::Method::GET | axum::http::Method::HEAD) || revoking_itself
}

impl Caller {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.0.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::forbidden("only administrators may do this"))
        }
    }
}
