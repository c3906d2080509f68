//! Stripe Checkout: a session per payment (POST /v1/checkout/sessions,
//! form-encoded, `Authorization: Bearer <secret key>`), and the events its
//! webhook sends once the session is paid or has expired.

use super::{PaymentError, PaymentProvider};
use crate::domain::booking::{Booking, BookingStatus};
use crate::domain::payment::{PaymentKind, PaymentRefusal};
use crate::server::storage::payments::{self, CheckoutSession, ProviderEvent};
use crate::server::storage::Db;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::time::Duration;

/// What a checkout page sells and where the client comes back to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutRequest {
    pub booking_id: i64,
    pub kind: PaymentKind,
    pub amount_minor: i64,
    pub currency: String,
    pub product_name: String,
    pub success_url: String,
    pub cancel_url: String,
}

impl CheckoutRequest {
    /// The form Stripe's API takes.
    pub fn form(&self) -> Vec<(&'static str, String)> {
        vec![
            ("mode", "payment".into()),
            ("success_url", self.success_url.clone()),
            ("cancel_url", self.cancel_url.clone()),
            ("line_items[0][price_data][currency]", self.currency.to_lowercase()),
            ("line_items[0][price_data][product_data][name]", self.product_name.clone()),
            ("line_items[0][price_data][unit_amount]", self.amount_minor.to_string()),
            ("line_items[0][quantity]", "1".into()),
            ("client_reference_id", self.booking_id.to_string()),
            ("metadata[booking_id]", self.booking_id.to_string()),
            ("metadata[kind]", self.kind.as_str().into()),
        ]
    }
}

#[derive(Debug, Deserialize)]
struct OpenedSession {
    id: String,
    url: String,
    expires_at: i64,
}

/// Opens a checkout session at Stripe.
pub async fn open_session(api_base: &str, secret_key: &str, request: &CheckoutRequest) -> Result<CheckoutSession, PaymentError> {
    let failed = |e: reqwest::Error| PaymentError::Provider(e.to_string());
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().map_err(failed)?;
    let response = client
        .post(format!("{api_base}/v1/checkout/sessions"))
        .bearer_auth(secret_key)
        .form(&request.form())
        .send()
        .await
        .map_err(failed)?;
    if !response.status().is_success() {
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        return Err(PaymentError::Provider(format!("{status}: {}", text.chars().take(300).collect::<String>())));
    }
    let opened: OpenedSession = response.json().await.map_err(failed)?;
    Ok(CheckoutSession {
        id: opened.id,
        booking_id: request.booking_id,
        kind: request.kind,
        amount_minor: request.amount_minor,
        currency: request.currency.clone(),
        url: opened.url,
        expires_at: DateTime::from_timestamp(opened.expires_at, 0).unwrap_or_default(),
    })
}

/// Where the client pays the deposit still owed on `booking` (a pending
/// booking of theirs): an open checkout page of it, or a new one.
pub async fn deposit_checkout(
    provider: &PaymentProvider,
    db: &Db,
    booking: &Booking,
    resource_name: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<String, PaymentError> {
    let PaymentProvider::StripeCheckout { api_base, secret_key, .. } = provider else {
        return Err(PaymentRefusal::OnlinePaymentsOff.into());
    };
    if booking.status != BookingStatus::Pending || !booking.deposit_unpaid() {
        return Err(PaymentRefusal::NothingOwed.into());
    }
    if let Some(url) = payments::open_checkout_url(db, booking.id, PaymentKind::Deposit, now).await? {
        return Ok(url);
    }
    let owed = booking.deposit_due_minor - payments::ledger_of(db, booking.id).await?.net().max(0);
    let base = public_url.trim_end_matches('/');
    let request = CheckoutRequest {
        booking_id: booking.id,
        kind: PaymentKind::Deposit,
        amount_minor: owed.max(1),
        currency: booking.currency.clone(),
        product_name: format!("{resource_name} #{}", booking.id),
        success_url: format!("{base}/mis-reservas?pago=ok"),
        cancel_url: format!("{base}/mis-reservas?pago=cancelado"),
    };
    let session = open_session(api_base, secret_key, &request).await?;
    payments::save_checkout(db, &session, now).await?;
    Ok(session.url)
}

#[derive(Debug, Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    object: EventObject,
}

#[derive(Debug, Deserialize)]
struct EventObject {
    #[serde(default)]
    id: String,
}

/// The event's id and what it asks for; `None` when the body is not an event.
pub fn parse_event(body: &[u8]) -> Option<(String, ProviderEvent)> {
    let event: Event = serde_json::from_slice(body).ok()?;
    let session_id = event.data.object.id;
    let asked = match event.kind.as_str() {
        "checkout.session.completed" if !session_id.is_empty() => ProviderEvent::CheckoutCompleted { session_id },
        "checkout.session.expired" if !session_id.is_empty() => ProviderEvent::CheckoutExpired { session_id },
        _ => ProviderEvent::Other,
    };
    Some((event.id, asked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_name_their_session() {
        let body = br#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"cs_1","object":"checkout.session"}}}"#;
        assert_eq!(parse_event(body), Some(("evt_1".into(), ProviderEvent::CheckoutCompleted { session_id: "cs_1".into() })));
        let other = br#"{"id":"evt_2","type":"charge.refunded","data":{"object":{"id":"ch_1"}}}"#;
        assert_eq!(parse_event(other), Some(("evt_2".into(), ProviderEvent::Other)));
        assert_eq!(parse_event(b"not json"), None);
    }

    #[test]
    fn the_form_follows_stripes_names() {
        let request = CheckoutRequest {
            booking_id: 7,
            kind: PaymentKind::Deposit,
            amount_minor: 50_000,
            currency: "MXN".into(),
            product_name: "Taller #7".into(),
            success_url: "http://x/mis-reservas?pago=ok".into(),
            cancel_url: "http://x/mis-reservas?pago=cancelado".into(),
        };
        let form = request.form();
        let value = |key: &str| form.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str());
        assert_eq!(value("line_items[0][price_data][currency]"), Some("mxn"));
        assert_eq!(value("line_items[0][price_data][unit_amount]"), Some("50000"));
        assert_eq!(value("metadata[booking_id]"), Some("7"));
        assert_eq!(value("metadata[kind]"), Some("deposit"));
        assert_eq!(value("mode"), Some("payment"));
    }
}
