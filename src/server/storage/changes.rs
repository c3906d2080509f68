//! The change bus: every booking write announces what it changed, and only
//! once its transaction has committed, so open pages never see a change that
//! was rolled back.
//!
//! On PostgreSQL the announcement is a `pg_notify` inside the write's
//! transaction; PostgreSQL delivers it on commit to every instance listening
//! on the database (this one included), and each instance's listener task
//! forwards it to its broadcast channel. SQLite serves a single instance, so
//! the announcement goes straight to the channel after the commit.

use super::{Db, Engine, StorageError};
use sqlx::postgres::PgListener;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

pub use crate::domain::live::BookingChange;

/// The PostgreSQL channel the announcements travel on.
pub const CHANNEL: &str = "reservo_booking_changes";
/// Changes a slow subscriber may fall behind by before it skips some.
const CAPACITY: usize = 256;
/// Wait before reconnecting a listener whose connection failed.
const RETRY: Duration = Duration::from_secs(3);

/// One per `Db` (shared by its clones): the channel, and on PostgreSQL the
/// task that relays notifications into it, stopped when the last clone goes.
pub(super) struct Bus {
    sender: broadcast::Sender<BookingChange>,
    relay: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Bus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bus").field("subscribers", &self.sender.receiver_count()).field("relay", &self.relay.is_some()).finish()
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Bus {
    /// On PostgreSQL, listens before returning (so no change committed after
    /// `Db::connect` is missed); if that fails the relay keeps retrying.
    pub(super) async fn start(engine: Engine, url: &str) -> Bus {
        let (sender, _) = broadcast::channel(CAPACITY);
        let relay = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => {
                let first = match listen(url).await {
                    Ok(listener) => Some(listener),
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for booking changes yet; retrying in the background");
                        None
                    }
                };
                Some(tokio::spawn(relay(url.to_string(), first, sender.downgrade())))
            }
        };
        Bus { sender, relay }
    }

    pub(super) fn stop(&self) {
        if let Some(relay) = &self.relay {
            relay.abort();
        }
    }
}

async fn listen(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Forwards notifications to the channel until the channel is gone. A lost
/// connection is re-established (PgListener does it itself for a dropped
/// socket; any other error reconnects from scratch after a pause). Changes
/// made while disconnected are not replayed: pages also refresh slowly.
async fn relay(url: String, mut listener: Option<PgListener>, sender: broadcast::WeakSender<BookingChange>) {
    loop {
        let mut current = match listener.take() {
            Some(current) => current,
            None => match listen(&url).await {
                Ok(current) => {
                    tracing::info!("listening for booking changes again");
                    current
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for booking changes; retrying");
                    tokio::time::sleep(RETRY).await;
                    continue;
                }
            },
        };
        loop {
            match current.recv().await {
                Ok(notification) => {
                    let Some(sender) = sender.upgrade() else { return };
                    match serde_json::from_str::<BookingChange>(notification.payload()) {
                        Ok(change) => {
                            // No subscriber is not an error.
                            let _ = sender.send(change);
                        }
                        Err(e) => tracing::warn!(error = %e, payload = notification.payload(), "undecodable booking change"),
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "lost the booking-change listener; reconnecting");
                    break;
                }
            }
        }
        if sender.upgrade().is_none() {
            return;
        }
        tokio::time::sleep(RETRY).await;
    }
}

impl Db {
    /// Changes committed from now on, by this instance or (on PostgreSQL) any
    /// other on the same database. A receiver that falls more than a few
    /// hundred changes behind gets `Lagged` and continues with newer ones.
    pub fn subscribe(&self) -> broadcast::Receiver<BookingChange> {
        self.changes.sender.subscribe()
    }

    /// Commits a write and announces its changes: on PostgreSQL through
    /// `pg_notify` inside the transaction (sent only if it commits), on SQLite
    /// on the channel once the commit succeeded.
    pub async fn commit_announcing(
        &self,
        mut tx: super::writer::WriteTx,
        changes: &[BookingChange],
    ) -> Result<(), StorageError> {
        match self.engine {
            Engine::Postgres => {
                if !changes.is_empty() {
                    // pg_notify returns void, which the Any driver cannot read; select a constant instead.
                    let sql = format!(
                        "SELECT 1 AS sent FROM (VALUES {}) AS p(payload), pg_notify(${}, p.payload)",
                        super::values_rows(changes.len(), &[1]),
                        changes.len() + 1,
                    );
                    let mut query = sqlx::query(&sql);
                    for change in changes {
                        query = query.bind(serde_json::to_string(change).expect("a change serializes"));
                    }
                    query.bind(CHANNEL).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            Engine::Sqlite => {
                tx.commit().await?;
                for change in changes {
                    let _ = self.changes.sender.send(change.clone());
                }
            }
        }
        Ok(())
    }
}
