//! Token counts: how many tokens a model's tokenizer makes of a text.
//!
//! Counted with OpenAI's `o200k_base` byte-pair encoding (GPT-4o, GPT-4.1,
//! the o-series and GPT-5), by GitHub's `bpe-openai` crate, whose counts
//! equal those of OpenAI's `tiktoken` on every file of the test corpora.
//! The count is exact for those models; for others it is an approximation:
//! Claude's and Gemini's tokenizers are not public, and they may split the
//! same text into more or fewer tokens.

/// The encoding [`count`] counts with, as OpenAI's `tiktoken` names it.
pub const TOKENIZER: &str = "o200k_base";

/// The number of `o200k_base` tokens `text` encodes to, the whole text as
/// one piece of ordinary text: special tokens are not recognized
/// (`<|endoftext|>` in `text` counts as the tokens of its characters, as
/// `tiktoken`'s `encode_ordinary` counts it). Exact for GPT-4o, GPT-4.1,
/// the o-series and GPT-5; an approximation for other models.
///
/// The first call loads the encoding: about 40 ms, once per process, more
/// than counting a megabyte of text costs. Callers that only compare
/// against a limit check [`at_most`] first.
pub fn count(text: &str) -> usize {
    bpe_openai::o200k_base().count(text)
}

/// An upper bound of [`count`] that costs nothing: the length of `text` in
/// bytes. Every token of a byte-pair encoding stands for at least one byte,
/// so a text of `n` bytes is at most `n` tokens, in any byte-level BPE.
pub fn at_most(text: &str) -> usize {
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The expected counts are OpenAI's `tiktoken` 0.14.0 (Python),
    // `tiktoken.get_encoding("o200k_base").encode_ordinary(text)`, with the
    // encoding file whose SHA-256 `tiktoken` checks
    // (446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d).
    #[test]
    fn counts_as_tiktoken_does() {
        for (text, tokens) in EXPECTED {
            assert_eq!(count(text), *tokens, "{text:?}");
            assert!(count(text) <= at_most(text), "{text:?}");
        }
    }

    /// Every Markdown and `.mdc` file of the test corpora counts as
    /// `tiktoken` counts it: `tests/fixtures/tokens/o200k_base.tsv` holds
    /// `tiktoken`'s counts (written by the Python above, one row per file).
    #[test]
    fn counts_the_corpora_as_tiktoken_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let table = std::fs::read_to_string(root.join("tests/fixtures/tokens/o200k_base.tsv"))
            .expect("the table of tiktoken's counts");
        let mut files = 0;
        for row in table.lines().filter(|l| !l.starts_with('#')) {
            let (path, tokens) = row.split_once('\t').expect("path and count");
            let text = std::fs::read_to_string(root.join(path)).expect("a corpus file");
            assert_eq!(count(&text), tokens.parse::<usize>().unwrap(), "{path}");
            files += 1;
        }
        assert!(files > 1_000, "{files} files");
    }

    const EXPECTED: &[(&str, usize)] = &[
        ("", 0),
        ("hello world", 2),
        ("Hello, world!", 4),
        ("See <|endoftext|> here", 9),
        ("<|endoftext|>", 7),
        ("naïve café — 日本語のテキスト 🤖", 13),
        ("fn main() {\n    println!(\"hi\");\n}\n\n\n", 10),
        ("12345678 and 3.14159", 9),
        ("I'm sure they'LL say DON'T", 7),
        ("a   \n  b  ", 5),
        (
            "---\nalwaysApply: true\nglobs: \"**/*.ts\"\n---\n\n# Rule\n\n- Use `pnpm`, never `npm`.\n",
            27,
        ),
        ("word word word word", 4),
    ];
}
