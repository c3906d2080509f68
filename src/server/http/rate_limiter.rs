//! A rate limiter: a token bucket per key that holds `limit` requests and
//! refills at `limit` per `window` — a burst of `limit`, then one request each
//! `window / limit`. Kept as a single instant per key (GCRA). In memory: each
//! app instance limits on its own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The keys one limiter keeps at most; past it, the keys closest to being
/// free again are forgotten (they start afresh), so a flood of new client
/// addresses cannot take the memory.
const MAX_KEYS: usize = 100_000;
/// No pruning below this many keys.
const MIN_PRUNE_AT: usize = 1024;

pub struct RateLimiter {
    /// What one request costs.
    interval: Duration,
    /// How far ahead a key may spend.
    window: Duration,
    keys: Mutex<Keys>,
}

struct Keys {
    /// Per key: when all its requests so far are paid back. A key whose
    /// instant has passed is as good as new, so it is dropped when pruning.
    paid_until: HashMap<String, Instant>,
    prune_at: usize,
    max_keys: usize,
}

impl RateLimiter {
    /// `limit` requests per `window`; a limit of 0 is taken as 1.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self::with_max_keys(limit, window, MAX_KEYS)
    }

    fn with_max_keys(limit: u32, window: Duration, max_keys: usize) -> Self {
        let keys = Keys { paid_until: HashMap::new(), prune_at: MIN_PRUNE_AT.min(max_keys), max_keys };
        RateLimiter { interval: window / limit.max(1), window, keys: Mutex::new(keys) }
    }

    /// Counts a request for `key`; `Err(wait)` refuses it (without counting
    /// it): how long until the key may make one again.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut keys = self.keys.lock().expect("rate limiter lock poisoned");
        let paid_until = keys.paid_until.get(key).copied().filter(|t| *t > now).unwrap_or(now) + self.interval;
        let ahead = paid_until - now;
        if ahead > self.window {
            return Err(ahead - self.window);
        }
        keys.insert(key, paid_until, now);
        Ok(())
    }

    #[cfg(test)]
    fn key_count(&self) -> usize {
        self.keys.lock().unwrap().paid_until.len()
    }
}

impl Keys {
    fn insert(&mut self, key: &str, paid_until: Instant, now: Instant) {
        if !self.paid_until.contains_key(key) && self.paid_until.len() >= self.prune_at {
            self.prune(now);
        }
        self.paid_until.insert(key.to_string(), paid_until);
    }

    /// Drops the keys that are free again, then, if still too many, the half
    /// that will be free soonest. The next pruning waits until the map has
    /// doubled, so pruning costs O(1) per request on average.
    fn prune(&mut self, now: Instant) {
        self.paid_until.retain(|_, t| *t > now);
        if self.paid_until.len() >= self.max_keys {
            let mut instants: Vec<Instant> = self.paid_until.values().copied().collect();
            let middle = instants.len() / 2;
            let median = *instants.select_nth_unstable(middle).1;
            self.paid_until.retain(|_, t| *t > median);
        }
        self.prune_at = (2 * self.paid_until.len()).clamp(MIN_PRUNE_AT.min(self.max_keys), self.max_keys);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_burst_up_to_the_limit_then_one_per_interval() {
        let limiter = RateLimiter::new(3, MINUTE);
        let start = Instant::now();
        for i in 0..3 {
            assert_eq!(limiter.take("a", start), Ok(()), "request {i}");
        }
        assert_eq!(limiter.take("a", start), Err(Duration::from_secs(20)));
        assert_eq!(limiter.take("a", start + Duration::from_secs(5)), Err(Duration::from_secs(15)));
        assert_eq!(limiter.take("a", start + Duration::from_secs(20)), Ok(()));
        assert!(limiter.take("a", start + Duration::from_secs(21)).is_err(), "one refilled, one spent");
    }

    #[test]
    fn refused_requests_are_not_counted() {
        let limiter = RateLimiter::new(1, MINUTE);
        let start = Instant::now();
        assert!(limiter.take("a", start).is_ok());
        for second in 1..60 {
            assert!(limiter.take("a", start + Duration::from_secs(second)).is_err());
        }
        assert!(limiter.take("a", start + MINUTE).is_ok());
    }

    #[test]
    fn the_sustained_rate_is_the_limit_per_window() {
        let limiter = RateLimiter::new(10, MINUTE);
        let start = Instant::now();
        let granted = (0..2400u64)
            .map(|quarter| start + Duration::from_millis(quarter * 250))
            .filter(|at| limiter.take("a", *at).is_ok())
            .count();
        // Asked four times a second for ten minutes: the burst of 10 at once,
        // then one each 6 s (at 6 s, 12 s, ... 594 s).
        assert_eq!(granted, 10 + 99);
    }

    #[test]
    fn keys_are_independent() {
        let limiter = RateLimiter::new(1, MINUTE);
        let now = Instant::now();
        assert!(limiter.take("a", now).is_ok());
        assert!(limiter.take("a", now).is_err());
        assert!(limiter.take("b", now).is_ok());
    }

    #[test]
    fn keys_that_are_free_again_are_pruned() {
        let limiter = RateLimiter::with_max_keys(5, MINUTE, 10_000);
        let start = Instant::now();
        for i in 0..MIN_PRUNE_AT {
            limiter.take(&format!("old {i}"), start).unwrap();
        }
        let later = start + MINUTE;
        limiter.take("new", later).unwrap();
        assert_eq!(limiter.key_count(), 1, "the old keys paid back and were dropped");
    }

    #[test]
    fn a_flood_of_new_keys_stays_bounded() {
        let limiter = RateLimiter::with_max_keys(1, MINUTE, 100);
        let start = Instant::now();
        for i in 0..1_000u64 {
            limiter.take(&format!("key {i}"), start + Duration::from_millis(i)).unwrap();
            assert!(limiter.key_count() <= 100);
        }
        let newest = start + Duration::from_millis(999);
        assert!(limiter.take("key 999", newest).is_err(), "the most recent keys are remembered");
    }
}
