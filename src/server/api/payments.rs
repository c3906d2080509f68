//! A booking's payments: listed for whoever may see the booking; recorded
//! (payments, deposits, refunds taken by hand) by the resource's managers
//! and administrators.

use super::bookings::{booking_json, manages, visible_booking};
use super::{ApiError, Caller};
use crate::domain::account::Role;
use crate::domain::payment::{NewPayment, PaymentKind, PaymentMethod, PaymentSource};
use crate::server::state::AppState;
use crate::server::storage::bookings::Actor;
use crate::server::storage::payments::{self, Payment};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

const REFERENCE_MAX_CHARS: usize = 200;

fn payment_json(payment: &Payment) -> Value {
    json!({
        "id": payment.id, "booking_id": payment.booking_id, "kind": payment.kind, "amount_minor": payment.amount_minor,
        "currency": payment.currency, "provider": payment.provider, "method": payment.method,
        "reference": payment.reference, "recorded_by": payment.recorded_by, "created_at": payment.created_at.to_rfc3339(),
    })
}

/// GET /api/bookings/{id}/payments, oldest first.
pub async fn list(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let booking = visible_booking(&state, &caller, &id).await?;
    let listed = payments::list_for_booking(&state.db, booking.id).await?;
    Ok(Json(Value::Array(listed.iter().map(payment_json).collect())))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPaymentBody {
    kind: String,
    amount_minor: i64,
    method: String,
    reference: Option<String>,
}

fn parse_body(body: NewPaymentBody, currency: &str) -> Result<NewPayment, ApiError> {
    let kind = PaymentKind::parse(&body.kind).ok_or_else(|| ApiError::invalid("kind", "kind must be deposit, payment or refund"))?;
    let method = PaymentMethod::parse(&body.method).ok_or_else(|| ApiError::invalid("method", "method must be cash, transfer or card"))?;
    let reference = body.reference.unwrap_or_default();
    if reference.chars().count() > REFERENCE_MAX_CHARS {
        return Err(ApiError::invalid("reference", format!("reference may have at most {REFERENCE_MAX_CHARS} characters")));
    }
    Ok(NewPayment { kind, amount_minor: body.amount_minor, currency: currency.to_string(), source: PaymentSource::Offline, method, reference })
}

/// POST /api/bookings/{id}/payments: 201 with the booking after it.
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<NewPaymentBody>,
) -> Result<Response, ApiError> {
    let booking = visible_booking(&state, &caller, &id).await?;
    if caller.0.role != Role::Admin && !manages(&state, &caller, booking.resource_id).await? {
        return Err(ApiError::forbidden("only administrators and the resource's managers may record payments"));
    }
    let payment = parse_body(body, &booking.currency)?;
    let actor = Actor { user_id: Some(caller.0.id), role: caller.0.role };
    let updated = payments::record(&state.db, booking.id, &payment, actor, crate::server::clock::now()).await?;
    Ok((StatusCode::CREATED, Json(booking_json(&state, &updated).await?)).into_response())
}
