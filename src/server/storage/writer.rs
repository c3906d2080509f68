//! Writes (`Db::begin_write`, `Db::write`). On a SQLite file every write
//! queues, in order, for one connection of its own, and the pool's
//! connections are read-only: writers racing for SQLite's lock from several
//! connections would instead sleep in its busy handler while the lock stands
//! free. That connection is held outside sqlx's pool because the pool tests
//! each connection it takes back with a round trip to SQLite's worker thread,
//! which every queued writer would wait for.

use sqlx::any::AnyConnectOptions;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, ConnectOptions, Connection, Executor};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// How long a write waits for its turn, as long as SQLite's busy timeout let
/// it wait for the lock before the queue; then it fails as unavailable (503)
/// instead of hanging, even if the writer were never released.
const TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The SQLite writer connection, opened on first use and again after it broke.
#[derive(Debug)]
pub struct Writer {
    options: AnyConnectOptions,
    conn: Arc<Mutex<Option<AnyConnection>>>,
}

impl Writer {
    pub fn new(options: AnyConnectOptions) -> Writer {
        Writer { options, conn: Arc::new(Mutex::new(None)) }
    }

    /// Waits for the connection (in arrival order), for at most `TURN_WAIT`;
    /// opens it when there is none.
    pub async fn hold(&self) -> Result<Held, sqlx::Error> {
        let turn = self.conn.clone().lock_owned();
        let mut slot = tokio::time::timeout(TURN_WAIT, turn).await.map_err(|_| sqlx::Error::PoolTimedOut)?;
        if slot.is_none() {
            *slot = Some(self.open().await?);
        }
        Ok(Held(slot))
    }

    /// A new writable connection, outside the queue.
    pub async fn open(&self) -> Result<AnyConnection, sqlx::Error> {
        let mut conn = self.options.connect().await?;
        super::prepare_sqlite(&mut conn).await?;
        Ok(conn)
    }

    /// `hold`, then a transaction that holds SQLite's write lock. A connection
    /// that fails to begin is dropped, so the next writer opens a new one.
    pub async fn begin(&self) -> Result<WriteTx, sqlx::Error> {
        let mut held = self.hold().await?;
        if let Err(e) = held.execute("BEGIN IMMEDIATE").await {
            *held.0 = None;
            return Err(e);
        }
        Ok(WriteTx::Queued(Queued { held: Some(held) }))
    }

    pub async fn close(&self) {
        if let Some(conn) = self.conn.lock().await.take() {
            let _ = conn.close().await;
        }
    }
}

/// A transaction that sees a stable calendar: commit it, or drop it to roll
/// it back. It derefs to the connection its statements run on.
pub enum WriteTx {
    /// PostgreSQL, and in-memory SQLite (a second connection would open
    /// another database): a transaction on a pooled connection.
    Pooled(sqlx::Transaction<'static, sqlx::Any>),
    /// A SQLite file: the writer connection, held until commit or roll-back.
    Queued(Queued),
}

/// The writer connection, while it is someone's turn.
pub struct Held(OwnedMutexGuard<Option<AnyConnection>>);

impl Deref for Held {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        self.0.as_ref().expect("a held writer is connected")
    }
}

impl DerefMut for Held {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.0.as_mut().expect("a held writer is connected")
    }
}

/// A connection for writes that commit one statement at a time (`Db::write`).
pub enum Write {
    Pooled(PoolConnection<Any>),
    Queued(Held),
    /// Outside the queue (`Db::write_aside`), closed when dropped.
    Aside(AnyConnection),
}

impl Deref for Write {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match self {
            Write::Pooled(conn) => conn,
            Write::Queued(held) => held,
            Write::Aside(conn) => conn,
        }
    }
}

impl DerefMut for Write {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Write::Pooled(conn) => conn,
            Write::Queued(held) => held,
            Write::Aside(conn) => conn,
        }
    }
}

pub struct Queued {
    /// None once committed.
    held: Option<Held>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            WriteTx::Pooled(tx) => tx.commit().await,
            WriteTx::Queued(mut queued) => {
                queued.connection().execute("COMMIT").await?;
                // Released only now: a commit that failed or was cancelled is
                // rolled back by `drop` before the next writer gets the connection.
                queued.held = None;
                Ok(())
            }
        }
    }
}

impl Queued {
    fn connection(&mut self) -> &mut Held {
        self.held.as_mut().expect("an open transaction has its connection")
    }
}

impl Drop for Queued {
    fn drop(&mut self) {
        let Some(Held(mut slot)) = self.held.take() else { return };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        // The connection goes back only after the roll-back (or once it is
        // known to be broken), so the next writer never finds a transaction open.
        runtime.spawn(async move {
            let rolled_back = match slot.as_mut() {
                Some(conn) => conn.execute("ROLLBACK").await.is_ok(),
                None => true,
            };
            if !rolled_back {
                *slot = None;
            }
        });
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match self {
            WriteTx::Pooled(tx) => tx,
            WriteTx::Queued(queued) => queued.held.as_ref().expect("an open transaction has its connection"),
        }
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            WriteTx::Pooled(tx) => tx,
            WriteTx::Queued(queued) => queued.connection(),
        }
    }
}
