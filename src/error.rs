//! The library's errors: what stops a command (exit code 2), as opposed to
//! findings about documents, which are diagnostics.
//!
//! Every path an error or notice carries is a display path: `/`-separated,
//! relative to the current directory when the file lies inside it.

use std::io;

/// Something that stops a command: unreadable input, bad configuration, misuse.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read, written or created.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder the operation was on, as a display path.
        path: String,
        /// What the operating system reported.
        source: io::Error,
    },

    /// A path named on the command line (an input, `--config FILE`) does not exist.
    #[error("{path}: no such file or directory")]
    Missing {
        /// The path as a display path.
        path: String,
    },

    /// A document that cannot be read as text: an input file that is binary
    /// (a NUL byte) or not UTF-8, or any file the system refuses to read.
    #[error("{path}: {message}")]
    Unreadable {
        /// The display path, with `:LINE:COLUMN` of the first invalid byte
        /// appended when the file is not UTF-8.
        path: String,
        /// Why, e.g. `not UTF-8 text`.
        message: String,
    },

    /// `ruledoc.toml` is not valid TOML or does not fit the configuration:
    /// a syntax error, a wrong type, an unknown key.
    #[error("{path}:{line}:{column}: {message}")]
    Config {
        /// The configuration file, as a display path.
        path: String,
        /// 1-based line of the error (1 when the parser gives no place).
        line: usize,
        /// 1-based column, counted in characters (Unicode scalar values).
        column: usize,
        /// The TOML parser's message, naming the key where it can.
        message: String,
    },

    /// A request that cannot be carried out as given: an invalid `exclude`
    /// pattern or edition, a `root` that is not a folder, a template that does
    /// not render, snippet dependencies cargo cannot resolve. The string is
    /// the whole message.
    #[error("{0}")]
    Usage(String),

    /// Nothing to check: no path given, no `root` configured, no `rules/`
    /// and none of the agent folders in `looked_for`.
    #[error(
        "no rule set found: give a path, set `root` in ruledoc.toml, or run `ruledoc init` \
         to start one (looked for rules/ and the agent folders {}){}",
        .looked_for.join(", "),
        unread_note(.unread)
    )]
    NoRuleSet {
        /// The agent rule folders looked for, relative to the current
        /// directory ([`crate::discover::AGENT_RULE_DIRS`]).
        looked_for: Vec<String>,
        /// Folders here that hold rules of agents ruledoc does not read
        /// (`.devin`, `.codex`, …), said so that nothing is skipped silently.
        unread: Vec<String>,
    },

    /// Files a command would replace but did not write (`init`, or
    /// `snippets extract` over files an earlier extract did not write),
    /// nothing written; their display paths.
    #[error("refusing to overwrite existing files: {}", .0.join(", "))]
    WouldOverwrite(Vec<String>),
}

impl Error {
    /// An [`Error::Io`] for `path`, shown as a display path.
    pub fn io(path: impl AsRef<std::path::Path>, source: io::Error) -> Self {
        Error::Io {
            path: crate::paths::display_path(path.as_ref()),
            source,
        }
    }
}

/// `Result` with the library's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem with an input that does not stop the run: a file skipped, a
/// symbolic-link loop, a file that vanished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The file or folder concerned, as a display path.
    pub path: String,
    /// 1-based line, when the problem has one (the first byte that is not UTF-8).
    pub line: Option<usize>,
    /// What happened, e.g. `skipped: symbolic link loop`.
    pub message: String,
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// How [`Error::NoRuleSet`] names the folders of agents ruledoc does not read.
fn unread_note(unread: &[String]) -> String {
    match unread {
        [] => String::new(),
        [one] => format!("; {one} holds rules of an agent ruledoc does not read"),
        many => format!(
            "; {} hold rules of agents ruledoc does not read",
            many.join(", ")
        ),
    }
}
