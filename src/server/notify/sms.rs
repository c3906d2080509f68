//! SMS providers: any service with Twilio's Messages API, or the log.

use super::mailer::Handed;
use super::settings::{SmsConfig, SmsProvider};
use super::SendError;
use crate::domain::account::normalize_phone;
use std::time::Duration;

#[derive(Clone)]
pub enum SmsSender {
    Twilio { client: reqwest::Client, messages_url: String, account_sid: String, auth_token: String, from: String },
    /// Writes the message to the log; it stays on the "Sent mail" page.
    Log,
}

impl SmsSender {
    pub fn from_config(config: &SmsConfig) -> Result<SmsSender, String> {
        if config.provider == SmsProvider::Log {
            return Ok(SmsSender::Log);
        }
        let from = e164(&config.from).ok_or_else(|| format!("sms.from {:?} is not an E.164 number like +15005550006", config.from))?;
        if config.account_sid.is_empty() || config.auth_token.is_empty() {
            return Err("sms.account_sid and sms.auth_token are needed for the twilio provider".into());
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| format!("sms: cannot build the HTTP client: {e}"))?;
        let base = config.api_base_url.trim_end_matches('/');
        Ok(SmsSender::Twilio {
            client,
            messages_url: format!("{base}/2010-04-01/Accounts/{}/Messages.json", config.account_sid),
            account_sid: config.account_sid.clone(),
            auth_token: config.auth_token.clone(),
            from,
        })
    }

    pub async fn send(&self, to: &str, body: &str) -> Result<Handed, SendError> {
        let to = e164(to).ok_or_else(|| SendError::permanent(format!("{to:?} is not an E.164 phone number")))?;
        let SmsSender::Twilio { client, messages_url, account_sid, auth_token, from } = self else {
            tracing::info!(%to, %body, "SMS (log provider)");
            return Ok(Handed::Kept);
        };
        let response = client
            .post(messages_url)
            .basic_auth(account_sid, Some(auth_token))
            .form(&[("To", to.as_str()), ("From", from.as_str()), ("Body", body)])
            .send()
            .await
            .map_err(|e| SendError { message: format!("SMS provider unreachable: {e}"), permanent: false })?;
        let status = response.status();
        if status.is_success() {
            return Ok(Handed::Sent);
        }
        let detail = response.text().await.unwrap_or_default();
        let permanent = status.is_client_error() && status.as_u16() != 429;
        Err(SendError { message: format!("SMS provider answered {status}: {}", detail.chars().take(300).collect::<String>()), permanent })
    }
}

fn e164(raw: &str) -> Option<String> {
    normalize_phone(raw).ok().flatten()
}
