//! The [notifications], [mail] and [sms] sections of reservo.toml.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotificationsConfig {
    /// Whether this instance delivers messages; every instance writes them.
    pub deliver: bool,
    /// Reminders to the client this many minutes before the start.
    pub reminder_offsets_minutes: Vec<u32>,
    /// How often (seconds) the delivery worker looks for due messages.
    pub poll_seconds: u64,
    /// Attempts before a message is marked failed.
    pub max_attempts: u32,
    /// Wait before the first retry; doubled for every further attempt.
    pub retry_base_seconds: u32,
    /// A worker that took a message and died gives it up after this long.
    pub claim_seconds: u32,
}

impl Default for NotificationsConfig {
    fn default() -> Self {
        NotificationsConfig {
            deliver: true,
            reminder_offsets_minutes: vec![24 * 60, 120],
            poll_seconds: 2,
            max_attempts: 8,
            retry_base_seconds: 30,
            claim_seconds: 120,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// Empty: no SMTP; messages are kept and shown on the admin "Sent mail" page.
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    pub smtp_user: String,
    pub smtp_password: String,
    pub from: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_security: SmtpSecurity::Starttls,
            smtp_user: String::new(),
            smtp_password: String::new(),
            from: "Reservo <reservas@reservo.test>".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsProvider {
    /// Writes each SMS to the log and keeps it on the "Sent mail" page.
    Log,
    /// Any service with Twilio's Messages API.
    Twilio,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmsConfig {
    pub provider: SmsProvider,
    pub api_base_url: String,
    pub account_sid: String,
    pub auth_token: String,
    /// The sender number, E.164.
    pub from: String,
}

impl Default for SmsConfig {
    fn default() -> Self {
        SmsConfig {
            provider: SmsProvider::Log,
            api_base_url: "https://api.twilio.com".into(),
            account_sid: String::new(),
            auth_token: String::new(),
            from: String::new(),
        }
    }
}
