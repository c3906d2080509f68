//! The `reservo` command: serve (default), migrate, seed-demo, create-admin, backup, restore.

use super::config::{Config, LogFormat, Mode};
use super::state::AppState;
use super::storage::seed::{self, SeedOutcome, DEMO_ACCOUNTS, DEMO_PASSWORD};
use super::storage::{users, Db, StorageError};
use crate::domain::account::{validate_account, AccountInput, Role};
use crate::server::auth::password;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "reservo", version, about = "Reservo booking platform server")]
pub struct Cli {
    /// Configuration file; missing is fine (defaults and environment apply).
    #[arg(long, global = true, env = "RESERVO_CONFIG", default_value = "reservo.toml")]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate the database and serve the app (the default command).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo accounts and resources into an empty database.
    SeedDemo,
    /// Create an administrator account.
    CreateAdmin(CreateAdminArgs),
    /// Write a consistent backup of the database to a new file, while the app keeps serving.
    ///
    /// SQLite: a compact copy of the database file (VACUUM INTO). PostgreSQL:
    /// pg_dump's custom format (needs pg_dump on PATH; Debian: apt-get install
    /// postgresql-client). The file is refused if it already exists.
    Backup(BackupArgs),
    /// Restore a backup into an empty database, then apply the migrations.
    ///
    /// The database named by DATABASE_URL must have no users, resources or
    /// bookings (a new file or database, or one only migrated). Stop the app
    /// on it first. SQLite: the backup replaces the database file after an
    /// integrity check. PostgreSQL: pg_restore in one transaction (needs
    /// pg_restore on PATH). A backup from an older version is migrated.
    Restore(RestoreArgs),
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The backup file to write (its folder is created), e.g. backups/reservo.db or reservo.dump.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// A file written by `reservo backup` or by the scheduled backups.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Args, Debug, Default)]
pub struct ServeArgs {
    /// Listen address, e.g. 127.0.0.1:3000; overrides config and LEPTOS_SITE_ADDR.
    #[arg(long)]
    pub addr: Option<String>,
}

#[derive(Args, Debug)]
pub struct CreateAdminArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// At least 10 characters.
    #[arg(long, env = "RESERVO_ADMIN_PASSWORD", hide_env_values = true)]
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Config(#[from] super::config::ConfigError),
    #[error("{0}")]
    Storage(#[from] StorageError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: std::io::Error },
    #[error("server stopped with an error: {0}")]
    Serve(std::io::Error),
    #[error("demo data is never loaded in production mode; set RESERVO_MODE=demo to use it")]
    DemoInProduction,
    #[error("invalid {field}: {problem}")]
    InvalidAccount { field: String, problem: String },
    #[error("{0}")]
    Backup(#[from] super::backup::BackupError),
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(cli: Cli) -> Result<(), CliError> {
    let mut config = Config::load(&cli.config)?;
    if let Some(Command::Serve(ServeArgs { addr: Some(addr) })) = &cli.command {
        config.server.addr = addr.clone();
        config.listen_addr()?;
    }
    init_tracing(config.server.log_format);
    // Neither migrates first: a backup must not change the database under a
    // running (maybe older) app, and a restore needs the database empty.
    match &cli.command {
        Some(Command::Backup(args)) => return backup(&config, &args.out).await,
        Some(Command::Restore(args)) => return restore(&config, &args.file).await,
        _ => {}
    }
    let db = Db::open(&config.database).await?;
    db.migrate().await?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(_) => serve(config, db).await,
        Command::Migrate => {
            println!("database is up to date ({})", db.engine().name());
            Ok(())
        }
        Command::SeedDemo => {
            if config.server.mode != Mode::Demo {
                return Err(CliError::DemoInProduction);
            }
            report_seed(seed::seed_demo(&db, &config.kinds).await?);
            Ok(())
        }
        Command::CreateAdmin(args) => create_admin(&db, args).await,
        Command::Backup(_) | Command::Restore(_) => unreachable!("handled before connecting"),
    }
}

async fn backup(config: &Config, out: &std::path::Path) -> Result<(), CliError> {
    let bytes = super::backup::backup_command(&config.database.url, out).await?;
    println!("backup of {} written to {} ({bytes} bytes)", super::backup::redact(&config.database.url), out.display());
    Ok(())
}

async fn restore(config: &Config, file: &std::path::Path) -> Result<(), CliError> {
    let restored = super::backup::restore(&config.database.url, file).await?;
    println!(
        "restored {} into {}: {} users, {} resources, {} bookings; database is up to date",
        file.display(),
        super::backup::redact(&config.database.url),
        restored.users,
        restored.resources,
        restored.bookings
    );
    Ok(())
}

async fn serve(config: Config, db: Db) -> Result<(), CliError> {
    if config.server.mode == Mode::Demo {
        report_seed(seed::seed_demo(&db, &config.kinds).await?);
    }
    let addr = config.listen_addr()?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| CliError::Listen { addr: addr.to_string(), source })?;
    let local = listener.local_addr().map_err(CliError::Serve)?;
    println!("Reservo is serving on http://{local} ({} database)", db.engine().name());
    if config.server.mode == Mode::Demo {
        print_demo_accounts();
    }
    let state = AppState::new(config, db.clone()).await?;
    let served = super::http::serve(state, listener).await;
    db.close().await;
    served.map_err(CliError::Serve)
}

fn report_seed(outcome: SeedOutcome) {
    match outcome {
        SeedOutcome::Loaded => println!("demo data loaded into the empty database"),
        SeedOutcome::AlreadyPopulated => println!("database already has accounts; demo data not loaded"),
    }
}

fn print_demo_accounts() {
    println!("Demo accounts (password: {DEMO_PASSWORD}):");
    for account in &DEMO_ACCOUNTS {
        println!("  {:<8} {}", account.role.as_str(), account.email);
    }
}

async fn create_admin(db: &Db, args: CreateAdminArgs) -> Result<(), CliError> {
    let account = validate_account(AccountInput {
        name: &args.name,
        email: &args.email,
        phone: "",
        lang: "es",
        role: Role::Admin,
        password: &args.password,
    })
    .map_err(|e| CliError::InvalidAccount {
        field: e.field,
        problem: crate::i18n::problem_text(crate::domain::account::Lang::En, e.problem).to_string(),
    })?;
    let hash = password::hash_in_background(account.password.clone()).await;
    match users::create(db, &account, &hash).await {
        Ok(id) => {
            // No one is logged in at the command line: the entry names the new administrator.
            let detail = serde_json::json!({"email": account.email, "role": "admin", "via": "command line"});
            let act = crate::server::storage::audit::Act {
                actor_id: id,
                action: crate::domain::audit::AuditAction::AccountCreate,
                target: crate::domain::audit::target("user", id),
                detail,
            };
            crate::server::storage::audit::record(&mut *db.write().await?, &act, crate::server::clock::now()).await?;
            println!("administrator {} created (id {id})", account.email);
            Ok(())
        }
        Err(StorageError::Duplicate(_)) => Err(CliError::InvalidAccount {
            field: "email".into(),
            problem: format!("an account with {} already exists", account.email),
        }),
        Err(e) => Err(e.into()),
    }
}

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
