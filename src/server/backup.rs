//! Backups: `reservo backup`, `reservo restore` and the scheduled backups of
//! the `[backups]` section of reservo.toml.
//!
//! - SQLite: `VACUUM INTO` writes a consistent snapshot into a new file while
//!   the app keeps serving (WAL readers never block writers). A restore copies
//!   the backup next to the database file, checks it (`PRAGMA quick_check`, the
//!   Reservo tables), and renames it over the database file; the rename is
//!   atomic, so the target is either untouched or fully restored.
//! - PostgreSQL: `pg_dump --format=custom` (a consistent snapshot too) and
//!   `pg_restore` in a single transaction, so a failed restore changes nothing.
//!   Both come with the PostgreSQL client tools and must be on PATH.
//!
//! Every file is written under a `.partial` name and renamed when complete, so
//! an interrupted backup never leaves a file that looks finished.

use crate::server::storage::{Db, Engine, StorageError};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupsConfig {
    /// Hours between scheduled backups; 0 turns them off.
    pub interval_hours: u32,
    /// Where scheduled backups are written (created when missing).
    pub folder: String,
    /// Scheduled backups kept; older ones are deleted.
    pub keep: u32,
}

impl Default for BackupsConfig {
    fn default() -> Self {
        BackupsConfig { interval_hours: 0, folder: "data/backups".into(), keep: 7 }
    }
}

/// Checks the section; the error names the key (`backups.…`) and the problem.
pub fn validate(config: &BackupsConfig) -> Result<(), (&'static str, String)> {
    if config.keep == 0 {
        return Err(("backups.keep", "must be at least 1".into()));
    }
    if config.interval_hours > 0 && config.folder.trim().is_empty() {
        return Err(("backups.folder", "must name a folder when interval_hours is more than 0".into()));
    }
    Ok(())
}

/// A correct example for a key of the section, shown with a validation error.
pub fn example_for(key: &str) -> &'static str {
    match key {
        "backups.interval_hours" => "interval_hours = 24 (0 turns scheduled backups off)",
        "backups.folder" => "folder = \"data/backups\"",
        "backups.keep" => "keep = 7",
        _ => "[backups] interval_hours = 24, folder = \"data/backups\", keep = 7",
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; a backup never overwrites a file, choose another name")]
    Exists(String),
    #[error("the backup file {0} does not exist")]
    NoBackup(String),
    #[error("there is no SQLite database at {0}")]
    NoDatabase(String),
    #[error("an in-memory SQLite database cannot be backed up or restored")]
    InMemory,
    #[error("unsupported database URL {0}")]
    Url(String),
    #[error(
        "{0} was not found on PATH; it comes with the PostgreSQL client tools \
         (Debian/Ubuntu: apt-get install postgresql-client; use a version at least as new as the server)"
    )]
    ToolMissing(&'static str),
    #[error("{tool} failed ({status}): {stderr}")]
    ToolFailed { tool: &'static str, status: String, stderr: String },
    #[error(
        "refusing to restore: the database {url} is not empty ({users} users, {resources} resources, \
         {bookings} bookings); restore only into an empty database (a new file, or a new PostgreSQL \
         database made with createdb), then point DATABASE_URL at it"
    )]
    NotEmpty { url: String, users: i64, resources: i64, bookings: i64 },
    #[error("{path} is not a usable Reservo SQLite backup: {problem}")]
    BadBackup { path: String, problem: String },
    #[error("cannot {action} {path}: {source}")]
    Io { action: &'static str, path: String, source: std::io::Error },
    #[error("{0}")]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Storage(StorageError::Database(e))
    }
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> BackupError {
    let path = path.display().to_string();
    move |source| BackupError::Io { action, path, source }
}

fn engine_of(url: &str) -> Result<Engine, BackupError> {
    Engine::of_url(url).ok_or_else(|| BackupError::Url(redact(url)))
}

/// The URL with its password replaced by `***`, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// The file of a `sqlite://PATH[?options]` URL.
fn sqlite_path(url: &str) -> Result<PathBuf, BackupError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" || url.contains("mode=memory") {
        return Err(BackupError::InMemory);
    }
    Ok(PathBuf::from(path))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io("remove", path)(e)),
        _ => Ok(()),
    }
}

fn create_parent(path: &Path) -> Result<(), BackupError> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => std::fs::create_dir_all(parent).map_err(io("create the folder", parent)),
        None => Ok(()),
    }
}

/// `reservo backup --out FILE`: opens the database named by `url` (without
/// migrating it: the running app may be an older version) and backs it up.
/// Returns the size of the backup in bytes.
pub async fn backup_command(url: &str, out: &Path) -> Result<u64, BackupError> {
    if engine_of(url)? == Engine::Sqlite {
        let path = sqlite_path(url)?;
        if !path.is_file() {
            return Err(BackupError::NoDatabase(path.display().to_string()));
        }
    }
    let db = Db::connect(url, 1).await?;
    let result = backup_to(&db, url, out).await;
    db.close().await;
    result
}

/// Writes a consistent backup of `db` (whose URL is `url`) to `out`, which
/// must not exist; its folder is created. Returns the size in bytes.
pub async fn backup_to(db: &Db, url: &str, out: &Path) -> Result<u64, BackupError> {
    if out.exists() {
        return Err(BackupError::Exists(out.display().to_string()));
    }
    create_parent(out)?;
    let partial = with_suffix(out, ".partial");
    remove_if_present(&partial)?;
    let written = match db.engine() {
        Engine::Sqlite => vacuum_into(db, &partial).await,
        Engine::Postgres => {
            let file = partial.as_os_str();
            run_tool("pg_dump", &["--format=custom".as_ref(), "--file".as_ref(), file, url.as_ref()]).await
        }
    };
    let finished = written.and_then(|()| {
        std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(io("sync", &partial))?;
        if out.exists() {
            return Err(BackupError::Exists(out.display().to_string()));
        }
        std::fs::rename(&partial, out).map_err(io("rename the finished backup to", out))?;
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::File::open(parent).and_then(|d| d.sync_all());
        }
        Ok(std::fs::metadata(out).map_err(io("read", out))?.len())
    });
    if finished.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    finished
}

async fn vacuum_into(db: &Db, file: &Path) -> Result<(), BackupError> {
    let name = file.to_str().ok_or_else(|| BackupError::Io {
        action: "use the file name",
        path: file.display().to_string(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not valid UTF-8"),
    })?;
    // SQLite counts VACUUM INTO as a write (the pool only reads), but it only
    // reads this database: on a connection of its own it holds up no booking.
    sqlx::query(&format!("VACUUM INTO '{}'", name.replace('\'', "''"))).execute(&mut *db.write_aside().await?).await?;
    Ok(())
}

/// Runs a PostgreSQL client tool found on PATH; its stderr becomes the error.
async fn run_tool(tool: &'static str, args: &[&std::ffi::OsStr]) -> Result<(), BackupError> {
    let output = tokio::process::Command::new(tool)
        .args(args)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => BackupError::ToolMissing(tool),
            _ => BackupError::Io { action: "run", path: tool.into(), source: e },
        })?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        Err(BackupError::ToolFailed { tool, status: output.status.to_string(), stderr })
    }
}

/// Rows in the tables that make a database "not empty"; a missing table counts 0.
async fn data_counts(db: &Db) -> Result<[i64; 3], BackupError> {
    let exists = match db.engine() {
        Engine::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = $1",
        Engine::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
        }
    };
    let mut counts = [0; 3];
    for (count, table) in counts.iter_mut().zip(["users", "resources", "bookings"]) {
        let found: i64 = sqlx::query(exists).bind(table).fetch_one(db.pool()).await?.try_get("n")?;
        if found > 0 {
            let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(db.pool()).await?;
            *count = row.try_get("n")?;
        }
    }
    Ok(counts)
}

/// What a restored database holds: users, resources, bookings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restored {
    pub users: i64,
    pub resources: i64,
    pub bookings: i64,
}

/// `reservo restore FILE`: restores a backup made by `reservo backup` (or the
/// scheduled job) into the database named by `url`, which must hold no users,
/// resources or bookings (a missing or just-migrated database is fine), then
/// applies the migrations, so a backup from an older version is brought up to
/// date. Stop the app on that database first.
pub async fn restore(url: &str, file: &Path) -> Result<Restored, BackupError> {
    let engine = engine_of(url)?;
    if !file.is_file() {
        return Err(BackupError::NoBackup(file.display().to_string()));
    }
    ensure_empty(url, engine).await?;
    match engine {
        Engine::Sqlite => restore_sqlite(url, file).await?,
        Engine::Postgres => {
            // --clean --if-exists: a just-migrated empty database already has the tables.
            let args = ["--no-owner", "--clean", "--if-exists", "--single-transaction", "--dbname", url];
            let mut args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
            args.push(file.as_os_str());
            run_tool("pg_restore", &args).await?;
        }
    }
    let db = Db::connect(url, 2).await?;
    let result = async {
        db.migrate().await?;
        let [users, resources, bookings] = data_counts(&db).await?;
        Ok(Restored { users, resources, bookings })
    }
    .await;
    db.close().await;
    result
}

async fn ensure_empty(url: &str, engine: Engine) -> Result<(), BackupError> {
    if engine == Engine::Sqlite {
        let path = sqlite_path(url)?;
        if std::fs::metadata(&path).map(|m| m.len() == 0).unwrap_or(true) {
            return Ok(());
        }
    }
    let db = Db::connect(url, 1).await?;
    let counts = data_counts(&db).await;
    db.close().await;
    match counts? {
        [0, 0, 0] => Ok(()),
        [users, resources, bookings] => Err(BackupError::NotEmpty { url: redact(url), users, resources, bookings }),
    }
}

async fn restore_sqlite(url: &str, file: &Path) -> Result<(), BackupError> {
    use sqlx::{ConnectOptions, Connection};
    let target = sqlite_path(url)?;
    if let (Ok(a), Ok(b)) = (target.canonicalize(), file.canonicalize()) {
        if a == b {
            return Err(BackupError::BadBackup {
                path: file.display().to_string(),
                problem: "it is the database file itself".into(),
            });
        }
    }
    create_parent(&target)?;
    let copy = with_suffix(&target, ".restoring");
    remove_if_present(&copy)?;
    std::fs::copy(file, &copy).map_err(io("copy the backup to", &copy))?;
    let bad = |problem: String| BackupError::BadBackup { path: file.display().to_string(), problem };
    let checked = async {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&copy)
            .disable_statement_logging()
            .connect()
            .await
            .map_err(|e| bad(e.to_string()))?;
        let check = async {
            let verdict: String = sqlx::query_scalar("PRAGMA quick_check").fetch_one(&mut conn).await?;
            let tables: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'resources', 'bookings')",
            )
            .fetch_one(&mut conn)
            .await?;
            Ok::<_, sqlx::Error>((verdict, tables))
        }
        .await;
        let _ = conn.close().await;
        match check.map_err(|e| bad(e.to_string()))? {
            (verdict, _) if verdict != "ok" => Err(bad(format!("integrity check: {verdict}"))),
            (_, tables) if tables < 3 => Err(bad("it has no Reservo tables".into())),
            _ => Ok(()),
        }
    }
    .await;
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&copy);
        return Err(e);
    }
    // The old (empty) database's write-ahead log must not be replayed onto the new file.
    for suffix in ["-wal", "-shm"] {
        remove_if_present(&with_suffix(&target, suffix))?;
    }
    std::fs::rename(&copy, &target).map_err(io("rename the restored database to", &target))
}

// --- Scheduled backups -------------------------------------------------------

const NAME_PREFIX: &str = "reservo-";
const NAME_TIME: &str = "%Y%m%d-%H%M%S";
/// Wait before trying again after a scheduled backup failed (at most the interval).
const RETRY: Duration = Duration::from_secs(3600);

pub fn extension(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "db",
        Engine::Postgres => "dump",
    }
}

/// The name of a scheduled backup taken at `at` (UTC), e.g. `reservo-20250131-020000.db`.
pub fn scheduled_name(engine: Engine, at: DateTime<Utc>) -> String {
    format!("{NAME_PREFIX}{}.{}", at.format(NAME_TIME), extension(engine))
}

/// When the scheduled backup named `name` was taken; None for any other file.
fn taken_at(name: &str, engine: Engine) -> Option<DateTime<Utc>> {
    let stamp = name.strip_prefix(NAME_PREFIX)?.strip_suffix(extension(engine))?.strip_suffix('.')?;
    if stamp.len() != 15 {
        return None;
    }
    NaiveDateTime::parse_from_str(stamp, NAME_TIME).ok().map(|t| t.and_utc())
}

/// Of the file names in the backups folder, the scheduled backups to delete so
/// that only the newest `keep` remain, oldest first. Other files are never named.
pub fn beyond_keep(names: &[String], engine: Engine, keep: usize) -> Vec<String> {
    let mut backups: Vec<(DateTime<Utc>, &String)> =
        names.iter().filter_map(|name| Some((taken_at(name, engine)?, name))).collect();
    backups.sort();
    let excess = backups.len().saturating_sub(keep);
    backups.into_iter().take(excess).map(|(_, name)| name.clone()).collect()
}

/// The time of the newest scheduled backup among `names`.
pub fn newest(names: &[String], engine: Engine) -> Option<DateTime<Utc>> {
    names.iter().filter_map(|name| taken_at(name, engine)).max()
}

fn names_in(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect())
        .unwrap_or_default()
}

/// Takes the scheduled backup for `now` into the folder, then deletes the
/// oldest beyond `keep`. Returns the new file.
pub async fn take_scheduled(db: &Db, url: &str, config: &BackupsConfig, now: DateTime<Utc>) -> Result<PathBuf, BackupError> {
    let folder = Path::new(&config.folder);
    let out = folder.join(scheduled_name(db.engine(), now));
    backup_to(db, url, &out).await?;
    for name in beyond_keep(&names_in(folder), db.engine(), config.keep as usize) {
        let old = folder.join(&name);
        match std::fs::remove_file(&old) {
            Ok(()) => tracing::info!(file = %old.display(), "deleted an old scheduled backup"),
            Err(e) => tracing::warn!(file = %old.display(), error = %e, "cannot delete an old scheduled backup"),
        }
    }
    Ok(out)
}

/// The scheduled-backup job: a backup whenever the newest one in the folder is
/// `interval_hours` old (at once when there is none), so a restart neither
/// skips nor repeats one.
pub fn spawn_scheduled(db: Db, url: String, config: BackupsConfig) -> JoinHandle<()> {
    tokio::spawn(async move {
        let interval = chrono::Duration::hours(i64::from(config.interval_hours));
        let retry = RETRY.min(interval.to_std().unwrap_or(RETRY));
        loop {
            let now = crate::server::clock::now();
            let due = newest(&names_in(Path::new(&config.folder)), db.engine()).map_or(now, |t| t + interval);
            if due > now {
                // Looked at again at least hourly: backups may be deleted by hand.
                let wait = (due - now).to_std().unwrap_or_default().min(Duration::from_secs(3600));
                tokio::time::sleep(wait).await;
                continue;
            }
            match take_scheduled(&db, &url, &config, now).await {
                Ok(file) => tracing::info!(file = %file.display(), "scheduled backup written"),
                Err(e) => {
                    tracing::error!(error = %e, "scheduled backup failed");
                    tokio::time::sleep(retry).await;
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn only_the_newest_n_scheduled_backups_are_kept() {
        let folder = names(&[
            "reservo-20250103-020000.db",
            "reservo-20250101-020000.db",
            "notes.txt",
            "reservo-20250102-020000.db",
            "reservo-20250102-020000.db.partial",
            "reservo-20241231-235959.dump",
            "reservo-2025013-020000.db",
            "reservo-20250104-020000.db",
        ]);
        assert_eq!(
            beyond_keep(&folder, Engine::Sqlite, 2),
            names(&["reservo-20250101-020000.db", "reservo-20250102-020000.db"])
        );
        assert!(beyond_keep(&folder, Engine::Sqlite, 4).is_empty());
        assert!(beyond_keep(&folder, Engine::Postgres, 1).is_empty());
        assert_eq!(beyond_keep(&folder, Engine::Postgres, 0), names(&["reservo-20241231-235959.dump"]));
    }

    #[test]
    fn scheduled_names_sort_by_time_and_parse_back() {
        let at = DateTime::parse_from_rfc3339("2025-03-04T05:06:07Z").unwrap().with_timezone(&Utc);
        let name = scheduled_name(Engine::Sqlite, at);
        assert_eq!(name, "reservo-20250304-050607.db");
        assert_eq!(newest(&names(&[&name, "reservo-20250101-000000.db"]), Engine::Sqlite), Some(at));
        assert_eq!(scheduled_name(Engine::Postgres, at), "reservo-20250304-050607.dump");
    }

    #[test]
    fn validation_names_the_setting() {
        assert!(validate(&BackupsConfig::default()).is_ok());
        let none_kept = BackupsConfig { keep: 0, ..BackupsConfig::default() };
        assert_eq!(validate(&none_kept).unwrap_err().0, "backups.keep");
        let no_folder = BackupsConfig { interval_hours: 24, folder: " ".into(), ..BackupsConfig::default() };
        assert_eq!(validate(&no_folder).unwrap_err().0, "backups.folder");
    }

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("sqlite://data/reservo.db"), "sqlite://data/reservo.db");
    }
}
