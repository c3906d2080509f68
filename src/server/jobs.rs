//! Background work of every app instance. Each job is a function of the
//! current time that is safe to run twice or on several instances at once,
//! so running it at start also applies what fell due while the server was down.

use crate::server::state::AppState;
use crate::server::storage::{bookings, sessions, Db};
use std::time::Duration;
use tokio::task::JoinHandle;

/// Starts the jobs; they stop when the handles are aborted.
pub fn start(state: &AppState) -> Vec<JoinHandle<()>> {
    let db = state.db.clone();
    let kinds = state.config.auto_transition_kinds();
    let every = Duration::from_secs(state.config.bookings.expiry_check_seconds);
    let mut jobs = Vec::new();
    if state.config.notifications.deliver {
        jobs.push(crate::server::notify::Notifier::new(state).spawn());
    }
    if state.config.backups.interval_hours > 0 {
        let backups = state.config.backups.clone();
        jobs.push(crate::server::backup::spawn_scheduled(state.db.clone(), state.config.database.url.clone(), backups));
    }
    jobs.push(crate::server::privacy::spawn_daily(state.db.clone(), state.config.privacy.retention_days));
    let bookings = tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            run_due(&db, &kinds, crate::server::clock::now()).await;
        }
    });
    jobs.push(bookings);
    jobs
}

/// Everything that has fallen due by `now`.
pub async fn run_due(db: &Db, auto_kinds: &[String], now: chrono::DateTime<chrono::Utc>) {
    match bookings::expire_pending(db, now).await {
        Ok(ids) if !ids.is_empty() => tracing::info!(count = ids.len(), ?ids, "expired pending requests"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "expiring pending requests failed"),
    }
    if let Err(e) = sessions::delete_expired(db).await {
        tracing::error!(error = %e, "purging expired sessions failed");
    }
    match bookings::advance_due(db, auto_kinds, now).await {
        Ok(moved) if !moved.is_empty() => tracing::info!(?moved, "automatic check-in/out"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "automatic transitions failed"),
    }
}
