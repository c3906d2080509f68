//! The administrators' "Sent mail" page: every message in the outbox with
//! its delivery status and last error, and a retry for failed ones.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailRow {
    pub id: i64,
    pub booking_id: Option<i64>,
    /// "email" or "sms".
    pub channel: String,
    pub event: String,
    pub recipient: String,
    /// "pending", "sent", "failed" or "kept".
    pub status: String,
    pub attempts: u32,
    pub subject: String,
    pub body_text: String,
    pub last_error: String,
    /// In the server's default zone, e.g. "23/11/2026 14:05".
    pub created: String,
    pub sent: Option<String>,
}

/// At most this many messages are listed, newest first.
pub const MAIL_LIST_LIMIT: i64 = 200;

#[server(prefix = "/fn", endpoint = "sent-mail")]
pub async fn sent_mail(status: Option<String>) -> Result<Vec<MailRow>, AppError> {
    use crate::domain::account::{Problem, Role};
    use crate::server::storage::outbox;
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            auth::require_role(&fn_context::auth(), &[Role::Admin])?;
            let state = fn_context::state()?;
            let status = match status.as_deref().filter(|s| !s.is_empty()) {
                Some(s) => Some(outbox::DeliveryStatus::parse(s).ok_or_else(|| AppError::invalid("status", Problem::OutOfRange))?),
                None => None,
            };
            let zone: chrono_tz::Tz = state.config.server.default_timezone.parse().unwrap_or(chrono_tz::UTC);
            let shown = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&zone).format("%d/%m/%Y %H:%M").to_string();
            let messages = outbox::list(&state.db, status, MAIL_LIST_LIMIT).await?;
            Ok(messages
                .into_iter()
                .map(|m| MailRow {
                    id: m.id,
                    booking_id: m.booking_id,
                    channel: m.channel.as_str().into(),
                    event: m.event,
                    recipient: m.recipient,
                    status: m.status.as_str().into(),
                    attempts: m.attempts,
                    subject: m.subject,
                    body_text: m.body_text,
                    last_error: m.last_error,
                    created: shown(m.created_at),
                    sent: m.sent_at.map(shown),
                })
                .collect())
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "retry-mail")]
pub async fn retry_mail(id: i64) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::domain::audit::{target, AuditAction};
    use crate::server::storage::audit::{self, Act};
    use crate::server::storage::outbox;
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let admin = auth::require_role(&request, &[Role::Admin])?;
            let (db, now) = (fn_context::state()?.db, crate::server::clock::now());
            if !outbox::retry(&db, id, now).await? {
                return Err(AppError::NotFound);
            }
            // The retry is one statement of its own: recorded right after it.
            let act = Act { actor_id: admin.id, action: AuditAction::MailRetry, target: target("message", id), detail: serde_json::json!({}) };
            Ok(audit::record(&mut *db.write().await?, &act, now).await?)
        }
        .await,
    )
}
