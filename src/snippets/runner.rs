//! How snippet checks start programs (rustc, cargo, external checkers, built
//! snippets): through a [`CommandRunner`] the [`Verifier`](super::Verifier)
//! is given, so that a test can see which programs a run starts (a warm run
//! must start none) without the library reading the environment for it.

use std::process::Command;
use std::sync::{Arc, Mutex, PoisonError};

/// Makes the commands snippet checks run.
pub trait CommandRunner: Send + Sync + std::fmt::Debug {
    /// A command for `program` (a name looked up on `PATH`, or a path), not
    /// started yet: the caller adds arguments and runs it.
    fn command(&self, program: &str) -> Command;
}

/// Starts programs as they are: the runner every command uses.
#[derive(Debug, Default, Clone, Copy)]
pub struct System;

impl CommandRunner for System {
    fn command(&self, program: &str) -> Command {
        Command::new(program)
    }
}

/// Starts programs as [`System`] does, and notes each program's name first.
#[derive(Debug, Default)]
pub struct Recording {
    started: Mutex<Vec<String>>,
}

impl Recording {
    /// A recorder with nothing noted, shared.
    pub fn new() -> Arc<Self> {
        Arc::new(Recording::default())
    }

    /// The programs asked for since the last call, in order; the list starts
    /// again empty.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.started.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl CommandRunner for Recording {
    fn command(&self, program: &str) -> Command {
        self.started
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(program.to_string());
        Command::new(program)
    }
}
