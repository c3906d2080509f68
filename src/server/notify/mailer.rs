//! Email transports: SMTP through lettre, or none (messages are kept for the
//! admins' "Sent mail" page).

use super::compose::Email;
use super::settings::{MailConfig, SmtpSecurity};
use super::SendError;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

#[derive(Clone)]
pub enum Mailer {
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
    /// No SMTP server configured.
    Keep,
}

/// What became of a message handed to a transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handed {
    Sent,
    Kept,
}

impl Mailer {
    pub fn from_config(config: &MailConfig) -> Result<Mailer, String> {
        if config.smtp_host.trim().is_empty() {
            return Ok(Mailer::Keep);
        }
        let from: Mailbox = config.from.parse().map_err(|e| format!("mail.from {:?}: {e}", config.from))?;
        let host = config.smtp_host.trim();
        let builder = match config.smtp_security {
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host),
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
            SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)),
        }
        .map_err(|e| format!("mail.smtp_host {host:?}: {e}"))?;
        let mut builder = builder.port(config.smtp_port).timeout(Some(Duration::from_secs(20)));
        if !config.smtp_user.is_empty() {
            builder = builder.credentials(Credentials::new(config.smtp_user.clone(), config.smtp_password.clone()));
        }
        Ok(Mailer::Smtp { transport: builder.build(), from })
    }

    pub async fn send(&self, to: &str, email: &Email) -> Result<Handed, SendError> {
        let Mailer::Smtp { transport, from } = self else { return Ok(Handed::Kept) };
        let message = build_message(from, to, email)?;
        match transport.send(message).await {
            Ok(_) => Ok(Handed::Sent),
            Err(e) => Err(SendError { message: e.to_string(), permanent: e.is_permanent() }),
        }
    }
}

fn build_message(from: &Mailbox, to: &str, email: &Email) -> Result<Message, SendError> {
    let to: Mailbox = to.parse().map_err(|e| SendError::permanent(format!("recipient {to:?}: {e}")))?;
    let body = MultiPart::alternative_plain_html(email.text.clone(), email.html.clone());
    let body = match &email.ics {
        Some(ics) => {
            let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH").expect("a valid content type");
            MultiPart::mixed().multipart(body).singlepart(Attachment::new("reserva.ics".into()).body(ics.clone(), calendar))
        }
        None => body,
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&email.subject)
        .multipart(body)
        .map_err(|e| SendError::permanent(format!("building the message: {e}")))
}
