//! The content hash, in one place: what `lint --fix` uses to see a text
//! again, what render stamps on generated files, and what the snippet cache
//! keys its verdicts by.

use sha2::{Digest, Sha256};

/// The lowercase hex SHA-256 (64 characters) of `parts`, each prefixed with
/// its length in bytes as a little-endian `u64`, so that no two lists of
/// parts hash alike (`["ab", "c"]` and `["a", "bc"]` differ). The scheme is
/// fixed: caches and generated files on disk compare against it.
pub(crate) fn content_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_kept_apart() {
        assert_ne!(content_hash(&["ab", "c"]), content_hash(&["a", "bc"]));
        assert_eq!(content_hash(&["x"]).len(), 64);
    }

    #[test]
    fn the_hash_is_stable_across_versions() {
        // Caches and generated headers on disk depend on it: SHA-256 of the
        // 8-byte little-endian length, then the bytes (checked with Python's
        // hashlib).
        assert_eq!(
            content_hash(&["rule"]),
            "a1b18aad97cd729f36cdc1d6224380e8ef6f356fb5f5cdafd16b0b3dbf756235"
        );
    }
}
