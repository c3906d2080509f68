//! The administrators' audit log page: entries newest first, a page at a
//! time, optionally of one action.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Entries per page.
pub const AUDIT_PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// In the server's default zone, e.g. "23/11/2026 14:05".
    pub at: String,
    /// The administrator's name, or "#id" when there is none.
    pub actor: String,
    pub action: String,
    pub target: String,
    /// The details as JSON text.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// From 1.
    pub page: u32,
    /// At least 1.
    pub pages: u32,
    pub total: i64,
}

/// One page (from 1) of the log; `action` empty for every action.
#[server(prefix = "/fn", endpoint = "audit-log")]
pub async fn audit_log(#[server(default)] page: u32, #[server(default)] action: String) -> Result<AuditPage, AppError> {
    use crate::domain::account::{Problem, Role};
    use crate::domain::audit::AuditAction;
    use crate::server::storage::audit;
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            auth::require_role(&fn_context::auth(), &[Role::Admin])?;
            let state = fn_context::state()?;
            let action = match action.trim() {
                "" => None,
                text => Some(AuditAction::parse(text).ok_or_else(|| AppError::invalid("action", Problem::OutOfRange))?),
            };
            let page = page.max(1);
            let total = audit::count(&state.db, action).await?;
            let skip = i64::from(page - 1) * AUDIT_PAGE_SIZE;
            let entries = audit::list(&state.db, action, skip, AUDIT_PAGE_SIZE).await?;
            let zone: chrono_tz::Tz = state.config.server.default_timezone.parse().unwrap_or(chrono_tz::UTC);
            let rows = entries
                .into_iter()
                .map(|e| AuditRow {
                    id: e.id,
                    at: e.at.with_timezone(&zone).format("%d/%m/%Y %H:%M").to_string(),
                    actor: e.actor_name.unwrap_or_else(|| e.actor_id.map(|id| format!("#{id}")).unwrap_or_default()),
                    action: e.action,
                    target: e.target,
                    detail: e.detail.to_string(),
                })
                .collect();
            let pages = u32::try_from((total + AUDIT_PAGE_SIZE - 1) / AUDIT_PAGE_SIZE).unwrap_or(u32::MAX).max(1);
            Ok(AuditPage { rows, page, pages, total })
        }
        .await,
    )
}
