//! Security headers on every response. Server-rendered pages get a
//! Content-Security-Policy naming this response's nonce, which Leptos puts on
//! the inline scripts it writes (hydration, streamed resources); everything
//! else gets a policy that loads nothing. HSTS when served over https.

use crate::server::config::Config;
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use leptos::nonce::{use_nonce, Nonce};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::sync::Arc;

/// For responses that are not pages (JSON, files, redirects, refusals).
const LOADS_NOTHING: &str = "default-src 'none'; frame-ancestors 'none'";
const ONE_YEAR_HSTS: &str = "max-age=31536000; includeSubDomains";

/// The policy of a page whose inline scripts and styles carry `nonce`.
/// 'self' lets the hydration script import /pkg/reservo.js and fetch the
/// wasm; 'wasm-unsafe-eval' lets it compile that wasm (and allows no eval).
/// img-src allows https: for pictures linked from elsewhere, data: for
/// inline icons. Nothing in the app uses inline style attributes.
fn page_policy(nonce: &str) -> HeaderValue {
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'nonce-{nonce}'; \
         img-src 'self' data: https:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).expect("nonces are base64url")
}

/// Called by the shell while it renders a page: leptos_axum made a nonce for
/// this render and gave it to the page's scripts.
pub fn send_page_policy() {
    if let (Some(nonce), Some(response)) = (use_nonce(), use_context::<ResponseOptions>()) {
        response.insert_header(CONTENT_SECURITY_POLICY, page_policy(&nonce));
    }
}

/// A static page whose `<script>` and `<style>` blocks get a fresh nonce and
/// the page policy that allows exactly them.
pub fn page_with_inline_code(html: &str) -> Response {
    let nonce = Nonce::new();
    let html = html
        .replace("<script>", &format!("<script nonce=\"{nonce}\">"))
        .replace("<style>", &format!("<style nonce=\"{nonce}\">"));
    ([(CONTENT_SECURITY_POLICY, page_policy(&nonce))], Html(html)).into_response()
}

pub async fn security_headers(State(config): State<Arc<Config>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.entry(CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(LOADS_NOTHING));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // frame-ancestors 'none' says the same to browsers that read CSP.
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if config.served_over_https() {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(ONE_YEAR_HSTS));
    }
    response
}
