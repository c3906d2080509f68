//! Payment providers ([payments]): `offline`, where only the manager records
//! money, or Stripe Checkout, where the client pays a deposit by card on
//! Stripe's page and Stripe's signed webhook records it.

pub mod stripe;

use crate::domain::payment::PaymentRefusal;
use crate::server::storage::StorageError;
use serde::{Deserialize, Serialize};

/// How long a booking that owes a deposit holds its time unpaid, by default.
pub const DEFAULT_WINDOW_MINUTES: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderName {
    Offline,
    Stripe,
}

/// The [payments] section of reservo.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaymentsConfig {
    pub provider: ProviderName,
    /// Stripe's API, or a stand-in for tests.
    pub api_base: String,
    pub secret_key: String,
    /// The signing secret of the webhook endpoint (whsec_...).
    pub webhook_secret: String,
    /// Webhook signatures older or newer than this are refused.
    pub webhook_tolerance_seconds: u32,
    /// How long a booking that owes a deposit holds its time while unpaid.
    pub window_minutes: u32,
}

impl Default for PaymentsConfig {
    fn default() -> Self {
        PaymentsConfig {
            provider: ProviderName::Offline,
            api_base: "https://api.stripe.com".into(),
            secret_key: String::new(),
            webhook_secret: String::new(),
            webhook_tolerance_seconds: 300,
            window_minutes: DEFAULT_WINDOW_MINUTES as u32,
        }
    }
}

impl PaymentsConfig {
    /// How long an unpaid deposit holds a booking's time: the payment
    /// window when clients pay online; None when the deposit is taken
    /// offline (the booking then waits as long as any pending request).
    pub fn window(&self) -> Option<chrono::Duration> {
        (self.provider == ProviderName::Stripe).then(|| chrono::Duration::minutes(i64::from(self.window_minutes)))
    }
}

/// Who takes the money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentProvider {
    /// Only the manager records money (paid at the workshop).
    Offline,
    StripeCheckout { api_base: String, secret_key: String, webhook_secret: String, tolerance_seconds: i64 },
}

impl PaymentProvider {
    /// Checks the settings: `(setting, problem)` when they do not work.
    pub fn from_config(config: &PaymentsConfig) -> Result<PaymentProvider, (&'static str, String)> {
        if config.window_minutes == 0 {
            return Err(("payments.window_minutes", "must be at least 1".into()));
        }
        if config.provider == ProviderName::Offline {
            return Ok(PaymentProvider::Offline);
        }
        if config.secret_key.is_empty() || config.webhook_secret.is_empty() {
            return Err(("payments.secret_key", "the stripe provider needs both secret_key and webhook_secret".into()));
        }
        if !(config.api_base.starts_with("https://") || config.api_base.starts_with("http://")) {
            return Err(("payments.api_base", format!("{:?} must start with https:// or http://", config.api_base)));
        }
        if config.webhook_tolerance_seconds == 0 {
            return Err(("payments.webhook_tolerance_seconds", "must be at least 1".into()));
        }
        Ok(PaymentProvider::StripeCheckout {
            api_base: config.api_base.trim_end_matches('/').to_string(),
            secret_key: config.secret_key.clone(),
            webhook_secret: config.webhook_secret.clone(),
            tolerance_seconds: i64::from(config.webhook_tolerance_seconds),
        })
    }

    /// The provider of validated settings.
    pub fn of(config: &crate::server::config::Config) -> PaymentProvider {
        PaymentProvider::from_config(&config.payments).unwrap_or(PaymentProvider::Offline)
    }

    /// Whether clients pay online.
    pub fn online(&self) -> bool {
        matches!(self, PaymentProvider::StripeCheckout { .. })
    }
}

pub fn example_for(key: &str) -> &'static str {
    match key {
        "payments.provider" => "provider = \"offline\" (or \"stripe\")",
        "payments.secret_key" | "payments.webhook_secret" => {
            "RESERVO_PAYMENTS__SECRET_KEY=sk_live_... RESERVO_PAYMENTS__WEBHOOK_SECRET=whsec_..."
        }
        "payments.api_base" => "api_base = \"https://api.stripe.com\"",
        "payments.webhook_tolerance_seconds" => "webhook_tolerance_seconds = 300",
        _ => "window_minutes = 30",
    }
}

/// Why a payment could not be started or recorded.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("{0}")]
    Refused(PaymentRefusal),
    #[error("the payment provider failed: {0}")]
    Provider(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<PaymentRefusal> for PaymentError {
    fn from(refusal: PaymentRefusal) -> Self {
        PaymentError::Refused(refusal)
    }
}
