//! Random tokens, their hashes, and password hashing (argon2id). Tokens are shown once and stored hashed.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

/// A fresh random token: 32 bytes from the OS, URL-safe base64 (43 characters).
///
/// # Errors
/// When the operating system has no randomness to give (never on a working system).
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// [`new_token`] for store code: a missing random source becomes a store failure (logged with a reference).
///
/// # Errors
/// `Db` when the operating system has no randomness to give.
pub fn new_token_for_store() -> Result<String, crate::ssr::store::StoreError> {
    new_token().map_err(|err| {
        crate::ssr::store::StoreError::Db(sea_orm::DbErr::Custom(format!("no randomness: {err}")))
    })
}

/// The stored form of a token: lowercase hex SHA-256. Tokens are high-entropy, so a fast hash is enough.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hashes a password with argon2id and a random salt (PHC string).
///
/// # Errors
/// Only if the hasher fails, which a valid configuration never does.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored PHC hash. A malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that the answer takes as long either way
/// (no account enumeration through timing).
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password("decoy password never used").unwrap_or_default());
    &DECOY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let (a, b) = (new_token().expect("random"), new_token().expect("random"));
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn passwords_are_hashed_with_argon2id_and_verified() {
        let hash = hash_password("une longue phrase de passe").expect("hashes");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("une longue phrase de passe", &hash));
        assert!(!verify_password("une autre phrase", &hash));
        assert!(!verify_password("x", "not a hash"));
    }
}
