//! Thin: parse the arguments, run one command, map its outcome to an exit code.

// The binary shares the package's dependency list with the library; the
// library is where `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    cli::run(args)
}

// Parsing and linting allocate many small, short-lived values on several
// threads; mimalloc cut CPU time by about a quarter against glibc's malloc
// (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
