//! Load on the real release server (`target/release/reservo serve`, built by
//! `cargo leptos build --release --split`), on SQLite and on PostgreSQL, printed as a
//! Markdown section for docs/performance.md. Run with `make bench` or
//! `cargo bench --bench load`; progress goes to stderr, the section to stdout.
//!
//! For each engine the server runs as a child process on a fresh database in
//! demo mode, with the rate limits off (`[limits] enabled = false`) so they do not throttle the load:
//!
//! 1. Booking creation: 64 clients, each booking its own room over and over
//!    (POST /api/bookings with a bearer token), so no two requests conflict;
//!    beside it the raw limit of the engine with the app's durability settings:
//!    one-row insert transactions from 64 tasks over a pool as large as the app's
//!    (on SQLite also over one connection outside the pool, as the app queues its writes; the
//!    faster is the limit).
//! 2. Contention: 64 clients ask for the same slot of one room at once, 20 times.
//! 3. A resource's public profile page (server-rendered) and a static file, in
//!    an open loop at a fixed rate; latency counts from the scheduled send time,
//!    so a slow answer cannot hold back the requests behind it.
//!
//! Before each measured phase the database's log is checkpointed (`settle`).
//!
//! After the server stops the database is checked: no instant has more active
//! bookings than its resource's capacity, and each contended slot has exactly
//! one booking. A violation, or any unexpected answer in the contention or page
//! runs, makes the exit status non-zero; a missed speed goal only says "no".
//!
//! PostgreSQL is at `RESERVO_BENCH_PG_URL` (default postgres://postgres@127.0.0.1:5432,
//! which must allow creating databases); when it does not answer only SQLite is measured.

use chrono::{DateTime, Duration as Span, DurationRound, SecondsFormat, Utc};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor, Row};
use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;

/// What `cargo leptos build --release --split` makes.
const SERVER_BINARY: &str = "target/release/reservo";
const SITE_ROOT: &str = "target/site";
const CLIENTS: usize = 64;
const WARM_UP: Duration = Duration::from_secs(2);
const MEASURED: Duration = Duration::from_secs(10);
const CONTENTION_ROUNDS: usize = 20;
const PAGE_RATE_PER_SECOND: u32 = 500;
const PAGE_DURATION: Duration = Duration::from_secs(10);
/// `[database] max_connections` in reservo.toml; the server is given it
/// explicitly so that its pool and the raw loop's stay the same size.
const POOL_SIZE: u32 = 10;
/// SQLite as the app opens it (src/server/storage/mod.rs).
const SQLITE_PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";
const ACTIVE: &str = "status IN ('pending', 'confirmed', 'in_progress')";
const DEMO_PASSWORD: &str = "demo-password";
const STATIC_PATH: &str = "/pkg/reservo.css";
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432";

#[derive(Clone, Copy, PartialEq)]
enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

// ---------------------------------------------------------------- databases

/// A new empty database, removed by `drop_now` (PostgreSQL) or with its folder (SQLite).
struct Database {
    url: String,
    pg_admin: Option<(String, String)>,
    _folder: Option<Arc<tempfile::TempDir>>,
}

impl Database {
    fn sqlite(folder: &Arc<tempfile::TempDir>, file: &str) -> Database {
        let url = format!("sqlite://{}?mode=rwc", folder.path().join(file).display());
        Database { url, pg_admin: None, _folder: Some(folder.clone()) }
    }

    async fn postgres(admin_base: &str, suffix: &str) -> Result<Database, String> {
        let name = format!("reservo_load_{}_{suffix}", std::process::id());
        let admin = format!("{admin_base}/postgres");
        admin_sql(&admin, &format!("DROP DATABASE IF EXISTS {name}")).await?;
        admin_sql(&admin, &format!("CREATE DATABASE {name}")).await?;
        Ok(Database { url: format!("{admin_base}/{name}"), pg_admin: Some((admin, name)), _folder: None })
    }

    /// Writes the database's log out (CHECKPOINT; on SQLite a WAL checkpoint),
    /// so a measured phase does not pay for the writes of the phase before or
    /// of the set-up, as it would when a checkpoint falls inside it.
    async fn settle(&self, engine: Engine) -> Result<(), String> {
        let sql = match engine {
            Engine::Sqlite => "PRAGMA wal_checkpoint(TRUNCATE)",
            Engine::Postgres => "CHECKPOINT",
        };
        admin_sql(&self.url, sql).await
    }

    async fn drop_now(self) {
        if let Some((admin, name)) = &self.pg_admin {
            if let Err(e) = admin_sql(admin, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await {
                eprintln!("[load] could not drop {name}: {e}");
            }
        }
    }
}

async fn admin_sql(admin_url: &str, sql: &str) -> Result<(), String> {
    let mut conn = sqlx::AnyConnection::connect(admin_url).await.map_err(|e| format!("{admin_url}: {e}"))?;
    conn.execute(sql).await.map_err(|e| format!("{sql}: {e}"))?;
    conn.close().await.map_err(|e| e.to_string())
}

/// A pool opened the way the app opens its own.
async fn open_pool(engine: Engine, url: &str, size: u32) -> Result<AnyPool, String> {
    let options = AnyConnectOptions::from_str(url).map_err(|e| e.to_string())?.disable_statement_logging();
    AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if engine == Engine::Sqlite {
                    conn.execute(SQLITE_PRAGMAS).await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| format!("{url}: {e}"))
}

async fn engine_version(engine: Engine, pool: &AnyPool) -> String {
    let sql = match engine {
        Engine::Sqlite => "SELECT sqlite_version() AS v",
        Engine::Postgres => "SELECT current_setting('server_version') AS v",
    };
    match sqlx::query(sql).fetch_one(pool).await {
        Ok(row) => row.try_get::<String, _>("v").unwrap_or_default(),
        Err(_) => String::new(),
    }
}

// ------------------------------------------------------------------- server

/// The release server as a child process; killed if dropped while running.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    listener.local_addr().expect("its address").port()
}

impl Server {
    fn start(database_url: &str, log: PathBuf) -> Result<Server, String> {
        let binary = root().join(SERVER_BINARY);
        let port = free_port();
        let log_file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let mut command = Command::new(&binary);
        command
            .arg("serve")
            .current_dir(root())
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", root().join(SITE_ROOT))
            .env("RESERVO_MODE", "demo")
            .env("RESERVO_DATABASE__MAX_CONNECTIONS", POOL_SIZE.to_string())
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file);
        command.env("RESERVO_LIMITS__ENABLED", "false");
        let child = command.spawn().map_err(|e| format!("{}: {e}", binary.display()))?;
        Ok(Server { child, base: format!("http://127.0.0.1:{port}"), log })
    }

    /// The lines of the server's log at level ERROR (a page the server had to
    /// cut off, src/server/http/stall.rs, is one) and those of panics.
    fn errors(&self) -> Vec<String> {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.lines().filter(|line| line.contains("ERROR") || line.contains("panicked")).map(str::to_string).collect()
    }

    async fn wait_ready(&mut self, http: &Client) -> Result<(), String> {
        let began = Instant::now();
        while began.elapsed() < Duration::from_secs(60) {
            if let Ok(answer) = http.get(format!("{}/healthz", self.base)).send().await {
                if answer.status() == StatusCode::OK {
                    return Ok(());
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                return Err(format!("the server exited ({status}) while starting:\n{log}"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Err(format!("no 200 from {}/healthz within 60 s", self.base))
    }

    /// SIGTERM (the server finishes in-flight requests), then a kill after 20 s.
    async fn stop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let began = Instant::now();
        while began.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        eprintln!("[load] the server did not stop within 20 s; killing it");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---------------------------------------------------------------------- API

async fn post_json(http: &Client, url: String, token: Option<&str>, body: Value) -> Result<Value, String> {
    let mut request = http.post(&url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer = request.send().await.map_err(|e| format!("POST {url}: {e}"))?;
    let status = answer.status();
    let body: Value = answer.json().await.map_err(|e| format!("POST {url}: {e}"))?;
    if status.is_success() {
        Ok(body)
    } else {
        Err(format!("POST {url}: {status} {body}"))
    }
}

async fn token_for(http: &Client, base: &str, email: &str) -> Result<String, String> {
    let body = json!({"email": email, "password": DEMO_PASSWORD});
    let answer = post_json(http, format!("{base}/api/auth/token"), None, body).await?;
    answer["access_token"].as_str().map(str::to_string).ok_or_else(|| format!("no access_token in {answer}"))
}

/// A room (all day open, confirmed at once, capacity 1, no deposit).
async fn create_room(http: &Client, base: &str, admin_token: &str, number: usize) -> Result<i64, String> {
    let body = json!({"name": format!("Load room {number}"), "number": number.to_string()});
    let answer = post_json(http, format!("{base}/api/rooms"), Some(admin_token), body).await?;
    answer["id"].as_i64().ok_or_else(|| format!("no id in {answer}"))
}

/// The slug of the first demo resource, whose profile page the bench loads.
async fn first_profile(http: &Client, base: &str) -> Result<(String, String), String> {
    let url = format!("{base}/api/resources");
    let list: Value = http.get(&url).send().await.and_then(|a| a.error_for_status()).map_err(|e| format!("GET {url}: {e}"))?
        .json().await.map_err(|e| format!("GET {url}: {e}"))?;
    let first = list.as_array().and_then(|all| all.first()).ok_or_else(|| format!("no resources in {list}"))?;
    let text = |field: &str| first[field].as_str().unwrap_or_default().to_string();
    Ok((text("slug"), text("kind")))
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Books one hour from `start`; the answer's status (or why there was none).
async fn book(http: &Client, base: &str, token: &str, room: i64, start: DateTime<Utc>) -> Result<StatusCode, String> {
    let body = json!({"room_id": room, "check_in": rfc3339(start), "check_out": rfc3339(start + Span::hours(1))});
    let answer = http.post(format!("{base}/api/bookings")).bearer_auth(token).json(&body).send().await.map_err(|e| e.to_string())?;
    let status = answer.status();
    answer.bytes().await.map_err(|e| e.to_string())?;
    Ok(status)
}

/// Midnight UTC the day after tomorrow: every bench booking starts after it.
fn first_start() -> DateTime<Utc> {
    (Utc::now() + Span::days(2)).duration_trunc(Span::days(1)).expect("a day boundary")
}

/// Starts two hours apart: an hour booked plus the room's 30-minute buffer never overlap.
fn nth_start(first: DateTime<Utc>, n: u64) -> DateTime<Utc> {
    first + Span::hours(2 * n as i64)
}

// -------------------------------------------------------------- measurement

/// What the requests that ended inside the measured window did.
#[derive(Default)]
struct Sample {
    ok: usize,
    latencies: Vec<Duration>,
    failures: BTreeMap<String, usize>,
    /// CPU time the server process used in the window, when it was watched.
    server_cpu: Option<Duration>,
}

impl Sample {
    fn record(&mut self, latency: Duration, outcome: Result<(), String>) {
        self.latencies.push(latency);
        match outcome {
            Ok(()) => self.ok += 1,
            Err(what) => *self.failures.entry(what).or_default() += 1,
        }
    }

    fn merge(&mut self, other: Sample) {
        self.ok += other.ok;
        self.latencies.extend(other.latencies);
        for (what, n) in other.failures {
            *self.failures.entry(what).or_default() += n;
        }
    }

    fn percentile(&mut self, p: f64) -> Duration {
        self.latencies.sort_unstable();
        match self.latencies.len() {
            0 => Duration::ZERO,
            n => self.latencies[((n as f64 * p).ceil() as usize).clamp(1, n) - 1],
        }
    }

    fn failed(&self) -> usize {
        self.failures.values().sum()
    }

    fn failures_text(&self) -> String {
        if self.failures.is_empty() {
            return "0".into();
        }
        self.failures.iter().map(|(what, n)| format!("{n} × {what}")).collect::<Vec<_>>().join(", ")
    }
}

/// `CLIENTS` tasks each run `op(client, n)` back to back for the warm-up and
/// the measured window; what ends inside the window is counted, and the CPU
/// time process `server` used in it.
async fn closed_loop<F, Fut>(server: Option<u32>, op: F) -> Sample
where
    F: Fn(usize, u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let from = Instant::now() + WARM_UP;
    let until = from + MEASURED;
    let server_cpu = server.map(|pid| tokio::spawn(cpu_between(pid, from, until)));
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut sample = Sample::default();
                for n in 0.. {
                    let began = Instant::now();
                    if began >= until {
                        break;
                    }
                    let outcome = op(client, n).await;
                    let ended = Instant::now();
                    if ended >= from && ended <= until {
                        sample.record(ended - began, outcome);
                    }
                }
                sample
            })
        })
        .collect();
    let mut all = Sample::default();
    for task in tasks {
        all.merge(task.await.expect("a load task panicked"));
    }
    if let Some(cpu) = server_cpu {
        all.server_cpu = cpu.await.ok().flatten();
    }
    all
}

async fn cpu_between(pid: u32, from: Instant, until: Instant) -> Option<Duration> {
    tokio::time::sleep_until(from.into()).await;
    let before = cpu_time(pid)?;
    tokio::time::sleep_until(until.into()).await;
    Some(cpu_time(pid)?.saturating_sub(before))
}

/// User plus system time of a process so far (Linux /proc, in 10 ms clock ticks).
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// GETs `url` at a fixed rate whatever the answers; each latency runs from
/// the request's scheduled time to the end of its body.
async fn open_loop(http: &Client, url: &str) -> Sample {
    let interval = Duration::from_secs(1) / PAGE_RATE_PER_SECOND;
    let total = (PAGE_DURATION.as_secs_f64() * f64::from(PAGE_RATE_PER_SECOND)) as u32;
    let first = Instant::now() + Duration::from_millis(20);
    let mut requests = Vec::with_capacity(total as usize);
    for i in 0..total {
        let scheduled = first + interval * i;
        tokio::time::sleep_until(scheduled.into()).await;
        let (http, url) = (http.clone(), url.to_string());
        requests.push(tokio::spawn(async move {
            let outcome = get_ok(&http, &url).await;
            (scheduled.elapsed(), outcome)
        }));
    }
    let mut sample = Sample::default();
    for request in requests {
        let (latency, outcome) = request.await.expect("a page request panicked");
        sample.record(latency, outcome);
    }
    sample
}

async fn get_ok(http: &Client, url: &str) -> Result<(), String> {
    let answer = http.get(url).send().await.map_err(|e| format!("error: {e}"))?;
    let status = answer.status();
    answer.bytes().await.map_err(|e| format!("body: {e}"))?;
    if status == StatusCode::OK {
        Ok(())
    } else {
        Err(status.as_u16().to_string())
    }
}

// ------------------------------------------------------------------- phases

struct Bookings {
    http: Sample,
    /// The raw loop over `raw_pool_sizes`, in that order.
    raw: Vec<(u32, Sample)>,
    overlaps: i64,
    active: i64,
}

struct Contention {
    created: usize,
    conflicts: usize,
    others: BTreeMap<String, usize>,
    bad_rounds: usize,
    database: ContendedRoom,
}

/// What the database holds for the contended room once the server stopped.
#[derive(Default)]
struct ContendedRoom {
    /// Every booking of the room, whatever its status.
    bookings: i64,
    /// Distinct start times of its active bookings.
    slots: usize,
    most_in_one_slot: i64,
}

impl Contention {
    fn holds(&self) -> bool {
        let db = &self.database;
        self.bad_rounds == 0 && db.bookings == CONTENTION_ROUNDS as i64 && db.slots == CONTENTION_ROUNDS && db.most_in_one_slot == 1
    }
}

struct Pages {
    slug: String,
    kind: String,
    profile: Sample,
    file: Sample,
}

struct EngineReport {
    engine: Engine,
    version: String,
    bookings: Bookings,
    contention: Contention,
    pages: Pages,
}

/// Each client books its own room, one hour after another.
async fn booking_load(http: &Client, server: &Server, token: &str, rooms: &[i64]) -> Sample {
    let first = first_start();
    let (http, base, token, rooms) = (http.clone(), Arc::new(server.base.clone()), Arc::new(token.to_string()), Arc::new(rooms.to_vec()));
    closed_loop(Some(server.child.id()), move |client, n| {
        let (http, base, token, rooms) = (http.clone(), base.clone(), token.clone(), rooms.clone());
        async move {
            match book(&http, &base, &token, rooms[client], nth_start(first, n)).await {
                Ok(StatusCode::CREATED) => Ok(()),
                Ok(status) => Err(status.as_u16().to_string()),
                Err(e) => Err(format!("error: {e}")),
            }
        }
    })
    .await
}

/// Pools the raw loop runs over. The server queues its SQLite writes on one
/// connection held outside sqlx's pool (`Db::begin_write`); the engine's
/// limit is the faster of that and a pool racing for the lock.
fn raw_pool_sizes(engine: Engine) -> &'static [u32] {
    match engine {
        Engine::Sqlite => &[POOL_SIZE, 1],
        Engine::Postgres => &[POOL_SIZE],
    }
}

/// Where the raw loop's transactions run: a pool, or (size 1) one connection
/// that the tasks queue for in order, as the server's SQLite writer.
#[derive(Clone)]
enum RawTarget {
    Pool(AnyPool),
    One(Arc<tokio::sync::Mutex<sqlx::AnyConnection>>),
}

/// The same number of one-row insert transactions as fast as the engine takes them.
async fn raw_inserts(engine: Engine, database: &Database, pool_size: u32) -> Result<Sample, String> {
    let pool = open_pool(engine, &database.url, pool_size).await?;
    let table = match engine {
        Engine::Sqlite => "CREATE TABLE IF NOT EXISTS load_raw (id INTEGER PRIMARY KEY AUTOINCREMENT, client INTEGER NOT NULL, n INTEGER NOT NULL, note TEXT NOT NULL)",
        Engine::Postgres => "CREATE TABLE IF NOT EXISTS load_raw (id BIGSERIAL PRIMARY KEY, client BIGINT NOT NULL, n BIGINT NOT NULL, note TEXT NOT NULL)",
    };
    pool.execute(table).await.map_err(|e| e.to_string())?;
    let target = match pool_size {
        1 => RawTarget::One(Arc::new(tokio::sync::Mutex::new(pool.acquire().await.map_err(|e| e.to_string())?.detach()))),
        _ => RawTarget::Pool(pool.clone()),
    };
    let sample = closed_loop(None, move |client, n| {
        let target = target.clone();
        async move { insert_one(engine, &target, client, n).await.map_err(|e| e.to_string()) }
    })
    .await;
    pool.close().await;
    Ok(sample)
}

/// BEGIN (IMMEDIATE on SQLite, as the app's writes); INSERT one row; COMMIT.
async fn insert_one(engine: Engine, target: &RawTarget, client: usize, n: u64) -> Result<(), sqlx::Error> {
    let insert = sqlx::query("INSERT INTO load_raw (client, n, note) VALUES ($1, $2, $3)")
        .bind(client as i64)
        .bind(n as i64)
        .bind("one row per transaction");
    match target {
        RawTarget::Pool(pool) => {
            let mut tx = match engine {
                Engine::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
                Engine::Postgres => pool.begin().await?,
            };
            insert.execute(&mut *tx).await?;
            tx.commit().await
        }
        RawTarget::One(conn) => {
            let mut conn = conn.lock().await;
            conn.execute("BEGIN IMMEDIATE").await?;
            insert.execute(&mut *conn).await?;
            conn.execute("COMMIT").await.map(|_| ())
        }
    }
}

/// Rounds in which every client asks for the same slot of `room` at once.
async fn contention(http: &Client, base: &str, token: &str, room: i64) -> Contention {
    let first = first_start();
    let mut result = Contention { created: 0, conflicts: 0, others: BTreeMap::new(), bad_rounds: 0, database: ContendedRoom::default() };
    for round in 0..CONTENTION_ROUNDS {
        let start = nth_start(first, round as u64);
        let barrier = Arc::new(Barrier::new(CLIENTS));
        let tasks: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (http, base, token, barrier) = (http.clone(), base.to_string(), token.to_string(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    book(&http, &base, &token, room, start).await
                })
            })
            .collect();
        let (mut created, mut conflicts) = (0, 0);
        for task in tasks {
            match task.await.expect("a contention task panicked") {
                Ok(StatusCode::CREATED) => created += 1,
                Ok(StatusCode::CONFLICT) => conflicts += 1,
                Ok(status) => *result.others.entry(status.as_u16().to_string()).or_default() += 1,
                Err(e) => *result.others.entry(format!("error: {e}")).or_default() += 1,
            }
        }
        if created != 1 || conflicts != CLIENTS - 1 {
            result.bad_rounds += 1;
        }
        result.created += created;
        result.conflicts += conflicts;
    }
    result
}

async fn pages(http: &Client, base: &str, slug: String, kind: String) -> Pages {
    let profile_url = format!("{base}/r/{slug}");
    let file_url = format!("{base}{STATIC_PATH}");
    for url in [&profile_url, &file_url] {
        for _ in 0..20 {
            let _ = get_ok(http, url).await;
        }
    }
    eprintln!("[load] {profile_url} at {PAGE_RATE_PER_SECOND}/s");
    let profile = open_loop(http, &profile_url).await;
    eprintln!("[load] {file_url} at {PAGE_RATE_PER_SECOND}/s");
    let file = open_loop(http, &file_url).await;
    Pages { slug, kind, profile, file }
}

/// Active bookings that start while as many others as the resource's capacity are active.
async fn overlaps_beyond_capacity(pool: &AnyPool) -> Result<(i64, i64), String> {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM bookings b JOIN resources r ON r.id = b.resource_id WHERE b.{ACTIVE} \
         AND r.capacity < (SELECT COUNT(*) FROM bookings o WHERE o.resource_id = b.resource_id AND o.{ACTIVE} \
         AND o.starts_at <= b.starts_at AND o.ends_at > b.starts_at)"
    );
    let overlaps: i64 = sqlx::query(&sql).fetch_one(pool).await.and_then(|r| r.try_get("n")).map_err(|e| e.to_string())?;
    let active: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM bookings WHERE {ACTIVE}"))
        .fetch_one(pool)
        .await
        .and_then(|r| r.try_get("n"))
        .map_err(|e| e.to_string())?;
    Ok((overlaps, active))
}

async fn contended_room_in_database(pool: &AnyPool, room: i64) -> Result<ContendedRoom, String> {
    let slots = sqlx::query(&format!("SELECT starts_at, COUNT(*) AS n FROM bookings WHERE resource_id = $1 AND {ACTIVE} GROUP BY starts_at"))
        .bind(room)
        .fetch_all(pool)
        .await
        .map_err(|e| e.to_string())?;
    let per_slot = slots.iter().map(|row| row.try_get::<i64, _>("n")).collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    let bookings: i64 = sqlx::query("SELECT COUNT(*) AS n FROM bookings WHERE resource_id = $1")
        .bind(room)
        .fetch_one(pool)
        .await
        .and_then(|r| r.try_get("n"))
        .map_err(|e| e.to_string())?;
    Ok(ContendedRoom { bookings, slots: per_slot.len(), most_in_one_slot: per_slot.into_iter().max().unwrap_or(0) })
}

/// Everything for one engine: server phases, the checks after it stops, the raw loop.
async fn run_engine(engine: Engine, app_db: &Database, raw_db: &Database, folder: &Path) -> Result<EngineReport, String> {
    let http = Client::builder().timeout(Duration::from_secs(60)).build().map_err(|e| e.to_string())?;
    let log = folder.join(format!("server-{}.log", engine.name()));
    let mut server = Server::start(&app_db.url, log)?;
    server.wait_ready(&http).await?;
    let base = server.base.clone();
    let admin = token_for(&http, &base, "admin@reservo.test").await?;
    let client = token_for(&http, &base, "client@reservo.test").await?;
    let (slug, kind) = first_profile(&http, &base).await?;
    let mut rooms = Vec::with_capacity(CLIENTS + 1);
    for number in 0..=CLIENTS {
        rooms.push(create_room(&http, &base, &admin, 9000 + number).await?);
    }
    let contended = rooms.pop().expect("the contended room");

    app_db.settle(engine).await?;
    let pages = pages(&http, &base, slug, kind).await;
    app_db.settle(engine).await?;
    eprintln!("[load] {}: bookings over HTTP, {CLIENTS} clients", engine.name());
    let http_sample = booking_load(&http, &server, &client, &rooms).await;
    eprintln!("[load] {}: contention, {CONTENTION_ROUNDS} rounds", engine.name());
    let mut contention = contention(&http, &base, &client, contended).await;
    server.stop().await;
    for line in server.errors() {
        eprintln!("[load] {} server: {line}", engine.name());
    }

    let pool = open_pool(engine, &app_db.url, 2).await?;
    let version = engine_version(engine, &pool).await;
    let (overlaps, active) = overlaps_beyond_capacity(&pool).await?;
    contention.database = contended_room_in_database(&pool, contended).await?;
    pool.close().await;

    let mut raw = Vec::new();
    for &pool_size in raw_pool_sizes(engine) {
        eprintln!("[load] {}: raw insert transactions, {CLIENTS} tasks over {pool_size} connection(s)", engine.name());
        raw_db.settle(engine).await?;
        raw.push((pool_size, raw_inserts(engine, raw_db, pool_size).await?));
    }
    let bookings = Bookings { http: http_sample, raw, overlaps, active };
    Ok(EngineReport { engine, version, bookings, contention, pages })
}

async fn postgres_reachable(admin_base: &str) -> bool {
    let admin = format!("{admin_base}/postgres");
    tokio::time::timeout(Duration::from_secs(5), sqlx::AnyConnection::connect(&admin)).await.is_ok_and(|c| c.is_ok())
}

// ------------------------------------------------------------------- report

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn yes(ok: bool) -> &'static str {
    if ok { "yes" } else { "no" }
}

fn per_second(sample: &Sample) -> f64 {
    sample.ok as f64 / MEASURED.as_secs_f64()
}

fn cpu_model() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    info.lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|rest| rest.split_once(':')).map(|(_, m)| m.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into())
}

fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

fn print_report(reports: &mut [EngineReport], skipped: &[String]) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("## Load over HTTP");
    println!();
    println!("The release server (`target/release/reservo serve`, demo data, rate limits");
    println!("off with `RESERVO_LIMITS__ENABLED=false`, a pool of {POOL_SIZE} connections) on a fresh database per engine;");
    println!("the load comes from the same machine. See benches/load.rs.");
    println!();
    println!("- Machine: {cpus} CPUs, {}", cpu_model());
    println!("- Date: {}", Utc::now().format("%Y-%m-%d %H:%M UTC"));
    println!("- Load average when finished: {}", load_average());
    println!("- Command: `cargo bench --bench load`");
    for report in reports.iter() {
        let settings = match report.engine {
            Engine::Sqlite => "a file in a temporary folder, WAL, synchronous=FULL, busy_timeout 10 s",
            Engine::Postgres => "127.0.0.1:5432, default settings",
        };
        println!("- {} {}: {settings}", report.engine.name(), report.version);
    }
    for engine in skipped {
        println!("- {engine}: not measured (not reachable)");
    }
    println!();
    print_bookings(reports);
    print_contention(reports);
    print_pages(reports);
}

fn print_bookings(reports: &mut [EngineReport]) {
    println!("### Booking creation");
    println!();
    println!("{CLIENTS} clients, each booking its own room (one hour, then the next) with");
    println!("POST /api/bookings and a bearer token, back to back for {} s after {} s of warm-up.", MEASURED.as_secs(), WARM_UP.as_secs());
    println!("Raw: the same engine and durability settings, {CLIENTS} tasks over a pool of {POOL_SIZE} running");
    println!("`BEGIN; INSERT one row; COMMIT` (BEGIN IMMEDIATE on SQLite, as the app's writes) for as long.");
    println!("On SQLite it runs again over one connection held outside the pool, as the server queues its writes; the");
    println!("faster of the two is the raw limit.");
    println!("Server CPU: user + system time of the server process in the window, per booking made");
    println!("(PostgreSQL's own processes not included). Overlaps: active bookings beyond their");
    println!("resource's capacity, counted in the database after the server stopped.");
    println!();
    println!("| engine | HTTP bookings/s | p50 | p99 | non-201 | server CPU / booking | raw inserts/s (connections) | HTTP / raw | overlaps (of active) | goal: HTTP ≥ 50% of raw | met |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for r in reports.iter_mut() {
        let b = &mut r.bookings;
        let http_rate = per_second(&b.http);
        let raw_rate = b.raw.iter().map(|(_, sample)| per_second(sample)).fold(0.0, f64::max);
        let raw_runs = b.raw.iter().map(|(size, sample)| format!("{:.0} ({size})", per_second(sample))).collect::<Vec<_>>().join(", ");
        let ratio = if raw_rate > 0.0 { http_rate / raw_rate } else { 0.0 };
        let (p50, p99) = (b.http.percentile(0.50), b.http.percentile(0.99));
        let cpu = match b.http.server_cpu {
            Some(cpu) if b.http.ok > 0 => format!("{:.2} ms", cpu.as_secs_f64() * 1000.0 / b.http.ok as f64),
            _ => "?".into(),
        };
        println!(
            "| {} | {http_rate:.0} | {} | {} | {} | {cpu} | {raw_runs} | {:.0}% | {} ({}) | ≥ 50% | {} |",
            r.engine.name(), ms(p50), ms(p99), b.http.failures_text(), ratio * 100.0, b.overlaps, b.active, yes(ratio >= 0.5)
        );
    }
    println!();
}

fn print_contention(reports: &[EngineReport]) {
    println!("### Contention");
    println!();
    println!("{CONTENTION_ROUNDS} rounds; in each, {CLIENTS} clients ask for the same hour of one room (capacity 1) at once.");
    println!();
    println!("| engine | 201 | 409 | other | the room's bookings in the database | goal | met |");
    println!("|---|---|---|---|---|---|---|");
    for r in reports {
        let c = &r.contention;
        let others = if c.others.is_empty() { "0".into() } else { format!("{:?}", c.others) };
        let db = &c.database;
        println!(
            "| {} | {} | {} | {others} | {} in {} slots, at most {} a slot | one 201 and {} × 409 a round; one booking a slot | {} |",
            r.engine.name(), c.created, c.conflicts, db.bookings, db.slots, db.most_in_one_slot, CLIENTS - 1, yes(c.holds())
        );
    }
    println!();
}

fn print_pages(reports: &mut [EngineReport]) {
    println!("### Public profile page");
    println!();
    println!("GET at a fixed {PAGE_RATE_PER_SECOND} requests/s for {} s whatever the answers (open loop), latency from", PAGE_DURATION.as_secs());
    println!("each request's scheduled time to the end of its body; any answer but 200 is an error.");
    println!("Beside it a static file from the same server.");
    println!();
    println!("| engine | page | requests | p50 | p90 | p99 | max | errors | goal: profile p99 < 10 ms | met |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for r in reports.iter_mut() {
        let name = r.engine.name();
        let profile = format!("/r/{} ({})", r.pages.slug, r.pages.kind);
        let p = &mut r.pages.profile;
        let met = yes(p.percentile(0.99) < Duration::from_millis(10) && p.failed() == 0);
        println!("| {name} | {profile} | {} | {} | {} | {} | {} | {} | < 10 ms | {met} |",
            p.latencies.len(), ms(p.percentile(0.5)), ms(p.percentile(0.9)), ms(p.percentile(0.99)), ms(p.percentile(1.0)), p.failures_text());
        let f = &mut r.pages.file;
        println!("| {name} | {STATIC_PATH} (static) | {} | {} | {} | {} | {} | {} | | |",
            f.latencies.len(), ms(f.percentile(0.5)), ms(f.percentile(0.9)), ms(f.percentile(0.99)), ms(f.percentile(1.0)), f.failures_text());
    }
    println!();
}

/// Correctness failures (not missed speed goals), one line each.
fn violations(reports: &[EngineReport]) -> Vec<String> {
    let mut found = Vec::new();
    for r in reports {
        let name = r.engine.name();
        if r.bookings.overlaps != 0 {
            found.push(format!("{name}: {} active bookings beyond their resource's capacity", r.bookings.overlaps));
        }
        if !r.contention.holds() {
            found.push(format!("{name}: contention broke the one-booking-a-slot rule ({} bad rounds)", r.contention.bad_rounds));
        }
        if r.pages.profile.failed() + r.pages.file.failed() != 0 {
            found.push(format!("{name}: page requests answered other than 200"));
        }
        for (size, raw) in r.bookings.raw.iter().filter(|(_, raw)| raw.failed() != 0) {
            found.push(format!("{name}: raw inserts over {size} connection(s) failed: {}", raw.failures_text()));
        }
    }
    found
}

// --------------------------------------------------------------------- main

async fn run() -> Result<Vec<String>, String> {
    sqlx::any::install_default_drivers();
    for built in [SERVER_BINARY, SITE_ROOT] {
        if !root().join(built).exists() {
            return Err(format!("{built} is missing: run `cargo leptos build --release --split` first"));
        }
    }
    let folder = Arc::new(tempfile::Builder::new().prefix("reservo-load-").tempdir().map_err(|e| e.to_string())?);
    let mut reports = Vec::new();
    let mut skipped = Vec::new();
    eprintln!("[load] SQLite in {}", folder.path().display());
    let (app_db, raw_db) = (Database::sqlite(&folder, "reservo.db"), Database::sqlite(&folder, "raw.db"));
    reports.push(run_engine(Engine::Sqlite, &app_db, &raw_db, folder.path()).await?);
    let pg_base = std::env::var("RESERVO_BENCH_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.into());
    if postgres_reachable(&pg_base).await {
        eprintln!("[load] PostgreSQL at {pg_base}");
        let app_db = Database::postgres(&pg_base, "app").await?;
        let raw_db = Database::postgres(&pg_base, "raw").await?;
        let report = run_engine(Engine::Postgres, &app_db, &raw_db, folder.path()).await;
        app_db.drop_now().await;
        raw_db.drop_now().await;
        reports.push(report?);
    } else {
        eprintln!("[load] PostgreSQL at {pg_base} does not answer; measuring SQLite only");
        skipped.push(format!("PostgreSQL at {pg_base}"));
    }
    print_report(&mut reports, &skipped);
    Ok(violations(&reports))
}

fn main() -> ExitCode {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run()) {
        Ok(violations) if violations.is_empty() => ExitCode::SUCCESS,
        Ok(violations) => {
            violations.iter().for_each(|v| eprintln!("[load] VIOLATION {v}"));
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("[load] {e}");
            ExitCode::FAILURE
        }
    }
}
