//! GET /api/audit: the audit log, administrators only.

use super::bookings::parse_count;
use super::{ApiError, Caller};
use crate::domain::audit::AuditAction;
use crate::server::state::AppState;
use crate::server::storage::audit::{self, AuditEntry};
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 1000;

#[derive(Deserialize)]
pub struct AuditQuery {
    action: Option<String>,
    skip: Option<String>,
    limit: Option<String>,
}

fn entry_json(e: &AuditEntry) -> Value {
    json!({
        "id": e.id, "at": e.at.to_rfc3339(), "actor_id": e.actor_id, "actor_name": e.actor_name,
        "action": e.action, "target": e.target, "detail": e.detail,
    })
}

/// Newest first, optionally one action only.
pub async fn list(State(state): State<AppState>, caller: Caller, Query(q): Query<AuditQuery>) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    let action = match q.action.as_deref().filter(|a| !a.trim().is_empty()) {
        None => None,
        Some(text) => Some(AuditAction::parse(text).ok_or_else(|| {
            let known: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
            ApiError::invalid("action", format!("action must be one of {}", known.join(", ")))
        })?),
    };
    let skip = parse_count("skip", q.skip.as_deref(), 0, i64::from(i32::MAX))?;
    let limit = parse_count("limit", q.limit.as_deref(), DEFAULT_LIMIT, MAX_LIMIT)?;
    let entries = audit::list(&state.db, action, skip, limit).await?;
    Ok(Json(Value::Array(entries.iter().map(entry_json).collect())))
}
