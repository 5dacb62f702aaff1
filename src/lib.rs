//! ruledoc: parse, lint, verify and render tiered Markdown rule sets.
//!
//! The library never prints: commands return data and the binary's reporters
//! write it.
#![warn(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs, clippy::missing_errors_doc, clippy::missing_panics_doc)]

pub mod config;
pub mod context;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod fmt;
pub mod formats;
pub mod fsutil;
pub mod generated;
pub mod graph;
pub(crate) mod hash;
pub mod init;
pub mod lint;
pub mod load;
pub(crate) mod mdbook;
pub mod model;
pub mod parse;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod settings;
pub mod snippets;
pub mod source;
pub mod targets;
#[cfg(test)]
pub(crate) mod testing;
pub mod tokens;
pub mod watch;

pub use error::{Error, Result};

// One package, one dependency list: `unused_crate_dependencies` checks the
// library against all of it, so the binary's own dependencies are named
// here, and the test-only ones for the unit tests.
use anstream as _;
use anyhow as _;
use clap as _;
use ctrlc as _;
use indicatif as _;
use mimalloc as _;
use notify_debouncer_full as _;
#[cfg(test)]
use {assert_cmd as _, comrak as _, insta as _, proptest as _, trycmd as _};

/// This build's version, as templates and caches see it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
