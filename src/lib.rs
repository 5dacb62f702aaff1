//! ruledoc: parse, lint, verify and render tiered Markdown rule sets.
//!
//! The library never prints: commands return data and the binary's reporters
//! write it.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod fmt;
pub mod fsutil;
pub mod graph;
pub mod hash;
pub mod init;
pub mod lint;
pub mod load;
pub mod model;
pub mod parse;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod settings;
pub mod snippets;
pub mod source;
pub mod watch;

pub use error::{Error, Result};

/// This build's version, as templates and caches see it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
