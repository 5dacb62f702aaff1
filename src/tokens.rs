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

/// Counts kept between runs: the text's content hash → its count, in
/// `tokens-o200k_base.json` in the cache folder. A run that finds every
/// count it needs there never loads the encoding (about 40 ms); a changed
/// file is counted again (its hash differs). At most [`Counts::KEPT`]
/// counts are kept, this run's first.
#[derive(Debug)]
pub struct Counts {
    file: std::path::PathBuf,
    on_disk: std::collections::HashMap<String, usize>,
    now: std::sync::Mutex<std::collections::HashMap<String, usize>>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CountsFile {
    tokenizer: String,
    version: String,
    counts: std::collections::HashMap<String, usize>,
}

impl Counts {
    /// How many counts the file keeps.
    pub const KEPT: usize = 50_000;

    /// The counts kept in the folder `dir` (none when the file is missing,
    /// unreadable, or written by another version of ruledoc).
    pub fn open(dir: &std::path::Path) -> Self {
        let file = dir.join(format!("tokens-{TOKENIZER}.json"));
        let on_disk = std::fs::read(&file)
            .ok()
            .and_then(|b| serde_json::from_slice::<CountsFile>(&b).ok())
            .filter(|f| f.tokenizer == TOKENIZER && f.version == crate::VERSION)
            .map(|f| f.counts)
            .unwrap_or_default();
        Counts {
            file,
            on_disk,
            now: std::sync::Mutex::default(),
        }
    }

    /// [`count`] of `text`, from the kept counts when they hold it.
    pub fn count(&self, text: &str) -> usize {
        let key = crate::hash::content_hash(&[text])[..32].to_string();
        // A kept count above the text's size in bytes cannot be right (a
        // token is at least one byte): the file was edited by hand.
        if let Some(&n) = self.on_disk.get(&key).filter(|&&n| n <= at_most(text)) {
            self.lock().insert(key, n);
            return n;
        }
        let n = count(text);
        self.lock().insert(key, n);
        n
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, usize>> {
        self.now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keep this run's counts, and as many earlier ones as fit, when any is
    /// new. A folder that cannot be written is no error: the counts are
    /// only a shortcut.
    pub fn save(&self) {
        let now = self.lock();
        if now.keys().all(|k| self.on_disk.contains_key(k)) {
            return;
        }
        let mut counts = now.clone();
        for (k, v) in &self.on_disk {
            if counts.len() >= Self::KEPT {
                break;
            }
            counts.entry(k.clone()).or_insert(*v);
        }
        let file = CountsFile {
            tokenizer: TOKENIZER.to_string(),
            version: crate::VERSION.to_string(),
            counts,
        };
        if let Ok(bytes) = serde_json::to_vec(&file)
            && let Some(dir) = self.file.parent()
            && std::fs::create_dir_all(dir).is_ok()
        {
            let _ = crate::fsutil::write_atomic(&self.file, &bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The expected counts are OpenAI's `tiktoken` 0.14.0 (Python),
    // `tiktoken.get_encoding("o200k_base").encode_ordinary(text)`, with the
    // encoding file whose SHA-256 `tiktoken` checks
    // (446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d).
    #[test]
    fn kept_counts_are_the_counts_and_a_changed_text_is_counted_again() {
        let dir = tempfile::tempdir().unwrap();
        let counts = Counts::open(dir.path());
        assert_eq!(counts.count("hello world"), 2);
        counts.save();
        let again = Counts::open(dir.path());
        assert_eq!(again.on_disk.len(), 1);
        assert_eq!(again.count("hello world"), 2);
        assert_eq!(again.count("hello worlds"), count("hello worlds"));
    }

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
