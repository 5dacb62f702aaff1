//! Token counts (TEMPORARY stand-in: characters / 4, the RD501 estimate, so
//! that `context` builds; the real `o200k_base` counter replaces this file).

/// The tokenizer [`count`] follows.
pub const TOKENIZER: &str = "o200k_base";

/// The tokens of `text`: characters (Unicode scalar values) / 4, rounded up.
pub fn count(text: &str) -> usize {
    let chars = text.bytes().filter(|b| (b & 0xC0) != 0x80).count();
    chars.div_ceil(4)
}
