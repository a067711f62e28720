//! Limits kept in memory: the sign-in throttle (failures only, growing waits) and the registration limits
//! (`governor`). Keyed by account, by address and by both: delegates share the venue's NAT, so an address
//! alone must never lock a whole hall out, and an attacker guessing one account's password must not lock its
//! owner out either.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard, PoisonError},
};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use nonzero_ext::nonzero;

/// Keys kept at most; past it the oldest are forgotten first (memory stays bounded under a flood).
const MAX_KEYS: usize = 100_000;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section leaves the map consistent: a panic elsewhere does not make it unusable.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Registrations, limited with `governor`'s keyed GCRA limiters (no fixed window to game, memory bounded by
/// forgetting keys whose allowance is full again): 3 per e-mail address and 100 per client address per hour.
pub struct RegistrationLimits {
    per_email: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<String>,
}

impl Default for RegistrationLimits {
    fn default() -> Self {
        RegistrationLimits {
            per_email: RateLimiter::keyed(Quota::per_hour(nonzero!(3u32))),
            per_address: RateLimiter::keyed(Quota::per_hour(nonzero!(100u32))),
        }
    }
}

impl std::fmt::Debug for RegistrationLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistrationLimits").finish_non_exhaustive()
    }
}

impl RegistrationLimits {
    /// Whether a registration for `email` from `address` may go on; counts it against both keys (one
    /// exhausted key does not hide a flood on the other).
    pub fn allow(&self, email: &str, address: &str) -> bool {
        if self.per_email.len() > MAX_KEYS || self.per_address.len() > MAX_KEYS {
            self.per_email.retain_recent();
            self.per_address.retain_recent();
        }
        let by_email = self.per_email.check_key(&email.to_owned()).is_ok();
        let by_address = self.per_address.check_key(&address.to_owned()).is_ok();
        by_email && by_address
    }
}

/// Failed sign-ins before the first wait, for one account from one address.
pub const FREE_FAILURES: u32 = 5;
/// The longest wait for one account from one address (15 minutes).
pub const MAX_PAIR_WAIT_MS: i64 = 15 * 60 * 1000;
/// The longest wait an account or an address imposes on everybody (1 minute): guessing stays slow, and the
/// owner of an attacked account, or a hall behind one address, waits at most this long.
pub const MAX_SHARED_WAIT_MS: i64 = 60 * 1000;
/// Failures are forgotten this long after the last one.
const FORGET_MS: i64 = 3600 * 1000;

/// The wait imposed after `failures` failed attempts: none for the first [`FREE_FAILURES`], then one second,
/// doubling at each failure, up to `max_ms`.
#[must_use]
pub fn wait_after(failures: u32, max_ms: i64) -> i64 {
    let Some(over) = failures.checked_sub(FREE_FAILURES) else {
        return 0;
    };
    1000_i64.saturating_mul(1_i64 << over.min(30)).min(max_ms)
}

/// Failures of one key: how many, and when the last one was.
#[derive(Clone, Copy, Debug, Default)]
struct Failures {
    count: u32,
    last: i64,
}

/// The sign-in throttle. Only **failures** count; a success clears the failures of its account from its
/// address. Three keys are watched:
/// - the account from this address: waits grow from 1 s to 15 min ([`wait_after`]);
/// - the account from any address (a spread-out attack): the same curve counted in tens of failures, at most
///   one minute;
/// - the address for any account: the same curve counted in twenties, at most one minute — and not at all for
///   a trusted address (the venue's), where a whole hall signs in at once.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, Failures>>,
}

/// When a sign-in may be tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait {
    /// Milliseconds from now.
    pub ms: i64,
}

impl Wait {
    /// Whole seconds to say to people and in `Retry-After` (at least one).
    #[must_use]
    pub fn seconds(self) -> i64 {
        (self.ms + 999) / 1000
    }
}

fn keys(account: &str, address: &str) -> [String; 3] {
    [
        format!("pair:{account}\u{0}{address}"),
        format!("acct:{account}"),
        format!("addr:{address}"),
    ]
}

impl SignInThrottle {
    /// Whether `account` may try a password from `address` now; records nothing.
    ///
    /// # Errors
    /// The wait before the next attempt.
    pub fn check(&self, account: &str, address: &str, trusted: bool, now: i64) -> Result<(), Wait> {
        let failures = lock(&self.failures);
        let [pair, acct, addr] = keys(account, address);
        let get = |key: &str| failures.get(key).copied().unwrap_or_default();
        let mut waits = vec![
            due(get(&pair), 1, MAX_PAIR_WAIT_MS, now),
            due(get(&acct), 10, MAX_SHARED_WAIT_MS, now),
        ];
        if !trusted {
            waits.push(due(get(&addr), 20, MAX_SHARED_WAIT_MS, now));
        }
        match waits.into_iter().max().unwrap_or(0) {
            0 => Ok(()),
            ms => Err(Wait { ms }),
        }
    }

    /// Records a failed attempt.
    pub fn failed(&self, account: &str, address: &str, now: i64) {
        let mut failures = lock(&self.failures);
        if failures.len() > MAX_KEYS {
            failures.retain(|_, f| now - f.last < FORGET_MS);
            if failures.len() > MAX_KEYS {
                // Still full: a flood of distinct keys. Forget the older half rather than grow.
                let mut lasts: Vec<i64> = failures.values().map(|f| f.last).collect();
                lasts.sort_unstable();
                let median = lasts[lasts.len() / 2];
                failures.retain(|_, f| f.last > median);
            }
        }
        for key in keys(account, address) {
            let entry = failures.entry(key).or_default();
            if now - entry.last >= FORGET_MS {
                entry.count = 0;
            }
            entry.count = entry.count.saturating_add(1);
            entry.last = now;
        }
    }

    /// Records a success: the account's failures from this address are forgotten.
    pub fn succeeded(&self, account: &str, address: &str) {
        let [pair, ..] = keys(account, address);
        lock(&self.failures).remove(&pair);
    }
}

/// The wait left after `failures`, each `per` failures counting as one on the curve.
fn due(failures: Failures, per: u32, max_ms: i64, now: i64) -> i64 {
    if now - failures.last >= FORGET_MS {
        return 0;
    }
    let wait = wait_after(failures.count / per.max(1), max_ms);
    (failures.last + wait - now).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_are_limited_per_email_but_neighbours_behind_the_same_address_are_not() {
        let limits = RegistrationLimits::default();
        for _ in 0..3 {
            assert!(limits.allow("a@ville.fr", "10.0.0.1"));
        }
        assert!(
            !limits.allow("a@ville.fr", "10.0.0.1"),
            "a fourth try for one address"
        );
        assert!(
            limits.allow("b@ville.fr", "10.0.0.1"),
            "a neighbour behind the same NAT"
        );
    }

    #[test]
    fn waits_start_after_five_failures_and_double_up_to_the_ceiling() {
        assert_eq!(wait_after(0, MAX_PAIR_WAIT_MS), 0);
        assert_eq!(wait_after(4, MAX_PAIR_WAIT_MS), 0);
        assert_eq!(wait_after(5, MAX_PAIR_WAIT_MS), 1000);
        assert_eq!(wait_after(6, MAX_PAIR_WAIT_MS), 2000);
        assert_eq!(wait_after(9, MAX_PAIR_WAIT_MS), 16_000);
        assert_eq!(wait_after(40, MAX_PAIR_WAIT_MS), MAX_PAIR_WAIT_MS);
        assert_eq!(wait_after(u32::MAX, MAX_SHARED_WAIT_MS), MAX_SHARED_WAIT_MS);
    }

    #[test]
    fn successful_sign_ins_are_never_counted() {
        let throttle = SignInThrottle::default();
        for i in 0..1000 {
            assert_eq!(
                throttle.check("chair@ville.fr", "10.0.0.1", false, i),
                Ok(())
            );
            throttle.succeeded("chair@ville.fr", "10.0.0.1");
        }
    }

    #[test]
    fn an_attacker_is_slowed_down_but_the_owner_elsewhere_is_not_locked_out() {
        let throttle = SignInThrottle::default();
        let mut now = 0;
        for _ in 0..12 {
            // The attacker waits whatever they are told, and fails again.
            if let Err(wait) = throttle.check("chair@ville.fr", "6.6.6.6", false, now) {
                now += wait.ms;
            }
            throttle.failed("chair@ville.fr", "6.6.6.6", now);
        }
        let wait = throttle
            .check("chair@ville.fr", "6.6.6.6", false, now)
            .expect_err("the attacker waits");
        assert_eq!(wait.ms, 128_000, "2^(12-5) seconds after the 12th failure");
        // The owner, from the hall, is not made to wait by the attacker's failures: 12 is under 5 × 10.
        assert_eq!(
            throttle.check("chair@ville.fr", "10.0.0.1", false, now),
            Ok(())
        );
        // Nor is anyone else behind the attacker's address.
        assert_eq!(
            throttle.check("maire@ville.fr", "6.6.6.6", false, now),
            Ok(())
        );
    }

    #[test]
    fn a_spread_out_attack_on_one_account_costs_the_owner_at_most_a_minute() {
        let throttle = SignInThrottle::default();
        for i in 0..500 {
            throttle.failed("chair@ville.fr", &format!("6.6.{}.{}", i / 256, i % 256), 0);
        }
        let wait = throttle
            .check("chair@ville.fr", "10.0.0.1", false, 0)
            .expect_err("slowed");
        assert!(wait.ms <= MAX_SHARED_WAIT_MS);
        assert_eq!(
            throttle.check("chair@ville.fr", "10.0.0.1", false, MAX_SHARED_WAIT_MS),
            Ok(())
        );
    }

    #[test]
    fn a_hall_behind_one_trusted_address_is_never_held_up_by_its_neighbours_typos() {
        let throttle = SignInThrottle::default();
        for i in 0..2000 {
            throttle.failed(&format!("delegue{i}@ville.fr"), "192.0.2.10", 0);
        }
        assert!(
            throttle
                .check("maire@ville.fr", "192.0.2.10", false, 0)
                .is_err(),
            "an untrusted address making thousands of failures is slowed"
        );
        assert_eq!(
            throttle.check("maire@ville.fr", "192.0.2.10", true, 0),
            Ok(())
        );
    }

    #[test]
    fn a_success_clears_the_failures_of_its_account_from_its_address() {
        let throttle = SignInThrottle::default();
        for _ in 0..FREE_FAILURES {
            throttle.failed("a@b.fr", "10.0.0.1", 0);
        }
        assert!(throttle.check("a@b.fr", "10.0.0.1", false, 0).is_err());
        throttle.succeeded("a@b.fr", "10.0.0.1");
        assert_eq!(throttle.check("a@b.fr", "10.0.0.1", false, 0), Ok(()));
    }

    #[test]
    fn the_map_stays_bounded_under_a_flood_of_distinct_keys() {
        let throttle = SignInThrottle::default();
        for i in 0..(MAX_KEYS as i64 / 3 + 10) {
            throttle.failed(&format!("x{i}@b.fr"), &format!("a{i}"), i);
        }
        assert!(lock(&throttle.failures).len() <= MAX_KEYS + 3);
    }
}
