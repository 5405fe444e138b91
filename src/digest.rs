//! Digests and random tokens: the one place the hashes of the chains and the audit log, and the
//! random values of sessions, tokens and salts, are made. Pure functions of their input (and
//! of the operating system's random source), used by every layer.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// SHA-256 of the parts, each followed by a unit separator (so "ab","c" ≠ "a","bc"), as hex.
pub fn sha(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// 32 random bytes as hex: session ids, CSRF tokens, API tokens, the chains' salt.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// SHA-256 of a string as hex: what is stored of a session id or an API token.
pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}
