//! Reading documents and parsing them, in parallel, in bounded chunks: output
//! order is the discovery order, and memory holds one chunk of documents at a time.

use std::io;
use std::path::Path;
use std::sync::Arc;

use std::sync::mpsc::SyncSender;

use crate::discover::{Found, Walked};
use crate::error::{Error, Notice};
use crate::model::RuleDoc;
use crate::parse::parse;
use crate::paths::display_path;
use crate::settings::Settings;
use crate::source::{LineIndex, SourceFile};

/// A parsed document with its text.
#[derive(Debug, Clone)]
pub struct Document {
    /// The text, shared with the findings made from it.
    pub source: Arc<SourceFile>,
    /// The parsed model.
    pub doc: RuleDoc,
}

/// What went wrong with inputs along the way.
#[derive(Debug, Default)]
pub struct InputProblems {
    /// Files skipped; the run goes on and its exit code is unaffected.
    pub notices: Vec<Notice>,
    /// Files that could not be read; the command exits 2 after reporting.
    pub errors: Vec<Error>,
}

impl InputProblems {
    /// Appends `other`'s notices and errors after these.
    pub fn extend(&mut self, other: InputProblems) {
        self.notices.extend(other.notices);
        self.errors.extend(other.errors);
    }
}

/// Why a file's text could not be had.
#[derive(Debug)]
pub enum ReadError {
    /// Reading failed; `NotFound` means the file vanished after discovery.
    Io(io::Error),
    /// A NUL byte in the first 8 KiB: taken for a binary file.
    Binary,
    /// Not valid UTF-8; where the first invalid byte is.
    NotUtf8 {
        /// 1-based line.
        line: usize,
        /// 1-based column, counted in characters (Unicode scalar values).
        column: usize,
    },
    /// Written by `ruledoc render` (it carries render's header): an output,
    /// never a source.
    Generated,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound => {
                f.write_str("vanished while ruledoc was running")
            }
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
            ReadError::Binary => f.write_str("binary file (contains NUL bytes)"),
            ReadError::NotUtf8 { .. } => f.write_str("not UTF-8 text"),
            ReadError::Generated => f.write_str(
                "written by `ruledoc render` (it carries its header): an output, not a source",
            ),
        }
    }
}

/// Read a file as text: UTF-8 (a byte-order mark is allowed, and kept), no
/// NUL byte in the first 8 KiB.
///
/// # Errors
///
/// [`ReadError::Io`] when the file cannot be read, [`ReadError::Binary`] for
/// a NUL byte, [`ReadError::NotUtf8`] for invalid UTF-8.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err(ReadError::Binary);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let lc = LineIndex::new(prefix).line_col(prefix, valid);
        ReadError::NotUtf8 {
            line: lc.line,
            column: lc.column,
        }
    })
}

/// Read and parse one found file. Parsing never fails; only reading can.
///
/// # Errors
///
/// As [`read_text`].
pub fn load(found: &Found, settings: &Settings) -> Result<Document, ReadError> {
    let text = read_text(&found.path)?;
    if crate::generated::has_header(&text) {
        return Err(ReadError::Generated);
    }
    let source = SourceFile::new(found.path.clone(), text);
    let doc = parse(&source, &settings.parse_options(found));
    Ok(Document {
        source: Arc::new(source),
        doc,
    })
}

/// Turn a read failure into a notice (a walked file is skipped) or an error
/// (a named file, or one the system refused to read).
pub fn classify_failure(found: &Found, err: ReadError, problems: &mut InputProblems) {
    if found.context {
        // Read only for its rule set: what was asked about is reported.
        return;
    }
    let path = display_path(&found.path);
    let line = match err {
        ReadError::NotUtf8 { line, .. } => Some(line),
        _ => None,
    };
    let skippable = match &err {
        ReadError::Io(e) => e.kind() == io::ErrorKind::NotFound,
        ReadError::Binary | ReadError::NotUtf8 { .. } => !found.explicit,
        ReadError::Generated => true,
    };
    if skippable {
        problems.notices.push(Notice {
            path,
            line,
            message: format!("skipped: {err}"),
        });
    } else {
        let path = match err {
            ReadError::NotUtf8 { line, column } => format!("{path}:{line}:{column}"),
            _ => path,
        };
        problems.errors.push(Error::Unreadable {
            path,
            message: err.to_string(),
        });
    }
}

/// Results that may wait for the main thread before workers pause.
const IN_FLIGHT: usize = 512;

/// Documents handed to a worker at a time: few at first, so small sets start
/// on every core at once; more as the walk goes on, so large sets do not pay a
/// thread wake-up for every handful of files.
fn batch_size(walked: usize) -> usize {
    (8 + walked / 128).min(64)
}

/// Load every file and map each document with `f` on the worker threads;
/// `sink` gets the results in walk order on the calling thread.
///
/// Workers take files in order as the walk finds them (`par_bridge`), so
/// walking, parsing and output overlap, results arrive nearly in order and the
/// reorder buffer stays small; the bounded channel keeps memory flat however
/// many files there are. A document is dropped on its worker right after `f`,
/// so only results cross threads. Skipped files become notices, in order.
pub fn map_documents<I, R, F, S>(walk: I, settings: &Settings, f: F, mut sink: S) -> InputProblems
where
    I: Iterator<Item = Walked> + Send,
    R: Send,
    F: Fn(Document, &Found) -> R + Sync + Send,
    S: FnMut(R),
{
    type Step<R> = Result<Result<R, (Found, ReadError)>, Notice>;
    let mut problems = InputProblems::default();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(usize, Step<R>)>>(IN_FLIGHT / 8);
    std::thread::scope(|scope| {
        let f = &f;
        let run = move |batch: Vec<(usize, Walked)>, tx: &SyncSender<Vec<(usize, Step<R>)>>| {
            let results = batch
                .into_iter()
                .map(|(i, step)| match step {
                    Walked::File(found) => {
                        let result = load(&found, settings).map(|d| f(d, &found));
                        (i, Ok(result.map_err(|e| (found, e))))
                    }
                    Walked::Skipped(notice) => (i, Err(notice)),
                })
                .collect();
            // Sent per batch, not per document: each send may wake the
            // receiving thread. A closed receiver means the caller stopped early.
            let _ = tx.send(results);
        };
        // One thread walks and hands out small batches in order; the pool's
        // workers parse them while the walk goes on.
        scope.spawn(move || {
            rayon::scope_fifo(|s| {
                let mut batch = Vec::new();
                for (i, item) in walk.enumerate() {
                    batch.push((i, item));
                    if batch.len() >= batch_size(i) {
                        let (b, tx) = (std::mem::take(&mut batch), tx.clone());
                        s.spawn_fifo(move |_| run(b, &tx));
                    }
                }
                run(batch, &tx);
            });
        });
        let mut pending = std::collections::BTreeMap::new();
        let mut next = 0;
        for (i, step) in rx.into_iter().flatten() {
            pending.insert(i, step);
            while let Some(step) = pending.remove(&next) {
                match step {
                    Ok(Ok(r)) => sink(r),
                    Ok(Err((found, e))) => classify_failure(&found, e, &mut problems),
                    Err(notice) => problems.notices.push(notice),
                }
                next += 1;
            }
        }
    });
    problems
}

/// Load every file and keep the documents.
pub fn load_all<I>(walk: I, settings: &Settings) -> (Vec<Document>, InputProblems)
where
    I: Iterator<Item = Walked> + Send,
{
    let mut docs = Vec::new();
    let problems = map_documents(walk, settings, |d, _| d, |d| docs.push(d));
    (docs, problems)
}
