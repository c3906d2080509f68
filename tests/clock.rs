//! The controllable clock of browser tests (`[testing] controllable_clock`).
//! Alone in its own test binary: moving the clock is process-wide.
#![cfg(feature = "ssr")]

mod common;
use common::{spawn_app, spawn_app_with};
use reservo::server::{clock, storage::Engine};
use serde_json::{json, Value};

#[tokio::test]
async fn only_a_test_server_lets_its_clock_be_moved_forward() {
    let production = spawn_app(Engine::Sqlite).await;
    let response = production.client().post(production.url("/test/clock")).json(&json!({"advance_minutes": 60})).send().await.unwrap();
    assert_eq!(response.status(), 404, "off unless configured");
    assert!((clock::now() - chrono::Utc::now()).num_seconds().abs() < 5, "the clock did not move");

    let app = spawn_app_with(Engine::Sqlite, |c| c.testing.controllable_clock = true).await;
    let advance = |minutes: i64| app.client().post(app.url("/test/clock")).json(&json!({"advance_minutes": minutes})).send();
    let response = advance(24 * 60).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(body["now"].as_str().unwrap()).unwrap();
    let ahead = now.with_timezone(&chrono::Utc) - chrono::Utc::now();
    assert!((ahead - chrono::Duration::days(1)).num_seconds().abs() < 5, "a day ahead: {ahead}");
    assert!((clock::now() - chrono::Utc::now() - chrono::Duration::days(1)).num_seconds().abs() < 5, "the server's now moved");
    for bad in [-1, 400 * 24 * 60] {
        assert_eq!(advance(bad).await.unwrap().status(), 422, "{bad}");
    }
}
