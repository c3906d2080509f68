//! Faults the server must come through, driven against the built binary
//! (`reservo serve`) over real HTTP: killed with SIGKILL under booking load
//! (both engines), its PostgreSQL stopped and started again under load, and
//! the SMTP server down and then back.
#![cfg(feature = "ssr")]

mod common;
use chrono::{Days, Utc};
use common::smtp::SmtpSink;
use common::{fresh_db, on_both_engines};
use reqwest::{Client, Method, StatusCode};
use reservo::server::storage::Engine;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;
const ADMIN: &str = "admin@reservo.test";

/// `reservo serve` in demo mode on a free loopback port, without rate
/// limits; killed when dropped.
struct Server {
    child: Child,
    base: String,
    output: Arc<Mutex<Vec<String>>>,
}

impl Server {
    async fn start(database_url: &str, settings: &[(&str, String)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_reservo"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("DATABASE_URL", database_url)
            .env("RESERVO_CONFIG", "/nonexistent/reservo.toml")
            .env("RESERVO_MODE", "demo")
            .env_remove("LEPTOS_SITE_ADDR")
            .env("RESERVO_LIMITS__ENABLED", "false")
            .envs(settings.iter().map(|(name, value)| (*name, value.as_str())))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start reservo serve");
        let output = Arc::new(Mutex::new(Vec::new()));
        let (serving, serving_rx) = tokio::sync::oneshot::channel();
        tokio::spawn(keep_lines(child.stdout.take().unwrap(), output.clone(), Some(serving)));
        tokio::spawn(keep_lines(child.stderr.take().unwrap(), output.clone(), None));
        let started = tokio::time::timeout(Duration::from_secs(90), serving_rx).await;
        let mut server = Server { child, base: String::new(), output };
        match started {
            Ok(Ok(base)) => server.base = base,
            _ => panic!("the server did not start:\n{}", server.output_tail()),
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGKILL: no shutdown handler runs, nothing is flushed.
    async fn kill(&mut self) {
        self.child.start_kill().expect("kill -9 the server");
        self.child.wait().await.expect("the killed server is reaped");
    }

    /// The last lines it printed, for failure messages.
    fn output_tail(&self) -> String {
        let lines = self.output.lock().unwrap();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

/// Keeps every line `stream` prints (so the server never blocks on a full
/// pipe) and hands the base URL of its "serving on" line to `serving`.
async fn keep_lines(stream: impl AsyncRead + Unpin, output: Arc<Mutex<Vec<String>>>, mut serving: Option<tokio::sync::oneshot::Sender<String>>) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.contains("serving on") {
            let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_default();
            if let Some(serving) = serving.take() {
                let _ = serving.send(url.to_string());
            }
        }
        output.lock().unwrap().push(line);
    }
}

/// A client whose every request is answered or fails within `seconds`.
fn http(seconds: u64) -> Client {
    Client::builder().timeout(Duration::from_secs(seconds)).build().unwrap()
}

async fn send(client: &Client, token: Option<&str>, method: Method, url: String, body: Option<Value>) -> Result<(StatusCode, Value), reqwest::Error> {
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await?;
    let status = response.status();
    let text = response.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::String(text))))
}

async fn token(server: &Server, email: &str) -> String {
    let credentials = json!({"email": email, "password": reservo::server::storage::seed::DEMO_PASSWORD});
    let reply = send(&http(20), None, Method::POST, server.url("/api/auth/token"), Some(credentials)).await.expect("token");
    assert_eq!(reply.0, 201, "{}", reply.1);
    reply.1["access_token"].as_str().unwrap().to_string()
}

async fn create_room(server: &Server, token: &str) -> i64 {
    let reply = send(&http(20), Some(token), Method::POST, server.url("/api/rooms"), Some(json!({"description": "Habitación de prueba"}))).await.unwrap();
    assert_eq!(reply.0, 201, "{}", reply.1);
    reply.1["id"].as_i64().unwrap()
}

/// One night in `room`, `days` from today (local time in Mexico City).
fn night(room: i64, days: i64, guest_email: &str) -> Value {
    let day = |d: i64| Utc::now().with_timezone(&ZONE).date_naive() + Days::new(d as u64);
    json!({
        "room_id": room, "check_in": format!("{}T14:00:00", day(days)), "check_out": format!("{}T12:00:00", day(days + 1)),
        "guest_name": "Huésped", "guest_email": guest_email,
    })
}

/// A booking as the API shows it: id, room, local check-in and check-out.
type Stay = (i64, i64, String, String);

fn stay(booking: &Value) -> Stay {
    let text = |field: &str| booking[field].as_str().unwrap_or_default().to_string();
    (booking["id"].as_i64().unwrap(), booking["room_id"].as_i64().unwrap(), text("check_in"), text("check_out"))
}

/// What came of one booking request.
#[derive(Debug)]
enum Outcome {
    Created(Stay),
    Refused(StatusCode, Value),
    /// No connection: the server was already gone, it never saw the request.
    NotSent,
    /// Sent, but no answer came: in flight when the server died.
    InFlight,
}

/// Where a booking request asked for: its room and local check-in (to the minute).
fn place(room: i64, check_in: &str) -> (i64, String) {
    (room, check_in.chars().take(16).collect())
}

on_both_engines!(a_killed_server_keeps_every_booking_it_confirmed_and_no_other);

/// Clients book distinct nights concurrently; once some have their 201 the
/// server is killed with SIGKILL and started again on the same database.
async fn a_killed_server_keeps_every_booking_it_confirmed_and_no_other(engine: Engine) {
    const CLIENTS: usize = 8;
    const CREATED_BEFORE_KILL: usize = 40;
    let test_db = fresh_db(engine).await;
    let mut server = Server::start(&test_db.url, &[]).await;
    let token = token(&server, ADMIN).await;
    let mut rooms = Vec::new();
    for _ in 0..CLIENTS {
        rooms.push(create_room(&server, &token).await);
    }
    let created = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = rooms
        .iter()
        .map(|&room| tokio::spawn(book_nights_until_gone(http(30), server.url("/api/bookings"), token.clone(), room, created.clone())))
        .collect();
    let waited = tokio::time::timeout(Duration::from_secs(120), async {
        while created.load(Ordering::SeqCst) < CREATED_BEFORE_KILL {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    assert!(waited.await.is_ok(), "{} bookings in two minutes:\n{}", created.load(Ordering::SeqCst), server.output_tail());
    server.kill().await;
    let mut outcomes = Vec::new();
    for client in clients {
        outcomes.extend(client.await.unwrap());
    }

    let server = Server::start(&test_db.url, &[]).await;
    let mut stored = Vec::new();
    for room in &rooms {
        let url = server.url(&format!("/api/bookings?room_id={room}&limit=1000"));
        let (status, list) = send(&http(20), Some(&token), Method::GET, url, None).await.unwrap();
        assert_eq!(status, 200, "{list}");
        stored.extend(list.as_array().unwrap().iter().map(stay));
    }
    check_outcomes(&outcomes, &stored);
}

/// Books one night after another in `room` until the server stops
/// answering; every request and what came of it.
async fn book_nights_until_gone(client: Client, url: String, token: String, room: i64, created: Arc<AtomicUsize>) -> Vec<((i64, String), Outcome)> {
    let mut outcomes = Vec::new();
    for days in 2..300 {
        let body = night(room, days, "huesped@example.com");
        let asked = place(room, body["check_in"].as_str().unwrap());
        let outcome = match send(&client, Some(&token), Method::POST, url.clone(), Some(body)).await {
            Ok((StatusCode::CREATED, booking)) => {
                created.fetch_add(1, Ordering::SeqCst);
                Outcome::Created(stay(&booking))
            }
            Ok((status, body)) => Outcome::Refused(status, body),
            Err(e) if e.is_connect() => Outcome::NotSent,
            Err(_) => Outcome::InFlight,
        };
        let gone = matches!(outcome, Outcome::NotSent | Outcome::InFlight);
        outcomes.push((asked, outcome));
        if gone {
            break;
        }
    }
    outcomes
}

/// Every 201 is stored as it was answered; anything else stored was asked
/// for by a request that was in flight at the kill.
fn check_outcomes(outcomes: &[((i64, String), Outcome)], stored: &[Stay]) {
    let by_id: HashMap<i64, &Stay> = stored.iter().map(|s| (s.0, s)).collect();
    let mut confirmed = HashSet::new();
    for (_, outcome) in outcomes {
        match outcome {
            Outcome::Created(answered) => {
                assert_eq!(by_id.get(&answered.0).copied(), Some(answered), "booking {} was answered 201 but is not stored so", answered.0);
                confirmed.insert(answered.0);
            }
            Outcome::Refused(status, body) => panic!("a booking request was refused before the kill: {status} {body}"),
            Outcome::NotSent | Outcome::InFlight => {}
        }
    }
    let asked: HashMap<&(i64, String), &Outcome> = outcomes.iter().map(|(place, outcome)| (place, outcome)).collect();
    let in_flight = outcomes.iter().filter(|(_, o)| matches!(o, Outcome::InFlight)).count();
    let unconfirmed: Vec<&Stay> = stored.iter().filter(|s| !confirmed.contains(&s.0)).collect();
    for booking in &unconfirmed {
        let outcome = asked.get(&place(booking.1, &booking.2));
        assert!(matches!(outcome, Some(Outcome::InFlight)), "booking {booking:?} is stored but its request got {outcome:?}");
    }
    assert!(unconfirmed.len() <= in_flight);
    eprintln!("{} bookings answered 201 and stored; {in_flight} in flight at the kill, {} of them stored", confirmed.len(), unconfirmed.len());
}

/// A PostgreSQL cluster of this test's own (initdb in a temp dir, a free
/// port, its socket in that dir), so stopping it disturbs no other test.
/// Stopped and deleted when dropped, also when the test fails.
struct PrivateCluster {
    dir: tempfile::TempDir,
    port: u16,
}

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

impl PrivateCluster {
    async fn create() -> PrivateCluster {
        let dir = tempfile::tempdir().expect("temp dir");
        run(std::process::Command::new("chown").arg("postgres:postgres").arg(dir.path()));
        let cluster = PrivateCluster { dir, port: free_port() };
        let data = cluster.data();
        as_postgres("initdb", &["-D", &data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]).await;
        cluster.start().await;
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the cluster and waits until it accepts connections.
    async fn start(&self) {
        let log = self.dir.path().join("postgres.log").display().to_string();
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, self.dir.path().display());
        as_postgres("pg_ctl", &["start", "-w", "-D", &self.data(), "-l", &log, "-o", &options]).await;
    }

    /// Stops at once, as a crash would: open connections are cut.
    async fn stop_immediately(&self) {
        as_postgres("pg_ctl", &["stop", "-w", "-m", "immediate", "-D", &self.data()]).await;
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = postgres_command("pg_ctl", &["stop", "-m", "immediate", "-D", &self.data()]).output();
    }
}

fn postgres_command(tool: &str, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new("runuser");
    command.args(["-u", "postgres", "--"]).arg(Path::new(PG_BIN).join(tool)).args(args);
    command
}

/// Runs a PostgreSQL tool as the postgres user, off the async workers.
async fn as_postgres(tool: &str, args: &[&str]) {
    let mut command = postgres_command(tool, args);
    tokio::task::spawn_blocking(move || run(&mut command)).await.unwrap();
}

fn run(command: &mut std::process::Command) {
    let output = command.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(output.status.success(), "{command:?}: {}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A kind of request the load keeps sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    ApiRead,
    ApiWrite,
    Page,
    Health,
}

/// One request of the load: when it was sent, how long it took, its status
/// (None: no answer) and its body.
#[derive(Debug, Clone)]
struct Sample {
    probe: Probe,
    sent: Instant,
    took: Duration,
    status: Option<u16>,
    body: String,
}

/// Requests of every kind, one after another per kind, until stopped.
struct Load {
    samples: Arc<Mutex<Vec<Sample>>>,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

/// A request that takes longer than this is hung (the pool gives up waiting
/// for a connection after 4 s).
const ANSWER_WITHIN: Duration = Duration::from_secs(10);

impl Load {
    fn start(server: &Server, token: &str, room: i64) -> Load {
        let (samples, stop) = (Arc::new(Mutex::new(Vec::new())), Arc::new(AtomicBool::new(false)));
        let tasks = [Probe::ApiRead, Probe::ApiWrite, Probe::Page, Probe::Health]
            .into_iter()
            .map(|probe| {
                let (base, token, samples, stop) = (server.base.clone(), token.to_string(), samples.clone(), stop.clone());
                tokio::spawn(async move {
                    let client = Client::builder().timeout(ANSWER_WITHIN).build().unwrap();
                    for n in 0.. {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let sample = probe.send(&client, &base, &token, room, n).await;
                        samples.lock().unwrap().push(sample);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                })
            })
            .collect();
        Load { samples, stop, tasks }
    }

    fn samples(&self) -> Vec<Sample> {
        self.samples.lock().unwrap().clone()
    }

    /// Waits until, for every kind, a request sent after `since` got a status
    /// that `answered` accepts; panics after `within`.
    async fn wait_for_all(&self, since: Instant, within: Duration, answered: impl Fn(u16) -> bool, what: &str) {
        let deadline = since + within;
        loop {
            let samples = self.samples();
            let missing: Vec<Probe> = [Probe::ApiRead, Probe::ApiWrite, Probe::Page, Probe::Health]
                .into_iter()
                .filter(|p| !samples.iter().any(|s| s.probe == *p && s.sent >= since && s.status.is_some_and(&answered)))
                .collect();
            if missing.is_empty() {
                return;
            }
            assert!(Instant::now() < deadline, "no {what} within {within:?} for {missing:?}; last samples: {:#?}", &samples[samples.len().saturating_sub(8)..]);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn finish(self) -> Vec<Sample> {
        self.stop.store(true, Ordering::SeqCst);
        for task in self.tasks {
            task.await.unwrap();
        }
        self.samples.lock().unwrap().clone()
    }
}

impl Probe {
    async fn send(self, client: &Client, base: &str, token: &str, room: i64, n: i64) -> Sample {
        let request = match self {
            Probe::ApiRead => client.get(format!("{base}/api/bookings?room_id={room}")).bearer_auth(token),
            Probe::ApiWrite => client.post(format!("{base}/api/bookings")).bearer_auth(token).json(&night(room, 2 + n, "huesped@example.com")),
            Probe::Page => client.get(format!("{base}/salones")).header("accept", "text/html"),
            Probe::Health => client.get(format!("{base}/healthz")),
        };
        let sent = Instant::now();
        let reply = async {
            let response = request.send().await?;
            let status = response.status().as_u16();
            Ok::<_, reqwest::Error>((status, response.text().await?))
        }
        .await;
        let (status, body) = match reply {
            // Enough to read an API error; a whole page would flood failure messages.
            Ok((status, body)) => (Some(status), body.chars().take(600).collect()),
            Err(e) => (None, e.to_string()),
        };
        Sample { probe: self, sent, took: sent.elapsed(), status, body }
    }
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Every request was answered in time, with success or 503; a 503 from the
/// API carries the JSON error `unavailable`.
fn check_answers(samples: &[Sample]) {
    for sample in samples {
        let status = sample.status.unwrap_or_else(|| panic!("no answer: {sample:?}"));
        assert!(sample.took <= ANSWER_WITHIN, "too slow: {sample:?}");
        assert!(is_success(status) || status == 503, "neither success nor 503: {sample:?}");
        let from_api = matches!(sample.probe, Probe::ApiRead | Probe::ApiWrite);
        if status == 503 && from_api {
            let body: Value = serde_json::from_str(&sample.body).unwrap_or_default();
            assert_eq!(body["error"], "unavailable", "{sample:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_under_load_gives_503_and_the_server_recovers_when_it_is_back() {
    let cluster = PrivateCluster::create().await;
    let server = Server::start(&cluster.url(), &[]).await;
    let token = token(&server, ADMIN).await;
    let room = create_room(&server, &token).await;
    let load = Load::start(&server, &token, room);
    load.wait_for_all(Instant::now(), Duration::from_secs(30), is_success, "success").await;

    let stopping = Instant::now();
    cluster.stop_immediately().await;
    let stopped = Instant::now();
    load.wait_for_all(stopping, Duration::from_secs(10), |s| s == 503, "503").await;
    // Down for a while: nothing else than 503 comes back.
    tokio::time::sleep(Duration::from_secs(3)).await;

    let restarting = Instant::now();
    cluster.start().await;
    load.wait_for_all(restarting, Duration::from_secs(20), is_success, "success again").await;
    let samples = load.finish().await;
    check_answers(&samples);
    // (A request sent while it was down may succeed once it is back: it
    // waits up to 4 s for a connection.)
    let succeeded_while_down = samples
        .iter()
        .filter(|s| s.sent > stopped && s.sent + s.took < restarting && s.status.is_some_and(is_success))
        .collect::<Vec<_>>();
    assert!(succeeded_while_down.is_empty(), "{succeeded_while_down:?}");
}

/// Counts of `reservo_outbox_messages` by status, from /metrics.
async fn outbox_metrics(server: &Server) -> HashMap<String, f64> {
    let text = http(20).get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines()
        .filter_map(|line| line.strip_prefix("reservo_outbox_messages{status=\""))
        .filter_map(|rest| rest.split_once("\"} "))
        .map(|(status, value)| (status.to_string(), value.parse().unwrap()))
        .collect()
}

/// (recipient, status, attempts) of every message in the outbox.
async fn outbox(db: &reservo::server::storage::Db) -> Vec<(String, String, i64)> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT recipient, status, attempts FROM outbox_messages ORDER BY id").fetch_all(db.pool()).await.unwrap();
    rows.iter().map(|r| (r.get("recipient"), r.get("status"), r.get("attempts"))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_written_while_smtp_is_down_is_delivered_once_when_it_is_back() {
    const BOOKINGS: i64 = 6;
    let test_db = fresh_db(Engine::Sqlite).await;
    let smtp_port = free_port();
    let mail = [
        ("RESERVO_MAIL__SMTP_HOST", "127.0.0.1".to_string()),
        ("RESERVO_MAIL__SMTP_PORT", smtp_port.to_string()),
        ("RESERVO_MAIL__SMTP_SECURITY", "none".to_string()),
        ("RESERVO_NOTIFICATIONS__POLL_SECONDS", "1".to_string()),
        ("RESERVO_NOTIFICATIONS__RETRY_BASE_SECONDS", "1".to_string()),
        ("RESERVO_NOTIFICATIONS__MAX_ATTEMPTS", "1000".to_string()),
    ];
    let server = Server::start(&test_db.url, &mail).await;
    let token = token(&server, ADMIN).await;
    let room = create_room(&server, &token).await;
    let guests: Vec<String> = (0..BOOKINGS).map(|i| format!("guest{i}@example.com")).collect();
    for (i, guest) in guests.iter().enumerate() {
        // Three days ahead at least, so no reminder falls due during the test.
        let body = night(room, 3 + i as i64, guest);
        let (status, booking) = send(&http(20), Some(&token), Method::POST, server.url("/api/bookings"), Some(body)).await.unwrap();
        assert_eq!(status, 201, "{booking}");
    }

    // Every message was tried and is still pending.
    let tried = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let messages = outbox(&test_db.db).await;
            if !messages.is_empty() && messages.iter().all(|(_, status, attempts)| status == "pending" && *attempts >= 2) {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    let written = tried.await.unwrap_or_else(|_| panic!("messages not retried while SMTP is down: {:?}", server.output_tail()));
    assert!(written.len() as i64 >= BOOKINGS, "{written:?}");
    let metrics = outbox_metrics(&server).await;
    assert_eq!(metrics.get("pending"), Some(&(written.len() as f64)), "{metrics:?}");
    assert_eq!(metrics.get("sent"), Some(&0.0), "{metrics:?}");

    let sink = SmtpSink::start_on(smtp_port).await;
    sink.wait_for(written.len(), Duration::from_secs(30)).await;
    // A few more rounds of the worker: nothing is sent twice.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut received: Vec<String> = sink.messages().iter().flat_map(|m| m.to.clone()).collect();
    let mut expected: Vec<String> = written.iter().map(|(recipient, _, _)| recipient.clone()).collect();
    received.sort();
    expected.sort();
    assert_eq!(received, expected, "each message exactly once");
    for guest in &guests {
        assert_eq!(received.iter().filter(|r| *r == guest).count(), 1, "{guest} got their confirmation once");
    }
    assert!(outbox(&test_db.db).await.iter().all(|(_, status, _)| status == "sent"));
    assert_eq!(outbox_metrics(&server).await.get("sent"), Some(&(written.len() as f64)));
}

/// A request whose body is still coming in: the headers promise `length`
/// bytes and only the first part is sent. The token route reads the whole
/// body before it answers.
async fn start_upload(server: &Server, length: usize) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let address = server.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.expect("connect");
    let head = format!(
        "POST /api/auth/token HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{{"
    );
    stream.write_all(head.as_bytes()).await.expect("send the head");
    stream
}

/// Sends the rest of the body and reads the answer's status line.
async fn finish_upload(mut stream: tokio::net::TcpStream, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = format!("{:<width$}}}", "", width = length - 2);
    stream.write_all(rest.as_bytes()).await.expect("send the rest");
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    while !answer.windows(2).any(|w| w == b"\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
        }
    }
    String::from_utf8_lossy(&answer).lines().next().unwrap_or_default().to_string()
}

fn send_sigterm(server: &Server) {
    let pid = server.child.id().expect("the server is running").to_string();
    run(std::process::Command::new("kill").args(["-TERM", &pid]));
}

/// SIGTERM lets a request in flight finish, and a request that never
/// finishes does not keep the server from stopping: it exits, cleanly, once
/// the 10 s grace is over.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_lets_requests_in_flight_finish_and_waits_at_most_ten_seconds() {
    let t = fresh_db(Engine::Sqlite).await;
    let mut server = Server::start(&t.url, &[]).await;
    let finishing = start_upload(&server, 64).await;
    let _never_finished = start_upload(&server, 64).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let stop_sent = Instant::now();
    send_sigterm(&server);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status_line = finish_upload(finishing, 64).await;
    // `{}` has no credentials: refused, but only once the whole body was read.
    assert!(status_line.starts_with("HTTP/1.1 4"), "the request in flight got its answer, got {status_line:?}");

    let exit = tokio::time::timeout(Duration::from_secs(30), server.child.wait()).await;
    let waited = stop_sent.elapsed();
    let exit = exit.unwrap_or_else(|_| panic!("still running 30 s after SIGTERM:\n{}", server.output_tail())).expect("exit status");
    assert!(exit.success(), "{exit:?}\n{}", server.output_tail());
    assert!(waited >= Duration::from_secs(9), "stopped after {waited:?}, before the grace was over");
    assert!(waited < Duration::from_secs(20), "stopped only after {waited:?}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(server.output_tail().contains("requests still open after the stop signal were cut off"), "{}", server.output_tail());
}
