//! POST /test/clock {"advance_minutes": N}: moves the server's clock forward
//! (see `server::clock`). Routed only when `[testing] controllable_clock` is on.

use crate::server::clock;
use crate::server::state::AppState;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// A year at most: further is a typo, not a test.
const MAX_ADVANCE_MINUTES: i64 = 366 * 24 * 60;

pub fn routes() -> Router<AppState> {
    Router::new().route("/test/clock", post(advance))
}

#[derive(Deserialize)]
struct Advance {
    advance_minutes: i64,
}

async fn advance(Json(body): Json<Advance>) -> Result<Json<Value>, (StatusCode, String)> {
    if !(0..=MAX_ADVANCE_MINUTES).contains(&body.advance_minutes) {
        return Err((StatusCode::UNPROCESSABLE_ENTITY, format!("advance_minutes must be 0 to {MAX_ADVANCE_MINUTES}")));
    }
    let now = clock::advance(chrono::Duration::minutes(body.advance_minutes));
    Ok(Json(json!({ "now": now.to_rfc3339() })))
}
