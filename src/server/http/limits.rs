//! Rate limits per client address and per account ([limits] in
//! reservo.toml): the whole API, logins, registrations and booking requests.
//! A request over a limit is refused with 429 and Retry-After before any
//! handler runs, so it changes nothing. Counted in memory: with several
//! instances each one limits on its own.

use super::middleware::refusal;
use super::rate_limiter::RateLimiter;
use crate::error::AppError;
use crate::server::api::{bearer_token, token_holder};
use crate::server::auth::{self, token_hash, RequestAuth};
use crate::server::config::LimitsConfig;
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::error::FromServerFnError;
use std::net::{IpAddr, Ipv6Addr};
use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

const LOGIN_PATHS: [&str; 2] = ["/fn/login", "/api/auth/token"];
const REGISTER_PATH: &str = "/fn/register";
const BOOKING_PATHS: [&str; 2] = ["/fn/request-booking", "/api/bookings"];

pub struct Limits {
    api_per_account: RateLimiter,
    api_per_address: RateLimiter,
    logins: RateLimiter,
    registrations: RateLimiter,
    booking_requests: RateLimiter,
}

impl Limits {
    pub fn new(config: &LimitsConfig) -> Self {
        Limits {
            api_per_account: RateLimiter::new(config.api_per_account_per_minute, MINUTE),
            api_per_address: RateLimiter::new(config.api_per_address_per_minute, MINUTE),
            logins: RateLimiter::new(config.logins_per_address_per_minute, MINUTE),
            registrations: RateLimiter::new(config.registrations_per_address_per_hour, HOUR),
            booking_requests: RateLimiter::new(config.booking_requests_per_account_per_hour, HOUR),
        }
    }
}

/// Runs after the session is resolved, so browser requests count against
/// their account.
pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !state.config.limits.enabled {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let verdict = charge(&state, &mut parts).await;
    let request = Request::from_parts(parts, body);
    match verdict {
        Ok(()) => next.run(request).await,
        Err(wait) => too_many_requests(&request, wait),
    }
}

/// Counts the request against every limit it falls under; `Err(wait)` from
/// the first one it exceeds.
async fn charge(state: &AppState, parts: &mut Parts) -> Result<(), Duration> {
    let limits = &state.limits;
    let now = Instant::now();
    let uri = parts.uri.clone();
    let path = uri.path().trim_end_matches('/');
    let post = parts.method == Method::POST;
    let api = path == "/api" || path.starts_with("/api/");
    let booking = post && BOOKING_PATHS.contains(&path);
    let account = if api || booking { account_of(state, parts, api).await } else { None };
    let address = || client_address(parts, state.config.server.trust_proxy_headers);
    if api {
        match account {
            Some(id) => limits.api_per_account.take(&id.to_string(), now)?,
            None => limits.api_per_address.take(&address(), now)?,
        }
    }
    if post && LOGIN_PATHS.contains(&path) {
        limits.logins.take(&address(), now)?;
    }
    if post && path == REGISTER_PATH {
        limits.registrations.take(&address(), now)?;
    }
    // Without an account the handler refuses a booking anyway.
    if let (true, Some(id)) = (booking, account) {
        limits.booking_requests.take(&id.to_string(), now)?;
    }
    Ok(())
}

/// The account the request acts for, as its handler will see it: under /api
/// the bearer token's owner (an unknown token counts as no account), else the
/// browser session's user.
async fn account_of(state: &AppState, parts: &mut Parts, api: bool) -> Option<i64> {
    if let Some(hash) = bearer_token(&parts.headers).filter(|_| api).map(token_hash) {
        return match token_holder(parts, state, &hash).await {
            Ok(holder) => holder.map(|(user, _)| user.id),
            Err(e) => {
                tracing::warn!(error = %e, "rate limits: token lookup failed; counting the request by address");
                None
            }
        };
    }
    parts.extensions.get::<RequestAuth>()?.user.as_ref().map(|u| u.id)
}

/// The client's address as the limits count it. An IPv6 host usually has a
/// whole /64 network to itself, so it counts per /64.
fn client_address(parts: &Parts, trust_proxy: bool) -> String {
    let address = auth::client_ip(parts, trust_proxy);
    match address.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(IpAddr::V6(v6)) => format!("{}/64", Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => address,
    }
}

/// 429 with Retry-After in whole seconds. A server function called from the
/// page gets its own error shape, so the page shows its usual message.
fn too_many_requests(request: &Request, wait: Duration) -> Response {
    let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    tracing::info!(path = %request.uri().path(), retry_after = seconds, "rate limit reached");
    let mut response = if is_server_function_call(request) {
        let error = AppError::TooManyAttempts { retry_after_secs: seconds };
        (StatusCode::TOO_MANY_REQUESTS, [(header::CONTENT_TYPE, "application/json")], error.ser()).into_response()
    } else {
        let message = format!("too many requests; try again in {seconds} s");
        refusal(request, StatusCode::TOO_MANY_REQUESTS, "rate_limited", &message)
    };
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// A server function called by script; a plain HTML form post (which asks
/// for text/html) is not.
fn is_server_function_call(request: &Request) -> bool {
    let accepts_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    request.uri().path().starts_with("/fn/") && !accepts_html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts_from(address: &str) -> Parts {
        let socket: std::net::SocketAddr = format!("{address}:4000").parse().unwrap();
        let mut request = axum::http::Request::new(());
        request.extensions_mut().insert(axum::extract::ConnectInfo(socket));
        request.into_parts().0
    }

    #[test]
    fn ipv6_clients_count_per_network_and_ipv4_ones_per_address() {
        assert_eq!(client_address(&parts_from("[2001:db8:1:2:aaaa::1]"), false), "2001:db8:1:2::/64");
        assert_eq!(client_address(&parts_from("[2001:db8:1:2:bbbb::9]"), false), "2001:db8:1:2::/64");
        assert_eq!(client_address(&parts_from("[::ffff:203.0.113.7]"), false), "203.0.113.7");
        assert_eq!(client_address(&parts_from("203.0.113.7"), false), "203.0.113.7");
    }
}
