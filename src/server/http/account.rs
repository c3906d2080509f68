//! GET /mi-cuenta/datos.json: the logged-in person's data as a download
//! (see `privacy::export`), linked from their account page.

use crate::server::auth::RequestAuth;
use crate::server::privacy;
use crate::server::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

pub const EXPORT_PATH: &str = "/mi-cuenta/datos.json";

pub fn routes() -> Router<AppState> {
    Router::new().route(EXPORT_PATH, get(download))
}

async fn download(State(state): State<AppState>, Extension(request): Extension<RequestAuth>) -> Response {
    let Some(user) = request.user else {
        return (StatusCode::UNAUTHORIZED, "log in to download your data").into_response();
    };
    match privacy::export(&state.db, &user, crate::server::clock::now()).await {
        Ok(data) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"reservo-mis-datos.json\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), e.to_string()).into_response(),
    }
}
