//! The `reservo` binary: subcommands, configuration errors, serving.
#![cfg(feature = "ssr")]

mod common;
use common::{fresh_db, on_both_engines};
use reservo::server::storage::{users, Engine};
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

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

fn run(command: &mut Command) -> (bool, String, String) {
    let Output { status, stdout, stderr } = command.output().expect("run reservo");
    (status.success(), String::from_utf8_lossy(&stdout).into(), String::from_utf8_lossy(&stderr).into())
}

on_both_engines!(migrate_seed_and_create_admin);

async fn migrate_seed_and_create_admin(engine: Engine) {
    let t = fresh_db(engine).await;
    let (ok, out, _) = run(&mut reservo(&t.url, &["migrate"]));
    assert!(ok && out.contains("up to date"), "{out}");

    let (ok, _, err) = run(&mut reservo(&t.url, &["seed-demo"]));
    assert!(!ok && err.contains("production mode"), "demo data is refused in production: {err}");
    assert_eq!(users::count(&t.db).await.unwrap(), 0);
    let (ok, out, _) = run(reservo(&t.url, &["seed-demo"]).env("RESERVO_MODE", "demo"));
    assert!(ok && out.contains("loaded"), "{out}");
    assert_eq!(users::count(&t.db).await.unwrap(), 3);

    let admin = ["create-admin", "--email", "Boss@Example.com", "--name", "Boss", "--password", "a long password"];
    let (ok, out, err) = run(&mut reservo(&t.url, &admin));
    assert!(ok, "{out}{err}");
    let boss = users::find_by_email(&t.db, "boss@example.com").await.unwrap().expect("admin stored");
    assert_eq!(boss.role.as_str(), "admin");
    let log = reservo::server::storage::audit::list(&t.db, Some(reservo::domain::audit::AuditAction::AccountCreate), 0, 10).await.unwrap();
    assert_eq!(log.len(), 1, "the new administrator is in the audit log");
    assert_eq!((log[0].actor_id, log[0].target.clone()), (Some(boss.id), format!("user:{}", boss.id)));
    assert_eq!(log[0].detail["via"], "command line");
    let (ok, _, err) = run(&mut reservo(&t.url, &admin));
    assert!(!ok && err.contains("already exists"), "{err}");
    let short = ["create-admin", "--email", "x@example.com", "--name", "X", "--password", "short"];
    let (ok, _, err) = run(&mut reservo(&t.url, &short));
    assert!(!ok && err.contains("password"), "{err}");
}

#[test]
fn a_malformed_setting_stops_start_up_naming_it_with_an_example() {
    let (ok, _, err) = run(&mut reservo("mysql://localhost/reservo", &["migrate"]));
    assert!(!ok);
    assert!(err.contains("DATABASE_URL") && err.contains("example") && err.contains("sqlite://"), "{err}");
    let (ok, _, err) = run(reservo("sqlite://unused.db", &["serve"]).env("LEPTOS_SITE_ADDR", "localhost"));
    assert!(!ok && err.contains("LEPTOS_SITE_ADDR") && err.contains("127.0.0.1:3000"), "{err}");
}

#[test]
fn every_command_has_help() {
    for command in ["serve", "migrate", "seed-demo", "create-admin"] {
        let (ok, out, _) = run(&mut reservo("sqlite://unused.db", &[command, "--help"]));
        assert!(ok && out.contains("Usage"), "{command}: {out}");
    }
}

#[test]
fn serve_prints_the_url_and_accounts_and_addr_beats_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/serve.db", dir.path().display());
    let mut child = reservo(&url, &["serve", "--addr", "127.0.0.1:0"])
        .env("RESERVO_MODE", "demo")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:1")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let serving = lines.by_ref().map(|l| l.unwrap()).find(|l| l.contains("serving on")).expect("serving line");
    let url = serving.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
    let printed: Vec<String> = lines.by_ref().take(4).map(|l| l.unwrap()).collect();
    assert!(printed.iter().any(|l| l.contains("admin@reservo.test")), "{printed:?}");
    let body = reqwest::blocking_get(&format!("{url}/healthz"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(body.contains("\"ok\""), "{body}");
}

mod reqwest {
    /// A tiny blocking GET so this test needs no async runtime.
    pub fn blocking_get(url: &str) -> String {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async { ::reqwest::get(url).await.unwrap().text().await.unwrap() })
    }
}
