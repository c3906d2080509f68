//! Shared test harness: a fresh database per test on either engine, and the
//! whole app served on a free loopback port.
#![allow(dead_code)]

pub mod api;
pub mod events;
pub mod smtp;

use reservo::server::config::{Config, LimitsConfig, Mode};
use reservo::server::state::AppState;
use reservo::server::storage::{seed, Db, Engine};
use std::sync::atomic::{AtomicU32, Ordering};

/// Runs an async test body once per engine, as two tests named `sqlite` and `postgres`.
#[allow(unused_macros)] // tests about PostgreSQL alone do not use it
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(reservo::server::storage::Engine::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(reservo::server::storage::Engine::Postgres).await
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use on_both_engines;

pub fn postgres_admin_url() -> String {
    std::env::var("RESERVO_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A migrated, empty database that is deleted when dropped.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _cleanup: Cleanup,
}

enum Cleanup {
    Folder(tempfile::TempDir),
    PostgresDatabase { admin_url: String, name: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::PostgresDatabase { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime; a separate thread with its
            // own runtime can block on the async driver.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                runtime.block_on(async {
                    use sqlx::Connection;
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub async fn fresh_db(engine: Engine) -> TestDb {
    let (url, cleanup) = match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/test.db", dir.path().display());
            (url, Cleanup::Folder(dir))
        }
        Engine::Postgres => {
            use sqlx::Connection;
            let admin_url = postgres_admin_url();
            let name = format!(
                "reservo_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                chrono::Utc::now().timestamp_micros()
            );
            let mut conn = sqlx::PgConnection::connect(&admin_url)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is needed for the tests: {e}"));
            sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut conn).await.expect("create database");
            let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin_url);
            (format!("{base}/{name}"), Cleanup::PostgresDatabase { admin_url, name })
        }
    };
    let db = Db::connect(&url, 8).await.expect("connect");
    db.migrate().await.expect("migrate");
    TestDb { db, url, _cleanup: cleanup }
}

/// The app with demo data, served on 127.0.0.1 at a free port.
pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub config: Config,
    _db: Option<TestDb>,
}

pub async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with(engine, |_| {}).await
}

pub async fn spawn_app_with(engine: Engine, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let test_db = fresh_db(engine).await;
    let mut config = Config::default();
    seed::seed_demo(&test_db.db, &config.kinds).await.expect("seed");
    config.database.url = test_db.url.clone();
    config.server.mode = Mode::Demo;
    config.server.addr = "127.0.0.1:0".into();
    config.limits = no_rate_limits();
    adjust(&mut config);
    let base = start_server(&test_db.db, &config).await;
    TestApp { base, db: test_db.db.clone(), config, _db: Some(test_db) }
}

/// The suite sends many requests from one address within seconds, more than
/// the default rate limits allow; tests/hardening.rs sets small ones.
pub fn no_rate_limits() -> LimitsConfig {
    LimitsConfig {
        enabled: true,
        api_per_account_per_minute: u32::MAX,
        api_per_address_per_minute: u32::MAX,
        logins_per_address_per_minute: u32::MAX,
        registrations_per_address_per_hour: u32::MAX,
        booking_requests_per_account_per_hour: u32::MAX,
    }
}

/// Serves the app on a free port over an existing database; returns its base URL.
pub async fn start_server(db: &Db, config: &Config) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(config.clone(), db.clone()).await.expect("app state");
    tokio::spawn(reservo::server::http::serve(state, listener));
    base
}

impl TestApp {
    /// Another instance on the same database, as after a restart.
    pub async fn another_instance(&self) -> TestApp {
        self.with_config(self.config.clone()).await
    }

    /// Another instance on the same database with a connection pool of its
    /// own, as a second server would have.
    pub async fn instance_with_own_pool(&self) -> TestApp {
        let db = Db::connect(&self.config.database.url, self.config.database.max_connections).await.expect("a second pool");
        let base = start_server(&db, &self.config).await;
        TestApp { base, db, config: self.config.clone(), _db: None }
    }

    /// Another instance on the same database with other settings.
    pub async fn with_config(&self, config: Config) -> TestApp {
        let base = start_server(&self.db, &config).await;
        TestApp { base, db: self.db.clone(), config, _db: None }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client that keeps cookies like a browser and does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            // A request that never answers fails the test instead of hanging CI.
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap()
    }

    pub async fn call(&self, client: &reqwest::Client, function: &str, form: &[(&str, &str)]) -> reqwest::Response {
        client.post(self.url(&format!("/fn/{function}"))).form(form).send().await.expect("request")
    }

    pub async fn login(&self, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
        self.call(client, "login", &[("email", email), ("password", password)]).await
    }

    pub async fn logged_in_client(&self, email: &str) -> reqwest::Client {
        let client = self.client();
        let response = self.login(&client, email, seed::DEMO_PASSWORD).await;
        assert_eq!(response.status(), 200, "login as {email}");
        client
    }
}

/// GETs a server-rendered page as a browser would. A render that does not
/// answer within the client's timeout is tried once more with a loud WARNING.
/// (Renders used to hang now and then under the parallel suite: each test's
/// app listed its routes again, which switches resource loading off
/// process-wide for a moment; `server::http::page_routes` now lists them once.
/// The retry stays as a tripwire: a WARNING in the output means a new hang.)
pub async fn get_page(client: &reqwest::Client, url: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let (status, _, body) = get_page_with_headers(client, url, headers).await;
    (status, body)
}

/// `get_page`, with the response's headers.
pub async fn get_page_with_headers(
    client: &reqwest::Client,
    url: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, String) {
    for attempt in 1..=2 {
        let mut request = client.get(url).header("accept", "text/html");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let result = async {
            let response = request.send().await?;
            let (status, headers) = (response.status().as_u16(), response.headers().clone());
            Ok::<_, reqwest::Error>((status, headers, response.text().await?))
        }
        .await;
        match result {
            Ok(page) => return page,
            Err(e) if e.is_timeout() && attempt == 1 => eprintln!("WARNING: GET {url} timed out ({e}); trying once more"),
            Err(e) => panic!("GET {url}: {e}"),
        }
    }
    unreachable!("the second attempt returns or panics")
}

/// A booking of `resource_id` from `start` for `length`, by `client_id` (or a
/// guest without an account), one person, no notes.
pub fn booking_request(
    resource_id: i64,
    client_id: Option<i64>,
    guest: &str,
    start: chrono::DateTime<chrono::Utc>,
    length: chrono::Duration,
) -> reservo::domain::booking::BookingRequest {
    reservo::domain::booking::BookingRequest {
        resource_id,
        service_id: None,
        client_id,
        guest_name: guest.into(),
        guest_email: "guest@example.com".into(),
        guest_phone: None,
        start,
        end: start + length,
        party_size: 1,
        notes: String::new(),
        details: serde_json::json!({}),
    }
}

/// A new account with the demo password; its id.
pub async fn create_account(db: &Db, name: &str, email: &str, role: reservo::domain::account::Role) -> i64 {
    let account = reservo::domain::account::NewAccount {
        name: name.into(),
        email: email.into(),
        phone: None,
        lang: reservo::domain::account::Lang::Es,
        role,
        password: seed::DEMO_PASSWORD.into(),
    };
    let hash = reservo::server::auth::password::hash(seed::DEMO_PASSWORD);
    reservo::server::storage::users::create(db, &account, &hash).await.expect("account created")
}

/// The first free local day and time of next month for a booking of
/// `duration` minutes of `slug` (a resource in America/Mexico_City), as the
/// profile's calendar asks for it.
pub async fn first_free_time(app: &TestApp, client: &reqwest::Client, slug: &str, duration: &str) -> (String, String) {
    let zone: chrono_tz::Tz = "America/Mexico_City".parse().unwrap();
    let next_month = chrono::Utc::now().with_timezone(&zone).date_naive() + chrono::Months::new(1);
    let month = next_month.format("%Y-%m").to_string();
    let response = app.call(client, "month-availability", &[("slug", slug), ("month", &month), ("duration", duration)]).await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["month"], month);
    let day = &body["days"][0];
    (day["date"].as_str().unwrap().to_string(), day["times"][0].as_str().unwrap().to_string())
}
