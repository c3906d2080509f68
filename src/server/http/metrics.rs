//! GET /metrics: counters and gauges for operators in the Prometheus text
//! format (version 0.0.4), written by hand — the format is a few lines of text.
//!
//! Request counts and latencies are kept in memory per instance (they start
//! from zero at every restart, which Prometheus' rate() expects); bookings and
//! outbox figures are read from the database at scrape time, so every instance
//! reports the same ones.
//!
//! Labels stay few and bounded: the method (unknown ones become "OTHER"), the
//! status class ("2xx") and a coarse route ("api", "fn", "page", ...), never
//! the raw path.

use crate::domain::booking::BookingStatus;
use crate::server::auth;
use crate::server::state::AppState;
use crate::server::storage::bookings::{self, Filter};
use crate::server::storage::outbox::{self, DeliveryStatus};
use crate::server::storage::StorageError;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds (seconds) of the latency histogram's buckets; +Inf follows.
pub const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// What the request middleware has recorded since start-up.
#[derive(Default)]
pub struct Metrics {
    recorded: Mutex<Recorded>,
}

#[derive(Default)]
struct Recorded {
    /// Requests by (method, status class).
    requests: BTreeMap<(&'static str, &'static str), u64>,
    /// Latencies by route.
    durations: BTreeMap<&'static str, Histogram>,
}

#[derive(Default, Clone)]
struct Histogram {
    /// Observations per bucket, not yet cumulative; the last is +Inf.
    buckets: [u64; BUCKETS.len() + 1],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        let index = BUCKETS.iter().position(|&bound| seconds <= bound).unwrap_or(BUCKETS.len());
        self.buckets[index] += 1;
        self.count += 1;
        self.sum += seconds;
    }
}

impl Metrics {
    pub fn record(&self, method: &Method, path: &str, status: StatusCode, elapsed: Duration) {
        let mut recorded = self.recorded.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *recorded.requests.entry((method_label(method), status_class(status))).or_default() += 1;
        recorded.durations.entry(route_label(path)).or_default().observe(elapsed.as_secs_f64());
    }

    fn encode(&self, out: &mut Encoder) {
        let (requests, durations) = {
            let recorded = self.recorded.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            (recorded.requests.clone(), recorded.durations.clone())
        };
        out.family("reservo_http_requests_total", "counter", "HTTP requests answered, by method and status class.");
        for ((method, status), n) in requests {
            out.sample("reservo_http_requests_total", &[("method", method), ("status", status)], n as f64);
        }
        let name = "reservo_http_request_duration_seconds";
        out.family(name, "histogram", "Time until the response headers were ready, by kind of route.");
        for (route, histogram) in durations {
            let mut cumulative = 0;
            for (index, n) in histogram.buckets.iter().enumerate() {
                cumulative += n;
                let le = BUCKETS.get(index).map_or_else(|| "+Inf".to_string(), |&bound| format_value(bound));
                out.sample(&format!("{name}_bucket"), &[("route", route), ("le", &le)], cumulative as f64);
            }
            out.sample(&format!("{name}_sum"), &[("route", route)], histogram.sum);
            out.sample(&format!("{name}_count"), &[("route", route)], histogram.count as f64);
        }
    }
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// A coarse, bounded name for where a request went.
fn route_label(path: &str) -> &'static str {
    let under = |prefix: &str| path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'));
    if under("/api") {
        "api"
    } else if under("/fn") {
        "fn"
    } else if under("/events") {
        "events"
    } else if path == "/healthz" || path == "/metrics" {
        "ops"
    } else if under("/pkg") || path.rsplit('/').next().is_some_and(|last| last.contains('.')) {
        "static"
    } else {
        "page"
    }
}

/// Middleware: counts every request and times it until the response is ready.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.record(&method, &path, response.status(), started.elapsed());
    response
}

/// GET /metrics.
pub async fn metrics(State(state): State<AppState>, parts: Parts) -> Response {
    if let Some(refused) = refusal(&state, &parts) {
        return refused;
    }
    let mut out = Encoder::default();
    out.family("reservo_up", "gauge", "1 while the app is serving.");
    out.sample("reservo_up", &[], 1.0);
    state.metrics.encode(&mut out);
    // The database figures come all together or not at all.
    let mut database = Encoder::default();
    let up = match database_gauges(&state, &mut database).await {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, "metrics: database figures unavailable");
            false
        }
    };
    out.family("reservo_database_up", "gauge", "1 when the database answered this scrape.");
    out.sample("reservo_database_up", &[], if up { 1.0 } else { 0.0 });
    if up {
        out.text.push_str(&database.text);
    }
    let mut response = (StatusCode::OK, out.text).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn database_gauges(state: &AppState, out: &mut Encoder) -> Result<(), StorageError> {
    let counts = bookings::count_by_status(&state.db, &Filter::default()).await?;
    out.family("reservo_bookings", "gauge", "Bookings by status.");
    for status in BookingStatus::ALL {
        let n = counts.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
        out.sample("reservo_bookings", &[("status", status.as_str())], n as f64);
    }

    let counts = outbox::count_by_status(&state.db).await?;
    out.family("reservo_outbox_messages", "gauge", "Notification messages by delivery status.");
    for status in [DeliveryStatus::Pending, DeliveryStatus::Sent, DeliveryStatus::Failed, DeliveryStatus::Kept] {
        let n = counts.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
        out.sample("reservo_outbox_messages", &[("status", status.as_str())], n as f64);
    }

    let now = crate::server::clock::now();
    let lag = outbox::oldest_due_pending(&state.db, now)
        .await?
        .map_or(0.0, |due| (now - due).num_milliseconds().max(0) as f64 / 1000.0);
    out.family(
        "reservo_outbox_oldest_pending_seconds",
        "gauge",
        "How long the oldest due, undelivered message has been waiting (0 when none): the delivery lag.",
    );
    out.sample("reservo_outbox_oldest_pending_seconds", &[], lag);
    Ok(())
}

/// With `server.metrics_token` set, the request must carry it as a bearer
/// token; without one, only loopback clients get the figures. None: served.
fn refusal(state: &AppState, parts: &Parts) -> Option<Response> {
    let token = &state.config.server.metrics_token;
    if token.is_empty() {
        let ip = auth::client_ip(parts, state.config.server.trust_proxy_headers);
        if ip.parse::<IpAddr>().is_ok_and(is_loopback) {
            return None;
        }
        tracing::warn!(client = %ip, "metrics refused: not a loopback client and no metrics_token set");
        return Some(
            (StatusCode::FORBIDDEN, "metrics are served to loopback clients only; set server.metrics_token").into_response(),
        );
    }
    let given = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, value)| value.trim());
    // Comparing digests keeps the comparison's time independent of the token.
    if given.is_some_and(|given| auth::token_hash(given) == auth::token_hash(token)) {
        return None;
    }
    let mut refused = (StatusCode::UNAUTHORIZED, "metrics need Authorization: Bearer <server.metrics_token>").into_response();
    refused.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"metrics\""));
    Some(refused)
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
    }
}

/// The text exposition format: `# HELP` and `# TYPE` once per family, then
/// one `name{label="value",...} value` line per sample.
#[derive(Default)]
pub struct Encoder {
    pub text: String,
}

impl Encoder {
    pub fn family(&mut self, name: &str, kind: &str, help: &str) {
        let help = help.replace('\\', "\\\\").replace('\n', "\\n");
        let _ = writeln!(self.text, "# HELP {name} {help}");
        let _ = writeln!(self.text, "# TYPE {name} {kind}");
    }

    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.text.push_str(name);
        if !labels.is_empty() {
            self.text.push('{');
            for (index, (label, value)) in labels.iter().enumerate() {
                if index > 0 {
                    self.text.push(',');
                }
                let value = value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
                let _ = write!(self.text, "{label}=\"{value}\"");
            }
            self.text.push('}');
        }
        let _ = writeln!(self.text, " {}", format_value(value));
    }
}

fn format_value(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        // Rust prints whole numbers without a fraction ("3") and never in
        // exponent form; both parse as Prometheus floats.
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_samples_with_escaped_labels() {
        let mut out = Encoder::default();
        out.family("x_total", "counter", "An example.");
        out.sample("x_total", &[("a", "q\"uo\\te\n")], 3.0);
        out.sample("x_up", &[], 0.25);
        assert_eq!(
            out.text,
            "# HELP x_total An example.\n# TYPE x_total counter\nx_total{a=\"q\\\"uo\\\\te\\n\"} 3\nx_up 0.25\n"
        );
        assert_eq!(format_value(f64::INFINITY), "+Inf");
    }

    #[test]
    fn histogram_buckets_are_cumulative() {
        let metrics = Metrics::default();
        for ms in [1, 7, 7, 300, 9000] {
            metrics.record(&Method::GET, "/api/bookings", StatusCode::OK, Duration::from_millis(ms));
        }
        metrics.record(&Method::from_bytes(b"BREW").unwrap(), "/x/y/z", StatusCode::IM_A_TEAPOT, Duration::ZERO);
        let mut out = Encoder::default();
        metrics.encode(&mut out);
        let text = out.text;
        assert!(text.contains("reservo_http_requests_total{method=\"GET\",status=\"2xx\"} 5\n"), "{text}");
        assert!(text.contains("reservo_http_requests_total{method=\"OTHER\",status=\"4xx\"} 1\n"), "{text}");
        let bucket = |le: &str| format!("reservo_http_request_duration_seconds_bucket{{route=\"api\",le=\"{le}\"}} ");
        assert!(text.contains(&format!("{}1\n", bucket("0.005"))), "{text}");
        assert!(text.contains(&format!("{}3\n", bucket("0.01"))), "{text}");
        assert!(text.contains(&format!("{}4\n", bucket("0.5"))), "{text}");
        assert!(text.contains(&format!("{}4\n", bucket("5"))), "{text}");
        assert!(text.contains(&format!("{}5\n", bucket("+Inf"))), "{text}");
        assert!(text.contains("reservo_http_request_duration_seconds_count{route=\"api\"} 5\n"), "{text}");
        assert!(text.contains("reservo_http_request_duration_seconds_count{route=\"page\"} 1\n"), "{text}");
    }

    #[test]
    fn routes_are_coarse() {
        for (path, route) in [
            ("/api", "api"),
            ("/api/bookings/7", "api"),
            ("/apiary", "page"),
            ("/fn/login", "fn"),
            ("/events", "events"),
            ("/healthz", "ops"),
            ("/metrics", "ops"),
            ("/pkg/reservo.wasm", "static"),
            ("/favicon.ico", "static"),
            ("/", "page"),
            ("/panel/bookings", "page"),
        ] {
            assert_eq!(route_label(path), route, "{path}");
        }
    }

    #[test]
    fn loopback_includes_mapped_v4() {
        assert!(is_loopback("127.0.0.1".parse().unwrap()));
        assert!(is_loopback("::1".parse().unwrap()));
        assert!(is_loopback("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!is_loopback("203.0.113.5".parse().unwrap()));
    }
}
