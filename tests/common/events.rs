//! GET /events as a browser reads it: the booking changes it streams.

use super::TestApp;
use reservo::domain::live::BookingChange;
use std::time::Duration as StdDuration;

/// An open GET /events, read chunk by chunk.
pub struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    pub async fn open(app: &TestApp, client: &reqwest::Client) -> Events {
        let response = client.get(app.url("/events")).send().await.expect("open /events");
        assert_eq!(response.status(), 200);
        let kind = response.headers()["content-type"].to_str().unwrap().to_string();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
        Events { response, buffer: String::new() }
    }

    /// The next `booking` event, or `None` if none arrives within `wait`.
    pub async fn next_booking(&mut self, wait: StdDuration) -> Option<BookingChange> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut name = "message";
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        name = value.trim();
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data.push_str(value.trim());
                    }
                }
                if name == "booking" {
                    return Some(serde_json::from_str(&data).expect("a BookingChange"));
                }
            }
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Err(_) => return None,
                Ok(chunk) => {
                    let chunk = chunk.expect("stream readable").expect("stream still open");
                    self.buffer.push_str(&String::from_utf8_lossy(&chunk).replace("\r\n", "\n"));
                }
            }
        }
    }
}
