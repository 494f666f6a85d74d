//! The two kinds of failure the binary tells apart for its exit code: usage/config (2) and data (1).

use std::fmt;

/// How a failure maps to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The input data cannot be used (exit 1).
    Data,
    /// The command line, a config file or a path given is wrong (exit 2).
    Usage,
}

/// A failure whose message is already written for the user (one line, naming the file or key
/// and the fix).
#[derive(Debug)]
pub struct Failure {
    /// Exit-code class.
    pub kind: Kind,
    /// The message shown to the user.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// A usage or configuration failure (exit 2).
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Failure { kind: Kind::Usage, message: message.into() })
}

/// A data failure (exit 1).
pub fn data(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Failure { kind: Kind::Data, message: message.into() })
}

/// The exit code for an error: the first `Failure` in its chain decides; anything else is a data
/// problem (1).
pub fn exit_code(err: &anyhow::Error) -> i32 {
    match err.chain().find_map(|e| e.downcast_ref::<Failure>()) {
        Some(Failure { kind: Kind::Usage, .. }) => 2,
        _ => 1,
    }
}
