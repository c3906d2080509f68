//! The audit log: every administrator action, who did it, to what, and when.
//! `record` takes a transaction (to write the entry with the change it
//! describes) or the pool (after a change that has no transaction of its own).

use super::calendar::from_unix;
use super::users::User;
use super::{Db, StorageError};
use crate::domain::account::Role;
use crate::domain::audit::AuditAction;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::Row;

/// An action to record.
#[derive(Debug, Clone, PartialEq)]
pub struct Act {
    pub actor_id: i64,
    pub action: AuditAction,
    /// What it was done to, e.g. "booking:12" (`domain::audit::target`).
    pub target: String,
    pub detail: Value,
}

impl Act {
    /// The entry for `user`'s action if they are an administrator; what
    /// others do is not audited.
    pub fn by_admin(user: &User, action: AuditAction, target: String, detail: Value) -> Option<Act> {
        (user.role == Role::Admin).then(|| Act { actor_id: user.id, action, target, detail })
    }
}

/// One recorded action.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    /// The actor's name now ("—" once they deleted their account).
    pub actor_name: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: Value,
}

/// Writes `act` through `executor`: `&mut *tx` inside a change's transaction, or `&mut *db.write().await?`.
pub async fn record<'e, E>(executor: E, act: &Act, now: DateTime<Utc>) -> Result<(), StorageError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("INSERT INTO audit_log (at, actor_id, action, target, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(now.timestamp())
        .bind(act.actor_id)
        .bind(act.action.as_str())
        .bind(act.target.clone())
        .bind(act.detail.to_string())
        .execute(executor)
        .await?;
    Ok(())
}

fn from_row(row: &AnyRow) -> Result<AuditEntry, sqlx::Error> {
    let detail: String = row.try_get("detail")?;
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: from_unix(row.try_get("at")?),
        actor_id: row.try_get("actor_id")?,
        actor_name: row.try_get("actor_name")?,
        action: row.try_get("action")?,
        target: row.try_get("target")?,
        detail: serde_json::from_str(&detail).unwrap_or(Value::Null),
    })
}

/// Matches every entry when no action is given.
const OF_ACTION: &str = "($1 = '' OR a.action = $1)";

/// Newest first, optionally only one kind of action.
pub async fn list(db: &Db, action: Option<AuditAction>, skip: i64, limit: i64) -> Result<Vec<AuditEntry>, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT a.id, a.at, a.actor_id, u.name AS actor_name, a.action, a.target, a.detail \
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE {OF_ACTION} ORDER BY a.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(action.map_or("", AuditAction::as_str))
    .bind(limit)
    .bind(skip)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

pub async fn count(db: &Db, action: Option<AuditAction>) -> Result<i64, StorageError> {
    let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM audit_log a WHERE {OF_ACTION}"))
        .bind(action.map_or("", AuditAction::as_str))
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("n")?)
}
