//! X-Request-Id on every response, and a tracing span per request carrying
//! it, so each log line of a request can be found from the id a user or a
//! proxy's log shows.

use crate::server::config::Config;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use rand::RngCore;
use std::sync::Arc;
use tracing::Instrument;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const MAX_LEN: usize = 64;

pub async fn tag(State(config): State<Arc<Config>>, request: Request, next: Next) -> Response {
    let id = config
        .server
        .trust_proxy_headers
        .then(|| incoming(&request))
        .flatten()
        .unwrap_or_else(new_id);
    let span = tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path());
    let mut response = next.run(request).instrument(span).await;
    response.headers_mut().insert(X_REQUEST_ID, HeaderValue::from_str(&id).expect("ids are checked ASCII"));
    response
}

/// A proxy's id for the request, if it is a sane one (it goes into logs and headers).
fn incoming(request: &Request) -> Option<String> {
    let id = request.headers().get(&X_REQUEST_ID)?.to_str().ok()?;
    well_formed(id).then(|| id.to_string())
}

fn well_formed(id: &str) -> bool {
    (1..=MAX_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

fn new_id() -> String {
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_taken_from_a_proxy() {
        for good in ["abc", "0f8e-41.c_Z", &"a".repeat(64)] {
            assert!(well_formed(good), "{good}");
        }
        for bad in ["", &"a".repeat(65), "a b", "a\"b", "ä", "id;evil=1"] {
            assert!(!well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn new_ids_are_16_hex_digits_and_differ() {
        let (a, b) = (new_id(), new_id());
        assert_eq!(a.len(), 16);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()) && well_formed(&a));
        assert_ne!(a, b);
    }
}
