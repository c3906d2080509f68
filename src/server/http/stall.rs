//! Ends a page whose body stops coming. A page's HTML streams out as its data
//! loads; a render that never finished would keep its connection open, and a
//! graceful shutdown waiting, for ever. After `PAGE_STALL` without a new chunk
//! the body ends with an error, which closes the connection, and the request
//! is logged with its id so the page can be found.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::Response;
use futures_util::stream::{self, Stream, StreamExt};
use std::time::Duration;

const PAGE_STALL: Duration = Duration::from_secs(30);

pub async fn end_stalled_pages(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    if !is_page(&response) {
        return response;
    }
    let id = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let (parts, body) = response.into_parts();
    let guarded = until_stalled(body.into_data_stream(), PAGE_STALL, move |bytes_sent| {
        tracing::error!(id, path, seconds = PAGE_STALL.as_secs(), bytes_sent, "a page stopped rendering; its response was ended");
    });
    Response::from_parts(parts, Body::from_stream(guarded))
}

fn is_page(response: &Response) -> bool {
    response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"))
}

/// `chunks` as they come; an error, then the end, once none came for `stall`.
/// `on_stall` gets the bytes sent until then, which tells whether the page's
/// HTML had gone out (it comes whole, before the resource data that follows).
fn until_stalled<S>(chunks: S, stall: Duration, on_stall: impl FnOnce(usize) + Send + 'static) -> impl Stream<Item = Result<Bytes, axum::Error>>
where
    S: Stream<Item = Result<Bytes, axum::Error>> + Send + Unpin + 'static,
{
    stream::unfold(Some((chunks, Some(on_stall), 0)), move |state| async move {
        let (mut chunks, mut on_stall, sent) = state?;
        match tokio::time::timeout(stall, chunks.next()).await {
            Ok(Some(chunk)) => {
                let sent = sent + chunk.as_ref().map_or(0, Bytes::len);
                Some((chunk, Some((chunks, on_stall, sent))))
            }
            Ok(None) => None,
            Err(_) => {
                if let Some(report) = on_stall.take() {
                    report(sent);
                }
                Some((Err(axum::Error::new(format!("no part of the page came for {} s", stall.as_secs()))), None))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    const STALL: Duration = Duration::from_millis(50);

    fn chunk(text: &'static str) -> Result<Bytes, axum::Error> {
        Ok(Bytes::from_static(text.as_bytes()))
    }

    #[tokio::test]
    async fn a_body_that_keeps_coming_passes_unchanged() {
        let chunks = stream::iter([chunk("<p>"), chunk("hola"), chunk("</p>")]);
        let out: Vec<_> = until_stalled(chunks, STALL, |_| panic!("not stalled")).collect().await;
        let text: Vec<_> = out.into_iter().map(|c| c.expect("a chunk")).collect();
        assert_eq!(text, ["<p>", "hola", "</p>"]);
    }

    #[tokio::test]
    async fn a_body_that_stops_ends_with_an_error_and_is_reported() {
        let reported = Arc::new(AtomicUsize::new(usize::MAX));
        let sent = reported.clone();
        let chunks = stream::iter([chunk("<p>")]).chain(stream::pending());
        let out: Vec<_> = until_stalled(Box::pin(chunks), STALL, move |bytes| sent.store(bytes, Ordering::SeqCst)).collect().await;
        assert_eq!(out.len(), 2, "the first chunk, then the error; then the body ends");
        assert_eq!(out[0].as_ref().expect("the first chunk"), "<p>");
        assert!(out[1].is_err());
        assert_eq!(reported.load(Ordering::SeqCst), 3, "reported with the bytes sent before the stall");
    }

    #[tokio::test]
    async fn a_long_body_is_not_cut_while_each_chunk_comes_in_time() {
        let chunks = stream::iter(0..10).then(|_| async {
            tokio::time::sleep(Duration::from_millis(40)).await;
            chunk("x")
        });
        // 400 ms in all, longer than the 300 ms allowed, but never 300 ms between two chunks.
        let out: Vec<_> = until_stalled(Box::pin(chunks), Duration::from_millis(300), |_| panic!("not stalled")).collect().await;
        assert!(out.iter().all(Result::is_ok) && out.len() == 10);
    }
}
