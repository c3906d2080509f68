//! GET /metrics over real HTTP, on both engines: the Prometheus text format,
//! request counters and latencies, database gauges, and who may read them.
#![cfg(feature = "ssr")]

mod common;
use chrono::{Duration, Utc};
use common::{on_both_engines, spawn_app_with, TestApp};
use reqwest::StatusCode;
use reservo::server::storage::bookings::{self, Filter};
use reservo::server::storage::{outbox, Engine};
use serde_json::{json, Value};
use std::collections::BTreeMap;

on_both_engines!(requests_bookings_and_the_outbox_are_reported, a_metrics_token_is_required_when_set, without_a_token_only_loopback_clients_are_served);

/// One parsed sample line: `name{labels}` → value.
type Samples = BTreeMap<String, f64>;

/// Parses the text format strictly enough to catch a malformed line: every
/// line is a comment (`# HELP name ...` / `# TYPE name kind`) or
/// `name[{label="value",...}] value` with a float value.
fn parse(text: &str) -> Samples {
    let mut samples = Samples::new();
    let mut typed = Vec::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut words = comment.splitn(3, ' ');
            let (keyword, name, rest) = (words.next().unwrap(), words.next().unwrap(), words.next().unwrap_or(""));
            assert!(valid_name(name), "bad metric name in {line:?}");
            match keyword {
                "HELP" => assert!(!rest.is_empty(), "empty help: {line:?}"),
                "TYPE" => {
                    assert!(["counter", "gauge", "histogram", "summary", "untyped"].contains(&rest), "bad type: {line:?}");
                    assert!(!typed.contains(&name.to_string()), "TYPE twice for {name}");
                    typed.push(name.to_string());
                }
                _ => panic!("unknown comment {line:?}"),
            }
            continue;
        }
        assert!(!line.is_empty(), "blank line in:\n{text}");
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line:?}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            other => other.parse().unwrap_or_else(|_| panic!("value is not a float: {line:?}")),
        };
        let name = series.split('{').next().unwrap();
        assert!(valid_name(name), "bad metric name in {line:?}");
        if let Some(labels) = series.strip_prefix(name).filter(|l| !l.is_empty()) {
            let labels = labels.strip_prefix('{').and_then(|l| l.strip_suffix('}')).unwrap_or_else(|| panic!("bad labels: {line:?}"));
            for pair in labels.split("\",").map(|p| p.trim_end_matches('"')) {
                let (label, value) = pair.split_once("=\"").unwrap_or_else(|| panic!("bad label {pair:?} in {line:?}"));
                assert!(valid_name(label), "bad label name in {line:?}");
                assert!(!value.contains('\n'), "{line:?}");
            }
        }
        let family = ["_bucket", "_sum", "_count"].iter().find_map(|s| name.strip_suffix(s)).filter(|f| typed.iter().any(|t| t == f));
        assert!(typed.iter().any(|t| t == name) || family.is_some(), "sample before its TYPE: {line:?}");
        assert!(samples.insert(series.to_string(), value).is_none(), "series twice: {series}");
    }
    samples
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("scrape")
}

async fn samples(app: &TestApp) -> Samples {
    let response = scrape(app, None).await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    parse(&response.text().await.unwrap())
}

async fn requests_bookings_and_the_outbox_are_reported(engine: Engine) {
    // Messages stay pending, so the outbox has something to report.
    let app = spawn_app_with(engine, |c| c.notifications.deliver = false).await;
    let http = reqwest::Client::new();
    assert_eq!(http.get(app.url("/")).send().await.unwrap().status(), 200);
    assert_eq!(http.get(app.url("/api/no-such-thing")).send().await.unwrap().status(), 404);
    let before = samples(&app).await;
    assert_eq!(before["reservo_up"], 1.0);
    assert_eq!(before["reservo_database_up"], 1.0);
    assert!(before["reservo_http_requests_total{method=\"GET\",status=\"2xx\"}"] >= 1.0, "{before:?}");
    assert!(before["reservo_http_requests_total{method=\"GET\",status=\"4xx\"}"] >= 1.0, "{before:?}");
    let buckets = |s: &Samples, route: &str, le: &str| s[&format!("reservo_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}}")];
    assert_eq!(buckets(&before, "page", "+Inf"), before["reservo_http_request_duration_seconds_count{route=\"page\"}"]);
    assert!(buckets(&before, "api", "+Inf") >= 1.0, "{before:?}");
    assert!(before["reservo_http_request_duration_seconds_sum{route=\"page\"}"] > 0.0);
    let mut previous = 0.0;
    for le in ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"] {
        let n = buckets(&before, "page", le);
        assert!(n >= previous, "buckets are cumulative: {before:?}");
        previous = n;
    }
    for status in ["pending", "sent", "failed", "kept"] {
        assert!(before.contains_key(&format!("reservo_outbox_messages{{status=\"{status}\"}}")), "{before:?}");
    }
    assert!(before["reservo_outbox_oldest_pending_seconds"] >= 0.0);

    // A booking made through the API shows among the confirmed ones.
    let (status, token) = call(&app, None, "GET", "/api/get-test-token", None).await;
    assert_eq!(status, 200, "{token}");
    let token = token["access_token"].as_str().unwrap().to_string();
    let (status, room) = call(&app, Some(&token), "POST", "/api/rooms/", Some(json!({"descripcion": "Para métricas"}))).await;
    assert_eq!(status, 201, "{room}");
    let day = |days: i64| (Utc::now().with_timezone(&chrono_tz::America::Mexico_City).date_naive() + Duration::days(days)).to_string();
    let body = json!({
        "room_id": room["id"], "user_id": 1, "check_in": format!("{}T14:00:00", day(1)), "check_out": format!("{}T12:00:00", day(2)),
        "guest_name": "Test User", "guest_email": "test@example.com",
    });
    let (status, booking) = call(&app, Some(&token), "POST", "/api/bookings", Some(body)).await;
    assert_eq!(status, 201, "{booking}");
    assert_eq!(booking["status"], "confirmed");

    let after = samples(&app).await;
    let confirmed = "reservo_bookings{status=\"confirmed\"}";
    assert_eq!(after[confirmed], before[confirmed] + 1.0, "{after:?}");
    for (status, n) in bookings::count_by_status(&app.db, &Filter::default()).await.unwrap() {
        assert_eq!(after[&format!("reservo_bookings{{status=\"{}\"}}", status.as_str())], n as f64);
    }
    for (status, n) in outbox::count_by_status(&app.db).await.unwrap() {
        assert_eq!(after[&format!("reservo_outbox_messages{{status=\"{}\"}}", status.as_str())], n as f64);
    }
    let pending = after["reservo_outbox_messages{status=\"pending\"}"];
    assert!(pending >= 1.0, "the booking's notifications wait in the outbox: {after:?}");
    let oldest = outbox::oldest_due_pending(&app.db, Utc::now()).await.unwrap();
    assert!(oldest.is_some(), "a confirmation is due at once");
    assert!(outbox::oldest_due_pending(&app.db, Utc::now() - Duration::days(3650)).await.unwrap().is_none());
    assert!(after["reservo_http_requests_total{method=\"POST\",status=\"2xx\"}"] >= 2.0, "{after:?}");
    assert!(
        after["reservo_http_requests_total{method=\"GET\",status=\"2xx\"}"] > before["reservo_http_requests_total{method=\"GET\",status=\"2xx\"}"],
        "the first scrape counts"
    );
}

async fn call(app: &TestApp, token: Option<&str>, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().request(method.parse().unwrap(), app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn a_metrics_token_is_required_when_set(engine: Engine) {
    let secret = "scrape-me-0123456789";
    let app = spawn_app_with(engine, |c| c.server.metrics_token = secret.into()).await;
    let refused = scrape(&app, None).await;
    assert_eq!(refused.status(), 401);
    assert!(refused.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    assert!(!refused.text().await.unwrap().contains("reservo_up"));
    assert_eq!(scrape(&app, Some("wrong")).await.status(), 401);
    let basic = reqwest::Client::new().get(app.url("/metrics")).basic_auth("x", Some(secret)).send().await.unwrap();
    assert_eq!(basic.status(), 401, "only a bearer token");
    let served = scrape(&app, Some(secret)).await;
    assert_eq!(served.status(), 200);
    assert!(parse(&served.text().await.unwrap()).contains_key("reservo_up"));
}

async fn without_a_token_only_loopback_clients_are_served(engine: Engine) {
    // Behind a trusted proxy the client is the forwarded address.
    let app = spawn_app_with(engine, |c| c.server.trust_proxy_headers = true).await;
    let from = |ip: &'static str| reqwest::Client::new().get(app.url("/metrics")).header("x-forwarded-for", ip).send();
    assert_eq!(from("203.0.113.5").await.unwrap().status(), 403);
    assert_eq!(from("::1").await.unwrap().status(), 200);
    assert_eq!(scrape(&app, None).await.status(), 200, "the direct loopback connection");
}
