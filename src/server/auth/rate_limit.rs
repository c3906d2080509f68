//! Counts failed login attempts per key (client address, account email) in a
//! sliding window and refuses further attempts once a key reaches the limit.
//! Kept in memory: with several instances each one limits on its own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct FailureLimiter {
    max_failures: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl FailureLimiter {
    pub fn new(max_failures: u32, window: Duration) -> Self {
        FailureLimiter { max_failures: max_failures as usize, window, failures: Mutex::new(HashMap::new()) }
    }

    /// `Err(wait)` when any key is over the limit: how long until it is not.
    pub fn check(&self, keys: &[String], now: Instant) -> Result<(), Duration> {
        let mut failures = self.failures.lock().expect("limiter lock poisoned");
        let mut wait = Duration::ZERO;
        for key in keys {
            if let Some(times) = failures.get_mut(key) {
                times.retain(|t| now.duration_since(*t) < self.window);
                if times.len() >= self.max_failures {
                    let oldest = times[times.len() - self.max_failures];
                    wait = wait.max(self.window - now.duration_since(oldest));
                }
            }
        }
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    pub fn record_failure(&self, keys: &[String], now: Instant) {
        let mut failures = self.failures.lock().expect("limiter lock poisoned");
        if failures.len() > 100_000 {
            let window = self.window;
            failures.retain(|_, times| times.last().is_some_and(|t| now.duration_since(*t) < window));
        }
        for key in keys {
            failures.entry(key.clone()).or_default().push(now);
        }
    }

    pub fn clear(&self, key: &str) {
        self.failures.lock().expect("limiter lock poisoned").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_releases_after_the_window() {
        let limiter = FailureLimiter::new(3, Duration::from_secs(60));
        let keys = vec!["email:a@b.co".to_string()];
        let start = Instant::now();
        for i in 0..3 {
            assert!(limiter.check(&keys, start).is_ok(), "attempt {i}");
            limiter.record_failure(&keys, start);
        }
        let wait = limiter.check(&keys, start + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(limiter.check(&keys, start + Duration::from_secs(61)).is_ok());
    }

    #[test]
    fn keys_are_independent_and_clearable() {
        let limiter = FailureLimiter::new(1, Duration::from_secs(60));
        let now = Instant::now();
        limiter.record_failure(&["ip:1".into()], now);
        assert!(limiter.check(&["ip:2".into()], now).is_ok());
        assert!(limiter.check(&["ip:1".into()], now).is_err());
        limiter.clear("ip:1");
        assert!(limiter.check(&["ip:1".into()], now).is_ok());
    }
}
