//! A person's data: the retention job that anonymizes finished bookings,
//! the export of everything stored about someone, and account deletion.

use crate::domain::account::{Problem, Role};
use crate::domain::audit::{target, AuditAction};
use crate::domain::booking::{Action, Booking, BookingError, BookingStatus};
use crate::domain::privacy::{may_delete_account, retention_cutoff};
use crate::error::AppError;
use crate::server::auth;
use crate::server::state::AppState;
use crate::server::storage::audit::Act;
use crate::server::storage::bookings::{self, Actor, Filter};
use crate::server::storage::calendar::from_unix;
use crate::server::storage::outbox::OutboxMessage;
use crate::server::storage::users::User;
use crate::server::storage::{api_tokens, outbox, privacy, resources, sessions, users, vehicles, Db, StorageError};
use chrono::{DateTime, Utc};
use http::request::Parts;
use serde_json::{json, Value};
use std::collections::HashMap;
use tokio::task::JoinHandle;

/// Anonymizes what is due at `now` under a retention of `retention_days`
/// (0: only the bookings of deleted accounts); returns how many bookings.
pub async fn anonymize_due(db: &Db, retention_days: u32, now: DateTime<Utc>) -> Result<u64, StorageError> {
    privacy::anonymize_due(db, retention_cutoff(now, retention_days), now).await
}

/// The retention job: once at start, then daily. Safe on several instances.
pub fn spawn_daily(db: Db, retention_days: u32) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match anonymize_due(&db, retention_days, crate::server::clock::now()).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, retention_days, "anonymized finished bookings"),
                Err(e) => tracing::error!(error = %e, "anonymizing finished bookings failed"),
            }
        }
    })
}

/// Deletes `user`'s account once `password` is theirs: their upcoming
/// bookings are cancelled as the client would (the managers are told; those
/// the cancellation policy no longer allows stay, and are anonymized once
/// finished), their finished bookings anonymized, their sessions ended.
pub async fn delete_account(state: &AppState, parts: &Parts, user: &User, password: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    auth::check_credentials(state, parts, &user.email, password).await.map_err(|e| match e {
        AppError::BadCredentials => AppError::invalid("password", Problem::PasswordWrong),
        other => other,
    })?;
    refuse_last_admin(&state.db, user).await?;
    cancel_upcoming(&state.db, user.id, now).await?;
    let act = Act::by_admin(user, AuditAction::AccountDelete, target("user", user.id), json!({}));
    privacy::delete_account(&state.db, user.id, act.as_ref(), now).await?;
    tracing::info!(user_id = user.id, "account deleted");
    Ok(())
}

/// Checked before anything changes; the deletion checks again under a lock.
async fn refuse_last_admin(db: &Db, user: &User) -> Result<(), AppError> {
    let admins = users::count_by_role(db).await?.into_iter().find(|(role, _)| *role == Role::Admin).map_or(0, |(_, n)| n);
    let others = usize::try_from(admins).unwrap_or(0).saturating_sub(usize::from(user.role == Role::Admin));
    may_delete_account(user.role, others).map_err(|refusal| StorageError::from(refusal).into())
}

async fn cancel_upcoming(db: &Db, client_id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    let upcoming = Filter { client_id: Some(client_id), from: Some(now), ..Filter::default() };
    let client = Actor { user_id: Some(client_id), role: Role::Client };
    for booking in bookings::list(db, &upcoming, 0, i64::MAX).await? {
        if !matches!(booking.status, BookingStatus::Pending | BookingStatus::Confirmed) {
            continue;
        }
        match bookings::apply(db, booking.id, Action::Cancel, client, "account deleted", now).await {
            Ok(_) | Err(StorageError::Refused(BookingError::Cancel(_))) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

/// Everything stored about `user`, for them to download: their account,
/// their bookings with their history, the messages sent to them about those,
/// their sessions and API tokens (when, never the tokens). Nothing of other
/// people and no password or token hashes.
pub async fn export(db: &Db, user: &User, now: DateTime<Utc>) -> Result<Value, AppError> {
    let created = users::created_at(db, user.id).await?;
    let sessions: Vec<Value> = sessions::list_for_user(db, user.id)
        .await?
        .into_iter()
        .map(|(made, ends)| json!({"created_at": instant(from_unix(made)), "expires_at": instant(from_unix(ends))}))
        .collect();
    let tokens: Vec<Value> = api_tokens::list_for_user(db, user.id)
        .await?
        .into_iter()
        .map(|(made, revoked)| json!({"created_at": instant(from_unix(made)), "revoked_at": revoked.map(|t| instant(from_unix(t)))}))
        .collect();
    Ok(json!({
        "exported_at": instant(now),
        "account": {
            "id": user.id, "name": user.name, "email": user.email, "phone": user.phone,
            "lang": user.lang.code(), "role": user.role.as_str(), "created_at": created.map(instant),
        },
        "bookings": own_bookings(db, user.id).await?,
        "messages": outbox::list_to_client_of(db, user.id).await?.iter().map(message_json).collect::<Vec<_>>(),
        "vehicles": vehicles::list_for_user(db, user.id).await?.iter().map(|v| json!(v.vehicle)).collect::<Vec<_>>(),
        "sessions": sessions,
        "api_tokens": tokens,
    }))
}

async fn own_bookings(db: &Db, client_id: i64) -> Result<Vec<Value>, AppError> {
    let mut names: HashMap<i64, Value> = HashMap::new();
    let mut out = Vec::new();
    for booking in bookings::list(db, &Filter { client_id: Some(client_id), ..Filter::default() }, 0, i64::MAX).await? {
        if !names.contains_key(&booking.resource_id) {
            let resource = resources::find(db, booking.resource_id).await?;
            let about = resource.map(|r| json!({"id": r.summary.id, "name": r.summary.name, "kind": r.summary.kind}));
            names.insert(booking.resource_id, about.unwrap_or(Value::Null));
        }
        let history = bookings::history(db, booking.id).await?;
        let history: Vec<Value> = history
            .iter()
            .map(|e| {
                let by = match e.actor_id {
                    Some(id) if id == client_id => "you",
                    Some(_) => "staff",
                    None => "system",
                };
                json!({"at": instant(e.at), "from": e.from, "to": e.to, "reason": e.reason, "by": by})
            })
            .collect();
        out.push(booking_json(&booking, names[&booking.resource_id].clone(), history));
    }
    Ok(out)
}

fn booking_json(b: &Booking, resource: Value, history: Vec<Value>) -> Value {
    json!({
        "id": b.id, "resource": resource, "start": instant(b.start), "end": instant(b.end), "status": b.status,
        "guest_name": b.guest_name, "guest_email": b.guest_email, "guest_phone": b.guest_phone,
        "party_size": b.party_size, "notes": b.notes, "details": b.details,
        "price_minor": b.price_minor, "currency": b.currency,
        "attendance_confirmed_at": b.attendance_confirmed_at.map(instant), "history": history,
    })
}

fn message_json(m: &OutboxMessage) -> Value {
    json!({
        "id": m.id, "booking_id": m.booking_id, "channel": m.channel, "event": m.event, "recipient": m.recipient,
        "status": m.status, "subject": m.subject, "body_text": m.body_text,
        "created_at": instant(m.created_at), "sent_at": m.sent_at.map(instant),
    })
}
