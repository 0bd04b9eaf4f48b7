//! Exit statuses of `porta run` (SPEC §5).

/// Refused before start: bad flag, invalid module, missing file.
pub const REFUSED: u8 = 125;
/// The guest trapped.
pub const TRAPPED: u8 = 134;
/// The step limit was reached.
pub const STEP_LIMIT: u8 = 152;
/// `--timeout` elapsed.
pub const TIMEOUT: u8 = 124;
/// A native command that exists but cannot be executed.
pub const NOT_RUNNABLE: u8 = 126;
/// A native command that is not found.
pub const NOT_FOUND: u8 = 127;
/// A native command killed by signal N exits 128 + N.
pub const SIGNAL_BASE: u8 = 128;
