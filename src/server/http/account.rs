//! GET /mi-cuenta/datos.json: the logged-in person's data as a download
//! (see `privacy::export`), linked from their account page; and GET
//! /mis-reservas/{id}/cambiar: a client's way from "My bookings" to the page
//! where they choose another time (the signed reschedule link of their emails,
//! so the same rules apply).

use crate::domain::booking::BookingStatus;
use crate::domain::link::LinkAction;
use crate::server::auth::RequestAuth;
use crate::server::links;
use crate::server::storage::bookings;
use crate::server::privacy;
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};

pub const EXPORT_PATH: &str = "/mi-cuenta/datos.json";

pub fn routes() -> Router<AppState> {
    Router::new().route(EXPORT_PATH, get(download)).route("/mis-reservas/{id}/cambiar", get(reschedule))
}

async fn reschedule(State(state): State<AppState>, Extension(request): Extension<RequestAuth>, Path(id): Path<i64>) -> Response {
    let Some(user) = request.user else {
        return Redirect::to(&format!("/login?next=/mis-reservas/{id}/cambiar")).into_response();
    };
    let booking = match bookings::get(&state.db, id).await {
        Ok(Some(booking)) if booking.client_id == Some(user.id) => booking,
        Ok(Some(_)) => return (StatusCode::FORBIDDEN, "not your booking").into_response(),
        Ok(None) => return (StatusCode::NOT_FOUND, "no such booking").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading a booking to move failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let now = crate::server::clock::now();
    if !matches!(booking.status, BookingStatus::Pending | BookingStatus::Confirmed) || booking.start <= now {
        return (StatusCode::CONFLICT, "this booking can no longer be moved").into_response();
    }
    let expires = booking.start.min(links::expiry_from(&state.config.auth, now));
    let token = state.links.sign(booking.id, LinkAction::Reschedule, expires);
    Redirect::to(&format!("/enlace/{token}")).into_response()
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
