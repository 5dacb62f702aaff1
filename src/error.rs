//! The library's errors: what stops a command (exit code 2), as opposed to
//! findings about documents, which are diagnostics.

use std::io;

/// Something that stops a command: unreadable input, bad configuration, misuse.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },

    #[error("{path}: no such file or directory")]
    Missing { path: String },

    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },

    #[error("{path}:{line}:{column}: {message}")]
    Config {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{0}")]
    Usage(String),

    /// Nothing to check: no path given, no `root` configured, no `rules/`
    /// and none of the agent folders in `looked_for`.
    #[error(
        "no rule set found: give a path, set `root` in ruledoc.toml, or create rules/ \
         (looked for rules/ and the agent folders {})",
        .looked_for.join(", ")
    )]
    NoRuleSet { looked_for: Vec<String> },

    #[error("refusing to overwrite existing files: {}", .0.join(", "))]
    WouldOverwrite(Vec<String>),
}

impl Error {
    pub fn io(path: impl AsRef<std::path::Path>, source: io::Error) -> Self {
        Error::Io {
            path: crate::paths::display_path(path.as_ref()),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem with an input that does not stop the run: a file skipped, a
/// symbolic-link loop, a file that vanished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub path: String,
    pub line: Option<usize>,
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
