//! Fixed-window rate limits kept in memory, keyed by account and by address separately: delegates share the
//! venue's NAT, so an address alone must never lock a whole hall out.

use std::{collections::HashMap, sync::Mutex};

/// A limit: at most `max` attempts per `window_ms`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max: u32,
    pub window_ms: i64,
}

/// Login: 10 tries per account per 15 minutes; 300 per address per minute (a hall behind one NAT).
pub const LOGIN_PER_ACCOUNT: Limit = Limit {
    max: 10,
    window_ms: 15 * 60 * 1000,
};
pub const LOGIN_PER_ADDRESS: Limit = Limit {
    max: 300,
    window_ms: 60 * 1000,
};
/// Registration: 3 per e-mail per hour; 100 per address per hour.
pub const REGISTER_PER_EMAIL: Limit = Limit {
    max: 3,
    window_ms: 3600 * 1000,
};
pub const REGISTER_PER_ADDRESS: Limit = Limit {
    max: 100,
    window_ms: 3600 * 1000,
};

/// Counts attempts per key.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl RateLimiter {
    /// Records an attempt for each `(key, limit)` and says whether all are still within their limit.
    /// Every key is counted even when another is over, so a flood cannot hide behind one exhausted key.
    pub fn allow(&self, keys: &[(&str, Limit)], now: i64) -> bool {
        let Ok(mut windows) = self.windows.lock() else {
            // A poisoned lock means a panic elsewhere; failing open keeps the hall able to sign in.
            return true;
        };
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now - *start < 3600 * 1000);
        }
        let mut allowed = true;
        for (key, limit) in keys {
            let entry = windows.entry((*key).to_owned()).or_insert((now, 0));
            if now - entry.0 >= limit.window_ms {
                *entry = (now, 0);
            }
            entry.1 += 1;
            allowed &= entry.1 <= limit.max;
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_limited_but_its_neighbours_behind_the_same_address_are_not() {
        let limiter = RateLimiter::default();
        let account = Limit {
            max: 3,
            window_ms: 1000,
        };
        let address = Limit {
            max: 100,
            window_ms: 1000,
        };
        for _ in 0..3 {
            assert!(limiter.allow(&[("acct:a", account), ("ip:1", address)], 0));
        }
        assert!(!limiter.allow(&[("acct:a", account), ("ip:1", address)], 10));
        assert!(limiter.allow(&[("acct:b", account), ("ip:1", address)], 10));
        assert!(
            limiter.allow(&[("acct:a", account), ("ip:1", address)], 1000),
            "a new window starts"
        );
    }
}
