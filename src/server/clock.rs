//! The server's clock. It is the real time, except when `[testing]
//! controllable_clock` is on: then `POST /test/clock` moves it forward, so a
//! browser test can make tomorrow's reminder fall due without waiting a day.
//! The shift is process-wide: every instance in one process shares it.

use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

static SHIFT_SECONDS: AtomicI64 = AtomicI64::new(0);

/// What the server takes as "now" everywhere.
pub fn now() -> DateTime<Utc> {
    Utc::now() + Duration::seconds(SHIFT_SECONDS.load(Ordering::Relaxed))
}

/// Moves the clock forward by `by`; returns the new "now".
pub fn advance(by: Duration) -> DateTime<Utc> {
    SHIFT_SECONDS.fetch_add(by.num_seconds().max(0), Ordering::Relaxed);
    now()
}
