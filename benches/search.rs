//! How long the directory takes to find the resources free at a local date
//! and time among 10,000, on SQLite (a temp file) and PostgreSQL (a fresh
//! database at 127.0.0.1:5432, dropped afterwards): `directory::search` with
//! `free_at`, first page of 12, as the directory page and the API call it.
//! Run with `make bench` (which adds its section to docs/performance.md) or
//! `cargo bench --features ssr --bench search`.
//!
//! The data come from a fixed-seed generator and are bulk-inserted: 10,000
//! musicians in 12 zones, six patterns of weekly hours, some date
//! exceptions and blackouts, one or two services each, five upcoming and
//! three past bookings each (a fifth of them no longer active). Each search
//! is checked once, outside the timed runs, to match some but not all.
//! Progress goes to stderr; the Markdown section to stdout.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use reservo::domain::time::local_to_utc;
use reservo::server::storage::directory::{self, Filter, FreeAt};
use reservo::server::storage::{Db, Engine};
use std::time::Instant;

const RESOURCES: i64 = 10_000;
const RUNS: usize = 200;
const GOAL_MS: f64 = 50.0;
const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const ZONES: [&str; 12] = [
    "America/Mexico_City",
    "America/Bogota",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Europe/Madrid",
    "Europe/London",
    "Africa/Lagos",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap()
}

/// A Wednesday two days after `now`, with no clock change anywhere.
fn query_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 3).unwrap()
}

/// The searches timed: (what, local time, minutes).
const SEARCHES: [(&str, &str, Option<i64>); 2] = [
    ("12:00 for 60 minutes: hours decided in SQL", "12:00", Some(60)),
    ("23:30 for each one's shortest service: across midnight, both days' hours decided in SQL", "23:30", None),
];

/// Knuth's MMIX linear congruential generator; enough for a fixed spread.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

#[derive(Clone)]
enum Cell {
    Int(i64),
    Text(String),
    Null,
}

/// Multi-row INSERTs of `rows`, a few hundred rows a statement, in one transaction.
async fn insert(db: &Db, table: &str, columns: &[&str], rows: Vec<Vec<Cell>>) {
    let mut tx = db.begin_write().await.expect("begin");
    for chunk in rows.chunks(500) {
        let mut n = 0;
        let values: Vec<String> = chunk
            .iter()
            .map(|row| {
                let marks: Vec<String> = row.iter().map(|_| { n += 1; format!("${n}") }).collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let sql = format!("INSERT INTO {table} ({}) VALUES {}", columns.join(", "), values.join(", "));
        let mut query = sqlx::query(&sql);
        for cell in chunk.iter().flatten() {
            query = match cell {
                Cell::Int(v) => query.bind(*v),
                Cell::Text(v) => query.bind(v.clone()),
                Cell::Null => query.bind(None::<i64>),
            };
        }
        query.execute(&mut *tx).await.unwrap_or_else(|e| panic!("insert into {table}: {e}"));
    }
    tx.commit().await.expect("commit");
}

/// Weekly hours (weekday, opens, closes): office, split with touching
/// halves, split with a break, always open, evenings to 02:00, weekends.
fn weekly(pattern: u64) -> Vec<(i64, i64, i64)> {
    let days = |range: std::ops::Range<i64>, hours: &[(i64, i64)]| -> Vec<(i64, i64, i64)> {
        range.flat_map(|d| hours.iter().map(move |(o, c)| (d, *o, *c))).collect()
    };
    match pattern {
        0 | 1 => days(0..5, &[(540, 1080)]),
        2 => days(0..6, &[(540, 780), (780, 1140)]),
        3 => days(0..7, &[(600, 840), (960, 1320)]),
        4 => days(0..7, &[(0, 1440)]),
        5 => days(0..7, &[(0, 120), (1080, 1440)]),
        _ => days(4..7, &[(660, 1380)]),
    }
}

struct Counts {
    bookings: usize,
    hours: usize,
    exceptions: usize,
    blackouts: usize,
}

/// The 10,000 musicians and everything about them.
async fn fill(db: &Db) -> Counts {
    let mut rng = Lcg(0x5EA2_C4_2026);
    let (mut resources, mut hours, mut exceptions, mut blackouts, mut services, mut bookings) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let day = query_date();
    for id in 1..=RESOURCES {
        let zone_name = ZONES[(id as usize) % ZONES.len()];
        let zone: Tz = zone_name.parse().unwrap();
        let capacity = if rng.below(5) == 0 { 2 + rng.below(2) as i64 } else { 1 };
        let buffer = [0, 0, 15, 30][rng.below(4) as usize];
        let max_per_day = if rng.below(10) == 0 { Cell::Int(2) } else { Cell::Null };
        resources.push(vec![
            Cell::Int(id),
            Cell::Text("musician".into()),
            Cell::Text(format!("musico-{id}")),
            Cell::Text(format!("Músico {id:05}")),
            Cell::Text(zone_name.into()),
            Cell::Int(capacity),
            Cell::Int(buffer),
            Cell::Int([0, 60, 1440][rng.below(3) as usize]),
            Cell::Int(365),
            max_per_day,
            Cell::Text(format!(r#"{{"city": "Ciudad {}", "genres": ["jazz"]}}"#, id % 40)),
            Cell::Int(0),
        ]);
        hours.extend(weekly(rng.below(7)).into_iter().map(|(d, o, c)| vec![Cell::Int(id), Cell::Int(d), Cell::Int(o), Cell::Int(c)]));
        match rng.below(20) {
            0 => exceptions.push(vec![Cell::Int(id), Cell::Text(day.to_string()), Cell::Null, Cell::Null]),
            1 => exceptions.push(vec![Cell::Int(id), Cell::Text(day.to_string()), Cell::Int(900), Cell::Int(1200)]),
            _ => {}
        }
        for minutes in [[60, 0], [120, 0], [30, 180]][rng.below(3) as usize].iter().filter(|m| **m > 0) {
            services.push(vec![Cell::Int(id), Cell::Text(format!("{minutes} minutos")), Cell::Int(*minutes), Cell::Int(150_000), Cell::Text("MXN".into())]);
        }
        let at = |date: NaiveDate, minute: u64| local_to_utc(date.and_time(NaiveTime::from_hms_opt((minute / 60) as u32, (minute % 60) as u32, 0).unwrap()), zone);
        if rng.below(100) == 0 {
            let start = at(day, 720).unwrap().timestamp();
            blackouts.push(vec![Cell::Int(id), Cell::Int(start - 7200), Cell::Int(start + 7200)]);
        }
        // One booking a day: past ones in May, upcoming ones around the query date.
        for (offset, status) in [(-20, "completed"), (-13, "completed"), (-6, "no_show"), (0, ""), (1, ""), (2, ""), (3, ""), (5, "")] {
            let date = day + Duration::days(offset);
            let Some(start) = at(date, 540 + rng.below(24) * 30) else { continue };
            let length = 60 * [60, 90, 120, 180][rng.below(4) as usize];
            let status = if !status.is_empty() { status } else { ["confirmed", "confirmed", "pending", "confirmed", "cancelled"][rng.below(5) as usize] };
            let (start, end) = (start.timestamp(), start.timestamp() + length);
            bookings.push(vec![
                Cell::Int(id),
                Cell::Text("Cliente".into()),
                Cell::Text("cliente@example.com".into()),
                Cell::Int(start),
                Cell::Int(end),
                Cell::Int(end + 60 * buffer),
                Cell::Text(status.into()),
                Cell::Int(i64::from(capacity == 1)),
                Cell::Int(0),
                Cell::Int(0),
            ]);
        }
    }
    let counts = Counts { bookings: bookings.len(), hours: hours.len(), exceptions: exceptions.len(), blackouts: blackouts.len() };
    let columns = [
        "id", "kind", "slug", "name", "timezone", "capacity", "buffer_minutes", "min_notice_minutes", "max_horizon_days", "max_per_day",
        "attributes", "created_at",
    ];
    insert(db, "resources", &columns, resources).await;
    insert(db, "weekly_hours", &["resource_id", "weekday", "opens_minute", "closes_minute"], hours).await;
    insert(db, "date_exceptions", &["resource_id", "day", "opens_minute", "closes_minute"], exceptions).await;
    insert(db, "blackouts", &["resource_id", "starts_at", "ends_at"], blackouts).await;
    insert(db, "services", &["resource_id", "name", "duration_minutes", "price_minor", "currency"], services).await;
    let columns = [
        "resource_id", "guest_name", "guest_email", "starts_at", "ends_at", "blocked_until", "status", "exclusive", "created_at", "updated_at",
    ];
    insert(db, "bookings", &columns, bookings).await;
    if db.engine() == Engine::Postgres {
        sqlx::query("ANALYZE").execute(db.pool()).await.expect("analyze");
    }
    counts
}

struct Timing {
    what: &'static str,
    matched: i64,
    median_ms: f64,
    p99_ms: f64,
}

async fn time_search(db: &Db, what: &'static str, time: &str, minutes: Option<i64>) -> Timing {
    let at = FreeAt { date: query_date(), time: NaiveTime::parse_from_str(time, "%H:%M").unwrap(), minutes };
    let filter = Filter { kind: "musician".into(), free_at: Some(at), ..Filter::default() };
    let search = || directory::search(db, &filter, 1, 12, now());
    let first = search().await.expect("search");
    assert!(first.total > 0 && first.total < RESOURCES, "{what}: {} of {RESOURCES} matched", first.total);
    assert_eq!(first.entries.len(), 12);
    for _ in 0..5 {
        search().await.expect("warm-up");
    }
    let mut runs_ms = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let page = search().await.expect("search");
        runs_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(page.total, first.total);
    }
    runs_ms.sort_by(f64::total_cmp);
    let percentile = |p: f64| runs_ms[((runs_ms.len() as f64 * p).ceil() as usize).clamp(1, runs_ms.len()) - 1];
    Timing { what, matched: first.total, median_ms: percentile(0.5), p99_ms: percentile(0.99) }
}

/// A fresh database: a temp file, or a new PostgreSQL database with its drop.
async fn fresh(engine: Engine, dir: &tempfile::TempDir) -> (Db, Option<String>) {
    match engine {
        Engine::Sqlite => (Db::connect(&format!("sqlite://{}/bench.db", dir.path().display()), 4).await.expect("sqlite"), None),
        Engine::Postgres => {
            use sqlx::Connection;
            let name = format!("reservo_bench_search_{}", std::process::id());
            let mut admin = sqlx::PgConnection::connect(PG_ADMIN_URL).await.unwrap_or_else(|e| panic!("PostgreSQL at {PG_ADMIN_URL}: {e}"));
            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut admin).await.expect("drop old");
            sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await.expect("create database");
            let base = PG_ADMIN_URL.rsplit_once('/').unwrap().0;
            (Db::connect(&format!("{base}/{name}"), 4).await.expect("postgres"), Some(name))
        }
    }
}

async fn drop_database(name: &str) {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(PG_ADMIN_URL).await.expect("admin connection");
    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut admin).await.expect("drop database");
}

async fn bench(engine: Engine) -> (Counts, Vec<Timing>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, pg_name) = fresh(engine, &dir).await;
    db.migrate().await.expect("migrate");
    eprintln!("[search] {}: inserting {RESOURCES} resources", engine.name());
    let started = Instant::now();
    let counts = fill(&db).await;
    eprintln!("[search] {}: inserted in {:.1} s; timing {RUNS} runs per search", engine.name(), started.elapsed().as_secs_f64());
    let mut timings = Vec::new();
    for (what, time, minutes) in SEARCHES {
        timings.push(time_search(&db, what, time, minutes).await);
    }
    db.close().await;
    if let Some(name) = pg_name {
        drop_database(&name).await;
    }
    (counts, timings)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let results: Vec<(Engine, Counts, Vec<Timing>)> = [Engine::Sqlite, Engine::Postgres]
        .into_iter()
        .map(|engine| {
            let (counts, timings) = runtime.block_on(bench(engine));
            (engine, counts, timings)
        })
        .collect();
    let counts = &results[0].1;
    println!("## Search: free at a given time among 10,000 resources");
    println!();
    println!("`directory::search` with `free_at` (src/server/storage/directory.rs), first page of 12, as /musicos and");
    println!("GET /api/resources ask it: two queries decide notice, horizon, party size, bookings against capacity (with");
    println!("buffers), the daily limit, opening hours, exceptions and blackouts for all candidates at once; a third");
    println!("loads the 12 shown. {RESOURCES} musicians in {} zones, {} weekly-hour rows, {} date exceptions, {} blackouts,", ZONES.len(), counts.hours, counts.exceptions, counts.blackouts);
    println!("{} bookings (a fifth no longer active), bulk-inserted from a fixed-seed generator. The date is {} (no clock", counts.bookings, query_date());
    println!("change); each resource reads the time in its own zone. Median and 99th percentile of {RUNS} runs after 5 warm-up runs.");
    println!("See benches/search.rs.");
    println!();
    println!("- Date: {}", Utc::now().format("%Y-%m-%d %H:%M UTC"));
    println!("- Command: `cargo bench --features ssr --bench search`");
    println!();
    println!("| engine | search | matched | median | p99 | goal: median < {GOAL_MS} ms | met |");
    println!("|---|---|---|---|---|---|---|");
    for (engine, _, timings) in &results {
        for t in timings {
            let met = if t.median_ms < GOAL_MS { "yes" } else { "no" };
            let engine = if *engine == Engine::Sqlite { "SQLite" } else { "PostgreSQL" };
            println!("| {engine} | {} | {} of {RESOURCES} | {:.2} ms | {:.2} ms | < {GOAL_MS} ms | {met} |", t.what, t.matched, t.median_ms, t.p99_ms);
        }
    }
    println!();
}
