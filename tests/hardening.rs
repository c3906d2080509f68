//! Security hardening over real HTTP, on both engines: the Content-Security-
//! Policy with a nonce per response, the other security headers, HSTS,
//! request ids, and the rate limits (429 with Retry-After, nothing done).
#![cfg(feature = "ssr")]

mod common;
use chrono::{Duration, Utc};
use common::api::Api;
use common::{get_page_with_headers, on_both_engines, spawn_app, spawn_app_with, TestApp};
use reqwest::header::HeaderMap;
use reqwest::{Client, Response};
use reservo::error::AppError;
use reservo::server::config::Config;
use reservo::server::storage::seed::DEMO_PASSWORD;
use reservo::server::storage::{users, Engine};
use serde_json::{json, Value};

on_both_engines!(
    pages_run_only_scripts_with_their_own_nonce,
    other_responses_load_nothing,
    hsts_only_when_served_over_https,
    every_response_has_a_request_id,
    logins_are_limited_per_address,
    registrations_are_limited_per_address,
    booking_requests_are_limited_per_account,
    the_api_is_limited_per_account_and_per_address,
    limits_switched_off_let_everything_through
);

const LOADS_NOTHING: &str = "default-src 'none'; frame-ancestors 'none'";

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap_or_else(|| panic!("no {name} header in {headers:?}")).to_str().unwrap()
}

fn nonce_of(policy: &str) -> String {
    let (_, rest) = policy.split_once("'nonce-").unwrap_or_else(|| panic!("no nonce in {policy}"));
    rest.split('\'').next().unwrap().to_string()
}

/// The nonce attribute of each tag named `tag` in `html` (None without one).
fn nonces_of_tags(html: &str, tag: &str) -> Vec<Option<String>> {
    html.split(&format!("<{tag}"))
        .skip(1)
        .map(|rest| {
            let attributes = &rest[..rest.find('>').unwrap()];
            attributes.split("nonce=\"").nth(1).map(|v| v.split('"').next().unwrap().to_string())
        })
        .collect()
}

fn assert_common_headers(headers: &HeaderMap, what: &str) {
    assert_eq!(header(headers, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(headers, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(headers, "referrer-policy"), "same-origin", "{what}");
    assert!(header(headers, "content-security-policy").contains("frame-ancestors 'none'"), "{what}");
}

async fn pages_run_only_scripts_with_their_own_nonce(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    let mut nonces = Vec::new();
    // A streamed page, one rendered whole with its resources inlined, the 404 page, and the first again.
    for (path, status) in [("/", 200), ("/musicos", 200), ("/no-such-page", 404), ("/", 200)] {
        let (got, headers, html) = get_page_with_headers(&client, &app.url(path), &[]).await;
        assert_eq!(got, status, "{path}");
        assert_common_headers(&headers, path);
        let policy = header(&headers, "content-security-policy");
        for directive in ["default-src 'self'", "'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"] {
            assert!(policy.contains(directive), "{path}: {directive} in {policy}");
        }
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"), "{path}: {policy}");
        let nonce = nonce_of(policy);
        let scripts = nonces_of_tags(&html, "script");
        assert!(!scripts.is_empty(), "{path}: the hydration script is there");
        assert!(scripts.iter().all(|n| n.as_deref() == Some(nonce.as_str())), "{path}: {scripts:?}, policy nonce {nonce}");
        assert!(nonces_of_tags(&html, "style").iter().all(|n| n.as_deref() == Some(nonce.as_str())), "{path}");
        assert!(!html.contains(" style=\""), "{path}: the policy blocks inline style attributes");
        nonces.push(nonce);
    }
    let mut distinct = nonces.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), nonces.len(), "a fresh nonce for every response: {nonces:?}");
}

async fn other_responses_load_nothing(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    for path in ["/healthz", "/api/rooms", "/api/no-such-route"] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_common_headers(response.headers(), path);
        assert_eq!(header(response.headers(), "content-security-policy"), LOADS_NOTHING, "{path}");
    }
    // The API's documentation page has its own inline script and style.
    let (status, headers, html) = get_page_with_headers(&client, &app.url("/api/docs"), &[]).await;
    assert_eq!(status, 200);
    let nonce = nonce_of(header(&headers, "content-security-policy"));
    for tag in ["script", "style"] {
        let nonces = nonces_of_tags(&html, tag);
        assert!(!nonces.is_empty() && nonces.iter().all(|n| n.as_deref() == Some(nonce.as_str())), "{tag}: {nonces:?}");
    }
}

async fn hsts_only_when_served_over_https(engine: Engine) {
    let app = spawn_app(engine).await;
    let plain = Client::new().get(app.url("/healthz")).send().await.unwrap();
    assert!(plain.headers().get("strict-transport-security").is_none(), "public_url is http://");

    let mut config = app.config.clone();
    config.server.public_url = "https://reservas.example.com".into();
    let https = app.with_config(config).await;
    for path in ["/healthz", "/api/no-such-route"] {
        let response = Client::new().get(https.url(path)).send().await.unwrap();
        assert_eq!(header(response.headers(), "strict-transport-security"), "max-age=31536000; includeSubDomains", "{path}");
    }
}

async fn request_id(app: &TestApp, path: &str, incoming: Option<&str>) -> String {
    let mut request = Client::new().get(app.url(path));
    if let Some(id) = incoming {
        request = request.header("x-request-id", id);
    }
    let response = request.send().await.unwrap();
    header(response.headers(), "x-request-id").to_string()
}

async fn every_response_has_a_request_id(engine: Engine) {
    let app = spawn_app(engine).await;
    let ids = [request_id(&app, "/healthz", None).await, request_id(&app, "/api/no-such-route", None).await];
    assert_ne!(ids[0], ids[1]);
    for id in &ids {
        assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    }
    assert_ne!(request_id(&app, "/healthz", Some("client-chosen")).await, "client-chosen", "only a trusted proxy names requests");

    let mut config = app.config.clone();
    config.server.trust_proxy_headers = true;
    let behind_proxy = app.with_config(config).await;
    assert_eq!(request_id(&behind_proxy, "/healthz", Some("proxy-7f3a.b_c")).await, "proxy-7f3a.b_c");
    let (status, headers, _) = get_page_with_headers(&Client::new(), &behind_proxy.url("/"), &[("x-request-id", "page-1")]).await;
    assert_eq!((status, header(&headers, "x-request-id")), (200, "page-1"));
    let too_long = "x".repeat(65);
    for bad in ["has space", "semi;colon", too_long.as_str()] {
        let id = request_id(&behind_proxy, "/healthz", Some(bad)).await;
        assert_eq!(id.len(), 16, "{bad:?} was replaced by a fresh id, not {id:?}");
    }
}

/// The wait a 429 asks for, after checking it carries the usual headers.
fn retry_after(response: &Response) -> u64 {
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("x-request-id"));
    assert!(response.headers().get("set-cookie").is_none(), "a refused request opens no session");
    header(response.headers(), "retry-after").parse().expect("Retry-After in seconds")
}

/// A 429 from /api: the API's error shape. Returns the Retry-After seconds.
async fn assert_api_rate_limited(response: Response) -> u64 {
    let wait = retry_after(&response);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited", "{body}");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("too many requests")), "{body}");
    wait
}

/// A 429 from a server function: its own error, which the page shows. Returns the Retry-After seconds.
async fn assert_function_rate_limited(response: Response) -> u64 {
    let wait = retry_after(&response);
    let error: AppError = response.json().await.unwrap();
    assert_eq!(error, AppError::TooManyAttempts { retry_after_secs: wait });
    wait
}

fn behind_proxy(config: &mut Config) {
    config.server.trust_proxy_headers = true;
}

async fn logins_are_limited_per_address(engine: Engine) {
    let app = spawn_app_with(engine, |c| {
        behind_proxy(c);
        c.limits.logins_per_address_per_minute = 2;
    })
    .await;
    let client = app.client();
    let login_from = |address: &'static str| {
        client
            .post(app.url("/fn/login"))
            .header("x-forwarded-for", address)
            .form(&[("email", "client@reservo.test"), ("password", DEMO_PASSWORD)])
            .send()
    };
    for _ in 0..2 {
        assert_eq!(login_from("198.51.100.1").await.unwrap().status(), 200);
    }
    let wait = assert_function_rate_limited(login_from("198.51.100.1").await.unwrap()).await;
    assert!((1..=30).contains(&wait), "2 a minute: one more within 30 s, not {wait}");
    let token = client
        .post(app.url("/api/auth/token"))
        .header("x-forwarded-for", "198.51.100.1")
        .json(&json!({"email": "client@reservo.test", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_api_rate_limited(token).await;
    assert_eq!(login_from("198.51.100.2").await.unwrap().status(), 200, "another address is not limited");
}

async fn registrations_are_limited_per_address(engine: Engine) {
    let app = spawn_app_with(engine, |c| {
        behind_proxy(c);
        c.limits.registrations_per_address_per_hour = 1;
    })
    .await;
    let register_from = |address: &'static str, email: &'static str| {
        app.client()
            .post(app.url("/fn/register"))
            .header("x-forwarded-for", address)
            .form(&[("name", "Nueva Clienta"), ("email", email), ("phone", "+52 55 1111 2222"), ("password", "long enough password")])
            .send()
    };
    assert_eq!(register_from("2001:db8:1:2::1", "una@example.com").await.unwrap().status(), 200);
    let wait = assert_function_rate_limited(register_from("2001:db8:1:2::99", "otra@example.com").await.unwrap()).await;
    assert!(wait > 3000, "one an hour: {wait}");
    assert!(users::find_by_email(&app.db, "otra@example.com").await.unwrap().is_none(), "the refused account was not created");
    assert_eq!(register_from("2001:db8:1:3::1", "otra@example.com").await.unwrap().status(), 200, "another network");
    assert!(users::find_by_email(&app.db, "otra@example.com").await.unwrap().is_some());
}

/// "YYYY-MM-DD" `days` from today, in the rooms' zone.
fn day(days: i64) -> String {
    (Utc::now().with_timezone(&chrono_tz::America::Mexico_City).date_naive() + Duration::days(days)).to_string()
}

fn stay(room: &Value, from_day: i64) -> Value {
    json!({"room_id": room["id"], "check_in": format!("{}T14:00:00", day(from_day)), "check_out": format!("{}T12:00:00", day(from_day + 1))})
}

async fn booking_requests_are_limited_per_account(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.limits.booking_requests_per_account_per_hour = 1).await;
    let admin = Api::admin(&app).await;
    let (_, room) = admin.post("/api/rooms", json!({"description": "Límite de solicitudes"})).await;
    let (status, booking) = admin.post("/api/bookings", stay(&room, 2)).await;
    assert_eq!(status, 201, "{booking}");
    let refused = admin.http.post(app.url("/api/bookings/")).bearer_auth(admin.token.as_ref().unwrap()).json(&stay(&room, 4)).send().await.unwrap();
    assert!(assert_api_rate_limited(refused).await > 3000);
    let (_, listed) = admin.get(&format!("/api/bookings?room_id={}", room["id"])).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "the refused booking was not written: {listed}");

    // Another account still may, once; its session in the browser counts as the same account.
    let client = Api::user(&app, "client@reservo.test").await;
    assert_eq!(client.post("/api/bookings", stay(&room, 6)).await.0, 201);
    let browser = app.logged_in_client("client@reservo.test").await;
    let request = |browser: &Client| browser.post(app.url("/fn/request-booking")).form(&[("slug", "lucia-ortega"), ("date", "not-a-date")]).send();
    assert_function_rate_limited(request(&browser).await.unwrap()).await;
    let manager = app.logged_in_client("manager@reservo.test").await;
    assert_eq!(request(&manager).await.unwrap().status(), 422, "checked, not refused by the limit");
}

async fn the_api_is_limited_per_account_and_per_address(engine: Engine) {
    let app = spawn_app_with(engine, |c| {
        behind_proxy(c);
        c.limits.api_per_account_per_minute = 3;
        c.limits.api_per_address_per_minute = 3;
    })
    .await;
    let anonymous_from = |address: Option<&'static str>| {
        let request = Client::new().get(app.url("/api/rooms"));
        match address {
            Some(address) => request.header("x-forwarded-for", address),
            None => request,
        }
        .send()
    };
    let admin = Api::admin(&app).await; // from 127.0.0.1: 1 of its 3
    for _ in 0..3 {
        assert_eq!(admin.get("/api/rooms").await.0, 200);
    }
    let refused = admin.http.get(app.url("/api/rooms")).bearer_auth(admin.token.as_ref().unwrap()).send().await.unwrap();
    let wait = assert_api_rate_limited(refused).await;
    assert!((1..=20).contains(&wait), "3 a minute: one more within 20 s, not {wait}");

    for _ in 0..3 {
        assert_eq!(anonymous_from(Some("203.0.113.5")).await.unwrap().status(), 200);
    }
    assert_api_rate_limited(anonymous_from(Some("203.0.113.5")).await.unwrap()).await;
    assert_eq!(anonymous_from(None).await.unwrap().status(), 200, "127.0.0.1: 2 of 3, whatever the admin's account did");
    let client = Api::user(&app, "client@reservo.test").await; // 127.0.0.1: 3 of 3
    assert_eq!(client.get("/api/rooms").await.0, 200, "another account has its own allowance");
    let unknown_token = Client::new().get(app.url("/api/rooms")).bearer_auth("not-a-token").send().await.unwrap();
    assert_api_rate_limited(unknown_token).await; // counted by address: 4 of 3
}

/// `[limits] enabled = false` (test and benchmark servers, never production):
/// limits that would refuse at once do not count at all.
async fn limits_switched_off_let_everything_through(engine: Engine) {
    let app = spawn_app_with(engine, |c| {
        c.limits.enabled = false;
        c.limits.api_per_account_per_minute = 1;
        c.limits.api_per_address_per_minute = 1;
        c.limits.logins_per_address_per_minute = 1;
    })
    .await;
    let admin = Api::admin(&app).await;
    let client = Api::user(&app, "client@reservo.test").await;
    for api in [&admin, &client, &admin] {
        assert_eq!(api.get("/api/rooms").await.0, 200);
        assert_eq!(Client::new().get(app.url("/api/rooms")).send().await.unwrap().status(), 200);
    }
}
