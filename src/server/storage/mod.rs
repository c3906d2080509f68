//! Storage on SQLite or PostgreSQL, chosen by the database URL. Queries are
//! written once through sqlx's Any driver with `$n` placeholders; the engines
//! differ only in their migrations and connection set-up.

pub mod api_tokens;
pub mod attendance;
pub mod audit;
pub mod bookings;
pub mod calendar;
pub mod catalog;
pub mod changes;
pub mod directory;
pub mod media;
pub mod outbox;
pub mod payments;
pub mod privacy;
pub mod reports;
pub mod resources;
pub mod reviews;
pub mod secrets;
pub mod seed;
pub mod services;
pub mod sessions;
pub mod users;
pub mod vehicles;
pub mod new_bookings;
pub mod writer;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The database cannot be reached now (down, restarting, connection lost,
    /// no connection free in time): the request may succeed if tried again.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("a row with this {0} already exists")]
    Duplicate(&'static str),
    #[error("booking refused: {0}")]
    Refused(#[from] crate::domain::booking::BookingError),
    /// A value a person typed that the stored data refuses (e.g. a capacity
    /// below the bookings already overlapping).
    #[error("{}: {:?}", .0.field, .0.problem)]
    Invalid(crate::domain::account::FieldError),
    #[error("account deletion refused: {0}")]
    DeletionRefused(#[from] crate::domain::privacy::DeletionRefusal),
    #[error("cannot create the database folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
}

impl From<sqlx::Error> for StorageError {
    fn from(e: sqlx::Error) -> Self {
        if is_unavailable(&e) {
            StorageError::Unavailable(e)
        } else {
            StorageError::Database(e)
        }
    }
}

/// Whether an error says the database is out of reach rather than that the
/// query or the data is at fault. PostgreSQL classes: 08 connection
/// exceptions; 57P01-57P04 shut down, crashed, starting up, dropped; 53300
/// too many connections. A connection cut mid-query surfaces as Io or, when
/// the cut lands inside a message, as Protocol.
fn is_unavailable(e: &sqlx::Error) -> bool {
    use sqlx::Error::*;
    match e {
        Io(_) | Tls(_) | Protocol(_) | PoolTimedOut | PoolClosed | WorkerCrashed => true,
        Database(db) => db.code().is_some_and(|code| code.starts_with("08") || code.starts_with("57P") || code == "53300"),
        _ => false,
    }
}

/// The placeholders of a multi-row VALUES list: `rows` rows whose columns
/// take their row's parameters by the 1-based positions in `shape`, e.g.
/// `values_rows(2, &[1, 2, 2])` is `($1, $2, $2), ($3, $4, $4)`.
pub(crate) fn values_rows(rows: usize, shape: &[usize]) -> String {
    let width = shape.iter().copied().max().unwrap_or(0);
    (0..rows)
        .map(|row| {
            let columns = shape.iter().map(|n| format!("${}", row * width + n)).collect::<Vec<_>>();
            format!("({})", columns.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$first, …`, `count` parameters in all: the parameters of an `IN (…)` list.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// The rows of `select_where` (a query that ends in `WHERE … IN`) for
/// these ids, in one query.
pub(crate) async fn rows_for_ids(db: &Db, select_where: &str, ids: &[i64]) -> Result<Vec<sqlx::any::AnyRow>, StorageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{select_where} ({})", placeholders(1, ids.len()));
    Ok(ids.iter().fold(sqlx::query(&sql), |query, id| query.bind(*id)).fetch_all(db.pool()).await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// How long a query waits for a connection. While the database is down every
/// attempt to connect fails until then, so this is also how soon a request
/// learns that it is unavailable (503). sqlx tests each connection as it
/// goes back to the pool and closes a broken one, so the pool recovers by
/// itself once the database is back; testing it again before each use would
/// add a round trip to every query.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(4);

/// See `Db::concurrent_batches`.
const CONCURRENT_PG_BATCHES: usize = 4;

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// A SQLite file's writer connection (see `writer`); None for PostgreSQL
    /// and for an in-memory SQLite database.
    writer: Option<Arc<writer::Writer>>,
    engine: Engine,
    /// Announced booking changes (see `changes`), shared by the clones.
    changes: Arc<changes::Bus>,
    /// New bookings waiting to be written together (see `new_bookings`).
    new_bookings: Arc<new_bookings::Queue>,
    /// Public profiles' seldom-changing data (see `catalog`).
    catalog: Arc<catalog::Kept>,
}

impl Db {
    /// Opens a pool that opens connections as they are needed; a SQLite file
    /// and its folder are created when missing.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, StorageError> {
        Self::connect_sized(url, PoolSize { max: max_connections, min: 0 }).await
    }

    /// The server's pool, as configured: `min_connections` are kept open.
    pub async fn open(config: &crate::server::config::DatabaseConfig) -> Result<Db, StorageError> {
        Self::connect_sized(&config.url, PoolSize { max: config.max_connections, min: config.min_connections }).await
    }

    async fn connect_sized(url: &str, size: PoolSize) -> Result<Db, StorageError> {
        sqlx::any::install_default_drivers();
        let engine = Engine::of_url(url)
            .ok_or_else(|| sqlx::Error::Configuration(format!("unsupported database URL {url}").into()))?;
        let url = match engine {
            Engine::Sqlite => prepare_sqlite_url(url)?,
            Engine::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let queued_writes = engine == Engine::Sqlite && !url.contains(":memory:");
        let pool = open_pool(engine, options.clone(), size, queued_writes).await?;
        let writer = queued_writes.then(|| Arc::new(writer::Writer::new(options)));
        let changes = Arc::new(changes::Bus::start(engine, &url).await);
        Ok(Db { pool, writer, engine, changes, new_bookings: Default::default(), catalog: Default::default() })
    }

    pub async fn migrate(&self) -> Result<(), StorageError> {
        let mut conn = self.write().await?;
        match self.engine {
            Engine::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&mut *conn).await?,
            Engine::Postgres => sqlx::migrate!("./migrations/postgres").run(&mut *conn).await?,
        }
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A transaction for a write that must see a stable calendar. On SQLite it
    /// takes the database's write lock at once (BEGIN IMMEDIATE), so writers
    /// queue instead of failing on a lock upgrade; on PostgreSQL rows are
    /// locked with `lock_resource`.
    pub async fn begin_write(&self) -> Result<writer::WriteTx, StorageError> {
        Ok(match (&self.writer, self.engine) {
            (Some(writer), _) => writer.begin().await?,
            (None, Engine::Sqlite) => writer::WriteTx::Pooled(self.pool.begin_with("BEGIN IMMEDIATE").await?),
            (None, Engine::Postgres) => writer::WriteTx::Pooled(self.pool.begin().await?),
        })
    }

    /// A connection for writes that need no transaction: each statement
    /// commits by itself. On a SQLite file it is the writer connection, in
    /// turn with every other write; the pool's connections only read there.
    pub async fn write(&self) -> Result<writer::Write, StorageError> {
        Ok(match &self.writer {
            Some(writer) => writer::Write::Queued(writer.hold().await?),
            None => writer::Write::Pooled(self.pool.acquire().await?),
        })
    }

    /// A connection of its own for a long statement that SQLite counts as a
    /// write though it changes nothing here (`VACUUM INTO`): writes neither
    /// wait for it nor it for them. Elsewhere it is a pooled connection.
    pub async fn write_aside(&self) -> Result<writer::Write, StorageError> {
        Ok(match &self.writer {
            Some(writer) => writer::Write::Aside(writer.open().await?),
            None => writer::Write::Pooled(self.pool.acquire().await?),
        })
    }

    /// Appended to a SELECT that must lock its rows until commit. PostgreSQL
    /// needs it; on SQLite `begin_write` already holds the only write lock.
    pub fn for_update(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }

    /// `for_update` for a SELECT that joins others to `table`'s rows, which
    /// alone are locked.
    pub fn for_update_of(&self, table: &str) -> String {
        match self.engine {
            Engine::Sqlite => String::new(),
            Engine::Postgres => format!(" FOR UPDATE OF {table}"),
        }
    }

    /// Appended to a SELECT ... FOR UPDATE that should pass over rows other
    /// transactions hold (queue workers); SQLite has one writer anyway.
    pub fn skip_locked(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// How many batches of new bookings may be written at once: one on
    /// SQLite, whose writes take turns anyway; on PostgreSQL several, each on
    /// a connection of its own, so one batch's round trips and commit do
    /// not hold up the next (their resources' rows are locked in id order).
    pub fn concurrent_batches(&self) -> usize {
        match self.engine {
            Engine::Sqlite => 1,
            Engine::Postgres => CONCURRENT_PG_BATCHES,
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub async fn close(&self) {
        self.changes.stop();
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
        self.pool.close().await;
    }
}

struct PoolSize {
    max: u32,
    min: u32,
}

/// `read_only`: the pool of a SQLite file, whose writes go through the writer
/// connection; a write that would race it fails at once instead.
async fn open_pool(engine: Engine, options: AnyConnectOptions, size: PoolSize, read_only: bool) -> Result<AnyPool, StorageError> {
    let pool = AnyPoolOptions::new()
        .max_connections(size.max)
        .min_connections(size.min.min(size.max))
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .test_before_acquire(false)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if engine == Engine::Sqlite {
                    prepare_sqlite(conn).await?;
                }
                if read_only {
                    conn.execute("PRAGMA query_only = ON").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// Every SQLite connection's durability and integrity settings.
async fn prepare_sqlite(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;")
        .await?;
    Ok(())
}

/// Adds `mode=rwc` so the file is created, and creates its folder.
fn prepare_sqlite_url(url: &str) -> Result<String, StorageError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or_default();
    if !path.is_empty() && path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| StorageError::Folder { path: parent.display().to_string(), source })?;
        }
    }
    if url.contains("mode=") {
        Ok(url.to_string())
    } else if url.contains('?') {
        Ok(format!("{url}&mode=rwc"))
    } else {
        Ok(format!("{url}?mode=rwc"))
    }
}

/// Seconds since the Unix epoch, the form every timestamp is stored in (UTC).
pub fn unix_now() -> i64 {
    crate::server::clock::now().timestamp()
}

/// Maps a unique-constraint violation to `Duplicate(what)`; anything else stays.
pub(crate) fn unique_violation(what: &'static str) -> impl FnOnce(sqlx::Error) -> StorageError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StorageError::Duplicate(what),
        _ => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::StorageError;

    #[test]
    fn lost_connections_are_unavailable_and_faulty_queries_are_not() {
        let lost = [sqlx::Error::PoolTimedOut, sqlx::Error::PoolClosed, std::io::Error::from(std::io::ErrorKind::ConnectionReset).into()];
        for error in lost {
            assert!(matches!(StorageError::from(error), StorageError::Unavailable(_)));
        }
        assert!(matches!(StorageError::from(sqlx::Error::RowNotFound), StorageError::Database(_)));
    }
}
