//! Reads the rest of a body that was refused as too large (413) before the
//! answer goes out. A handler stops reading at its limit; had the server then
//! closed the connection with the client still sending, the client would see
//! the connection reset instead of the 413 and its message.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

/// More than this is not read: the connection is closed instead.
const DRAIN_AT_MOST: usize = 32 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(5);

pub async fn drain_refused_bodies(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let shared = Arc::new(Mutex::new(Some(body)));
    let response = next.run(Request::from_parts(parts, Body::new(Shared(shared.clone())))).await;
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        let rest = shared.lock().expect("the body lock is never poisoned").take();
        if let Some(rest) = rest {
            let _ = tokio::time::timeout(DRAIN_TIME, drain(rest)).await;
        }
    }
    response
}

async fn drain(body: Body) {
    let mut chunks = body.into_data_stream();
    let mut read = 0;
    while read <= DRAIN_AT_MOST {
        match chunks.next().await {
            Some(Ok(chunk)) => read += chunk.len(),
            _ => return,
        }
    }
}

/// The request body, left where the middleware can still reach it.
struct Shared(Arc<Mutex<Option<Body>>>);

impl http_body::Body for Shared {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match self.0.lock().expect("the body lock is never poisoned").as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> SizeHint {
        self.0.lock().expect("the body lock is never poisoned").as_ref().map_or_else(|| SizeHint::with_exact(0), |b| b.size_hint())
    }

    fn is_end_stream(&self) -> bool {
        self.0.lock().expect("the body lock is never poisoned").as_ref().is_none_or(|b| b.is_end_stream())
    }
}
