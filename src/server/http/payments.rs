//! Paying online: the client's "pay the deposit" form on /mis-reservas
//! (a plain POST answered with 303 to the provider's checkout page), and the
//! provider's webhook, which records what was paid.

use crate::domain::payment::{verify_stripe_signature, PaymentSource};
use crate::server::auth::RequestAuth;
use crate::server::payments::{stripe, PaymentError, PaymentProvider};
use crate::server::state::AppState;
use crate::server::storage::payments::{self, EventOutcome};
use crate::server::storage::{bookings, resources, StorageError};
use axum::body::Bytes;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Json, Router};
use serde::Deserialize;

use crate::server_fns::my_bookings::PAY_DEPOSIT_PATH;

pub const STRIPE_WEBHOOK_PATH: &str = "/api/payments/stripe/webhook";

pub fn routes() -> Router<AppState> {
    // The webhook is under /api, whose errors are JSON.
    let webhook = post(stripe_webhook).layer(axum::middleware::from_fn(crate::server::api::json_errors));
    Router::new().route(PAY_DEPOSIT_PATH, post(pay_deposit)).route(STRIPE_WEBHOOK_PATH, webhook)
}

#[derive(Deserialize)]
struct PayForm {
    booking_id: i64,
}

/// Sends the client to the checkout page of their booking's deposit; back
/// on /mis-reservas with a message when that cannot be.
async fn pay_deposit(State(state): State<AppState>, Extension(request): Extension<RequestAuth>, Form(form): Form<PayForm>) -> Response {
    let Some(user) = request.user else {
        return Redirect::to("/login").into_response();
    };
    let booking = match bookings::get(&state.db, form.booking_id).await {
        Ok(Some(booking)) if booking.client_id == Some(user.id) => booking,
        Ok(_) => return (StatusCode::NOT_FOUND, "no such booking of yours").into_response(),
        Err(e) => return failure(&e.into()),
    };
    let name = match resources::find(&state.db, booking.resource_id).await {
        Ok(found) => found.map(|r| r.summary.name).unwrap_or_default(),
        Err(e) => return failure(&e.into()),
    };
    let provider = PaymentProvider::of(&state.config);
    let now = crate::server::clock::now();
    match stripe::deposit_checkout(&provider, &state.db, &booking, &name, &state.config.server.public_url, now).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => failure(&e),
    }
}

fn failure(error: &PaymentError) -> Response {
    match error {
        PaymentError::Refused(_) => {}
        other => tracing::error!(error = %other, "could not start an online payment"),
    }
    Redirect::to("/mis-reservas?pago=error").into_response()
}

/// Stripe's events: believed only with a valid signature from within the
/// tolerance (400 otherwise); an event already handled is answered 200 and
/// changes nothing.
async fn stripe_webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let PaymentProvider::StripeCheckout { webhook_secret, tolerance_seconds, .. } = PaymentProvider::of(&state.config) else {
        return (StatusCode::NOT_FOUND, "online payments are off").into_response();
    };
    let now = crate::server::clock::now();
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if let Err(problem) = verify_stripe_signature(&webhook_secret, signature, &body, now, tolerance_seconds) {
        tracing::warn!(%problem, "stripe webhook refused");
        return (StatusCode::BAD_REQUEST, problem.to_string()).into_response();
    }
    let Some((event_id, event)) = stripe::parse_event(&body) else {
        return (StatusCode::BAD_REQUEST, "the body is not an event").into_response();
    };
    match payments::handle_event(&state.db, PaymentSource::Stripe, &event_id, &event, now).await {
        Ok(outcome) => Json(serde_json::json!({"received": true, "outcome": outcome_name(&outcome)})).into_response(),
        Err(StorageError::Refused(refusal)) => {
            // Stripe would send it again and again: it is answered, and logged for a person to look at.
            tracing::error!(%event_id, %refusal, "a stripe event could not be recorded");
            Json(serde_json::json!({"received": true, "outcome": "refused"})).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, %event_id, "stripe event not handled; Stripe will retry");
            (StatusCode::INTERNAL_SERVER_ERROR, "try again later").into_response()
        }
    }
}

fn outcome_name(outcome: &EventOutcome) -> &'static str {
    match outcome {
        EventOutcome::Replay => "replay",
        EventOutcome::Ignored => "ignored",
        EventOutcome::Paid(_) => "paid",
        EventOutcome::Expired => "expired",
    }
}
