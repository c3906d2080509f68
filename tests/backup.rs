//! `reservo backup` and `reservo restore` through the built binary, on both
//! engines, while an app serves the database; and the scheduled backups.
#![cfg(feature = "ssr")]

mod common;
use chrono::{Duration, Utc};
use common::{fresh_db, on_both_engines, spawn_app, TestApp};
use reservo::domain::booking::BookingRequest;
use reservo::server::backup::{self, BackupsConfig};
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{resources, Db, Engine};
use sqlx::Row;
use std::path::Path;
use std::process::{Command, Output};

fn reservo(database_url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reservo"));
    command
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RESERVO_CONFIG", "/nonexistent/reservo.toml")
        .env_remove("RESERVO_MODE")
        .env_remove("LEPTOS_SITE_ADDR");
    command
}

/// Runs the binary off the async workers, so the app in this process keeps serving.
async fn run(database_url: &str, args: &[&str]) -> (bool, String, String) {
    let mut command = reservo(database_url, args);
    let Output { status, stdout, stderr } =
        tokio::task::spawn_blocking(move || command.output().expect("run reservo")).await.unwrap();
    (status.success(), String::from_utf8_lossy(&stdout).into(), String::from_utf8_lossy(&stderr).into())
}

/// The PostgreSQL tests need pg_dump and pg_restore: a missing tool fails the
/// test (scripts/setup.sh --test installs postgresql-client) instead of skipping it.
fn require_pg_tools(engine: Engine) {
    if engine != Engine::Postgres {
        return;
    }
    for tool in ["pg_dump", "pg_restore"] {
        let found = Command::new("which").arg(tool).output().map(|o| o.status.success()).unwrap_or(false);
        assert!(found, "{tool} is not on PATH: install the PostgreSQL client tools (Debian: apt-get install postgresql-client, or run scripts/setup.sh --test)");
    }
}

fn backup_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "reservo.db",
        Engine::Postgres => "reservo.dump",
    }
}

/// Everything the comparison looks at: users, resources, bookings.
#[derive(Debug, PartialEq)]
struct Contents {
    users: Vec<(i64, String, String)>,
    resources: Vec<(i64, String, String)>,
    bookings: Vec<(i64, i64, i64, i64, String)>,
}

async fn contents(db: &Db) -> Contents {
    let pool = db.pool();
    let users = sqlx::query("SELECT id, email, role FROM users ORDER BY id").fetch_all(pool).await.unwrap();
    let resources = sqlx::query("SELECT id, slug, kind FROM resources ORDER BY id").fetch_all(pool).await.unwrap();
    let bookings = sqlx::query("SELECT id, resource_id, starts_at, ends_at, status FROM bookings ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap();
    Contents {
        users: users.iter().map(|r| (r.get("id"), r.get("email"), r.get("role"))).collect(),
        resources: resources.iter().map(|r| (r.get("id"), r.get("slug"), r.get("kind"))).collect(),
        bookings: bookings
            .iter()
            .map(|r| (r.get("id"), r.get("resource_id"), r.get("starts_at"), r.get("ends_at"), r.get("status")))
            .collect(),
    }
}

/// The demo data plus two room bookings made now.
async fn app_with_bookings(engine: Engine) -> TestApp {
    let app = spawn_app(engine).await;
    let rooms = resources::list_of_kind(&app.db, "room").await.unwrap();
    let now = Utc::now();
    for (i, room) in rooms.iter().take(2).enumerate() {
        let request = BookingRequest {
            resource_id: room.id,
            service_id: None,
            client_id: None,
            guest_name: "Huésped".into(),
            guest_email: "huesped@example.com".into(),
            guest_phone: None,
            start: now + Duration::days(10 + i as i64),
            end: now + Duration::days(12 + i as i64),
            party_size: 1,
            notes: String::new(),
            details: serde_json::json!({}),
        };
        bookings::create(&app.db, &request, Actor::SYSTEM, now).await.expect("booking");
    }
    app
}

on_both_engines!(
    a_backup_taken_while_serving_restores_into_an_empty_database,
    refusals_change_nothing,
    scheduled_backups_keep_the_newest,
    a_backup_runs_beside_a_write_in_progress
);

async fn a_backup_taken_while_serving_restores_into_an_empty_database(engine: Engine) {
    require_pg_tools(engine);
    let app = app_with_bookings(engine).await;
    let url = app.config.database.url.clone();
    let before = contents(&app.db).await;
    assert_eq!(before.bookings.len(), 2);
    assert!(!before.users.is_empty() && !before.resources.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nested/folder").join(backup_name(engine));
    let file_arg = file.to_str().unwrap().to_string();
    // The app keeps answering while the backup runs.
    let client = app.client();
    let health = app.url("/healthz");
    let requests = tokio::spawn(async move {
        for _ in 0..20 {
            assert_eq!(client.get(&health).send().await.unwrap().status(), 200);
        }
    });
    let (ok, out, err) = run(&url, &["backup", "--out", &file_arg]).await;
    assert!(ok, "backup failed: {out}{err}");
    assert!(out.contains("written to"), "{out}");
    requests.await.unwrap();
    assert!(file.metadata().unwrap().len() > 0);
    assert!(!dir.path().join("nested/folder").join(format!("{}.partial", backup_name(engine))).exists());

    // A migrated, empty database (as after `reservo migrate`) on either engine...
    let target = fresh_db(engine).await;
    target.db.close().await;
    let (ok, out, err) = run(&target.url, &["restore", &file_arg]).await;
    assert!(ok, "restore failed: {out}{err}");
    assert!(out.contains("2 bookings"), "{out}");
    let restored = Db::connect(&target.url, 2).await.unwrap();
    assert_eq!(contents(&restored).await, before);
    restored.close().await;

    // ...and on SQLite a file that does not exist yet.
    if engine == Engine::Sqlite {
        let new_url = format!("sqlite://{}/restored/new.db", dir.path().display());
        let (ok, out, err) = run(&new_url, &["restore", &file_arg]).await;
        assert!(ok, "restore into a new file failed: {out}{err}");
        let restored = Db::connect(&new_url, 2).await.unwrap();
        assert_eq!(contents(&restored).await, before);
        // Migrations ran: the restored database is current.
        restored.migrate().await.unwrap();
        restored.close().await;
    }
}

async fn refusals_change_nothing(engine: Engine) {
    require_pg_tools(engine);
    let app = app_with_bookings(engine).await;
    let url = app.config.database.url.clone();
    let before = contents(&app.db).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(backup_name(engine));
    let file_arg = file.to_str().unwrap().to_string();
    let (ok, out, err) = run(&url, &["backup", "--out", &file_arg]).await;
    assert!(ok, "{out}{err}");
    let written = std::fs::read(&file).unwrap();

    // Backing up onto an existing file is refused and leaves it as it was.
    let (ok, _, err) = run(&url, &["backup", "--out", &file_arg]).await;
    assert!(!ok && err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), written);

    // Restoring into a database with data is refused and changes nothing.
    let (ok, _, err) = run(&url, &["restore", &file_arg]).await;
    assert!(!ok && err.contains("not empty") && err.contains("bookings"), "{err}");
    assert_eq!(contents(&app.db).await, before);

    // A file that is no backup is refused; the empty target stays usable and empty.
    let bogus = dir.path().join("bogus");
    std::fs::write(&bogus, b"not a backup").unwrap();
    let target = fresh_db(engine).await;
    target.db.close().await;
    let (ok, _, err) = run(&target.url, &["restore", bogus.to_str().unwrap()]).await;
    assert!(!ok && !err.is_empty(), "{err}");
    let (ok, _, err) = run(&target.url, &["restore", dir.path().join("missing").to_str().unwrap()]).await;
    assert!(!ok && err.contains("does not exist"), "{err}");
    let still_empty = Db::connect(&target.url, 1).await.unwrap();
    still_empty.migrate().await.unwrap();
    let empty = contents(&still_empty).await;
    assert!(empty.users.is_empty() && empty.bookings.is_empty(), "{empty:?}");
    still_empty.close().await;
}

async fn scheduled_backups_keep_the_newest(engine: Engine) {
    require_pg_tools(engine);
    let app = spawn_app(engine).await;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("backups");
    let config = BackupsConfig { interval_hours: 24, folder: folder.to_str().unwrap().into(), keep: 2 };
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("keep-me.txt"), b"not a backup").unwrap();
    let start = Utc::now() - Duration::days(10);
    let mut written = Vec::new();
    for day in 0..4 {
        let at = start + Duration::days(day);
        let file = backup::take_scheduled(&app.db, &app.config.database.url, &config, at).await.unwrap();
        assert_eq!(file.file_name().unwrap().to_str().unwrap(), backup::scheduled_name(engine, at));
        written.push(file);
    }
    let mut left: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    left.sort();
    let mut expected: Vec<String> = written[2..].iter().map(|p| name_of(p)).collect();
    expected.push("keep-me.txt".into());
    expected.sort();
    assert_eq!(left, expected);
}

fn name_of(path: &Path) -> String {
    path.file_name().unwrap().to_str().unwrap().to_string()
}

#[test]
fn both_commands_have_help() {
    for command in ["backup", "restore"] {
        let Output { status, stdout, .. } = reservo("sqlite://unused.db", &[command, "--help"]).output().unwrap();
        let text = String::from_utf8_lossy(&stdout);
        assert!(status.success() && text.contains("Usage") && text.contains("FILE"), "{command}: {text}");
    }
}

#[test]
fn a_bad_backups_setting_is_named() {
    use reservo::server::config::Config;
    let env = vec![("RESERVO_BACKUPS__KEEP".to_string(), "0".to_string())];
    let text = Config::load_from(Path::new("/nonexistent/reservo.toml"), env).unwrap_err().to_string();
    assert!(text.contains("backups.keep (environment variable RESERVO_BACKUPS__KEEP)") && text.contains("keep = 7"), "{text}");
    let env = vec![("RESERVO_BACKUPS__INTERVAL_HOURS".to_string(), "daily".to_string())];
    let text = Config::load_from(Path::new("/nonexistent/reservo.toml"), env).unwrap_err().to_string();
    assert!(text.contains("backups.interval_hours") && text.contains("interval_hours = 24"), "{text}");
}

/// A backup neither waits for a write transaction in progress nor makes
/// writes wait for it; it holds what was committed when it began.
async fn a_backup_runs_beside_a_write_in_progress(engine: Engine) {
    require_pg_tools(engine);
    let app = app_with_bookings(engine).await;
    let url = app.config.database.url.clone();
    let before = contents(&app.db).await;
    let mut open = app.db.begin_write().await.unwrap();
    sqlx::query("UPDATE bookings SET status = 'cancelled'").execute(&mut *open).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(backup_name(engine));
    let backup = backup::backup_to(&app.db, &url, &file);
    let written = tokio::time::timeout(std::time::Duration::from_secs(30), backup)
        .await
        .expect("the backup waited for the write transaction in progress")
        .unwrap();
    assert!(written > 0);
    open.commit().await.unwrap();

    let target = fresh_db(engine).await;
    target.db.close().await;
    backup::restore(&target.url, &file).await.unwrap();
    let db = Db::connect(&target.url, 2).await.unwrap();
    assert_eq!(contents(&db).await, before, "the backup holds what was committed when it began");
    db.close().await;
}
